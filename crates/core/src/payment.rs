//! How buyers pay: methods, channels, the card on file, credit lines, what the payment step
//! offers.

use serde::{Deserialize, Serialize};

use crate::money::Money;

stable_names!(PaymentMethod, PaymentChannel);

/// How a buyer pays (reseller customers do not choose: their reseller is billed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum PaymentMethod {
    Balance,
    Card,
    Credit,
}

/// Who paid an order: the buyer with one of their methods, or the buyer's reseller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum PaymentChannel {
    Balance,
    Card,
    Credit,
    /// Billed to the reseller the customer buys through; the buyer pays nothing here.
    Reseller,
}

impl From<PaymentMethod> for PaymentChannel {
    fn from(method: PaymentMethod) -> PaymentChannel {
        match method {
            PaymentMethod::Balance => PaymentChannel::Balance,
            PaymentMethod::Card => PaymentChannel::Card,
            PaymentMethod::Credit => PaymentChannel::Credit,
        }
    }
}

/// The card on file, as much of it as anybody may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardOnFile {
    pub brand: String,
    pub last4: String,
    pub expiry_month: u8,
    pub expiry_year: u16,
}

/// A credit line: buy now, settle later, up to `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditLine {
    pub limit: Money,
    pub used: Money,
    pub available: Money,
}

/// Everything the payment step offers this account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentOptions {
    /// The balance in each currency the account holds (derived from the ledger).
    pub balances: Vec<Money>,
    pub card: Option<CardOnFile>,
    /// Credit lines, one per currency, when credit payment is enabled for the account.
    pub credit: Vec<CreditLine>,
    /// Reseller customers: the reseller that is billed instead (no payment step).
    pub reseller_name: Option<String>,
}

impl PaymentOptions {
    pub fn balance_in(&self, currency: crate::money::Currency) -> Money {
        self.balances.iter().copied().find(|money| money.currency == currency).unwrap_or(Money::zero(currency))
    }

    pub fn credit_in(&self, currency: crate::money::Currency) -> Option<&CreditLine> {
        self.credit.iter().find(|line| line.limit.currency == currency)
    }
}

/// Puts a card on file (test cards of the simulated gateway: see the README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveCardRequest {
    pub number: String,
    pub expiry_month: u8,
    pub expiry_year: u16,
}
