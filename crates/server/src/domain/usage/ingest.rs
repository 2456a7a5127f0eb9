//! A seller's usage report: every record checked and rated by core's rules, duplicates
//! recognised, and the accepted ones stored in one transaction — all of a report's
//! accepted records or none of them.

use std::collections::HashMap;

use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::OrderId;
use bazaar_core::money::Money;
use bazaar_core::usage::{
    DEFAULT_DIMENSION, MAX_RECORDS_PER_REPORT, MeteredApp, UsageOutcome, UsageRecordAnswer, UsageRefusal, UsageReport,
    UsageReportAnswer, against_recorded, check_record, rate,
};

use super::{month_of, next_hour};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::usage::SellerAppRow;

/// An app of the seller's, as the checks and rating need it.
struct Known {
    row: SellerAppRow,
    app: MeteredApp,
    /// The hourly price of one item (software and server fee).
    unit_price: Option<Money>,
}

impl Known {
    fn of(row: SellerAppRow) -> Known {
        let ended_at = match (row.unsubscribed_at, row.released_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let app = MeteredApp {
            billing_mode: row.billing_mode,
            dimension: DEFAULT_DIMENSION.to_owned(),
            started_at: from_unix(row.completed_at.unwrap_or(0)),
            ended_at: ended_at.map(from_unix),
        };
        Known { unit_price: super::hourly_unit_price(&row.price_json), row, app }
    }
}

/// Records what it can of `report` for seller `seller_id`; every record's outcome in order.
pub async fn ingest(state: &AppState, seller_id: i64, report: UsageReport) -> ApiResult<UsageReportAnswer> {
    if report.records.len() > MAX_RECORDS_PER_REPORT {
        return Err(ApiError::field(
            "records",
            FieldErrorCode::TooLarge,
            format!("A report carries at most {MAX_RECORDS_PER_REPORT} records; send the rest in another."),
        ));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let mut known: HashMap<i64, Option<Known>> = HashMap::new();
    let mut answers = Vec::with_capacity(report.records.len());
    for (index, record) in report.records.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(entry) = known.entry(record.app_id) {
            let row = store::usage::seller_app(&mut transaction, seller_id, record.app_id).await?;
            entry.insert(row.map(Known::of));
        }
        let app = known.get(&record.app_id).and_then(Option::as_ref);
        let outcome = one(&mut transaction, record, app, now).await?;
        answers.push(answer(index, outcome));
    }
    for app in known.values().flatten() {
        store::metered_apps::ensure_metered(&mut transaction, app.row.id, app.row.account_id, next_hour(now)).await?;
    }
    transaction.commit().await?;
    let count = |outcome| u32::try_from(answers.iter().filter(|a| a.outcome == outcome).count()).unwrap_or(u32::MAX);
    Ok(UsageReportAnswer {
        accepted: count(UsageOutcome::Accepted),
        duplicates: count(UsageOutcome::Duplicate),
        refused: count(UsageOutcome::Refused),
        records: answers,
    })
}

fn answer(index: usize, outcome: Result<Option<Money>, UsageRefusal>) -> UsageRecordAnswer {
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    match outcome {
        Ok(Some(amount)) => UsageRecordAnswer {
            index,
            outcome: UsageOutcome::Accepted,
            reason: None,
            message: None,
            amount: Some(amount),
        },
        Ok(None) => UsageRecordAnswer { index, outcome: UsageOutcome::Duplicate, reason: None, message: None, amount: None },
        Err(reason) => UsageRecordAnswer {
            index,
            outcome: UsageOutcome::Refused,
            reason: Some(reason),
            message: Some(reason.message().to_owned()),
            amount: None,
        },
    }
}

/// One record: `Ok(Some(amount))` stored, `Ok(None)` a duplicate, or why it was refused.
async fn one(
    connection: &mut Connection,
    record: &bazaar_core::usage::UsageRecordIn,
    known: Option<&Known>,
    now: i64,
) -> ApiResult<Result<Option<Money>, UsageRefusal>> {
    let checked = match check_record(record, known.map(|k| &k.app), from_unix(now)) {
        Ok(checked) => checked,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let known = known.expect("a checked record has its app");
    let quantity_bought = u32::try_from(known.row.quantity).unwrap_or(0);
    let Some(amount) = known.unit_price.and_then(|price| rate(checked.quantity, price, quantity_bought)) else {
        return Ok(Err(UsageRefusal::InvalidQuantity));
    };
    let app_id: OrderId = known.row.id;
    let hour = checked.hour.unix_timestamp();
    for _ in 0..2 {
        let recorded = store::usage::recorded_quantity(connection, app_id, &checked.dimension, hour).await?;
        match against_recorded(recorded, checked.quantity) {
            Err(refusal) => return Ok(Err(refusal)),
            Ok(false) => return Ok(Ok(None)),
            Ok(true) => {}
        }
        let new = store::usage::NewRecord {
            app_id,
            account_id: known.row.account_id,
            dimension: &checked.dimension,
            month: month_of(hour),
            hour,
            quantity: checked.quantity,
            amount_minor: amount.amount_minor,
            currency: amount.currency,
            now,
        };
        if store::usage::insert_record(connection, new).await? {
            return Ok(Ok(Some(amount)));
        }
        // Another report stored the same hour between the read and the insert: look again.
    }
    Err(ApiError::Conflict("The record changed while it was being stored; send it again.".to_owned()))
}
