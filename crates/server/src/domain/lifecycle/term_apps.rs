//! The customer's apps with a term, read: one app, a page of Renewal Management (with each
//! app's price today and any unpaid renewal covering it, read in the page's own statement),
//! and today's price of a period of one app.

use std::sync::LazyLock;

use bazaar_core::catalog::{BillingMode, Sku, SkuPrice};
use bazaar_core::ids::{AccountId, AppId, OrderId, ProductId};
use bazaar_core::lifecycle::{AutoRenew, Phase, RenewableApp, RenewableAppPage, RenewalFilter};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{OrderStatus, order_number};
use bazaar_core::pricing::{PriceBreakdown, price_units};
use time::OffsetDateTime;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection};
use crate::state::AppState;

/// An app that has a term, as stored on the purchase order that bought it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TermApp {
    pub id: OrderId,
    pub account_id: AccountId,
    pub product_id: ProductId,
    pub product_name: String,
    pub seller_id: i64,
    pub seller_name: String,
    pub delivery_method: String,
    pub sku_id: i64,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    #[sqlx(try_from = "i64")]
    pub quantity: u32,
    pub region: String,
    pub currency: Currency,
    pub expires_at: i64,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    pub auto_renew_months: Option<u32>,
}

pub const TERM_APP_COLUMNS: &str = "o.id, o.account_id, o.product_id, o.product_name, o.seller_id, o.seller_name,
    o.delivery_method, o.sku_id, o.sku_name, o.billing_mode, o.quantity, o.region, o.currency, o.expires_at,
    o.auto_renew_months";

/// Purchases of `account_id` ($1) whose app has a term (completed, with an expiry).
pub const TERM_APPS: &str =
    "o.account_id = $1 AND o.kind = 'purchase' AND o.status = 'completed' AND o.expires_at IS NOT NULL
     AND o.unsubscribed_at IS NULL";

/// Today's price of `months` of `app`, or `None` when the product or its yearly/monthly
/// price is no longer sold.
pub async fn price_of(state: &AppState, app: &TermApp, months: u32) -> ApiResult<Option<PriceBreakdown>> {
    if state.catalog.current().product(app.product_id).is_none() {
        return Ok(None);
    }
    let skus = crate::domain::catalog::load_skus(&state.db, app.product_id, app.currency).await?;
    Ok(price_from(&skus, app, months))
}

/// `months` of `app` at the yearly/monthly price of its SKU among `skus`.
fn price_from(skus: &[Sku], app: &TermApp, months: u32) -> Option<PriceBreakdown> {
    let price = skus
        .iter()
        .find(|sku| sku.id == app.sku_id)
        .and_then(|sku| sku.prices.iter().find(|price| price.billing_mode == BillingMode::YearlyMonthly));
    price.and_then(|price| price_units(price, months, app.quantity).ok())
}

/// The unpaid renewal order that already covers `app_id`, if any.
pub(super) async fn pending_renewal(connection: &mut Connection, app_id: OrderId) -> ApiResult<Option<OrderId>> {
    Ok(db::query_scalar(
        "SELECT r.id FROM renewal_lines l JOIN orders r ON r.id = l.order_id WHERE l.app_id = $1 AND r.status = $2",
    )
    .bind(app_id)
    .bind(OrderStatus::PendingPayment)
    .fetch_optional(connection)
    .await?)
}

/// A row of a Renewal Management page: the app, with what the page shows besides it read in
/// the same statement — the monthly price of its SKU today and the unpaid renewal order
/// covering it.
#[derive(Debug, sqlx::FromRow)]
struct ListedTermApp {
    #[sqlx(flatten)]
    app: TermApp,
    monthly_price_minor: Option<i64>,
    monthly_server_fee_minor: Option<i64>,
    pending_renewal: Option<OrderId>,
}

/// `ListedTermApp`'s columns, after [`TERM_APPS`]' account ($1): the yearly/monthly billing
/// mode is $2 and the pending-payment status $3.
static LISTED_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{TERM_APP_COLUMNS},
     (SELECT p.price_minor FROM sku_prices p WHERE p.sku_id = o.sku_id AND p.billing_mode = $2) AS monthly_price_minor,
     (SELECT p.server_fee_minor FROM sku_prices p WHERE p.sku_id = o.sku_id AND p.billing_mode = $2)
        AS monthly_server_fee_minor,
     (SELECT r.id FROM renewal_lines l JOIN orders r ON r.id = l.order_id
       WHERE l.app_id = o.id AND r.status = $3 LIMIT 1) AS pending_renewal"
    )
});

impl ListedTermApp {
    /// The app as the page shows it; no price (not renewable) once the product is no longer
    /// in the catalog or its SKU has no yearly/monthly price.
    fn renewable(&self, state: &AppState, now: OffsetDateTime) -> RenewableApp {
        let app = &self.app;
        let sold = state.catalog.current().product(app.product_id).is_some();
        let monthly = self.monthly_price_minor.filter(|_| sold).and_then(|price_minor| {
            let price = SkuPrice {
                billing_mode: BillingMode::YearlyMonthly,
                price: Money::new(price_minor, app.currency),
                server_fee: self.monthly_server_fee_minor.map(|fee| Money::new(fee, app.currency)),
            };
            price_units(&price, 1, app.quantity).ok()
        });
        renewable(app, now, monthly, self.pending_renewal)
    }
}

