//! The customer's apps with a term, read: one app, a page of Renewal Management (with each
//! app's price today and any unpaid renewal covering it, read once per page), and today's
//! price of a period of one app.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use bazaar_core::catalog::{BillingMode, Sku};
use bazaar_core::ids::{AccountId, AppId, OrderId, ProductId};
use bazaar_core::lifecycle::{AutoRenew, Phase, RenewableApp, RenewableAppPage, RenewalFilter};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{OrderStatus, order_number};
use bazaar_core::pricing::{PriceBreakdown, price_units};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
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
    pub quantity: u32,
    pub region: String,
    pub currency: Currency,
    pub expires_at: i64,
    pub auto_renew_months: Option<u32>,
}

pub const TERM_APP_COLUMNS: &str = "o.id, o.account_id, o.product_id, o.product_name, o.seller_id, o.seller_name,
    o.delivery_method, o.sku_id, o.sku_name, o.billing_mode, o.quantity, o.region, o.currency, o.expires_at,
    o.auto_renew_months";

/// Purchases of `account_id` whose app has a term (completed, with an expiry).
pub const TERM_APPS: &str =
    "o.account_id = ? AND o.kind = 'purchase' AND o.status = 'completed' AND o.expires_at IS NOT NULL
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
pub(super) async fn pending_renewal(connection: &mut SqliteConnection, app_id: OrderId) -> ApiResult<Option<OrderId>> {
    Ok(sqlx::query_scalar(
        "SELECT r.id FROM renewal_lines l JOIN orders r ON r.id = l.order_id WHERE l.app_id = ? AND r.status = ?",
    )
    .bind(app_id)
    .bind(OrderStatus::PendingPayment)
    .fetch_optional(connection)
    .await?)
}

/// What a page of apps shows besides their own rows, read once per page rather than once
/// per app: today's monthly price of each (one SKU load per product) and the unpaid renewal
/// order covering each (one query).
async fn renewables(state: &AppState, apps: &[TermApp], now: OffsetDateTime) -> ApiResult<Vec<RenewableApp>> {
    let mut skus: HashMap<(ProductId, Currency), Option<Vec<Sku>>> = HashMap::new();
    for app in apps {
        if let Entry::Vacant(entry) = skus.entry((app.product_id, app.currency)) {
            let sold = state.catalog.current().product(app.product_id).is_some();
            let loaded = if sold {
                Some(crate::domain::catalog::load_skus(&state.db, app.product_id, app.currency).await?)
            } else {
                None
            };
            entry.insert(loaded);
        }
    }
    let mut pending: HashMap<OrderId, OrderId> = HashMap::new();
    if !apps.is_empty() {
        let placeholders = vec!["?"; apps.len()].join(", ");
        let sql = format!(
            "SELECT l.app_id, r.id FROM renewal_lines l JOIN orders r ON r.id = l.order_id
             WHERE r.status = ? AND l.app_id IN ({placeholders})"
        );
        let mut query = sqlx::query_as::<_, (OrderId, OrderId)>(&sql).bind(OrderStatus::PendingPayment);
        for app in apps {
            query = query.bind(app.id);
        }
        pending.extend(query.fetch_all(&state.db).await?);
    }
    Ok(apps
        .iter()
        .map(|app| {
            let monthly = skus
                .get(&(app.product_id, app.currency))
                .and_then(Option::as_deref)
                .and_then(|skus| price_from(skus, app, 1));
            renewable(app, now, monthly, pending.get(&app.id).copied())
        })
        .collect())
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
    let condition = format!("{TERM_APPS} AND o.expires_at > ? AND o.expires_at <= ?");
    let up_to = up_to.map_or(i64::MAX, OffsetDateTime::unix_timestamp);
    let total = count_expiring(state, account_id, after.unix_timestamp(), up_to).await?;
    let apps: Vec<TermApp> = sqlx::query_as(&format!(
        "SELECT {TERM_APP_COLUMNS} FROM orders o WHERE {condition} ORDER BY o.expires_at, o.id LIMIT ? OFFSET ?"
    ))
    .bind(account_id)
    .bind(after.unix_timestamp())
    .bind(up_to)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(&state.db)
    .await?;
    let items = renewables(state, &apps, now).await?;
    Ok(RenewableAppPage { items, total, page, page_size, server_now: now })
}

const DAY: i64 = 86_400;

/// How many of the account's apps with a term expire in `(after, up_to]`: whole days from
/// the day counts that migration 0012's triggers keep, the partial first and last day
/// counted row by row on the index. A page costs two short index ranges and at most one
/// row per day, whatever the number of apps.
async fn count_expiring(state: &AppState, account_id: AccountId, after: i64, up_to: i64) -> ApiResult<u64> {
    let count_rows = |from_exclusive: i64, to_inclusive: i64| async move {
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT COUNT(*) FROM orders o WHERE {TERM_APPS} AND o.expires_at > ? AND o.expires_at <= ?"
        ))
        .bind(account_id)
        .bind(from_exclusive)
        .bind(to_inclusive)
        .fetch_one(&state.db)
        .await
    };
    if up_to <= after {
        return Ok(0);
    }
    // Days as SQLite's integer division makes them (the ranges here are never before 1970).
    let (first_day, last_day) = (after / DAY, up_to / DAY);
    if first_day == last_day {
        return Ok(u64::try_from(count_rows(after, up_to).await?).unwrap_or(0));
    }
    let first_partial = count_rows(after, (first_day + 1) * DAY - 1).await?;
    let last_partial = count_rows(last_day * DAY - 1, up_to).await?;
    let whole_days: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(apps), 0) FROM term_expiry_days WHERE account_id = ? AND day > ? AND day < ?",
    )
    .bind(account_id)
    .bind(first_day)
    .bind(last_day)
    .fetch_one(&state.db)
    .await?;
    Ok(u64::try_from(first_partial + last_partial + whole_days).unwrap_or(0))
}

/// The customer's app `app_id` with a term, if it is theirs.
pub async fn term_app(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<TermApp>> {
    Ok(sqlx::query_as(&format!("SELECT {TERM_APP_COLUMNS} FROM orders o WHERE {TERM_APPS} AND o.id = ?"))
        .bind(account_id)
        .bind(app_id.order())
        .fetch_optional(&state.db)
        .await?)
}

/// One app as Renewal Management shows it.
pub async fn one(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<RenewableApp>> {
    match term_app(state, account_id, app_id).await? {
        Some(app) => Ok(renewables(state, std::slice::from_ref(&app), state.clock.now()).await?.pop()),
        None => Ok(None),
    }
}
