//! Ticket attachments: at most 3, each at most 5 MB, and a PNG, JPEG or PDF by its bytes
//! (magic numbers, read by `infer`) whatever name or type the client gave it.

use bazaar_core::error::{FieldErrorCode, FieldErrors};
use bazaar_core::support::tickets::{ATTACHMENT_BYTES_MAX, ATTACHMENTS_MAX};

/// A file as uploaded.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file accepted, with its sniffed type.
pub struct Accepted {
    pub file_name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The longest file name kept (longer ones are cut).
const FILE_NAME_MAX: usize = 120;

/// Every upload checked; each problem against its `attachments[i]`.
pub fn check(uploads: Vec<Upload>) -> Result<Vec<Accepted>, FieldErrors> {
    let mut errors = FieldErrors::default();
    if uploads.len() > ATTACHMENTS_MAX {
        errors.push("attachments", FieldErrorCode::OutOfRange, format!("Attach at most {ATTACHMENTS_MAX} files."));
        return Err(errors);
    }
    let mut accepted = Vec::new();
    for (index, upload) in uploads.into_iter().enumerate() {
        let field = format!("attachments[{index}]");
        if upload.bytes.len() > ATTACHMENT_BYTES_MAX {
            errors.push(&field, FieldErrorCode::TooLong, "Attach files of at most 5 MB.");
            continue;
        }
        let media_type = match infer::get(&upload.bytes).map(|kind| kind.mime_type()) {
            Some(kind @ ("image/png" | "image/jpeg" | "application/pdf")) => kind,
            _ => {
                errors.push(&field, FieldErrorCode::Invalid, "Attach a PNG, JPEG or PDF file.");
                continue;
            }
        };
        accepted.push(Accepted {
            file_name: clean_name(&upload.file_name, media_type),
            media_type,
            bytes: upload.bytes,
        });
    }
    if errors.is_empty() { Ok(accepted) } else { Err(errors) }
}

/// A file name safe to show and to send back in `Content-Disposition`: no path, no quotes
/// or control characters, the extension of its real type.
fn clean_name(name: &str, media_type: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem: String = base
        .rsplit_once('.')
        .map_or(base, |(stem, _)| stem)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | ';'))
        .take(FILE_NAME_MAX)
        .collect();
    let stem = if stem.trim().is_empty() { "attachment".to_owned() } else { stem.trim().to_owned() };
    let extension = match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "pdf",
    };
    format!("{stem}.{extension}")
}
