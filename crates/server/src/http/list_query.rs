//! Validation of list endpoints' query strings (My Orders, Purchased Apps, supervision
//! flows): each parameter is parsed on its own and every bad one is reported by name in
//! one 400, instead of the first failure hiding the rest.

use bazaar_core::catalog::MAX_QUERY_CHARS;
use bazaar_core::error::FieldError;
use bazaar_core::error::FieldErrorCode;

use crate::error::{ApiError, ApiResult};

/// The highest page number accepted (far beyond any real list).
pub const MAX_PAGE: u32 = 100_000;

/// The page asked for, 1 when none; a page beyond any list is a bad query.
pub fn page_number(page: Option<u32>) -> ApiResult<u32> {
    match page {
        None => Ok(1),
        Some(page @ 1..=MAX_PAGE) => Ok(page),
        Some(_) => Err(ApiError::InvalidQuery(vec![FieldError::new(
            "page",
            FieldErrorCode::OutOfRange,
            format!("Pages go from 1 to {MAX_PAGE}."),
        )])),
    }
}

/// Collects the problems of one query string while its parameters are read.
#[derive(Debug, Default)]
pub struct ListQuery {
    errors: Vec<FieldError>,
}

impl ListQuery {
    pub fn new() -> ListQuery {
        ListQuery::default()
    }

    /// A search text: trimmed, `None` when empty, at most [`MAX_QUERY_CHARS`].
    pub fn search(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let text = value.map(str::trim).filter(|text| !text.is_empty())?;
        if text.chars().count() > MAX_QUERY_CHARS {
            self.errors.push(FieldError::new(
                field,
                FieldErrorCode::TooLong,
                format!("Search for at most {MAX_QUERY_CHARS} characters."),
            ));
        }
        Some(text.to_owned())
    }

    /// One of a fixed set of values, read by `parse`; `message` says which are valid.
    pub fn choice<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
        message: &str,
    ) -> Option<T> {
        let value = value.filter(|value| !value.is_empty())?;
        let parsed = parse(value);
        if parsed.is_none() {
            self.errors.push(FieldError::new(field, FieldErrorCode::UnknownValue, message));
        }
        parsed
    }

    /// `true` or `false`.
    pub fn flag(&mut self, field: &str, value: Option<&str>) -> Option<bool> {
        self.choice(field, value, |text| text.parse::<bool>().ok(), "Use true or false.")
    }

    /// An RFC 3339 time, as unix seconds.
    pub fn time(&mut self, field: &str, value: Option<&str>) -> Option<i64> {
        let value = value.filter(|value| !value.is_empty())?;
        match time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339) {
            Ok(time) => Some(time.unix_timestamp()),
            Err(_) => {
                self.errors.push(FieldError::new(
                    field,
                    FieldErrorCode::Invalid,
                    "Use an RFC 3339 time, e.g. 2026-11-01T00:00:00Z.",
                ));
                None
            }
        }
    }

    /// `page` (1-based) and `page_size` (1 to `max_size`, else `default_size`).
    pub fn paging(
        &mut self,
        page: Option<&str>,
        page_size: Option<&str>,
        max_size: u32,
        default_size: u32,
    ) -> (u32, u32) {
        let page = self.number("page", page, MAX_PAGE).unwrap_or(1);
        let page_size = self.number("page_size", page_size, max_size).unwrap_or(default_size);
        (page, page_size)
    }

    fn number(&mut self, field: &str, value: Option<&str>, max: u32) -> Option<u32> {
        let value = value.filter(|value| !value.is_empty())?;
        match value.parse::<u32>() {
            Ok(number) if (1..=max).contains(&number) => Some(number),
            _ => {
                self.errors.push(FieldError::new(
                    field,
                    FieldErrorCode::OutOfRange,
                    format!("Use a whole number from 1 to {max}."),
                ));
                None
            }
        }
    }

    /// Records a problem found by the caller (one that spans parameters).
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// `Ok` when every parameter was fine, else the 400 naming each bad one.
    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::InvalidQuery(self.errors)) }
    }
}

/// A `LIKE … ESCAPE '\'` pattern matching `text` anywhere, case-insensitively (compare
/// against `lower(…)`); `%` and `_` in the text are plain characters.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}
