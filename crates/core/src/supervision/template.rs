//! Sellers' request templates, buyers' requests and notes, checked.

use crate::error::FieldErrorCode;
use serde::{Deserialize, Serialize};
use time::Duration;

use super::*;
use crate::error::FieldErrors;

/// A field of a seller's request template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateField {
    pub key: String,
    pub label: String,
    pub kind: TemplateFieldKind,
    pub required: bool,
    /// Help shown under the field.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateFieldKind {
    Text {
        max_chars: u32,
    },
    LongText {
        max_chars: u32,
    },
    Number {
        min: i64,
        max: i64,
    },
    /// `YYYY-MM-DD`.
    Date,
    Choice {
        options: Vec<String>,
    },
}

/// How many fields a request template may have.
pub const TEMPLATE_MAX_FIELDS: usize = 20;
/// How many choices a choice field may offer.
pub const TEMPLATE_MAX_OPTIONS: usize = 30;
/// The largest `max_chars` a text field may set.
pub const TEMPLATE_MAX_CHARS: u32 = 10_000;
/// The longest field key (a-z, 0-9 and _).
pub const TEMPLATE_MAX_KEY_CHARS: usize = 40;
/// The longest field label.
pub const TEMPLATE_MAX_LABEL_CHARS: usize = 80;
/// The longest help text under a field.
pub const TEMPLATE_MAX_HINT_CHARS: usize = 200;
/// The longest choice of a choice field.
pub const TEMPLATE_MAX_OPTION_CHARS: usize = 80;

/// Checks a seller's request template before it is saved: the SPA's editor shows these
/// problems as the seller types, and the server refuses a template that has any. Errors
/// name the field as `fields[i].part` (`fields[2].label`), or `fields` for the whole list.
pub fn validate_template(fields: &[TemplateField]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if fields.is_empty() || fields.len() > TEMPLATE_MAX_FIELDS {
        errors.push("fields", FieldErrorCode::OutOfRange, format!("A template has 1 to {TEMPLATE_MAX_FIELDS} fields."));
    }
    let mut keys = std::collections::HashSet::new();
    for (index, field) in fields.iter().enumerate() {
        let at = |part: &str| format!("fields[{index}].{part}");
        let key_is_valid = !field.key.is_empty()
            && field.key.len() <= TEMPLATE_MAX_KEY_CHARS
            && field.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_is_valid {
            errors.push(
                &at("key"),
                FieldErrorCode::Invalid,
                format!("Use 1 to {TEMPLATE_MAX_KEY_CHARS} of a-z, 0-9 and _."),
            );
        } else if !keys.insert(field.key.as_str()) {
            errors.push(&at("key"), FieldErrorCode::Duplicate, "Another field has this key.");
        }
        if field.label.trim().is_empty() || field.label.chars().count() > TEMPLATE_MAX_LABEL_CHARS {
            errors.push(
                &at("label"),
                FieldErrorCode::Invalid,
                format!("Labels have 1 to {TEMPLATE_MAX_LABEL_CHARS} characters."),
            );
        }
        if field.hint.as_ref().is_some_and(|hint| hint.chars().count() > TEMPLATE_MAX_HINT_CHARS) {
            errors.push(
                &at("hint"),
                FieldErrorCode::TooLong,
                format!("Hints have at most {TEMPLATE_MAX_HINT_CHARS} characters."),
            );
        }
        match &field.kind {
            TemplateFieldKind::Text { max_chars } | TemplateFieldKind::LongText { max_chars } => {
                if !(1..=TEMPLATE_MAX_CHARS).contains(max_chars) {
                    errors.push(
                        &at("max_chars"),
                        FieldErrorCode::OutOfRange,
                        format!("Allow 1 to {TEMPLATE_MAX_CHARS} characters."),
                    );
                }
            }
            TemplateFieldKind::Number { min, max } => {
                if min > max {
                    errors.push(
                        &at("max"),
                        FieldErrorCode::OutOfRange,
                        "The largest number must not be below the smallest.",
                    );
                }
            }
            TemplateFieldKind::Date => {}
            TemplateFieldKind::Choice { options } => {
                let mut seen = std::collections::HashSet::new();
                let options_are_valid = (1..=TEMPLATE_MAX_OPTIONS).contains(&options.len())
                    && options.iter().all(|option| {
                        let option = option.trim();
                        !option.is_empty() && option.chars().count() <= TEMPLATE_MAX_OPTION_CHARS && seen.insert(option)
                    });
                if !options_are_valid {
                    errors.push(
                        &at("options"),
                        FieldErrorCode::Invalid,
                        format!("Offer 1 to {TEMPLATE_MAX_OPTIONS} different choices of 1 to {TEMPLATE_MAX_OPTION_CHARS} characters."),
                    );
                }
            }
        }
    }
    errors
}

/// Checks the buyer's request against the seller's template, field by field.
pub fn validate_request(template: &[TemplateField], values: &RequestValues) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for key in values.keys() {
        if !template.iter().any(|field| &field.key == key) {
            errors.push(key, FieldErrorCode::UnknownField, "This field is not part of the request template.");
        }
    }
    for field in template {
        let value = values.get(&field.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if field.required {
                errors.push(&field.key, FieldErrorCode::Required, format!("{} is required.", field.label));
            }
            continue;
        }
        match &field.kind {
            TemplateFieldKind::Text { max_chars } | TemplateFieldKind::LongText { max_chars } => {
                if value.chars().count() > *max_chars as usize {
                    errors.push(&field.key, FieldErrorCode::TooLong, format!("Use at most {max_chars} characters."));
                }
            }
            TemplateFieldKind::Number { min, max } => match value.parse::<i64>() {
                Ok(number) if (*min..=*max).contains(&number) => {}
                _ => errors.push(
                    &field.key,
                    FieldErrorCode::OutOfRange,
                    format!("Enter a whole number from {min} to {max}."),
                ),
            },
            TemplateFieldKind::Date => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                if time::Date::parse(value, &format).is_err() {
                    errors.push(&field.key, FieldErrorCode::Invalid, "Enter a date as YYYY-MM-DD.");
                }
            }
            TemplateFieldKind::Choice { options } => {
                if !options.iter().any(|option| option == value) {
                    errors.push(&field.key, FieldErrorCode::UnknownValue, "Choose one of the options.");
                }
            }
        }
    }
    errors
}

/// Checks a reason or note: required (when `required`), and not too long.
pub fn validate_note(field: &str, text: &str, required: bool) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if required && text.trim().is_empty() {
        errors.push(field, FieldErrorCode::Required, "Say why, so the other side can act on it.");
    } else if text.chars().count() > MAX_NOTE_CHARS {
        errors.push(field, FieldErrorCode::TooLong, format!("Use at most {MAX_NOTE_CHARS} characters."));
    }
    errors
}

/// A duration as days, hours and minutes, e.g. "3 d 20 h"; for explanations.
pub fn short_duration(duration: Duration) -> (i64, i64, i64) {
    let seconds = duration.whole_seconds().max(0);
    (seconds / 86_400, (seconds % 86_400) / 3_600, (seconds % 3_600) / 60)
}
