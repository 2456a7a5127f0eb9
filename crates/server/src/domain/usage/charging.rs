//! Charging rated usage: the hourly run per buyer (card, then balance, then credit; a
//! reseller customer's usage goes on the reseller's statement), arrears when it fails,
//! and the spending cap's messages and suspension. "Pay outstanding" is `outstanding`.

use std::collections::BTreeMap;

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::messages::MessageTopic;
use bazaar_core::money::Money;
use bazaar_core::notices::NoticeKind;
use bazaar_core::orders::{PaymentChannel, PaymentMethod};
use bazaar_core::usage::{CapLevel, UsageStanding, cap_level, chargeable, freezes_at, usage_released_at};

use super::{month_end, next_hour, tell_buyer};
use crate::domain::{notices, payments};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Transaction, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::metered_apps::MeteredRow;
use crate::store::usage_charges::{Unsettled, UnsettledRow};

/// What one hourly run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ChargeReport {
    /// Apps charged (or whose usage was all beyond the cap).
    pub charged: usize,
    /// Apps whose charge failed (now in arrears).
    pub failed: usize,
}

/// Who pays a charge.
#[derive(Debug, Clone, Copy)]
pub(super) enum Payer {
    /// The buyer, with the first of these methods that pays.
    Buyer(AccountId, &'static [PaymentMethod]),
    /// A reseller customer's reseller: nobody is charged here.
    Reseller(i64),
}

const ANY_METHOD: &[PaymentMethod] = &[PaymentMethod::Card, PaymentMethod::Balance, PaymentMethod::Credit];

/// Buyers charged in one write transaction: a commit writes each page it changed once,
/// and the buyers of one page of due apps share many pages (records, sums, charges).
const ACCOUNTS_PER_TRANSACTION: usize = 50;

/// Charges every app whose hourly run is due at the clock's now: per buyer, all of the
/// buyer's due apps and one payment per currency; fifty buyers to a transaction.
pub async fn charge_due(state: &AppState) -> ApiResult<ChargeReport> {
    let now = state.clock.unix_now();
    let mut report = ChargeReport::default();
    loop {
        let due = store::metered_apps::due_for_charging(&state.db, now, 500).await?;
        if due.is_empty() {
            return Ok(report);
        }
        let mut by_account: BTreeMap<AccountId, Vec<MeteredRow>> = BTreeMap::new();
        for app in due {
            by_account.entry(app.account_id).or_default().push(app);
        }
        let accounts: Vec<(AccountId, Vec<MeteredRow>)> = by_account.into_iter().collect();
        for batch in accounts.chunks(ACCOUNTS_PER_TRANSACTION) {
            let mut resellers = Vec::with_capacity(batch.len());
            for (account_id, _) in batch {
                resellers.push(store::accounts::reseller_of(&state.db, *account_id).await?);
            }
            let ids: Vec<AccountId> = batch.iter().map(|(account_id, _)| *account_id).collect();
            let mut transaction = begin_write(&state.db, WriteScope::Accounts(&ids)).await?;
            for ((account_id, apps), reseller_id) in batch.iter().zip(resellers) {
                let payer = match reseller_id {
                    Some(reseller_id) => Payer::Reseller(reseller_id),
                    None => Payer::Buyer(*account_id, ANY_METHOD),
                };
                let (charged, failed) = charge_account(&mut transaction, *account_id, apps.clone(), payer, now).await?;
                report.charged += charged;
                report.failed += failed;
            }
            transaction.commit().await?;
        }
    }
}

/// One buyer's run over its due `apps`, in the caller's transaction: (apps charged, apps
/// whose charge failed). Apps another run claimed first are left to it.
async fn charge_account(
    transaction: &mut Transaction,
    account_id: AccountId,
    apps: Vec<MeteredRow>,
    payer: Payer,
    now: i64,
) -> ApiResult<(usize, usize)> {
    let claimed = store::metered_apps::claim_due_of_account(transaction, account_id, now, next_hour(now)).await?;
    if claimed.is_empty() {
        return Ok((0, 0));
    }
    // Every due app of the buyer was claimed, also those beyond this page of due apps.
    let apps: Vec<MeteredRow> = if claimed.iter().all(|id| apps.iter().any(|app| app.app_id == *id)) {
        apps.into_iter().filter(|app| claimed.contains(&app.app_id)).collect()
    } else {
        store::metered_apps::of_account(transaction, account_id)
            .await?
            .into_iter()
            .filter(|app| claimed.contains(&app.app_id))
            .collect()
    };
    let unsettled = store::usage_charges::unsettled_of_account(transaction, account_id)
        .await?
        .of_apps(|app_id| claimed.contains(&app_id));
    // One payment per currency: a buyer's CNY and USD apps are charged apart.
    let mut currencies = Vec::new();
    for app in &apps {
        if !currencies.contains(&app.currency) {
            currencies.push(app.currency);
        }
    }
    let mut outcome = (0, 0);
    for currency in currencies {
        let group: Vec<MeteredRow> = apps.iter().filter(|app| app.currency == currency).cloned().collect();
        let group_unsettled = unsettled.of_apps(|app_id| group.iter().any(|app| app.app_id == app_id));
        let (charged, failed) = charge_group(transaction, &group, &group_unsettled, payer, now).await?;
        outcome = (outcome.0 + charged, outcome.1 + failed);
    }
    Ok(outcome)
}

/// Settles and pays one currency's apps of a buyer in the caller's transaction; on a
/// failed payment undoes that and puts the apps in arrears (each told once).
async fn charge_group(
    transaction: &mut Transaction,
    apps: &[MeteredRow],
    unsettled: &Unsettled,
    payer: Payer,
    now: i64,
) -> ApiResult<(usize, usize)> {
    store::savepoint(transaction, "usage_charge").await?;
    match settle(transaction, apps, unsettled, payer, now).await {
        Ok(_) => {
            store::release(transaction, "usage_charge").await?;
            for app in apps.iter().filter(|app| app.arrears_since.is_some()) {
                if let Some(since) = store::metered_apps::leave_arrears(transaction, app.app_id).await? {
                    reinstate(transaction, app, since, now).await?;
                }
            }
            Ok((apps.len(), 0))
        }
        Err(error @ (ApiError::InsufficientBalance | ApiError::PaymentDeclined(_) | ApiError::Validation(_))) => {
            store::rollback_to(transaction, "usage_charge").await?;
            store::release(transaction, "usage_charge").await?;
            tracing::info!(%error, apps = apps.len(), "usage charge failed; the apps are in arrears");
            for app in apps {
                let since = app.arrears_since.unwrap_or(now);
                store::metered_apps::enter_arrears(transaction, app.app_id, since).await?;
                let occasion = format!("usage_charge_failed:{}:{since}", app.app_id);
                let freezes = Some(freezes_at(from_unix(since)));
                tell_buyer(transaction, app, MessageTopic::UsageChargeFailed, freezes, None, occasion, now).await?;
            }
            Ok((0, apps.len()))
        }
        Err(other) => Err(other),
    }
}

/// The app is paid up again: told so, and the seller told to reinstate it when it was
/// frozen. Released apps stay released.
pub(super) async fn reinstate(
    transaction: &mut Transaction,
    app: &MeteredRow,
    since: i64,
    now: i64,
) -> ApiResult<bool> {
    match UsageStanding::at(Some(from_unix(since)), from_unix(now)) {
        UsageStanding::Released => {
            let released = usage_released_at(from_unix(since)).unix_timestamp();
            store::metered_apps::mark_released(transaction, app.app_id, released).await?;
            Ok(false)
        }
        UsageStanding::Frozen => {
            notices::queue(transaction, app.app_id, NoticeKind::Reinstated, since, None, now, now).await?;
            let occasion = format!("usage_reinstated:{}:{since}", app.app_id);
            tell_buyer(transaction, app, MessageTopic::UsageReinstated, None, None, occasion, now).await?;
            Ok(true)
        }
        UsageStanding::Paid | UsageStanding::Arrears => Ok(false),
    }
}

/// Settles what `apps` have `unsettled` (apps without a cap in full, per app and month; the
/// capped ones record by record, each charged up to its month's cap) and pays the total
/// with `payer`; the caller undoes it all on an error. Returns what was paid.
pub(super) async fn settle(
    transaction: &mut Transaction,
    apps: &[MeteredRow],
    unsettled: &Unsettled,
    payer: Payer,
    now: i64,
) -> ApiResult<Option<Money>> {
    let mut charges: Vec<(i64, &MeteredRow, i64)> = Vec::new();
    let mut cap_news: Vec<(&MeteredRow, i64, i64, i64)> = Vec::new();
    settle_in_full(transaction, apps, unsettled, &mut charges, now).await?;
    let mut groups: BTreeMap<(OrderId, i64), Vec<&UnsettledRow>> = BTreeMap::new();
    for record in &unsettled.records {
        groups.entry((record.app_id, record.month)).or_default().push(record);
    }
    for ((app_id, month), records) in &groups {
        // The capped apps (a cap lifted since the read is charged in full, record by record).
        let Some(app) = apps.iter().find(|app| app.app_id == *app_id) else { continue };
        let spent_before = store::usage_charges::charged_in_month(transaction, *app_id, *month).await?;
        let mut spent = spent_before;
        let mut amounts = Vec::with_capacity(records.len());
        for record in records {
            let charged = chargeable(record.amount_minor, spent, app.cap_minor);
            spent += charged;
            amounts.push(charged);
        }
        let new_charge = store::usage_charges::NewCharge {
            app_id: *app_id,
            account_id: app.account_id,
            month: *month,
            amount_minor: spent - spent_before,
            currency: app.currency,
            now,
        };
        let charge_id = store::usage_charges::insert_charge(transaction, new_charge).await?;
        let each: Vec<(&UnsettledRow, i64)> = records.iter().copied().zip(amounts).collect();
        let settled = store::usage_charges::SettledApp { account_id: app.account_id, currency: app.currency };
        if !store::usage_charges::settle_each(transaction, &settled, &each, charge_id).await? {
            return Err(ApiError::Conflict("Another run settled this usage first.".to_owned()));
        }
        charges.push((charge_id, app, spent - spent_before));
        if let Some(cap) = app.cap_minor {
            cap_news.push((app, *month, spent_before, spent.min(cap)));
        }
    }
    let paid = pay(transaction, &charges, payer, now).await?;
    for (app, month, before, after) in cap_news {
        tell_cap(transaction, app, month, before, after, now).await?;
    }
    Ok(paid)
}

/// The apps without a cap: every record charged in full, all of them in a few statements
/// (one charge per app and month, then one update that settles each record against its
/// charge). A record that arrived after the read (PostgreSQL) is settled too, and its
/// charge follows what was settled.
async fn settle_in_full<'a>(
    transaction: &mut Transaction,
    apps: &'a [MeteredRow],
    unsettled: &Unsettled,
    charges: &mut Vec<(i64, &'a MeteredRow, i64)>,
    now: i64,
) -> ApiResult<()> {
    let mut read: BTreeMap<(OrderId, i64), i64> = BTreeMap::new();
    let mut new_charges = Vec::new();
    for unsettled_month in &unsettled.months {
        let Some(app) = apps.iter().find(|app| app.app_id == unsettled_month.app_id) else { continue };
        read.insert((unsettled_month.app_id, unsettled_month.month), unsettled_month.amount_minor);
        new_charges.push(store::usage_charges::NewCharge {
            app_id: unsettled_month.app_id,
            account_id: app.account_id,
            month: unsettled_month.month,
            amount_minor: unsettled_month.amount_minor,
            currency: app.currency,
            now,
        });
    }
    let Some(account_id) = new_charges.first().map(|charge| charge.account_id) else { return Ok(()) };
    let inserted = store::usage_charges::insert_charges(transaction, &new_charges).await?;
    let mut settled: BTreeMap<(OrderId, i64), i64> = BTreeMap::new();
    for (app_id, month, amount) in store::usage_charges::settle_in_full(transaction, account_id, &inserted).await? {
        *settled.entry((app_id, month)).or_default() += amount;
    }
    for (charge_id, app_id, month) in inserted {
        let amount = settled.get(&(app_id, month)).copied().unwrap_or(0);
        if Some(&amount) != read.get(&(app_id, month)) {
            store::usage_charges::set_charge_amount(transaction, charge_id, amount).await?;
        }
        if let Some(app) = apps.iter().find(|app| app.app_id == app_id) {
            charges.push((charge_id, app, amount));
        }
    }
    Ok(())
}

/// Pays the charges' total with one authorisation, then writes each charge's ledger entry.
async fn pay(
    transaction: &mut Transaction,
    charges: &[(i64, &MeteredRow, i64)],
    payer: Payer,
    now: i64,
) -> ApiResult<Option<Money>> {
    let Some((_, first, _)) = charges.first() else { return Ok(None) };
    let total = Money::new(charges.iter().map(|(_, _, amount)| amount).sum(), first.currency);
    if total.amount_minor == 0 {
        return Ok(Some(total));
    }
    let (account_id, reseller_id, authorized) = match payer {
        Payer::Reseller(reseller_id) => (
            None,
            Some(reseller_id),
            payments::Authorized { channel: PaymentChannel::Reseller, card_label: None, gateway_reference: None },
        ),
        Payer::Buyer(account_id, methods) => {
            let mut last_error = ApiError::InsufficientBalance;
            let mut authorized = None;
            for method in methods {
                match payments::authorize(transaction, account_id, *method, total).await {
                    Ok(found) => {
                        authorized = Some(found);
                        break;
                    }
                    Err(
                        error
                        @ (ApiError::InsufficientBalance | ApiError::PaymentDeclined(_) | ApiError::Validation(_)),
                    ) => {
                        last_error = error;
                    }
                    Err(other) => return Err(other),
                }
            }
            (Some(account_id), None, authorized.ok_or(last_error)?)
        }
    };
    let ids: Vec<i64> = charges.iter().map(|(charge_id, ..)| *charge_id).collect();
    store::usage_charges::record_paid(
        transaction,
        &ids,
        (account_id, reseller_id),
        authorized.channel,
        authorized.card_label.as_deref(),
        authorized.gateway_reference.as_deref(),
        now,
    )
    .await?;
    Ok(Some(total))
}

/// The cap's messages when a month's charged spend moved from `before` to `after`: 80 %
/// once, 100 % once with the app suspended until the month ends (the seller told).
async fn tell_cap(
    transaction: &mut Transaction,
    app: &MeteredRow,
    month: i64,
    before: i64,
    after: i64,
    now: i64,
) -> ApiResult<()> {
    let Some(cap) = app.cap_minor else { return Ok(()) };
    let (was, is) = (cap_level(before, cap), cap_level(after, cap));
    if is <= was {
        return Ok(());
    }
    if is >= Some(CapLevel::Warning) && was < Some(CapLevel::Warning) {
        let occasion = format!("cap_warning:{}:{month}", app.app_id);
        tell_buyer(transaction, app, MessageTopic::SpendingCapWarning, None, None, occasion, now).await?;
    }
    if is == Some(CapLevel::Reached) {
        let occasion = format!("cap_reached:{}:{month}", app.app_id);
        let until = Some(month_end(month));
        tell_buyer(transaction, app, MessageTopic::SpendingCapReached, until, None, occasion, now).await?;
        if store::metered_apps::suspend_by_cap(transaction, app.app_id, month).await? {
            notices::queue(transaction, app.app_id, NoticeKind::Suspended, now, None, now, now).await?;
        }
    }
    Ok(())
}
