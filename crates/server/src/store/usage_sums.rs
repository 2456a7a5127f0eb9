//! `usage_month_sums`: each app's usage per dimension and month, summed as records are
//! stored and settled, so that bills, Resource Details and what is outstanding read a row
//! per app instead of every hour. Written only by the store functions that write
//! `usage_records`, in their transaction; `verify` checks them against the records.

use std::collections::BTreeMap;

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Connection};

/// What to add to one (app, dimension, month)'s sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    pub quantity: i64,
    /// The rated amount of records stored.
    pub rated_minor: i64,
    /// The rated amount of records settled.
    pub settled_minor: i64,
    /// What was charged of the records settled (the rest was beyond the cap).
    pub charged_minor: i64,
}

/// The sums to add, per (app, dimension, month), with the app's account and currency.
#[derive(Debug, Default)]
pub struct Additions(BTreeMap<(OrderId, String, i64), (AccountId, Currency, Added)>);

impl Additions {
    pub fn add(
        &mut self,
        (app_id, dimension, month): (OrderId, &str, i64),
        account_id: AccountId,
        currency: Currency,
        added: Added,
    ) {
        let entry =
            self.0.entry((app_id, dimension.to_owned(), month)).or_insert((account_id, currency, Added::default()));
        entry.2.quantity += added.quantity;
        entry.2.rated_minor += added.rated_minor;
        entry.2.settled_minor += added.settled_minor;
        entry.2.charged_minor += added.charged_minor;
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Adds `additions` to the sums, creating the rows that are not there yet; a hundred
/// rows to a statement.
pub async fn add(connection: &mut Connection, additions: &Additions) -> Result<(), sqlx::Error> {
    let rows: Vec<_> = additions.0.iter().collect();
    for chunk in rows.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|row| {
                let places: Vec<String> = (1..=9).map(|column| format!("${}", row * 9 + column)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO usage_month_sums (app_id, dimension, month, account_id, currency, quantity, rated_minor,
                                           settled_minor, charged_minor)
             VALUES {}
             ON CONFLICT (app_id, dimension, month) DO UPDATE SET
                 quantity = usage_month_sums.quantity + excluded.quantity,
                 rated_minor = usage_month_sums.rated_minor + excluded.rated_minor,
                 settled_minor = usage_month_sums.settled_minor + excluded.settled_minor,
                 charged_minor = usage_month_sums.charged_minor + excluded.charged_minor",
            values.join(", ")
        );
        let mut query = db::query(&sql);
        for ((app_id, dimension, month), (account_id, currency, added)) in chunk {
            query = query
                .bind(*app_id)
                .bind(dimension.as_str())
                .bind(*month)
                .bind(*account_id)
                .bind(*currency)
                .bind(added.quantity)
                .bind(added.rated_minor)
                .bind(added.settled_minor)
                .bind(added.charged_minor);
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}
