//! `bazaar-server verify`: the database's own integrity check plus the money invariants
//! (one payment per order, one ledger payment per order, paid orders have a payment and
//! only paid orders do). Used by the crash-reliability check and by operators.

use serde::Serialize;
use sqlx::SqlitePool;

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
    /// Queued provisioning jobs (work that a restart resumes).
    pub provisioning_queued: i64,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.integrity == "ok"
            && self.orders_with_more_than_one_payment == 0
            && self.orders_with_more_than_one_ledger_payment == 0
            && self.paid_orders_without_payment == 0
            && self.payments_on_unpaid_orders == 0
    }
}

pub async fn verify(db: &SqlitePool) -> Result<VerifyReport, sqlx::Error> {
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(db).await?;
    let scalar = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await };
    Ok(VerifyReport {
        integrity,
        orders: scalar("SELECT COUNT(*) FROM orders").await?,
        payments: scalar("SELECT COUNT(*) FROM payments").await?,
        orders_with_more_than_one_payment: scalar(
            "SELECT COUNT(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING COUNT(*) > 1)",
        )
        .await?,
        orders_with_more_than_one_ledger_payment: scalar(
            "SELECT COUNT(*) FROM (SELECT order_id FROM ledger_entries WHERE kind = 'payment' AND order_id IS NOT NULL
                                   GROUP BY order_id HAVING COUNT(*) > 1)",
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
        provisioning_queued: scalar("SELECT COUNT(*) FROM provisioning_jobs WHERE state = 'queued'").await?,
    })
}
