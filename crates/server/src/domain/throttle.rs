//! Login and re-authentication throttling, kept in the database (so it holds across
//! restarts and, later, across instances) and decided by
//! [`bazaar_core::security::ThrottlePolicy`].
//!
//! An attempt is counted as a failure *before* the password is checked, in the same write
//! transaction as the decision, so a burst of parallel guesses cannot all slip through
//! before the count catches up; a correct password then clears the account's count. A
//! refused attempt costs no Argon2 work at all.

use bazaar_core::security::{ACCOUNT_THROTTLE, ADDRESS_THROTTLE, ThrottleDecision, ThrottlePolicy, ThrottleRecord};
use std::net::IpAddr;

use crate::error::{ApiError, ApiResult};
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// The keys one password check is counted against.
#[derive(Debug, Clone)]
pub struct AttemptKeys {
    /// The account name as typed, trimmed and lower-cased (user names ignore case).
    account: String,
    /// The client's address; IPv6 clients by their /64, which one household or phone gets.
    address: Option<String>,
}

impl AttemptKeys {
    pub fn new(username: &str, client_address: Option<&str>) -> AttemptKeys {
        let address = client_address.map(|address| match address.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => {
                let segments = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", segments[0], segments[1], segments[2], segments[3])
            }
            _ => address.to_owned(),
        });
        AttemptKeys { account: username.trim().to_lowercase(), address }
    }

    /// The names the counters are locked by while one attempt reads and writes them.
    fn lock_names(&self) -> Vec<String> {
        self.scopes().into_iter().map(|(scope, key, _)| format!("throttle:{scope}:{key}")).collect()
    }

    fn scopes(&self) -> Vec<(&'static str, &str, ThrottlePolicy)> {
        let mut scopes = vec![("account", self.account.as_str(), ACCOUNT_THROTTLE)];
        if let Some(address) = &self.address {
            scopes.push(("address", address.as_str(), ADDRESS_THROTTLE));
        }
        scopes
    }
}

/// Lets one password check go ahead (and counts it as a failure until [`succeeded`]
/// says otherwise), or refuses it with 429 and the wait.
pub async fn begin_attempt(state: &AppState, keys: &AttemptKeys) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Keys(&keys.lock_names())).await?;
    let mut updates = Vec::new();
    let mut refusal: Option<(i64, bool)> = None;
    for (scope, key, policy) in keys.scopes() {
        let row = store::throttles::get(&mut transaction, scope, key).await?;
        let record = row
            .map(|row| ThrottleRecord {
                failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
                last_failure_at: row.last_failure_at,
                locked_until: row.locked_until,
            })
            .unwrap_or_default();
        match policy.decide(&record, now) {
            ThrottleDecision::Allow => updates.push((scope, key, policy.after_failure(&record, now))),
            ThrottleDecision::Wait { seconds, locked } => {
                let (longest, any_lock) = refusal.unwrap_or((0, false));
                refusal = Some((longest.max(seconds), any_lock || locked));
            }
        }
    }
    if let Some((seconds, locked)) = refusal {
        drop(transaction);
        tracing::warn!(target: "security", address = ?keys.address, seconds, locked, "password attempt refused by the throttle");
        let retry_after_seconds = u64::try_from(seconds).unwrap_or(1).max(1);
        return Err(if locked {
            ApiError::AccountLocked { retry_after_seconds }
        } else {
            ApiError::RateLimited { retry_after_seconds }
        });
    }
    for (scope, key, record) in updates {
        if record.locked_until.is_some() {
            tracing::warn!(target: "security", scope, address = ?keys.address, until = record.locked_until, "logins locked after repeated failures");
        }
        let row = store::throttles::ThrottleRow {
            failures: i64::from(record.failures),
            last_failure_at: record.last_failure_at,
            locked_until: record.locked_until,
        };
        store::throttles::put(&mut transaction, scope, key, &row).await?;
    }
    // Forget what no longer matters, so a spray of made-up names does not grow the table.
    let before = now.saturating_sub(ACCOUNT_THROTTLE.window_seconds.max(ADDRESS_THROTTLE.window_seconds));
    store::throttles::forget_old(&mut transaction, before, now).await?;
    transaction.commit().await?;
    Ok(())
}

/// The password was wrong: the failure [`begin_attempt`] counted in advance stands, and the
/// waiting time counts from now, after the check (which can take a while under load), so
/// the next attempt waits the full time after the answer.
pub async fn failed(state: &AppState, keys: &AttemptKeys) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Keys(&keys.lock_names())).await?;
    for (scope, key, _) in keys.scopes() {
        store::throttles::failed_at(&mut transaction, scope, key, now).await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// The password was right: the account's count starts again, and the address gets back
/// the one failure [`begin_attempt`] counted in advance — but keeps its earlier failures,
/// or an attacker could clear them by logging in to an account of their own now and then.
pub async fn succeeded(state: &AppState, keys: &AttemptKeys) -> ApiResult<()> {
    let mut transaction = begin_write(&state.db, WriteScope::Keys(&keys.lock_names())).await?;
    store::throttles::clear_account(&mut transaction, &keys.account).await?;
    if let Some(address) = &keys.address {
        store::throttles::forgive_one(&mut transaction, address).await?;
    }
    transaction.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_group_ipv6_by_network() {
        let keys = AttemptKeys::new("  Lin.Wei ", Some("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assert_eq!(keys.account, "lin.wei");
        assert_eq!(keys.address.as_deref(), Some("2001:db8:1:2::/64"));
        assert_eq!(AttemptKeys::new("x", Some("192.0.2.1")).address.as_deref(), Some("192.0.2.1"));
    }
}
