//! The font invoice PDFs are set in: read once, on the first PDF (the CJK collection is
//! ~19 MB), shared by every request after; a missing font is reported, never a panic.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A font able to render Chinese and Latin text, with what measuring it needs.
#[derive(Clone)]
pub struct LoadedFont {
    pub font: krilla::text::Font,
    /// The same bytes, for measuring text (krilla keeps its copy to itself).
    pub data: Arc<Vec<u8>>,
    pub index: u32,
}

/// Where the invoice font is, and the font once read.
#[derive(Clone)]
pub struct InvoiceFont {
    path: PathBuf,
    index: u32,
    loaded: Arc<OnceLock<Result<LoadedFont, String>>>,
}

impl InvoiceFont {
    pub fn new(path: PathBuf, index: u32) -> InvoiceFont {
        InvoiceFont { path, index, loaded: Arc::new(OnceLock::new()) }
    }

    /// The font, read on first use; why it cannot be used otherwise.
    pub fn get(&self) -> Result<&LoadedFont, &str> {
        self.loaded.get_or_init(|| self.load()).as_ref().map_err(String::as_str)
    }

    fn load(&self) -> Result<LoadedFont, String> {
        let path = self.path.display();
        let data =
            std::fs::read(&self.path).map_err(|error| format!("cannot read the invoice font {path}: {error}"))?;
        let data = Arc::new(data);
        let font = krilla::text::Font::new(data.clone().into(), self.index)
            .ok_or_else(|| format!("{path} (index {}) is not a font krilla can embed", self.index))?;
        tracing::info!(%path, index = self.index, "invoice font loaded");
        Ok(LoadedFont { font, data, index: self.index })
    }
}
