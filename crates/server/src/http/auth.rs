//! Sessions and the `CurrentAccount` extractor: who is calling, and what their role allows.
//!
//! The session token lives only in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` and
//! `__Host-` prefixed over HTTPS); the database keeps its SHA-256, so neither scripts in the
//! page nor a copy of the database can use it. A session ends after
//! `session_idle_seconds` without a request or `session_absolute_seconds` after the password
//! was entered, whichever comes first, counted in real time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use bazaar_core::account::{AccountSummary, ContactProfile, Role, SessionInfo};
use bazaar_core::ids::AccountId;
use bazaar_core::security::MAX_SESSIONS_PER_ACCOUNT;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Database, WriteScope};
use crate::state::AppState;
use crate::store;

/// The session cookie's name over HTTPS: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, has `Path=/` and no `Domain`, so a sibling subdomain cannot plant
/// or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-bazaar_session";
/// The name in demo mode on plain `http://`, where a `Secure` cookie would not be kept.
pub const PLAIN_SESSION_COOKIE: &str = "bazaar_session";
/// Sensitive actions (revealing credentials) need a password entered this recently.
pub const RECENT_LOGIN_SECONDS: i64 = 15 * 60;
/// `last_seen_at` is written at most this often per session (a write per request would
/// queue every reader behind SQLite's write lock), or a quarter of the idle timeout when
/// that is shorter; the idle timeout is that much coarser.
const LAST_SEEN_RESOLUTION_SECONDS: i64 = 60;

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_SESSION_COOKIE } else { PLAIN_SESSION_COOKIE }
}

/// The authenticated caller, loaded from the session cookie on every request that asks.
#[derive(Debug, Clone)]
pub struct CurrentAccount {
    pub id: AccountId,
    pub username: String,
    pub role: Role,
    pub seller_id: Option<i64>,
    pub reseller_id: Option<i64>,
    pub authenticated_at: i64,
    /// The session's row, for "this device" in My Account and for signing it out.
    pub session_id: i64,
}

impl CurrentAccount {
    /// The seller organisation a seller acts for.
    pub fn require_seller(&self) -> ApiResult<i64> {
        match (self.role, self.seller_id) {
            (Role::Seller, Some(seller_id)) => Ok(seller_id),
            _ => Err(ApiError::Forbidden("Only sellers can do this.")),
        }
    }

    /// Fails with `ReauthenticationRequired` when the password was entered too long ago.
    pub fn require_recent_login(&self, now: i64) -> ApiResult<()> {
        if now - self.authenticated_at <= RECENT_LOGIN_SECONDS {
            Ok(())
        } else {
            Err(ApiError::ReauthenticationRequired)
        }
    }
}

impl FromRequestParts<AppState> for CurrentAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The access layer already loaded it for this request.
        if let Some(account) = parts.extensions.get::<CurrentAccount>() {
            return Ok(account.clone());
        }
        let name = session_cookie_name(state.config.cookies_are_secure());
        let token = session_token(&parts.headers, name)?.ok_or(ApiError::Unauthenticated)?;
        let now = state.clock.real_unix_now();
        let idle_since = now.saturating_sub(state.config.session_idle_seconds);
        let row = store::sessions::live(&state.db, &hash_token(&token), now, idle_since).await?;
        let row = row.ok_or(ApiError::Unauthenticated)?;
        let role = row.role;
        let resolution = LAST_SEEN_RESOLUTION_SECONDS.min(state.config.session_idle_seconds / 4);
        if now - row.last_seen_at >= resolution {
            let address = crate::http::extract::ClientAddress::from_request_parts(parts, state)
                .await
                .map(|a| a.0)
                .unwrap_or(None);
            store::sessions::touch(&state.db, row.session_id, now, address).await?;
        }
        let account = CurrentAccount {
            id: row.account_id,
            username: row.username,
            role,
            seller_id: row.seller_id,
            reseller_id: row.reseller_id,
            authenticated_at: row.authenticated_at,
            session_id: row.session_id,
        };
        parts.extensions.insert(account.clone());
        Ok(account)
    }
}

