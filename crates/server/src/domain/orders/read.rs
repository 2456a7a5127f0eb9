//! Reading orders back: My Orders' pages and one order with its payment, consent, VPC and
//! set-up progress, all from one snapshot.

use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::ids::{AccountId, AppId, OrderId, ProductId};
use bazaar_core::lifecycle::RenewalLine;
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{
    CancelReason, CancelReasonCode, ContactConsent, OrderDetail, OrderKind, OrderPage, OrderStatus, OrderSummary,
    PaymentChannel, PaymentRecord, ProvisioningProgress, ProvisioningState, order_number,
};
use bazaar_core::pricing::{Charge, Configuration, PriceBreakdown};

use super::{JobState, ProvisioningKind};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection, Database};

const ORDER_COLUMNS: &str = "id, product_id, product_name, seller_name, delivery_method, supervised, sku_id, sku_name,
    billing_mode, duration_months, quantity, region, currency, total_minor, due_now_minor, price_json, status,
    cancel_reason_code, cancel_reason_detail, reseller_id, vpc_id, provisioning_kind, created_at, completed_at,
    cancelled_at, expires_at, kind, unsubscribed_at";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: OrderId,
    product_id: ProductId,
    product_name: String,
    seller_name: String,
    delivery_method: DeliveryMethod,
    supervised: bool,
    sku_id: i64,
    sku_name: String,
    billing_mode: BillingMode,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    duration_months: Option<u32>,
    #[sqlx(try_from = "i64")]
    quantity: u32,
    region: String,
    currency: Currency,
    total_minor: i64,
    due_now_minor: i64,
    price_json: String,
    status: OrderStatus,
    cancel_reason_code: Option<CancelReasonCode>,
    cancel_reason_detail: Option<String>,
    reseller_id: Option<i64>,
    vpc_id: Option<i64>,
    provisioning_kind: ProvisioningKind,
    created_at: i64,
    completed_at: Option<i64>,
    cancelled_at: Option<i64>,
    expires_at: Option<i64>,
    kind: OrderKind,
    unsubscribed_at: Option<i64>,
}

impl OrderRow {
    fn summary(&self) -> OrderSummary {
        OrderSummary {
            id: self.id,
            number: order_number(self.id),
            product_id: self.product_id,
            product_name: self.product_name.clone(),
            seller_name: self.seller_name.clone(),
            delivery_method: self.delivery_method,
            supervised: self.supervised,
            sku_name: self.sku_name.clone(),
            billing_mode: self.billing_mode,
            total: Money::new(self.total_minor, self.currency),
            due_now: Money::new(self.due_now_minor, self.currency),
            status: self.status,
            kind: self.kind,
            cancel_reason: self
                .cancel_reason_code
                .map(|code| CancelReason { code, detail: self.cancel_reason_detail.clone().unwrap_or_default() }),
            unsubscribed: self.unsubscribed_at.is_some(),
            created_at: from_unix(self.created_at),
        }
    }
}

/// What My Orders may filter on (already validated).
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub created_from: Option<i64>,
    pub created_before: Option<i64>,
}

/// One page of the customer's orders, newest first.
pub async fn list_orders(
    db: &Database,
    account_id: AccountId,
    filter: OrderFilter,
    page: u32,
    page_size: u32,
) -> ApiResult<OrderPage> {
    let condition = "account_id = $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR created_at >= $3)
                     AND ($4 IS NULL OR created_at < $4)";
    let total: i64 = db::query_scalar(&format!("SELECT COUNT(*) FROM orders WHERE {condition}"))
        .bind(account_id)
        .bind(filter.status)
        .bind(filter.created_from)
        .bind(filter.created_before)
        .fetch_one(db)
        .await?;
    let rows: Vec<OrderRow> = db::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE {condition} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(account_id)
    .bind(filter.status)
    .bind(filter.created_from)
    .bind(filter.created_before)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(db)
    .await?;
    Ok(OrderPage {
        items: rows.iter().map(OrderRow::summary).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size,
    })
}

/// The customer's order `order_id`, or `None` when it is not theirs (or does not exist).
pub async fn load_order(db: &Database, account_id: AccountId, order_id: OrderId) -> ApiResult<Option<OrderDetail>> {
    // One read transaction: the order, its payment and its provisioning job from the same
    // snapshot, so a page never sees "set up" next to a status from before that.
    let mut snapshot = db.begin_snapshot().await?;
    let detail = load_order_in(&mut snapshot, account_id, order_id).await;
    snapshot.rollback().await?;
    detail
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    channel: PaymentChannel,
    amount_minor: i64,
    currency: Currency,
    card_label: Option<String>,
    paid_at: i64,
    refunded_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    seller_name: String,
    shared_json: String,
    consented_at: i64,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    state: JobState,
    attempts: i64,
    last_error: Option<String>,
}

