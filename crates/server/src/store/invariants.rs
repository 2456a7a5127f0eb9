//! `bazaar-server verify`: the database's own integrity check plus the money invariants
//! (one payment per order, one ledger payment per order, paid orders have a payment and
//! only paid orders do; no term starts before its payment; one paid renewal per app and
//! term; refunds never exceed the payment they come from; the kept day counts of apps with a
//! term, the kept unread-message counts and each product's kept counts of reviews per star
//! agree with a plain count; no usage charged
//! twice or lost, and closed bills agree with the ledger). Used by the
//! crash-reliability check and by operators.

use bazaar_core::lifecycle::term_end;
use serde::Serialize;

use crate::infra::clock::from_unix;
use crate::infra::db::{self, Backend, Database};

#[derive(Debug, Serialize)]
pub struct VerifyReport {
    /// `ok`, or SQLite's description of the damage.
    pub integrity: String,
    pub orders: i64,
    pub payments: i64,
    pub orders_with_more_than_one_payment: i64,
    pub orders_with_more_than_one_ledger_payment: i64,
    /// Processing or completed orders (not reseller-free or hourly) without a payment row.
    pub paid_orders_without_payment: i64,
    /// Payment rows whose order still says it waits for payment.
    pub payments_on_unpaid_orders: i64,
    /// Terms that end sooner than a term counted from the payment would: started before
    /// the payment was confirmed, or with no payment at all.
    pub terms_starting_before_payment: i64,
    /// Apps and terms renewed by more than one payment that was not refunded.
    pub terms_renewed_twice: i64,
    /// Orders whose refunds (a failed set-up, unsubscriptions) add up to more than their
    /// payment: money created from nothing.
    pub refunds_exceeding_payments: i64,
    /// Orders whose invoices (less credit notes) cover more than was paid less refunded, and
    /// apps' months of closed bills invoiced beyond what was charged.
    pub invoiced_beyond_paid: i64,
    /// Accounts and days where the apps-with-a-term counts kept by triggers (Renewal
    /// Management's totals) differ from a plain count.
    pub term_day_counts_disagreeing: i64,
    /// Accounts whose unread-message count kept by triggers (the header bell) differs from a
    /// plain count.
    pub unread_counts_disagreeing: i64,
    /// Products whose kept counts of visible reviews per star (`product_ratings`, which the
    /// catalog's stars and `sort=rating` use) differ from a plain count of their reviews.
    pub rating_counts_disagreeing: i64,
    /// Unsubscriptions (released apps with their refunds recorded).
    pub unsubscriptions: i64,
    /// Queued provisioning jobs (work that a restart resumes).
    pub provisioning_queued: i64,
    /// Seller notices recorded as delivered.
    pub seller_notices_delivered: i64,
    /// Notices the demo seller received more than once. Not a fault by itself: delivery is
    /// at least once (an instance killed between the call and its record sends it again,
    /// with the same event id for the seller to ignore); two sweeps at once would show here.
    pub seller_notices_received_again: i64,
    /// Pay-per-use.
    #[serde(flatten)]
    pub usage: UsageInvariants,
}

/// The pay-per-use part of [`VerifyReport`].
#[derive(Debug, Serialize)]
pub struct UsageInvariants {
    /// Usage records reported (pay-per-use).
    pub usage_records: i64,
    /// Usage charges whose amount is not the sum charged of the records settled by them,
    /// or that have more than one ledger entry, or none while they charged something:
    /// usage charged twice or lost.
    pub usage_charges_disagreeing: i64,
    /// Apps whose usage payments in the ledger differ from what their records say was
    /// charged (rated − outstanding − beyond the cap).
    pub apps_usage_ledger_disagreeing: i64,
    /// Closed bills whose rated total differs from their records, or whose charged total is
    /// more than the ledger holds for that month.
    pub closed_bills_disagreeing: i64,
    /// (app, dimension, month)s whose kept sums differ from their records.
    pub usage_sums_disagreeing: i64,
}