/// `Option<CurrentAccount>`: `None` for anonymous callers (or a dead session) instead of a
/// 401, for endpoints that anyone may call but that say more to a signed-in account.
impl axum::extract::OptionalFromRequestParts<AppState> for CurrentAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentAccount as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(account) => Ok(Some(account)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The session token from the request's `Cookie` header(s), if present. Two cookies of
/// that name are refused: a browser sends two only when someone planted the second (cookie
/// tossing), and guessing which one is ours would let the planted one win.
pub fn session_token(headers: &HeaderMap, name: &str) -> ApiResult<Option<String>> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(cookie_name, _)| *cookie_name == name)
        .map(|(_, value)| value.to_owned());
    let first = found.next();
    if found.next().is_some() {
        tracing::warn!(target: "security", "request with two session cookies refused");
        return Err(ApiError::BadRequest("The request carries more than one session cookie.".to_owned()));
    }
    Ok(first.filter(|value| !value.is_empty()))
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Where a new session comes from, for My Account's list.
#[derive(Debug, Clone, Default)]
pub struct SessionOrigin {
    pub user_agent: Option<String>,
    pub client_address: Option<String>,
}

impl SessionOrigin {
    pub fn from_request(headers: &HeaderMap, client_address: Option<String>) -> SessionOrigin {
        let user_agent =
            headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|v| v.chars().take(300).collect());
        SessionOrigin { user_agent, client_address }
    }
}

/// Creates a session for `account_id` (the password was just entered: `authenticated_at`
/// on the business clock) and returns the token to put in the cookie. An account keeps at
/// most [`MAX_SESSIONS_PER_ACCOUNT`] sessions: the least recently used ones end.
pub async fn create_session(
    state: &AppState,
    account_id: AccountId,
    authenticated_at: i64,
    origin: &SessionOrigin,
) -> ApiResult<String> {
    let random: [u8; 32] = rand::random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random);
    let now = state.clock.real_unix_now();
    let mut transaction = crate::infra::db::begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let session = store::sessions::NewSession {
        token_hash: &hash_token(&token),
        account_id,
        now,
        expires_at: now.saturating_add(state.config.session_absolute_seconds),
        authenticated_at,
        user_agent: origin.user_agent.as_deref(),
        client_address: origin.client_address.as_deref(),
    };
    store::sessions::insert(&mut transaction, session).await?;
    let keep = i64::try_from(MAX_SESSIONS_PER_ACCOUNT).unwrap_or(i64::MAX);
    store::sessions::keep_newest(&mut transaction, account_id, keep).await?;
    // Ended sessions are garbage; removing them here keeps the table small without a job.
    let idle_since = now.saturating_sub(state.config.session_idle_seconds);
    store::sessions::delete_ended(&mut transaction, now, idle_since).await?;
    transaction.commit().await?;
    Ok(token)
}

/// Ends one session (by id) of an account; `false` when it was not theirs or already gone.
pub async fn end_session(db: &Database, account_id: AccountId, session_id: i64) -> ApiResult<bool> {
    Ok(store::sessions::end(db, account_id, session_id).await?)
}

/// The `Set-Cookie` value that stores `token` (or, with `None`, deletes the cookie).
pub fn session_cookie(token: Option<&str>, config: &crate::config::Config) -> HeaderValue {
    let secure = config.cookies_are_secure();
    let name = session_cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    let value = match token {
        Some(token) => format!(
            "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            config.session_absolute_seconds
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).expect("cookie value is ASCII")
}

/// The account as the SPA sees it.
pub async fn account_summary(db: &Database, account_id: AccountId) -> ApiResult<AccountSummary> {
    let row = store::accounts::account(db, account_id).await?.ok_or(ApiError::Unauthenticated)?;
    Ok(AccountSummary {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        contact: ContactProfile { mobile: row.mobile, email: row.email, iam_user_name: row.iam_user_name },
        seller_id: row.seller_id,
        reseller_name: row.reseller_name,
    })
}

pub async fn session_info(db: &Database, account: &CurrentAccount) -> ApiResult<SessionInfo> {
    Ok(SessionInfo {
        account: account_summary(db, account.id).await?,
        authenticated_at: from_unix(account.authenticated_at),
    })
}
