//! Reading orders back: My Orders' pages and one order with its payment, consent, VPC and
//! set-up progress, all from one snapshot.

use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::RenewalLine;
use bazaar_core::money::Money;
use bazaar_core::orders::{
    CancelReason, ContactConsent, OrderDetail, OrderKind, OrderPage, OrderStatus, OrderSummary, PaymentRecord,
    ProvisioningProgress, ProvisioningState, order_number,
};
use bazaar_core::pricing::{Charge, Configuration, PriceBreakdown};

use super::{JobState, ProvisioningKind};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, Database};
use crate::store;
use crate::store::order_reads::OrderRow;

/// An order as My Orders lists it.
fn summary_of(row: &OrderRow) -> OrderSummary {
    OrderSummary {
        id: row.id,
        number: order_number(row.id),
        product_id: row.product_id,
        product_name: row.product_name.clone(),
        seller_name: row.seller_name.clone(),
        delivery_method: row.delivery_method,
        supervised: row.supervised,
        sku_name: row.sku_name.clone(),
        billing_mode: row.billing_mode,
        total: Money::new(row.total_minor, row.currency),
        due_now: Money::new(row.due_now_minor, row.currency),
        status: row.status,
        kind: row.kind,
        cancel_reason: row
            .cancel_reason_code
            .map(|code| CancelReason { code, detail: row.cancel_reason_detail.clone().unwrap_or_default() }),
        unsubscribed: row.unsubscribed_at.is_some(),
        created_at: from_unix(row.created_at),
    }
}

pub use crate::store::order_reads::OrderFilter;

/// One page of the customer's orders, newest first.
pub async fn list_orders(
    db: &Database,
    account_id: AccountId,
    filter: OrderFilter,
    page: u32,
    page_size: u32,
) -> ApiResult<OrderPage> {
    let total = store::order_reads::count(db, account_id, filter).await?;
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows = store::order_reads::page(db, account_id, filter, limit, offset).await?;
    Ok(OrderPage {
        items: rows.iter().map(summary_of).collect(),
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

async fn load_order_in(
    db: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> ApiResult<Option<OrderDetail>> {
    let row = store::order_reads::one(db, account_id, order_id).await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary_of(&row);
    let price: PriceBreakdown = serde_json::from_str(&row.price_json).map_err(ApiError::internal)?;
    let payment = store::order_reads::payment_of(db, order_id).await?;
    let payment = payment.map(|payment| PaymentRecord {
        channel: payment.channel,
        amount: Money::new(payment.amount_minor, payment.currency),
        card_label: payment.card_label,
        paid_at: from_unix(payment.paid_at),
        refunded_at: payment.refunded_at.map(from_unix),
    });
    let reseller_name: Option<String> = match row.reseller_id {
        Some(reseller_id) => store::accounts::reseller_name(&mut *db, reseller_id).await?,
        None => None,
    };
    let consent = store::order_reads::consent_of(db, order_id).await?;
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
    let job = store::order_reads::job_of(db, order_id).await?;
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
        OrderKind::Purchase | OrderKind::Trial => Vec::new(),
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

/// The lines of renewal order `order_id`, for its order page.
pub async fn lines_of(connection: &mut Connection, order_id: OrderId) -> ApiResult<Vec<RenewalLine>> {
    let rows = store::order_reads::renewal_lines_of(connection, order_id).await?;
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
