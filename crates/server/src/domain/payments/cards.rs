//! The simulated card gateway and the card on file: test cards and their behaviour, the
//! Luhn check, brands, and keeping only what may be shown.

use bazaar_core::ids::AccountId;
use bazaar_core::orders::CardOnFile;

use crate::error::ApiResult;
use crate::infra::db::{Connection, Database};
use crate::store;

/// The simulated gateway's test cards and what it does with them. Any other number that
/// passes the Luhn check is approved.
pub const TEST_CARDS: &[(&str, CardBehaviour)] = &[
    ("4242424242424242", CardBehaviour::Approve),
    ("5555555555554444", CardBehaviour::Approve),
    ("4000000000000002", CardBehaviour::Decline),
    ("4000000000009995", CardBehaviour::InsufficientFunds),
];

pub use crate::store::payments::CardBehaviour;

/// The Luhn checksum every real card number satisfies.
pub fn luhn_valid(digits: &str) -> bool {
    if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, byte)| {
            let digit = u32::from(byte - b'0');
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub fn card_brand(digits: &str) -> &'static str {
    let prefix2: u32 = digits.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
    let prefix4: u32 = digits.get(..4).and_then(|p| p.parse().ok()).unwrap_or(0);
    match () {
        _ if digits.starts_with('4') => "Visa",
        _ if (51..=55).contains(&prefix2) || (2221..=2720).contains(&prefix4) => "Mastercard",
        _ if prefix2 == 62 => "UnionPay",
        _ if prefix2 == 34 || prefix2 == 37 => "American Express",
        _ => "Card",
    }
}

/// Registers a card with the simulated gateway and puts it on file for the account,
/// replacing any previous card. Only the brand, last four digits and expiry are kept.
pub async fn save_card(
    db: &Database,
    account_id: AccountId,
    digits: &str,
    expiry_month: u8,
    expiry_year: u16,
    now: i64,
) -> ApiResult<CardOnFile> {
    let behaviour = TEST_CARDS
        .iter()
        .find(|(number, _)| *number == digits)
        .map(|(_, behaviour)| *behaviour)
        .unwrap_or(CardBehaviour::Approve);
    let token = format!("tok_{}", hex::encode(rand::random::<[u8; 12]>()));
    let card = CardOnFile {
        brand: card_brand(digits).to_owned(),
        last4: digits[digits.len() - 4..].to_owned(),
        expiry_month,
        expiry_year,
    };
    let mut transaction = db.begin().await?;
    store::payments::register_gateway_card(&mut transaction, &token, behaviour).await?;
    let row = CardRow {
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        expiry_month: i64::from(expiry_month),
        expiry_year: i64::from(expiry_year),
        gateway_token: token,
    };
    store::payments::put_card_on_file(&mut transaction, account_id, &row, now).await?;
    transaction.commit().await?;
    Ok(card)
}

/// Takes the account's card off file (nothing happens when there is none).
pub async fn remove_card(db: &Database, account_id: AccountId) -> ApiResult<()> {
    Ok(store::payments::remove_card(db, account_id).await?)
}

pub(super) use crate::store::payments::CardRow;

pub(super) async fn card_row(connection: &mut Connection, account_id: AccountId) -> ApiResult<Option<CardRow>> {
    Ok(store::payments::card_on_file(connection, account_id).await?)
}

pub(super) fn card_on_file(row: &CardRow) -> CardOnFile {
    CardOnFile {
        brand: row.brand.clone(),
        last4: row.last4.clone(),
        expiry_month: u8::try_from(row.expiry_month).unwrap_or(0),
        expiry_year: u16::try_from(row.expiry_year).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_brands() {
        for (number, _) in TEST_CARDS {
            assert!(luhn_valid(number), "{number}");
        }
        assert!(!luhn_valid("4242424242424241"));
        assert!(!luhn_valid("42424242"));
        assert!(!luhn_valid("4242 4242 4242 4242"));
        assert_eq!(card_brand("4242424242424242"), "Visa");
        assert_eq!(card_brand("5555555555554444"), "Mastercard");
        assert_eq!(card_brand("6212345678901232"), "UnionPay");
    }
}
