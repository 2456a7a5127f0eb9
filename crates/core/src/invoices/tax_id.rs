//! Tax IDs on enterprise invoice profiles: China's 18-character unified social credit code
//! with its check character (GB 32100-2015), or an EU VAT number by its country's pattern.
//! Input is normalised first (upper case, without spaces, dots and hyphens) and stored so.

use serde::{Deserialize, Serialize};

/// The 31 characters of a unified social credit code (no I, O, S, V, Z), in the order
/// whose index is each character's value.
const USCC_CHARACTERS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of the first 17 characters: 3^i mod 31.
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// What kind of tax ID a valid one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TaxIdKind {
    /// 统一社会信用代码.
    ChinaUnifiedSocialCreditCode,
    /// An EU VAT number, country prefix first.
    EuVat,
}

/// Why a tax ID was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxIdProblem {
    Empty,
    /// Neither 18 characters of a credit code nor an EU country prefix with its pattern.
    Unrecognised,
    /// A credit code with a character it never has (I, O, S, V, Z, or not a letter or digit).
    InvalidCharacter,
    /// A credit code whose 18th character is not the one its first 17 give.
    WrongCheckCharacter,
    /// An EU prefix whose number does not have that country's format.
    WrongFormatForCountry,
}

/// `text` without spaces, dots and hyphens, in upper case: how a tax ID is compared and kept.
pub fn normalise_tax_id(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{3000}')).flat_map(char::to_uppercase).collect()
}

/// The check character of a credit code's first 17 characters, if they are all valid.
pub fn uscc_check_character(first_17: &str) -> Option<char> {
    let bytes = first_17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (byte, weight) in bytes.iter().zip(USCC_WEIGHTS) {
        let value = USCC_CHARACTERS.iter().position(|c| c == byte)?;
        sum += u32::try_from(value).ok()? * weight;
    }
    let check = (31 - sum % 31) % 31;
    Some(char::from(USCC_CHARACTERS[check as usize]))
}

/// Checks a tax ID (normalised first): its kind, or what is wrong with it.
pub fn validate_tax_id(text: &str) -> Result<TaxIdKind, TaxIdProblem> {
    let id = normalise_tax_id(text);
    if id.is_empty() {
        return Err(TaxIdProblem::Empty);
    }
    if let Some(number) = eu_number(&id) {
        return match number {
            Some(true) => Ok(TaxIdKind::EuVat),
            _ => Err(TaxIdProblem::WrongFormatForCountry),
        };
    }
    if id.chars().count() != 18 {
        return Err(TaxIdProblem::Unrecognised);
    }
    let (first_17, last) = id.split_at(17);
    let expected = uscc_check_character(first_17).ok_or(TaxIdProblem::InvalidCharacter)?;
    if !USCC_CHARACTERS.contains(&last.as_bytes()[0]) {
        return Err(TaxIdProblem::InvalidCharacter);
    }
    if last.starts_with(expected) {
        Ok(TaxIdKind::ChinaUnifiedSocialCreditCode)
    } else {
        Err(TaxIdProblem::WrongCheckCharacter)
    }
}

/// Each EU country's VAT number after its prefix, as patterns: `9` a digit, `A` a letter,
/// `X` a letter or digit, anything else itself. Greece's prefix is EL; XI is Northern
/// Ireland, which kept EU VAT for goods.
const EU_PATTERNS: &[(&str, &[&str])] = &[
    ("AT", &["U99999999"]),
    ("BE", &["0999999999", "1999999999"]),
    ("BG", &["999999999", "9999999999"]),
    ("CY", &["99999999A"]),
    ("CZ", &["99999999", "999999999", "9999999999"]),
    ("DE", &["999999999"]),
    ("DK", &["99999999"]),
    ("EE", &["999999999"]),
    ("EL", &["999999999"]),
    ("ES", &["X9999999X"]),
    ("FI", &["99999999"]),
    ("FR", &["XX999999999"]),
    ("HR", &["99999999999"]),
    ("HU", &["99999999"]),
    ("IE", &["9999999A", "9999999AA", "9X99999A"]),
    ("IT", &["99999999999"]),
    ("LT", &["999999999", "999999999999"]),
    ("LU", &["99999999"]),
    ("LV", &["99999999999"]),
    ("MT", &["99999999"]),
    ("NL", &["999999999B99"]),
    ("PL", &["9999999999"]),
    ("PT", &["999999999"]),
    ("RO", &["99", "999", "9999", "99999", "999999", "9999999", "99999999", "999999999", "9999999999"]),
    ("SE", &["999999999901"]),
    ("SI", &["99999999"]),
    ("SK", &["9999999999"]),
    ("XI", &["999999999", "999999999999", "GD999", "HA999"]),
];

/// `Some(matches)` when `id` starts with an EU prefix (and is not a credit code, which may
/// start with two letters too but is 18 characters with its check character).
fn eu_number(id: &str) -> Option<Option<bool>> {
    let prefix = id.get(..2)?;
    let (_, patterns) = EU_PATTERNS.iter().find(|(country, _)| *country == prefix)?;
    if id.len() == 18 && validate_uscc_only(id) {
        return None;
    }
    let number = &id[2..];
    Some(Some(patterns.iter().any(|pattern| matches_pattern(number, pattern))))
}

fn validate_uscc_only(id: &str) -> bool {
    let (first_17, last) = id.split_at(17);
    uscc_check_character(first_17).is_some_and(|check| last.starts_with(check))
}

fn matches_pattern(number: &str, pattern: &str) -> bool {
    number.len() == pattern.len()
        && number.chars().zip(pattern.chars()).all(|(c, p)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            literal => c == literal,
        })
}