impl UsageInvariants {
    pub fn is_clean(&self) -> bool {
        self.usage_charges_disagreeing == 0
            && self.apps_usage_ledger_disagreeing == 0
            && self.closed_bills_disagreeing == 0
            && self.usage_sums_disagreeing == 0
    }
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.integrity == "ok"
            && self.orders_with_more_than_one_payment == 0
            && self.orders_with_more_than_one_ledger_payment == 0
            && self.paid_orders_without_payment == 0
            && self.payments_on_unpaid_orders == 0
            && self.terms_starting_before_payment == 0
            && self.terms_renewed_twice == 0
            && self.refunds_exceeding_payments == 0
            && self.invoiced_beyond_paid == 0
            && self.term_day_counts_disagreeing == 0
            && self.unread_counts_disagreeing == 0
            && self.rating_counts_disagreeing == 0
            && self.usage.is_clean()
    }
}

/// "ok", or what the engine found wrong with its own storage: SQLite checks every page and
/// index; PostgreSQL verifies page checksums as it reads (the throwaway and recommended
/// clusters enable them) and counts the failures.
async fn integrity(db: &Database) -> Result<String, sqlx::Error> {
    match db.backend() {
        Backend::Sqlite => db::query_scalar("PRAGMA integrity_check").fetch_one(db).await,
        Backend::Postgres => {
            let failures: Option<i64> = db::query_scalar(
                "/* PostgreSQL */ SELECT checksum_failures FROM pg_stat_database WHERE datname = current_database()",
            )
            .fetch_one(db)
            .await?;
            Ok(match failures.unwrap_or(0) {
                0 => "ok".to_owned(),
                failures => format!("{failures} page checksum failures"),
            })
        }
    }
}

