//! Settling usage (`usage_charges`, `usage_records.charge_id`): the records a run has to
//! settle, the charge they are settled against, and its ledger entry.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;
use bazaar_core::orders::PaymentChannel;

use crate::infra::db::{self, Connection};
use crate::store::usage_sums;

/// A record not settled yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnsettledRow {
    pub app_id: OrderId,
    pub dimension: String,
    pub month: i64,
    pub hour: i64,
    pub amount_minor: i64,
}

/// An app's usage in a month not settled yet, summed (apps without a cap: charged in full).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnsettledMonth {
    pub app_id: OrderId,
    pub month: i64,
    pub amount_minor: i64,
}

/// What an account has not settled: per app and month for the apps without a cap, and
/// record by record for the capped ones (each charged up to the cap, oldest hour first).
#[derive(Debug, Clone, Default)]
pub struct Unsettled {
    pub months: Vec<UnsettledMonth>,
    pub records: Vec<UnsettledRow>,
}

impl Unsettled {
    pub fn is_empty(&self) -> bool {
        self.months.is_empty() && self.records.is_empty()
    }

    /// The apps with anything unsettled, each once, in order.
    pub fn app_ids(&self) -> Vec<OrderId> {
        let mut ids: Vec<OrderId> =
            self.months.iter().map(|m| m.app_id).chain(self.records.iter().map(|r| r.app_id)).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The part of it that belongs to the apps `keep` keeps.
    pub fn of_apps(&self, keep: impl Fn(OrderId) -> bool) -> Unsettled {
        Unsettled {
            months: self.months.iter().filter(|m| keep(m.app_id)).cloned().collect(),
            records: self.records.iter().filter(|r| keep(r.app_id)).cloned().collect(),
        }
    }
}

/// The account's usage not settled yet (every app): two reads, the uncapped apps' summed,
/// each going from the account's metered apps to their unsettled records.
pub async fn unsettled_of_account(
    connection: &mut Connection,
    account_id: AccountId,
) -> Result<Unsettled, sqlx::Error> {
    let months = db::query_as(
        "SELECT r.app_id, r.month, CAST(SUM(r.amount_minor) AS BIGINT) AS amount_minor
         FROM metered_apps m JOIN usage_records r ON r.app_id = m.app_id
         WHERE m.account_id = $1 AND r.charge_id IS NULL AND m.cap_minor IS NULL
         GROUP BY r.app_id, r.month ORDER BY r.app_id, r.month",
    )
    .bind(account_id)
    .fetch_all(&mut *connection)
    .await?;
    let records = db::query_as(
        "SELECT r.app_id, r.dimension, r.month, r.hour, r.amount_minor
         FROM metered_apps m JOIN usage_records r ON r.app_id = m.app_id
         WHERE m.account_id = $1 AND r.charge_id IS NULL AND m.cap_minor IS NOT NULL
         ORDER BY r.app_id, r.hour, r.dimension",
    )
    .bind(account_id)
    .fetch_all(&mut *connection)
    .await?;
    Ok(Unsettled { months, records })
}

/// What the app's usage in `month` has been charged so far.
pub async fn charged_in_month(connection: &mut Connection, app_id: OrderId, month: i64) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "SELECT CAST(COALESCE(SUM(charged_minor), 0) AS BIGINT) FROM usage_month_sums WHERE app_id = $1 AND month = $2",
    )
    .bind(app_id)
    .bind(month)
    .fetch_one(connection)
    .await
}

/// A charge to record (before its records are settled against it).
pub struct NewCharge {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub month: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub now: i64,
}

pub async fn insert_charge(connection: &mut Connection, charge: NewCharge) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO usage_charges (app_id, account_id, month, amount_minor, currency, charged_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(charge.app_id)
    .bind(charge.account_id)
    .bind(charge.month)
    .bind(charge.amount_minor)
    .bind(charge.currency)
    .bind(charge.now)
    .fetch_one(connection)
    .await
}

/// The account and currency of the app whose records a capped charge settles.
pub struct SettledApp {
    pub account_id: AccountId,
    pub currency: Currency,
}

/// Settles each record against a charge with what was charged of it, and adds them to
/// their months' sums; `false` when one was settled meanwhile (then the caller's charge
/// must be undone).
pub async fn settle_each(
    connection: &mut Connection,
    app: &SettledApp,
    records: &[(&UnsettledRow, i64)],
    charge_id: i64,
) -> Result<bool, sqlx::Error> {
    let mut additions = usage_sums::Additions::default();
    for (record, charged_minor) in records {
        let settled = db::query(
            "UPDATE usage_records SET charge_id = $1, charged_minor = $2
             WHERE app_id = $3 AND dimension = $4 AND hour = $5 AND charge_id IS NULL",
        )
        .bind(charge_id)
        .bind(charged_minor)
        .bind(record.app_id)
        .bind(&record.dimension)
        .bind(record.hour)
        .execute(&mut *connection)
        .await?;
        if settled.rows_affected() != 1 {
            return Ok(false);
        }
        let added = usage_sums::Added {
            settled_minor: record.amount_minor,
            charged_minor: *charged_minor,
            ..usage_sums::Added::default()
        };
        additions.add((record.app_id, &record.dimension, record.month), app.account_id, app.currency, added);
    }
    usage_sums::add(connection, &additions).await?;
    Ok(true)
}

