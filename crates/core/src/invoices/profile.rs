//! Invoice profiles (My Account): who an invoice is made out to. Personal or enterprise; an
//! enterprise needs a valid tax ID. Every field has a length limit, so a 10,000-character
//! field is a field error, not a stored row.

use serde::{Deserialize, Serialize};

use super::tax_id::{TaxIdProblem, normalise_tax_id, validate_tax_id};
use crate::error::{FieldErrorCode, FieldErrors};

/// Whom an invoice is made out to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProfileKind {
    Personal,
    Enterprise,
}

/// An invoice profile as the buyer fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceProfileInput {
    pub kind: ProfileKind,
    /// The person's or the company's name as it appears on the invoice.
    pub title: String,
    /// Required for an enterprise; stored normalised.
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub bank_account: Option<String>,
    /// Where the issued invoice is sent.
    pub email: String,
    #[serde(default)]
    pub is_default: bool,
}

/// The longest title, address, phone, bank account and e-mail, in characters.
pub const TITLE_MAX: usize = 100;
pub const ADDRESS_MAX: usize = 200;
pub const PHONE_MAX: usize = 30;
pub const BANK_ACCOUNT_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;

/// Every problem of `input`, against its field.
pub fn invoice_profile_problems(input: &InvoiceProfileInput) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let title = input.title.trim();
    if title.is_empty() {
        errors.push("title", FieldErrorCode::Required, "Enter the name the invoice is made out to.");
    } else if title.chars().count() > TITLE_MAX {
        errors.push("title", FieldErrorCode::TooLong, format!("Use at most {TITLE_MAX} characters."));
    }
    match (input.kind, input.tax_id.as_deref().map(str::trim).filter(|id| !id.is_empty())) {
        (ProfileKind::Enterprise, None) => {
            errors.push("tax_id", FieldErrorCode::Required, "An enterprise invoice needs the company's tax ID.")
        }
        (_, Some(id)) if id.chars().count() > 40 => {
            errors.push("tax_id", FieldErrorCode::TooLong, "A tax ID has at most 40 characters.")
        }
        (_, Some(id)) => match validate_tax_id(id) {
            Ok(_) => {}
            Err(TaxIdProblem::WrongCheckCharacter) => errors.push(
                "tax_id",
                FieldErrorCode::Invalid,
                "The last character of this credit code is wrong: check the code.",
            ),
            Err(TaxIdProblem::WrongFormatForCountry) => {
                errors.push("tax_id", FieldErrorCode::Invalid, "This VAT number does not have its country's format.")
            }
            Err(_) => errors.push(
                "tax_id",
                FieldErrorCode::Invalid,
                "Enter an 18-character unified social credit code or an EU VAT number.",
            ),
        },
        (ProfileKind::Personal, None) => {}
    }
    let limits = [
        ("address", input.address.as_deref(), ADDRESS_MAX),
        ("phone", input.phone.as_deref(), PHONE_MAX),
        ("bank_account", input.bank_account.as_deref(), BANK_ACCOUNT_MAX),
    ];
    for (field, value, max) in limits {
        if value.is_some_and(|value| value.trim().chars().count() > max) {
            errors.push(field, FieldErrorCode::TooLong, format!("Use at most {max} characters."));
        }
    }
    if input.phone.as_deref().is_some_and(|phone| {
        !phone.trim().chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
    }) {
        errors.push("phone", FieldErrorCode::Invalid, "Use digits, spaces, +, - and brackets.");
    }
    let email = input.email.trim();
    if email.is_empty() {
        errors.push("email", FieldErrorCode::Required, "Enter the e-mail address the invoice is sent to.");
    } else if email.chars().count() > EMAIL_MAX {
        errors.push("email", FieldErrorCode::TooLong, format!("Use at most {EMAIL_MAX} characters."));
    } else if !plausible_email(email) {
        errors.push("email", FieldErrorCode::Invalid, "Enter an e-mail address like name@example.com.");
    }
    errors
}

/// `input` as stored: trimmed, empty optional fields dropped, the tax ID normalised.
pub fn normalised_profile(input: &InvoiceProfileInput) -> InvoiceProfileInput {
    let optional =
        |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    InvoiceProfileInput {
        kind: input.kind,
        title: input.title.trim().to_owned(),
        tax_id: optional(&input.tax_id).map(|id| normalise_tax_id(&id)),
        address: optional(&input.address),
        phone: optional(&input.phone),
        bank_account: optional(&input.bank_account),
        email: input.email.trim().to_owned(),
        is_default: input.is_default,
    }
}

/// One `@`, something before it, a dot in the domain, no spaces.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !email.chars().any(char::is_whitespace)
}
