//! Checkout, payment and order wire types, and the checkout rules both sides apply: which
//! fields a purchase needs before it can be paid, and what an order looks like afterwards.

use crate::error::FieldErrorCode;
use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, ProductId};
use time::OffsetDateTime;

use crate::catalog::{BillingMode, DeliveryMethod};
use crate::error::FieldErrors;
use crate::money::Money;
use crate::pricing::{Configuration, PriceBreakdown};
use crate::validation::server_password_problems;

pub use crate::payment::*;

stable_names!(OrderStatus, CancelReasonCode, OrderKind);

/// The administrator account of a cloud server created from an image product.
pub const SERVER_LOGIN_USER: &str = "root";
/// Longest VPC name accepted.
pub const MAX_VPC_NAME_CHARS: usize = 64;
/// Longest idempotency key accepted (a UUID is 36 characters).
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 100;
/// Name of the request header that carries the checkout attempt's idempotency key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Orders an account may leave waiting for payment at once; pay or cancel one to place more.
pub const MAX_UNPAID_ORDERS: i64 = 20;
/// How many VPCs one account may have.
pub const MAX_VPCS_PER_ACCOUNT: u32 = 20;
pub const DEFAULT_ORDER_PAGE_SIZE: u32 = 10;
pub const MAX_ORDER_PAGE_SIZE: u32 = 50;

/// A virtual private cloud the buyer's servers are placed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vpc {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub cidr: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateVpcRequest {
    pub name: String,
    pub region: String,
}

/// Checks a new VPC's fields (the region list is checked by the caller).
pub fn validate_vpc(request: &CreateVpcRequest) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let name = request.name.trim();
    if name.is_empty() {
        errors.push("name", FieldErrorCode::Required, "Name the VPC.");
    } else if name.chars().count() > MAX_VPC_NAME_CHARS {
        errors.push("name", FieldErrorCode::TooLong, format!("Use at most {MAX_VPC_NAME_CHARS} characters."));
    } else if !name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.') {
        errors.push("name", FieldErrorCode::Invalid, "Use letters, digits, '-', '_' and '.' only.");
    }
    if !crate::regions::is_known(&request.region) {
        errors.push("region", FieldErrorCode::UnknownValue, "Choose one of the listed regions.");
    }
    errors
}

/// The order the buyer submits from the checkout page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceOrderRequest {
    pub product_id: ProductId,
    pub configuration: Configuration,
    /// The terms and conditions checkbox.
    pub accept_terms: bool,
    /// SaaS products whose seller creates an app management account: the buyer allows
    /// the seller to use the listed contact details.
    #[serde(default)]
    pub authorize_contact_sharing: bool,
    /// Image products: the VPC the server is placed in.
    #[serde(default)]
    pub vpc_id: Option<i64>,
    /// Image products: the server's login password. Stored only as a hash, never returned.
    #[serde(default)]
    pub server_password: Option<String>,
    /// Start the product's free trial instead of buying: nothing to pay, no payment step.
    #[serde(default)]
    pub trial: bool,
}

/// Pays a pending order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayOrderRequest {
    pub method: PaymentMethod,
}

/// What the checkout rules need to know about the product and the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckoutFacts {
    pub delivery_method: DeliveryMethod,
    pub seller_creates_account: bool,
}

/// Every reason the order cannot be submitted yet, against its field. The SPA shows these
/// next to the fields and as the reason Pay is disabled; the backend refuses with them.
pub fn checkout_problems(facts: CheckoutFacts, request: &PlaceOrderRequest) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if facts.delivery_method == DeliveryMethod::Image {
        if request.vpc_id.is_none() {
            errors.push("vpc_id", FieldErrorCode::Required, "Choose a VPC for the server, or create one.");
        }
        match request.server_password.as_deref() {
            None | Some("") => {
                errors.push("server_password", FieldErrorCode::Required, "Set the server's login password.")
            }
            Some(password) => {
                if let Some(problem) = server_password_problems(password, SERVER_LOGIN_USER).first() {
                    errors.push("server_password", problem.code(), problem.message());
                }
            }
        }
    }
    if facts.seller_creates_account && !request.authorize_contact_sharing {
        errors.push(
            "authorize_contact_sharing",
            FieldErrorCode::Required,
            "Allow the seller to use your contact details to create your app account.",
        );
    }
    if !request.accept_terms {
        errors.push("accept_terms", FieldErrorCode::Required, "Accept the terms and conditions.");
    }
    errors
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum OrderStatus {
    PendingPayment,
    Processing,
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 4] =
        [OrderStatus::PendingPayment, OrderStatus::Processing, OrderStatus::Completed, OrderStatus::Cancelled];

    /// The statuses an order may move to this one from: paying makes a placed order
    /// Processing, setting it up (or its supervision) completes it, and an order that is not
    /// completed yet can be cancelled (refunded when it was paid). Nothing leaves Completed or
    /// Cancelled.
    pub fn comes_from(self) -> &'static [OrderStatus] {
        match self {
            OrderStatus::PendingPayment => &[],
            OrderStatus::Processing => &[OrderStatus::PendingPayment],
            OrderStatus::Completed => &[OrderStatus::Processing],
            OrderStatus::Cancelled => &[OrderStatus::PendingPayment, OrderStatus::Processing],
        }
    }

    pub fn can_become(self, next: OrderStatus) -> bool {
        next.comes_from().contains(&self)
    }
}