/// Sets what a charge is for, once its records are settled.
pub async fn set_charge_amount(
    connection: &mut Connection,
    charge_id: i64,
    amount_minor: i64,
) -> Result<(), sqlx::Error> {
    db::query("UPDATE usage_charges SET amount_minor = $1 WHERE id = $2")
        .bind(amount_minor)
        .bind(charge_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN (…)` list.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// Records several charges at once; (id, app, month) of each, in no particular order.
pub async fn insert_charges(
    connection: &mut Connection,
    charges: &[NewCharge],
) -> Result<Vec<(i64, OrderId, i64)>, sqlx::Error> {
    let mut inserted = Vec::with_capacity(charges.len());
    for chunk in charges.chunks(100) {
        let rows: Vec<String> = (0..chunk.len()).map(|row| format!("({})", placeholders(row * 6 + 1, 6))).collect();
        let sql = format!(
            "INSERT INTO usage_charges (app_id, account_id, month, amount_minor, currency, charged_at)
             VALUES {} RETURNING id, app_id, month",
            rows.join(", ")
        );
        let mut query = db::query_as::<(i64, OrderId, i64)>(&sql);
        for charge in chunk {
            query = query
                .bind(charge.app_id)
                .bind(charge.account_id)
                .bind(charge.month)
                .bind(charge.amount_minor)
                .bind(charge.currency)
                .bind(charge.now);
        }
        inserted.extend(query.fetch_all(&mut *connection).await?);
    }
    Ok(inserted)
}

/// `(${first}, ${first+1}, ${first+2}), …` for `rows` rows of three values.
fn triples(first: usize, rows: usize) -> String {
    (0..rows).map(|row| format!("({})", placeholders(first + row * 3, 3))).collect::<Vec<_>>().join(", ")
}

/// Settles, in full, every unsettled record of the account in each charge's app and month
/// (`charges`: id, app, month — apps without a cap), against that charge, and adds them to
/// their months' sums; what each (app, month) settled. Records that arrived after the
/// caller's read (PostgreSQL) are settled too: what was settled is read back, summed.
pub async fn settle_in_full(
    connection: &mut Connection,
    account_id: AccountId,
    charges: &[(i64, OrderId, i64)],
) -> Result<Vec<(OrderId, i64, i64)>, sqlx::Error> {
    let mut settled: std::collections::BTreeMap<(OrderId, i64), i64> = std::collections::BTreeMap::new();
    let mut additions = usage_sums::Additions::default();
    for chunk in charges.chunks(300) {
        // A join with the charges' values: no subquery per record.
        let sql = format!(
            "UPDATE usage_records SET charge_id = v.column3, charged_minor = usage_records.amount_minor
             FROM (VALUES {}) AS v
             WHERE usage_records.app_id = v.column1 AND usage_records.month = v.column2
               AND usage_records.account_id = $1 AND usage_records.charge_id IS NULL",
            triples(2, chunk.len())
        );
        let mut query = db::query(&sql).bind(account_id);
        for (charge_id, app_id, month) in chunk {
            query = query.bind(*app_id).bind(*month).bind(*charge_id);
        }
        query.execute(&mut *connection).await?;
        let sql = format!(
            "SELECT v.column1, v.column2, r.dimension, r.currency, CAST(SUM(r.amount_minor) AS BIGINT)
             FROM (VALUES {}) AS v
             JOIN usage_records r ON r.app_id = v.column1 AND r.month = v.column2 AND r.charge_id = v.column3
             GROUP BY v.column1, v.column2, r.dimension, r.currency",
            triples(1, chunk.len())
        );
        let mut query = db::query_as::<(OrderId, i64, String, Currency, i64)>(&sql);
        for (charge_id, app_id, month) in chunk {
            query = query.bind(*app_id).bind(*month).bind(*charge_id);
        }
        for (app_id, month, dimension, currency, amount_minor) in query.fetch_all(&mut *connection).await? {
            let added = usage_sums::Added {
                settled_minor: amount_minor,
                charged_minor: amount_minor,
                ..usage_sums::Added::default()
            };
            additions.add((app_id, &dimension, month), account_id, currency, added);
            *settled.entry((app_id, month)).or_default() += amount_minor;
        }
    }
    usage_sums::add(connection, &additions).await?;
    Ok(settled.into_iter().map(|((app_id, month), amount_minor)| (app_id, month, amount_minor)).collect())
}

/// How the charges `charge_ids` were paid, and their ledger entries (those for more than
/// nothing), in two statements.
pub async fn record_paid(
    connection: &mut Connection,
    charge_ids: &[i64],
    payer: (Option<AccountId>, Option<i64>),
    channel: PaymentChannel,
    card_label: Option<&str>,
    gateway_reference: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in charge_ids.chunks(500) {
        let sql = format!(
            "UPDATE usage_charges SET channel = $1, card_label = $2, gateway_reference = $3
             WHERE amount_minor > 0 AND id IN ({})",
            placeholders(4, chunk.len())
        );
        let mut query = db::query(&sql).bind(channel).bind(card_label).bind(gateway_reference);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *connection).await?;
        let sql = format!(
            "INSERT INTO ledger_entries (account_id, reseller_id, app_id, usage_charge_id, channel, kind, amount_minor,
                                         currency, note, created_at)
             SELECT $1, $2, c.app_id, c.id, c.channel, 'payment', -c.amount_minor, c.currency,
                    'Usage of ' || o.product_name || ' (BZ' || substr(CAST(100000000 + o.id AS TEXT), 2) || ')', $3
             FROM usage_charges c JOIN orders o ON o.id = c.app_id
             WHERE c.amount_minor > 0 AND c.id IN ({})",
            placeholders(4, chunk.len())
        );
        let mut query = db::query(&sql).bind(payer.0).bind(payer.1).bind(now);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}