pub async fn verify(db: &Database) -> Result<VerifyReport, sqlx::Error> {
    let integrity = integrity(db).await?;
    let scalar = |sql: &'static str| async move { db::query_scalar::<i64>(sql).fetch_one(db).await };
    Ok(VerifyReport {
        integrity,
        orders: scalar("SELECT COUNT(*) FROM orders").await?,
        payments: scalar("SELECT COUNT(*) FROM payments").await?,
        orders_with_more_than_one_payment: scalar(
            "SELECT COUNT(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING COUNT(*) > 1) AS repeated",
        )
        .await?,
        orders_with_more_than_one_ledger_payment: scalar(
            "SELECT COUNT(*) FROM (SELECT order_id FROM ledger_entries WHERE kind = 'payment' AND order_id IS NOT NULL
                                   GROUP BY order_id HAVING COUNT(*) > 1) AS repeated",
        )
        .await?,
        paid_orders_without_payment: scalar(
            "SELECT COUNT(*) FROM orders o WHERE o.paid_at IS NOT NULL AND o.due_now_minor > 0
               AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)",
        )
        .await?,
        payments_on_unpaid_orders: scalar(
            "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.status = 'pending_payment'",
        )
        .await?,
        terms_starting_before_payment: terms_starting_before_payment(db).await?,
        terms_renewed_twice: scalar(
            "SELECT COUNT(*) FROM (SELECT l.app_id FROM renewal_lines l JOIN payments p ON p.order_id = l.order_id
                                   WHERE p.refunded_at IS NULL GROUP BY l.app_id, l.from_expires_at HAVING COUNT(*) > 1) AS repeated",
        )
        .await?,
        invoiced_beyond_paid: scalar(
            "SELECT COUNT(*) FROM (SELECT i.order_id FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                                   JOIN payments p ON p.order_id = i.order_id
                                   WHERE v.state <> 'rejected' AND i.usage_month = 0
                                   GROUP BY i.order_id, p.amount_minor
                                   HAVING SUM(i.amount_minor) > p.amount_minor - COALESCE(
                                       (SELECT SUM(l.amount_minor) FROM ledger_entries l
                                        WHERE l.order_id = i.order_id AND l.kind = 'refund'), 0)
                                   UNION ALL
                                   SELECT i.order_id FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                                   WHERE v.state <> 'rejected' AND i.usage_month <> 0
                                   GROUP BY i.order_id, i.usage_month
                                   HAVING SUM(i.amount_minor) > COALESCE(
                                       (SELECT SUM(s.charged_minor) FROM usage_month_sums s
                                        WHERE s.app_id = i.order_id AND s.month = i.usage_month), 0)) AS beyond",
        )
        .await?,
        refunds_exceeding_payments: scalar(
            "SELECT COUNT(*) FROM (SELECT r.order_id FROM ledger_entries r
                                   LEFT JOIN payments p ON p.order_id = r.order_id
                                   WHERE r.kind = 'refund' AND r.order_id IS NOT NULL
                                   GROUP BY r.order_id HAVING SUM(r.amount_minor) > COALESCE(MAX(p.amount_minor), 0)) AS exceeding",
        )
        .await?,
        term_day_counts_disagreeing: scalar(
            "SELECT COUNT(*) FROM (
                 SELECT account_id, day FROM (
                     SELECT account_id, day, apps AS kept, 0 AS counted FROM term_expiry_days
                     UNION ALL
                     SELECT account_id, expires_at / 86400, 0, 1 FROM orders
                     WHERE kind = 'purchase' AND status = 'completed' AND expires_at IS NOT NULL
                       AND unsubscribed_at IS NULL) AS days
                 GROUP BY account_id, day HAVING SUM(kept) <> SUM(counted)) AS disagreeing",
        )
        .await?,
        unread_counts_disagreeing: scalar(
            "SELECT COUNT(*) FROM (
                 SELECT account_id FROM (
                     SELECT account_id, unread AS kept, 0 AS counted FROM unread_message_counts
                     UNION ALL
                     SELECT account_id, 0, 1 FROM messages WHERE read_at IS NULL) AS counts
                 GROUP BY account_id HAVING SUM(kept) <> SUM(counted)) AS disagreeing",
        )
        .await?,
        rating_counts_disagreeing: scalar(
            "SELECT COUNT(*) FROM (
                 SELECT product_id FROM (
                     SELECT product_id, 1 AS stars, stars_1 AS kept, 0 AS counted FROM product_ratings
                     UNION ALL SELECT product_id, 2, stars_2, 0 FROM product_ratings
                     UNION ALL SELECT product_id, 3, stars_3, 0 FROM product_ratings
                     UNION ALL SELECT product_id, 4, stars_4, 0 FROM product_ratings
                     UNION ALL SELECT product_id, 5, stars_5, 0 FROM product_ratings
                     UNION ALL SELECT product_id, stars, 0, 1 FROM reviews WHERE hidden_at IS NULL) AS counts
                 GROUP BY product_id, stars HAVING SUM(kept) <> SUM(counted)) AS disagreeing",
        )
        .await?,
        unsubscriptions: scalar("SELECT COUNT(*) FROM unsubscriptions").await?,
        provisioning_queued: scalar("SELECT COUNT(*) FROM provisioning_jobs WHERE state = 'queued'").await?,
        seller_notices_delivered: scalar("SELECT COUNT(*) FROM seller_notices WHERE state = 'delivered'").await?,
        seller_notices_received_again: scalar("SELECT COUNT(*) FROM demo_seller_notices WHERE deliveries > 1").await?,
        usage: usage(db).await?,
    })
}

