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
use crate::infra::db::{WriteScope, begin_write};
use crate::infra::signed_requests::SignatureProblem;
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

/// A record that passed the checks, rated, waiting to be stored.
struct Rated {
    index: usize,
    app_id: OrderId,
    account_id: bazaar_core::ids::AccountId,
    dimension: String,
    hour: i64,
    quantity: i64,
    amount: Money,
}

/// Records what it can of `report` for seller `seller_id`, sent with `nonce`; every
/// record's outcome in order.
///
/// The checks and rating read outside the write; the write claims the nonce, then is a
/// few multi-row inserts (`ON CONFLICT DO NOTHING`, which say what they stored) and a
/// lookup of the hours that were there already, to tell a duplicate from a changed
/// quantity. The nonce and all of the report's new records are stored in one
/// transaction, or none: a call refused or failed can be sent again as it was.
pub async fn ingest(
    state: &AppState,
    seller_id: i64,
    nonce: &str,
    report: UsageReport,
) -> ApiResult<UsageReportAnswer> {
    if report.records.len() > MAX_RECORDS_PER_REPORT {
        return Err(ApiError::field(
            "records",
            FieldErrorCode::TooLarge,
            format!("A report carries at most {MAX_RECORDS_PER_REPORT} records; send the rest in another."),
        ));
    }
    let now = state.clock.unix_now();
    let mut outcomes: Vec<Option<Result<Option<Money>, UsageRefusal>>> = vec![None; report.records.len()];
    let mut known: HashMap<i64, Known> = HashMap::new();
    let mut rated: Vec<Rated> = Vec::new();
    // The first record for each (app, dimension, hour) in the report; later ones are
    // duplicates of it or changes to it.
    let mut first: HashMap<(OrderId, String, i64), (usize, i64)> = HashMap::new();
    // The report's apps, read at once: those that are not the seller's stay unknown.
    let mut app_ids: Vec<i64> = report.records.iter().map(|record| record.app_id).collect();
    app_ids.sort_unstable();
    app_ids.dedup();
    let mut connection = state.db.acquire().await?;
    for row in store::usage::seller_apps(&mut connection, seller_id, &app_ids).await? {
        known.insert(row.id.0, Known::of(row));
    }
    drop(connection);
    for (index, record) in report.records.iter().enumerate() {
        let app = known.get(&record.app_id);
        match rate_one(record, app, now) {
            Err(refusal) => outcomes[index] = Some(Err(refusal)),
            Ok(one) => {
                let key = (one.app_id, one.dimension.clone(), one.hour);
                match first.get(&key) {
                    Some((_, quantity)) => {
                        outcomes[index] = Some(against_recorded(Some(*quantity), one.quantity).map(|_| None));
                    }
                    None => {
                        first.insert(key, (index, one.quantity));
                        rated.push(Rated { index, ..one });
                    }
                }
            }
        }
    }
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    if !store::usage::claim_nonce(&mut transaction, seller_id, nonce, now).await? {
        return Err(ApiError::SignatureRefused(SignatureProblem::ReusedNonce));
    }
    let rows: Vec<store::usage::NewRecord<'_>> = rated
        .iter()
        .map(|r| store::usage::NewRecord {
            app_id: r.app_id,
            account_id: r.account_id,
            dimension: &r.dimension,
            month: month_of(r.hour),
            hour: r.hour,
            quantity: r.quantity,
            amount_minor: r.amount.amount_minor,
            currency: r.amount.currency,
            now,
        })
        .collect();
    let stored = store::usage::insert_records(&mut transaction, &rows).await?;
    for r in &rated {
        let key = (r.app_id, r.dimension.clone(), r.hour);
        outcomes[r.index] = Some(if stored.contains(&key) {
            Ok(Some(r.amount))
        } else {
            // Already there: the same quantity is a duplicate, another one is refused.
            let recorded = store::usage::recorded_quantity(&mut transaction, r.app_id, &r.dimension, r.hour).await?;
            against_recorded(recorded, r.quantity).map(|_| None)
        });
    }
    let metered: Vec<_> = known.values().map(|app| (app.row.id, app.row.account_id)).collect();
    store::metered_apps::ensure_all_metered(&mut transaction, &metered, next_hour(now)).await?;
    transaction.commit().await?;
    let answers: Vec<UsageRecordAnswer> = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| answer(index, outcome.unwrap_or(Err(UsageRefusal::InvalidQuantity))))
        .collect();
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
        Ok(None) => {
            UsageRecordAnswer { index, outcome: UsageOutcome::Duplicate, reason: None, message: None, amount: None }
        }
        Err(reason) => UsageRecordAnswer {
            index,
            outcome: UsageOutcome::Refused,
            reason: Some(reason),
            message: Some(reason.message().to_owned()),
            amount: None,
        },
    }
}

/// One record checked and rated (its `index` is filled in by the caller).
fn rate_one(
    record: &bazaar_core::usage::UsageRecordIn,
    known: Option<&Known>,
    now: i64,
) -> Result<Rated, UsageRefusal> {
    let checked = check_record(record, known.map(|k| &k.app), from_unix(now))?;
    let known = known.ok_or(UsageRefusal::UnknownApp)?;
    let quantity_bought = u32::try_from(known.row.quantity).unwrap_or(0);
    let amount = known
        .unit_price
        .and_then(|price| rate(checked.quantity, price, quantity_bought))
        .ok_or(UsageRefusal::InvalidQuantity)?;
    Ok(Rated {
        index: 0,
        app_id: known.row.id,
        account_id: known.row.account_id,
        dimension: checked.dimension,
        hour: checked.hour.unix_timestamp(),
        quantity: checked.quantity,
        amount,
    })
}
