//! The apps with a term, as stored on the purchase orders that bought them: one app, a page
//! of Renewal Management (with each app's monthly price today and any unpaid renewal
//! covering it, read in the page's own statement), the counts of apps expiring in a range
//! (from the day counts kept by triggers), and auto-renew's settings and tries.

use std::sync::LazyLock;

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId, ProductId};
use bazaar_core::money::Currency;
use bazaar_core::orders::OrderStatus;

use crate::infra::db::{self, Connection, Database};

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
    /// A free trial not bought yet: `expires_at` is the trial's end.
    pub trial: bool,
}

const TERM_APP_COLUMNS: &str = "o.id, o.account_id, o.product_id, o.product_name, o.seller_id, o.seller_name,
    o.delivery_method, o.sku_id, o.sku_name, o.billing_mode, o.quantity, o.region, o.currency, o.expires_at,
    o.auto_renew_months,
    EXISTS (SELECT 1 FROM trials t WHERE t.app_id = o.id AND t.converted_at IS NULL) AS trial";

/// Purchases of `account_id` ($1) whose app has a term (completed, with an expiry).
const TERM_APPS: &str =
    "o.account_id = $1 AND o.kind = 'purchase' AND o.status = 'completed' AND o.expires_at IS NOT NULL
     AND o.unsubscribed_at IS NULL";

/// A row of a Renewal Management page: the app, with the monthly price of its SKU today and
/// the unpaid renewal order covering it.
#[derive(Debug, sqlx::FromRow)]
pub struct ListedTermApp {
    #[sqlx(flatten)]
    pub app: TermApp,
    pub monthly_price_minor: Option<i64>,
    pub monthly_server_fee_minor: Option<i64>,
    pub pending_renewal: Option<OrderId>,
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

/// The unpaid renewal order that already covers `app_id`, if any.
pub async fn pending_renewal(connection: &mut Connection, app_id: OrderId) -> Result<Option<OrderId>, sqlx::Error> {
    db::query_scalar(
        "SELECT r.id FROM renewal_lines l JOIN orders r ON r.id = l.order_id WHERE l.app_id = $1 AND r.status = $2",
    )
    .bind(app_id)
    .bind(OrderStatus::PendingPayment)
    .fetch_optional(connection)
    .await
}

/// A page of the account's apps expiring in `(after, up_to]`, soonest first. Both bounds
/// always bound: an `? IS NULL OR …` upper bound would keep SQLite from using it on the
/// index, and the "all apps" list would scan to the end of time.
/// Unbought trials that ended at or before `trial_released_by` are released: not listed.
pub async fn listed_page(
    db: &Database,
    account_id: AccountId,
    (after, up_to): (i64, i64),
    trial_released_by: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListedTermApp>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {} FROM orders o WHERE {TERM_APPS} AND o.expires_at > $4 AND o.expires_at <= $5
           AND NOT (o.expires_at <= $8 AND {UNBOUGHT_TRIAL})
         ORDER BY o.expires_at, o.id LIMIT $6 OFFSET $7",
        *LISTED_COLUMNS
    ))
    .bind(account_id)
    .bind(BillingMode::YearlyMonthly)
    .bind(OrderStatus::PendingPayment)
    .bind(after)
    .bind(up_to)
    .bind(limit)
    .bind(offset)
    .bind(trial_released_by)
    .fetch_all(db)
    .await
}

/// Whether the app `o` is a trial not bought.
const UNBOUGHT_TRIAL: &str = "EXISTS (SELECT 1 FROM trials t WHERE t.app_id = o.id AND t.converted_at IS NULL)";

/// How many of the account's unbought trials ended in `(after, up_to]`: released, they are
/// not listed, but the day counts (which know no time) count them.
pub async fn count_released_trials(
    db: &Database,
    account_id: AccountId,
    after: i64,
    up_to: i64,
) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "SELECT COUNT(*) FROM trials t JOIN orders o ON o.id = t.app_id
         WHERE t.account_id = $1 AND t.converted_at IS NULL AND o.expires_at > $2 AND o.expires_at <= $3
           AND o.status = 'completed' AND o.unsubscribed_at IS NULL",
    )
    .bind(account_id)
    .bind(after)
    .bind(up_to)
    .fetch_one(db)
    .await
}