async fn usage(db: &Database) -> Result<UsageInvariants, sqlx::Error> {
    let scalar = |sql: &'static str| async move { db::query_scalar::<i64>(sql).fetch_one(db).await };
    Ok(UsageInvariants {
        usage_records: scalar("SELECT COUNT(*) FROM usage_records").await?,
        usage_charges_disagreeing: scalar(
            "SELECT COUNT(*) FROM usage_charges c
             WHERE c.amount_minor <> (SELECT COALESCE(SUM(r.charged_minor), 0) FROM usage_records r WHERE r.charge_id = c.id)
                OR (SELECT COUNT(*) FROM ledger_entries l WHERE l.usage_charge_id = c.id)
                   <> CASE WHEN c.amount_minor > 0 THEN 1 ELSE 0 END
                OR c.amount_minor <> -(SELECT COALESCE(SUM(l.amount_minor), 0) FROM ledger_entries l
                                       WHERE l.usage_charge_id = c.id)",
        )
        .await?,
        apps_usage_ledger_disagreeing: scalar(
            "SELECT COUNT(*) FROM (
                 SELECT app_id FROM (
                     SELECT app_id, -amount_minor AS in_ledger, 0 AS in_records FROM ledger_entries
                     WHERE usage_charge_id IS NOT NULL
                     UNION ALL
                     SELECT app_id, 0, charged_minor FROM usage_records WHERE charge_id IS NOT NULL) AS sums
                 GROUP BY app_id HAVING SUM(in_ledger) <> SUM(in_records)) AS disagreeing",
        )
        .await?,
        closed_bills_disagreeing: scalar(
            "SELECT COUNT(*) FROM usage_bills b
             LEFT JOIN (SELECT account_id, month, currency, SUM(amount_minor) AS rated_minor FROM usage_records
                        GROUP BY account_id, month, currency) r
                    ON r.account_id = b.account_id AND r.month = b.month AND r.currency = b.currency
             WHERE b.rated_minor <> COALESCE(r.rated_minor, 0)
                OR b.charged_minor > (SELECT COALESCE(-SUM(l.amount_minor), 0) FROM ledger_entries l
                                      JOIN usage_charges c ON c.id = l.usage_charge_id
                                      WHERE c.account_id = b.account_id AND c.month = b.month AND c.currency = b.currency)",
        )
        .await?,
        usage_sums_disagreeing: scalar(
            "SELECT COUNT(*) FROM (
                 SELECT app_id, dimension, month FROM (
                     SELECT app_id, dimension, month, quantity, rated_minor, settled_minor, charged_minor
                     FROM usage_month_sums
                     UNION ALL
                     SELECT app_id, dimension, month, -quantity, -amount_minor,
                            CASE WHEN charge_id IS NULL THEN 0 ELSE -amount_minor END, -COALESCE(charged_minor, 0)
                     FROM usage_records) AS both_sides
                 GROUP BY app_id, dimension, month
                 HAVING SUM(quantity) <> 0 OR SUM(rated_minor) <> 0 OR SUM(settled_minor) <> 0
                     OR SUM(charged_minor) <> 0) AS disagreeing",
        )
        .await?,
    })
}

/// Calendar months are not SQL arithmetic: the check runs core's own term rule.
/// An app's term as the check reads it: paid at, months bought, expiry, and its free
/// trial's end and whether it was bought.
type TermCheck = (Option<i64>, Option<i64>, i64, Option<i64>, bool);

async fn terms_starting_before_payment(db: &Database) -> Result<i64, sqlx::Error> {
    // A free trial's term is the trial (nothing paid); bought, its paid term starts at the
    // trial's end at the earliest.
    let terms: Vec<TermCheck> = db::query_as(
        "SELECT o.paid_at, o.duration_months, o.expires_at, t.ends_at, t.converted_at IS NOT NULL
         FROM orders o LEFT JOIN trials t ON t.app_id = o.id WHERE o.expires_at IS NOT NULL",
    )
    .fetch_all(db)
    .await?;
    let early = terms.into_iter().filter(|(paid_at, months, expires_at, trial_ends_at, converted)| {
        match (trial_ends_at, paid_at, months.map(u32::try_from)) {
            (Some(ends_at), _, _) if *converted => expires_at < ends_at,
            (Some(ends_at), _, _) => expires_at != ends_at,
            (None, Some(paid_at), Some(Ok(months))) => {
                *expires_at < term_end(from_unix(*paid_at), months).unix_timestamp()
            }
            _ => true,
        }
    });
    Ok(i64::try_from(early.count()).unwrap_or(i64::MAX))
}