fn renewable(
    app: &TermApp,
    now: OffsetDateTime,
    monthly: Option<PriceBreakdown>,
    pending_renewal: Option<OrderId>,
) -> RenewableApp {
    let expires_at = from_unix(app.expires_at);
    RenewableApp {
        id: AppId::of_order(app.id),
        order_number: order_number(app.id),
        product_id: app.product_id,
        product_name: app.product_name.clone(),
        sku_name: app.sku_name.clone(),
        billing_mode: app.billing_mode,
        quantity: app.quantity,
        phase: Phase::at(Some(expires_at), now),
        expires_at,
        auto_renew: AutoRenew { enabled: app.auto_renew_months.is_some(), months: app.auto_renew_months.unwrap_or(1) },
        monthly_price: monthly.as_ref().map_or(Money::zero(app.currency), |price| price.due_now),
        renewable: monthly.is_some(),
        pending_renewal,
    }
}

/// Renewal Management: the customer's apps with a term that are not released, soonest
/// expiry first.
pub async fn list(
    state: &AppState,
    account_id: AccountId,
    filter: Option<RenewalFilter>,
    page: u32,
    page_size: u32,
) -> ApiResult<RenewableAppPage> {
    let now = state.clock.now();
    let (after, up_to) = RenewalFilter::expiry_bounds(filter, now);
    // Both bounds always bound: an `? IS NULL OR …` upper bound would keep SQLite from
    // using it on the index, and the "all apps" list would scan to the end of time.
    let up_to = up_to.map_or(i64::MAX, OffsetDateTime::unix_timestamp);
    let total = count_expiring(state, account_id, after.unix_timestamp(), up_to).await?;
    let rows: Vec<ListedTermApp> = db::query_as(&format!(
        "SELECT {} FROM orders o WHERE {TERM_APPS} AND o.expires_at > $4 AND o.expires_at <= $5
         ORDER BY o.expires_at, o.id LIMIT $6 OFFSET $7",
        *LISTED_COLUMNS
    ))
    .bind(account_id)
    .bind(BillingMode::YearlyMonthly)
    .bind(OrderStatus::PendingPayment)
    .bind(after.unix_timestamp())
    .bind(up_to)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(&state.db)
    .await?;
    let items = rows.iter().map(|row| row.renewable(state, now)).collect();
    Ok(RenewableAppPage { items, total, page, page_size, server_now: now })
}

const DAY: i64 = 86_400;

/// How many of the account's apps with a term expire in `(after, up_to]`: whole days from
/// the day counts that migration 0012's triggers keep, the partial first and last day
/// counted row by row on the index. A page costs one statement: two short index ranges and
/// at most one row per day, whatever the number of apps.
async fn count_expiring(state: &AppState, account_id: AccountId, after: i64, up_to: i64) -> ApiResult<u64> {
    if up_to <= after {
        return Ok(0);
    }
    // Days as SQLite's integer division makes them (the ranges here are never before 1970).
    let (first_day, last_day) = (after / DAY, up_to / DAY);
    // The account is $1; each count takes its bounds as the two parameters named.
    let count_rows = |above: &str, up_to: &str| {
        format!(
            "SELECT COUNT(*) FROM orders o WHERE {TERM_APPS} AND o.expires_at > {above} AND o.expires_at <= {up_to}"
        )
    };
    let total: i64 = if first_day == last_day {
        db::query_scalar(&count_rows("$2", "$3")).bind(account_id).bind(after).bind(up_to).fetch_one(&state.db).await?
    } else {
        // The first day's rows after `after`, the last day's rows up to `up_to`, and the
        // whole days between them from the kept counts (SUM is NUMERIC on PostgreSQL).
        db::query_scalar(&format!(
            "SELECT CAST(({}) + ({})
                  + (SELECT COALESCE(SUM(apps), 0) FROM term_expiry_days WHERE account_id = $1 AND day > $6 AND day < $7)
               AS BIGINT)",
            count_rows("$2", "$3"),
            count_rows("$4", "$5"),
        ))
        .bind(account_id)
        .bind(after)
        .bind((first_day + 1) * DAY - 1)
        .bind(last_day * DAY - 1)
        .bind(up_to)
        .bind(first_day)
        .bind(last_day)
        .fetch_one(&state.db)
        .await?
    };
    Ok(u64::try_from(total).unwrap_or(0))
}

/// The customer's app `app_id` with a term, if it is theirs.
pub async fn term_app(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<TermApp>> {
    Ok(db::query_as(&format!("SELECT {TERM_APP_COLUMNS} FROM orders o WHERE {TERM_APPS} AND o.id = $2"))
        .bind(account_id)
        .bind(app_id.order())
        .fetch_optional(&state.db)
        .await?)
}

/// One app as Renewal Management shows it.
pub async fn one(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<RenewableApp>> {
    let row: Option<ListedTermApp> =
        db::query_as(&format!("SELECT {} FROM orders o WHERE {TERM_APPS} AND o.id = $4", *LISTED_COLUMNS))
            .bind(account_id)
            .bind(BillingMode::YearlyMonthly)
            .bind(OrderStatus::PendingPayment)
            .bind(app_id.order())
            .fetch_optional(&state.db)
            .await?;
    Ok(row.map(|row| row.renewable(state, state.clock.now())))
}