/// One of the account's apps as Renewal Management lists it.
pub async fn listed_one(
    db: &Database,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<ListedTermApp>, sqlx::Error> {
    db::query_as(&format!("SELECT {} FROM orders o WHERE {TERM_APPS} AND o.id = $4", *LISTED_COLUMNS))
        .bind(account_id)
        .bind(BillingMode::YearlyMonthly)
        .bind(OrderStatus::PendingPayment)
        .bind(order_id)
        .fetch_optional(db)
        .await
}

/// The account's app `order_id` with a term, if it is theirs.
pub async fn term_app(db: &Database, account_id: AccountId, order_id: OrderId) -> Result<Option<TermApp>, sqlx::Error> {
    db::query_as(&format!("SELECT {TERM_APP_COLUMNS} FROM orders o WHERE {TERM_APPS} AND o.id = $2"))
        .bind(account_id)
        .bind(order_id)
        .fetch_optional(db)
        .await
}

const DAY: i64 = 86_400;

/// How many of the account's apps with a term expire in `(after, up_to]`: whole days from
/// the day counts that migration 0012's triggers keep, the partial first and last day
/// counted row by row on the index. One statement: two short index ranges and at most one
/// row per day, whatever the number of apps.
pub async fn count_expiring(db: &Database, account_id: AccountId, after: i64, up_to: i64) -> Result<i64, sqlx::Error> {
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
    if first_day == last_day {
        return db::query_scalar(&count_rows("$2", "$3")).bind(account_id).bind(after).bind(up_to).fetch_one(db).await;
    }
    // The first day's rows after `after`, the last day's rows up to `up_to`, and the whole
    // days between them from the kept counts (SUM is NUMERIC on PostgreSQL).
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
    .fetch_one(db)
    .await
}

/// Turns auto-renew of the app on for `months` each time, or off (`None`).
pub async fn set_auto_renew(db: &Database, order_id: OrderId, months: Option<u32>) -> Result<(), sqlx::Error> {
    db::query("UPDATE orders SET auto_renew_months = $1 WHERE id = $2")
        .bind(months.map(i64::from))
        .bind(order_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Apps renewing automatically whose term ends in `(earliest, latest]` and that were not
/// tried for this term since `tried_before` (or ever), soonest expiry first.
pub async fn auto_renew_candidates(
    db: &Database,
    earliest: i64,
    latest: i64,
    tried_before: i64,
) -> Result<Vec<TermApp>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {TERM_APP_COLUMNS} FROM orders o
         WHERE o.kind = 'purchase' AND o.status = 'completed' AND o.auto_renew_months IS NOT NULL
           AND o.expires_at > $1 AND o.expires_at <= $2
           AND (o.auto_renew_tried_for IS DISTINCT FROM o.expires_at OR o.auto_renew_tried_at <= $3)
         ORDER BY o.expires_at"
    ))
    .bind(earliest)
    .bind(latest)
    .bind(tried_before)
    .fetch_all(db)
    .await
}

/// When auto-renew last tried the app, and for which expiry — while the app still ends at
/// `expires_at` and renews automatically (none otherwise).
pub async fn last_try(
    connection: &mut Connection,
    order_id: OrderId,
    expires_at: i64,
) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    db::query_as(
        "SELECT auto_renew_tried_at, auto_renew_tried_for FROM orders
         WHERE id = $1 AND expires_at = $2 AND auto_renew_months IS NOT NULL",
    )
    .bind(order_id)
    .bind(expires_at)
    .fetch_optional(connection)
    .await
}

/// Records a try at `now` for the term ending at `expires_at`.
pub async fn mark_tried(
    connection: &mut Connection,
    order_id: OrderId,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    db::query("UPDATE orders SET auto_renew_tried_at = $1, auto_renew_tried_for = $2 WHERE id = $3")
        .bind(now)
        .bind(expires_at)
        .bind(order_id)
        .execute(connection)
        .await?;
    Ok(())
}
