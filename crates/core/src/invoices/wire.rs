//! Invoice Management's JSON: profiles, what can be invoiced (grouped by issuer), a request
//! for one invoice, and invoices (and credit notes) as the buyer lists them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{InvoiceProfileInput, ProfileKind};
use crate::ids::OrderId;
use crate::money::Money;
use crate::orders::OrderKind;

stable_names!(IssuerKind, InvoiceState, InvoiceKind);

/// A saved invoice profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct InvoiceProfile {
    pub id: i64,
    pub kind: ProfileKind,
    pub title: String,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_account: Option<String>,
    pub email: String,
    pub is_default: bool,
}

impl InvoiceProfile {
    /// The profile as an invoice keeps it (its snapshot).
    pub fn snapshot(&self) -> InvoiceProfileInput {
        InvoiceProfileInput {
            kind: self.kind,
            title: self.title.clone(),
            tax_id: self.tax_id.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            bank_account: self.bank_account.clone(),
            email: self.email.clone(),
            is_default: false,
        }
    }
}

/// Who issues an invoice: Bazaar for the products it operates, else the product's seller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum IssuerKind {
    Bazaar,
    Seller,
}

/// An item that can still be invoiced (some of it): a paid order, or a pay-per-use app's
/// charges in a closed monthly bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceableItem {
    /// The order; for a bill, the pay-per-use app (its purchase order).
    pub order_id: OrderId,
    /// A closed bill's month (`2026-11`); none for an order.
    #[serde(default)]
    pub usage_month: Option<String>,
    pub order_number: String,
    pub order_kind: OrderKind,
    pub product_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub paid_at: OffsetDateTime,
    pub paid: Money,
    pub refunded: Money,
    pub invoiced: Money,
    /// Paid − refunded − invoiced: what a new invoice would cover.
    pub invoiceable: Money,
}

/// The items one issuer can invoice: a request covers items of one issuer only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceableGroup {
    /// `bazaar`, or `seller:<id>`.
    pub issuer: String,
    pub issuer_kind: IssuerKind,
    pub issuer_name: String,
    pub items: Vec<InvoiceableItem>,
}

/// What the buyer can have invoiced, by issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoiceable {
    pub groups: Vec<InvoiceableGroup>,
    /// Reseller customers are invoiced by their reseller, not here: its name.
    pub invoiced_by_reseller: Option<String>,
}

/// One invoice for several items of one issuer, made out as `profile_id` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceRequest {
    pub profile_id: i64,
    #[serde(default)]
    pub order_ids: Vec<OrderId>,
    /// Closed pay-per-use bills: an app's charges in one month each.
    #[serde(default)]
    pub usage_bills: Vec<UsageBillItem>,
}

/// One pay-per-use app's charges in one closed monthly bill.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageBillItem {
    pub app_id: OrderId,
    /// `2026-11`.
    pub month: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum InvoiceState {
    /// Waiting for the seller (who has 5 business days).
    Requested,
    Issued,
    /// The seller refused, with a reason; the items can be requested again.
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum InvoiceKind {
    Invoice,
    /// Takes back (negative amounts) what a refund of an invoiced item left unpaid.
    CreditNote,
}

/// A seller refuses a requested invoice, with the reason the buyer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectInvoiceRequest {
    /// 5 to 500 characters.
    pub reason: String,
}

/// The longest and shortest reason for rejecting an invoice, in characters.
pub const REJECT_REASON_MIN: usize = 5;
pub const REJECT_REASON_MAX: usize = 500;

/// One line of an invoice as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceItemView {
    pub order_id: OrderId,
    /// A closed bill's month (`2026-11`); none for an order.
    #[serde(default)]
    pub usage_month: Option<String>,
    pub order_number: String,
    pub description: String,
    pub amount: Money,
    pub net: Money,
    pub tax: Money,
}

/// An invoice or credit note as the buyer lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceView {
    pub id: i64,
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    /// Given when issued: `<issuer prefix>-<year>-<sequence>`.
    pub number: Option<String>,
    pub issuer_kind: IssuerKind,
    pub issuer_name: String,
    /// The profile as it was when requested.
    pub made_out_to: InvoiceProfileInput,
    pub tax_rate_basis_points: u32,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    pub items: Vec<InvoiceItemView>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub requested_at: OffsetDateTime,
    /// A seller's deadline to issue or reject it.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub deadline_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub issued_at: Option<OffsetDateTime>,
    pub reject_reason: Option<String>,
    /// A credit note's invoice number.
    pub original_number: Option<String>,
}