async fn load_order_in(
    db: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> ApiResult<Option<OrderDetail>> {
    let row: Option<OrderRow> =
        db::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND account_id = $2"))
            .bind(order_id)
            .bind(account_id)
            .fetch_optional(&mut *db)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = row.summary();
    let price: PriceBreakdown = serde_json::from_str(&row.price_json).map_err(ApiError::internal)?;
    let payment: Option<PaymentRow> = db::query_as(
        "SELECT channel, amount_minor, currency, card_label, paid_at, refunded_at FROM payments WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *db)
    .await?;
    let payment = payment.map(|payment| PaymentRecord {
        channel: payment.channel,
        amount: Money::new(payment.amount_minor, payment.currency),
        card_label: payment.card_label,
        paid_at: from_unix(payment.paid_at),
        refunded_at: payment.refunded_at.map(from_unix),
    });
    let reseller_name: Option<String> = match row.reseller_id {
        Some(reseller_id) => {
            db::query_scalar("SELECT name FROM resellers WHERE id = $1")
                .bind(reseller_id)
                .fetch_optional(&mut *db)
                .await?
        }
        None => None,
    };
    let consent: Option<ConsentRow> =
        db::query_as("SELECT seller_name, shared_json, consented_at FROM order_consents WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&mut *db)
            .await?;
    let consent = match consent {
        Some(consent) => Some(ContactConsent {
            seller_name: consent.seller_name,
            shared: serde_json::from_str(&consent.shared_json).map_err(ApiError::internal)?,
            consented_at: from_unix(consent.consented_at),
        }),
        None => None,
    };
    let vpc = match row.vpc_id {
        Some(vpc_id) => crate::domain::vpcs::load_vpc_in(&mut *db, account_id, vpc_id).await?,
        None => None,
    };
    let job: Option<JobRow> =
        db::query_as("SELECT state, attempts, last_error FROM provisioning_jobs WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&mut *db)
            .await?;
    let provisioning = match (job, row.provisioning_kind, summary.status) {
        (Some(job), _, _) => ProvisioningProgress {
            state: match job.state {
                JobState::Succeeded => ProvisioningState::Ready,
                JobState::Failed => ProvisioningState::Failed,
                JobState::Queued => ProvisioningState::InProgress,
            },
            attempts: u32::try_from(job.attempts).unwrap_or(0),
            last_error: job.last_error,
        },
        (None, ProvisioningKind::None, _) | (None, _, OrderStatus::Cancelled) => {
            ProvisioningProgress { state: ProvisioningState::NotRequired, attempts: 0, last_error: None }
        }
        (None, _, _) => {
            ProvisioningProgress { state: ProvisioningState::AwaitingPayment, attempts: 0, last_error: None }
        }
    };
    let configuration = Configuration {
        sku_id: row.sku_id,
        billing_mode: summary.billing_mode,
        duration_months: row.duration_months,
        quantity: row.quantity,
        region: row.region.clone(),
    };
    debug_assert!(price.charge == Charge::Upfront || price.due_now.amount_minor == 0);
    let renewal_lines = match row.kind {
        OrderKind::Renewal => lines_of(&mut *db, order_id).await?,
        OrderKind::Purchase => Vec::new(),
    };
    let unsubscription = match row.unsubscribed_at {
        Some(_) => super::unsubscribed::load(&mut *db, AppId::of_order(order_id)).await?,
        None => None,
    };
    Ok(Some(OrderDetail {
        unsubscription,
        summary,
        configuration,
        price,
        payment,
        reseller_name,
        consent,
        vpc,
        provisioning,
        renewal_lines,
        expires_at: row.expires_at.map(from_unix),
        completed_at: row.completed_at.map(from_unix),
        cancelled_at: row.cancelled_at.map(from_unix),
    }))
}

#[derive(sqlx::FromRow)]
struct LineRow {
    app_id: OrderId,
    product_name: String,
    sku_name: String,
    #[sqlx(try_from = "i64")]
    months: u32,
    amount_minor: i64,
    currency: Currency,
    from_expires_at: i64,
    until_expires_at: i64,
}

/// The lines of renewal order `order_id`, for its order page.
pub async fn lines_of(connection: &mut Connection, order_id: OrderId) -> ApiResult<Vec<RenewalLine>> {
    let rows: Vec<LineRow> = db::query_as(
        "SELECT l.app_id, a.product_name, a.sku_name, l.months, l.amount_minor, a.currency, l.from_expires_at,
                l.until_expires_at
         FROM renewal_lines l JOIN orders a ON a.id = l.app_id WHERE l.order_id = $1 ORDER BY l.rowid",
    )
    .bind(order_id)
    .fetch_all(connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| RenewalLine {
            app_id: AppId::of_order(row.app_id),
            product_name: row.product_name,
            sku_name: row.sku_name,
            months: row.months,
            amount: Money::new(row.amount_minor, row.currency),
            from: from_unix(row.from_expires_at),
            until: from_unix(row.until_expires_at),
        })
        .collect())
}
