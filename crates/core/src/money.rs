//! Money as integer minor units with a currency; never floating point.

use serde::{Deserialize, Serialize};

stable_names!(Currency);

/// The currencies Bazaar prices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
pub enum Currency {
    CNY,
    USD,
}

impl Currency {
    pub const ALL: [Currency; 2] = [Currency::CNY, Currency::USD];

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::CNY => "¥",
            Currency::USD => "$",
        }
    }
}

/// An amount of money: `amount_minor` hundredths of the currency's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub amount_minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(amount_minor: i64, currency: Currency) -> Self {
        Money { amount_minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Money { amount_minor: 0, currency }
    }

    /// Adds two amounts of the same currency; `None` on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Money::new(self.amount_minor.checked_add(other.amount_minor)?, self.currency))
    }

    /// Multiplies by a whole number; `None` on overflow.
    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        Some(Money::new(self.amount_minor.checked_mul(factor)?, self.currency))
    }

    /// Reads what a person types into an amount field — `120`, `120.5`, `1,234.56` — as an
    /// amount of `currency`; `None` for anything else (signs, more than two decimals).
    pub fn parse_major(text: &str, currency: Currency) -> Option<Money> {
        let text = text.trim().replace(',', "");
        let (units, cents) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if units.is_empty() || !digits(units) || !digits(cents) || cents.len() > 2 || units.len() > 15 {
            return None;
        }
        let cents: i64 = format!("{cents:0<2}").parse().ok()?;
        Some(Money::new(units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)?, currency))
    }

    /// Formats as e.g. `¥1,234.56` (`-¥3.00` for negative amounts), by [`DISPLAY_FORMAT`].
    pub fn display(self) -> String {
        let format = DISPLAY_FORMAT;
        let sign = if self.amount_minor < 0 { format.minus } else { "" };
        let absolute = self.amount_minor.unsigned_abs();
        let units = absolute / 100;
        let cents = absolute % 100;
        format!("{sign}{}{}{}{cents:02}", self.currency.symbol(), group_thousands(units), format.decimal_point)
    }
}

/// How [`Money::display`] writes an amount: the sign, then the currency's symbol, the whole
/// units in groups of `group_digits` joined by `thousands_separator`, the decimal point and
/// two decimals. The app shell's JavaScript formats by these same values (generated from
/// here into its tables).
#[derive(Debug, Clone, Copy)]
pub struct DisplayFormat {
    pub minus: &'static str,
    pub thousands_separator: char,
    pub group_digits: usize,
    pub decimal_point: char,
}

pub const DISPLAY_FORMAT: DisplayFormat =
    DisplayFormat { minus: "-", thousands_separator: ',', group_digits: 3, decimal_point: '.' };

fn group_thousands(value: u64) -> String {
    let DisplayFormat { thousands_separator, group_digits, .. } = DISPLAY_FORMAT;
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / group_digits);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(group_digits) {
            grouped.push(thousands_separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_amounts_are_read_to_the_cent_or_refused() {
        let read = |text| Money::parse_major(text, Currency::CNY).map(|money| money.amount_minor);
        assert_eq!(read("120"), Some(12_000));
        assert_eq!(read(" 120.5 "), Some(12_050));
        assert_eq!(read("1,234.56"), Some(123_456));
        assert_eq!(read("0.07"), Some(7));
        for bad in ["", "-1", "1.234", "abc", ".5", "1e3", "12.3.4"] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn display_groups_thousands_and_keeps_two_decimals() {
        assert_eq!(Money::new(0, Currency::CNY).display(), "¥0.00");
        assert_eq!(Money::new(5, Currency::CNY).display(), "¥0.05");
        assert_eq!(Money::new(123_456, Currency::CNY).display(), "¥1,234.56");
        assert_eq!(Money::new(100_000_000, Currency::USD).display(), "$1,000,000.00");
        assert_eq!(Money::new(-300, Currency::CNY).display(), "-¥3.00");
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies_and_overflow() {
        let yuan = Money::new(100, Currency::CNY);
        assert_eq!(yuan.checked_add(yuan), Some(Money::new(200, Currency::CNY)));
        assert_eq!(yuan.checked_add(Money::new(100, Currency::USD)), None);
        assert_eq!(Money::new(i64::MAX, Currency::CNY).checked_mul(2), None);
    }
}
