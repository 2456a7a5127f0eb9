//! Monthly usage bills: open months read live from the records, closed ones (from the 3rd
//! of the next month) as they were kept when they closed; CSV export.

use bazaar_core::ids::{AccountId, AppId};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::order_number;
use bazaar_core::usage::{Bill, BillLine, BillList, BillState, BillSummary, bill_closes_at, month_key, month_start};
use time::Duration;

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::bills::{BillMonthRow, LineRow};

fn summary(row: &BillMonthRow) -> BillSummary {
    let money = |minor| Money::new(minor, row.currency);
    let start = from_unix(row.month);
    BillSummary {
        month: month_key(start),
        state: if row.closed_at.is_some() { BillState::Closed } else { BillState::Open },
        closes_at: bill_closes_at(start),
        rated: money(row.rated_minor),
        charged: money(row.charged_minor),
        outstanding: money(row.outstanding_minor),
        waived: money(row.waived_minor),
    }
}

/// Every month with usage, newest first, and what is outstanding now.
pub async fn list(state: &AppState, account_id: AccountId) -> ApiResult<BillList> {
    let rows = store::bills::months(&state.db, account_id).await?;
    let outstanding = store::usage::account_outstanding(&state.db, account_id).await?;
    Ok(BillList {
        bills: rows.iter().map(summary).collect(),
        outstanding: outstanding.first().map(|(currency, minor)| Money::new(*minor, *currency)),
    })
}

/// The bill of `month` (`YYYY-MM`) in `currency`: 404 when the account had no usage then.
pub async fn bill(state: &AppState, account_id: AccountId, month: &str, currency: Currency) -> ApiResult<Bill> {
    let start = bazaar_core::usage::parse_month_key(month).ok_or(ApiError::NotFound)?.unix_timestamp();
    let mut connection = state.db.acquire().await?;
    let closed = store::bills::closed(&mut connection, account_id, start, currency).await?;
    let lines = match closed {
        Some(_) => store::bills::closed_lines(&mut connection, account_id, start, currency).await?,
        None => store::bills::live_lines(&mut connection, account_id, start, currency).await?,
    };
    if lines.is_empty() {
        return Err(ApiError::NotFound);
    }
    let sum = |pick: fn(&LineRow) -> i64| lines.iter().map(pick).sum::<i64>();
    let row = closed.unwrap_or(BillMonthRow {
        month: start,
        currency,
        quantity: sum(|line| line.quantity),
        rated_minor: sum(|line| line.rated_minor),
        charged_minor: sum(|line| line.charged_minor),
        outstanding_minor: sum(|line| line.outstanding_minor),
        waived_minor: sum(|line| line.waived_minor),
        closed_at: None,
    });
    let money = |minor| Money::new(minor, currency);
    Ok(Bill {
        summary: summary(&row),
        lines: lines
            .iter()
            .map(|line| BillLine {
                app_id: AppId::of_order(line.app_id),
                order_number: order_number(line.app_id),
                product_name: line.product_name.clone(),
                dimension: line.dimension.clone(),
                quantity: line.quantity,
                rated: money(line.rated_minor),
                charged: money(line.charged_minor),
                outstanding: money(line.outstanding_minor),
                waived: money(line.waived_minor),
            })
            .collect(),
    })
}

/// The bill as CSV: one row per app and dimension, amounts in major units with two
/// decimals (a spreadsheet reads them as numbers), and a total row.
pub fn bill_csv(bill: &Bill) -> ApiResult<Vec<u8>> {
    let decimal = |money: Money| {
        let sign = if money.amount_minor < 0 { "-" } else { "" };
        let absolute = money.amount_minor.unsigned_abs();
        format!("{sign}{}.{:02}", absolute / 100, absolute % 100)
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "month",
        "order",
        "product",
        "dimension",
        "quantity",
        "currency",
        "rated",
        "charged",
        "outstanding",
        "beyond_cap",
    ];
    writer.write_record(header).map_err(ApiError::internal)?;
    for line in &bill.lines {
        writer
            .write_record([
                bill.summary.month.clone(),
                line.order_number.clone(),
                line.product_name.clone(),
                line.dimension.clone(),
                line.quantity.to_string(),
                line.rated.currency.as_str().to_owned(),
                decimal(line.rated),
                decimal(line.charged),
                decimal(line.outstanding),
                decimal(line.waived),
            ])
            .map_err(ApiError::internal)?;
    }
    let summary = &bill.summary;
    writer
        .write_record([
            summary.month.clone(),
            String::new(),
            "Total".to_owned(),
            String::new(),
            bill.lines.iter().map(|line| line.quantity).sum::<i64>().to_string(),
            summary.rated.currency.as_str().to_owned(),
            decimal(summary.rated),
            decimal(summary.charged),
            decimal(summary.outstanding),
            decimal(summary.waived),
        ])
        .map_err(ApiError::internal)?;
    writer.into_inner().map_err(ApiError::internal)
}

/// Closes every bill whose month ended before the 3rd of this month (UTC); how many.
pub async fn close_due(state: &AppState, now: i64) -> ApiResult<usize> {
    // A month's bill closes 2 days into the next month: months before this one are due.
    let before = month_start(from_unix(now) - Duration::days(2)).unix_timestamp();
    let mut closed = 0;
    for bill in store::bills::to_close(&state.db, before).await? {
        let mut transaction = begin_write(&state.db, WriteScope::Account(bill.account_id)).await?;
        let lines = store::bills::live_lines(&mut transaction, bill.account_id, bill.month, bill.currency).await?;
        if store::bills::insert_closed(&mut transaction, &bill, &lines, now).await? {
            closed += 1;
        }
        transaction.commit().await?;
    }
    Ok(closed)
}
