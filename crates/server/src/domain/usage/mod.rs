//! Pay-per-use (SPEC §11.1–11.2): sellers' usage reports (`ingest`), the hourly charges
//! and "pay outstanding" (`charging`), arrears, freezing, release and the cap's monthly
//! suspension as time passes (`standing`), the spending cap (`caps`), and the monthly
//! bills (`bills`). `bazaar_core::usage` holds every rule; this is where they meet the
//! database.
//!
//! Exactly once: a record is settled (`charge_id` set) in the same transaction as the
//! ledger entry that charges it, by a guarded update that only an unsettled record
//! passes; a run that finds a record settled meanwhile undoes itself. A crash before the
//! commit leaves the records unsettled for the next run.

pub mod bills;
pub mod caps;
pub mod charging;
pub mod ingest;
pub mod outstanding;
pub mod standing;

use bazaar_core::ids::AppId;
use bazaar_core::messages::{MessageLink, MessageTopic};
use time::{Duration, OffsetDateTime};

use crate::domain::messages::{Outgoing, send};
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::Connection;
use crate::store::metered_apps::MeteredRow;

/// The first whole hour after `now` (unix seconds): when an hourly run next comes.
pub fn next_hour(now: i64) -> i64 {
    (now.div_euclid(3_600) + 1) * 3_600
}

/// The start of the UTC month `unix` falls in, as unix seconds.
pub fn month_of(unix: i64) -> i64 {
    bazaar_core::usage::month_start(from_unix(unix)).unix_timestamp()
}

/// Sends the app's buyer a billing message, once per `occasion`.
pub(crate) async fn tell_buyer(
    connection: &mut Connection,
    app: &MeteredRow,
    topic: MessageTopic,
    at: Option<OffsetDateTime>,
    due_at: Option<OffsetDateTime>,
    occasion: String,
    now: i64,
) -> ApiResult<bool> {
    let message = Outgoing {
        account_id: app.account_id,
        topic,
        subject: &app.product_name,
        order_id: app.app_id,
        link: MessageLink::App { app_id: AppId::of_order(app.app_id) },
        at,
        due_at,
        dedupe_key: occasion,
    };
    send(connection, message, now).await
}

/// The end of the month starting at `month` (unix seconds): when a cap's suspension ends.
pub fn month_end(month: i64) -> OffsetDateTime {
    bazaar_core::usage::next_month_start(from_unix(month))
}

/// The price of one hour of one item, from the breakdown the buyer agreed to at checkout
/// (software and server fee): what usage is rated at, whatever the catalog says today.
pub fn hourly_unit_price(price_json: &str) -> Option<bazaar_core::money::Money> {
    use bazaar_core::pricing::{PriceBreakdown, PriceLineKind};
    let breakdown: PriceBreakdown = serde_json::from_str(price_json).ok()?;
    breakdown
        .lines
        .iter()
        .filter(|line| matches!(line.kind, PriceLineKind::Software | PriceLineKind::Server))
        .try_fold(bazaar_core::money::Money::zero(breakdown.total.currency), |sum, line| {
            sum.checked_add(line.unit_price)
        })
}

/// How long after a month a late record may still arrive (its last hour + the window).
pub const LATE_AFTER_MONTH: Duration = Duration::hours(25);