/// What an order buys: an app, or more time for apps bought earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum OrderKind {
    Purchase,
    /// Renews one or more apps (`renewal_lines`); the product fields describe the first.
    Renewal,
    /// Started a free trial at ¥0.00 (`trials`); the app it made is converted by a renewal.
    Trial,
}

/// Why an order was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum CancelReasonCode {
    /// The seller's system could not set the app up; the payment was refunded.
    ProvisioningFailed,
    /// The buyer cancelled before paying.
    CancelledByBuyer,
    /// Operations resolved an appeal for the buyer; the payment was refunded.
    AppealRefunded,
    /// Nobody paid it within 7 days of placing it.
    NotPaidInTime,
    /// The buyer left a supervised purchase before it completed, with the refund agreed on
    /// its flow (by the seller's offer or by operations).
    UnsubscribedByAgreement,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelReason {
    pub code: CancelReasonCode,
    /// The details in English (for example what the seller's system answered).
    pub detail: String,
}

/// Where setting the purchase up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProvisioningState {
    /// Nothing to set up automatically (licences, services, consulting).
    NotRequired,
    /// Waits for payment.
    AwaitingPayment,
    /// Paid; the request to the seller (or the cloud) is queued or being retried.
    InProgress,
    Ready,
    Failed,
}

impl ProvisioningState {
    pub fn is_terminal(self) -> bool {
        matches!(self, ProvisioningState::NotRequired | ProvisioningState::Ready | ProvisioningState::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisioningProgress {
    pub state: ProvisioningState,
    /// Calls made to the seller's endpoint so far.
    pub attempts: u32,
    /// The last failure, while retrying or after giving up (never contains credentials).
    pub last_error: Option<String>,
}

/// A contact detail the buyer allowed the seller to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Mobile,
    Email,
    IamUserName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedContact {
    pub kind: ContactKind,
    /// Masked as it was shown at checkout.
    pub masked_value: String,
}

/// The record of the buyer's consent to share contact details with the seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactConsent {
    pub seller_name: String,
    pub shared: Vec<SharedContact>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub consented_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRecord {
    pub channel: PaymentChannel,
    pub amount: Money,
    /// Card payments: the card's brand and last four digits.
    pub card_label: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub paid_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub refunded_at: Option<OffsetDateTime>,
}

/// One row of My Orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: OrderId,
    /// The order number shown to people, e.g. `BZ00000042`.
    pub number: String,
    pub product_id: ProductId,
    pub product_name: String,
    pub seller_name: String,
    pub delivery_method: DeliveryMethod,
    pub supervised: bool,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    pub total: Money,
    pub due_now: Money,
    pub status: OrderStatus,
    pub kind: OrderKind,
    pub cancel_reason: Option<CancelReason>,
    /// Purchases the buyer left: the order stays Completed and shows "Unsubscribed".
    #[serde(default)]
    pub unsubscribed: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

/// An order with everything the order page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub configuration: Configuration,
    pub price: PriceBreakdown,
    pub payment: Option<PaymentRecord>,
    /// Reseller customers: the total is a reference amount to confirm with this reseller.
    pub reseller_name: Option<String>,
    pub consent: Option<ContactConsent>,
    pub vpc: Option<Vpc>,
    pub provisioning: ProvisioningProgress,
    /// Renewal orders: one line per app renewed.
    #[serde(default)]
    pub renewal_lines: Vec<crate::lifecycle::RenewalLine>,
    /// Purchases the buyer left: when, the refund and where it went.
    #[serde(default)]
    pub unsubscription: Option<crate::lifecycle::Unsubscription>,
    /// Yearly/monthly purchases: when the subscription ends.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub cancelled_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// The order number people see and quote to support.
pub fn order_number(order_id: OrderId) -> String {
    format!("BZ{:08}", order_id.0)
}

#[cfg(test)]
mod tests;
