//! Sessions and the `CurrentAccount` extractor: who is calling, and what their role allows.
//!
//! The session token lives only in an `HttpOnly`, `SameSite=Lax` cookie; the database keeps
//! its SHA-256, so neither scripts in the page nor a copy of the database can use it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use bazaar_core::account::{AccountSummary, ContactProfile, Role, SessionInfo};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::clock::from_unix;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "bazaar_session";
/// A session ends this long after login, used or not.
pub const SESSION_LIFETIME_SECONDS: i64 = 7 * 24 * 60 * 60;
/// Sensitive actions (revealing credentials) need a password entered this recently.
pub const RECENT_LOGIN_SECONDS: i64 = 15 * 60;

/// The authenticated caller, loaded from the session cookie on every request that asks.
#[derive(Debug, Clone)]
pub struct CurrentAccount {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub seller_id: Option<i64>,
    pub reseller_id: Option<i64>,
    pub authenticated_at: i64,
    token_hash: Vec<u8>,
}

impl CurrentAccount {
    /// Buyers and reseller customers: the people who buy and own apps.
    pub fn require_customer(&self) -> ApiResult<()> {
        if self.role.is_customer() { Ok(()) } else { Err(ApiError::Forbidden("Only customers can do this.")) }
    }

    /// The seller organisation a seller acts for.
    pub fn require_seller(&self) -> ApiResult<i64> {
        match (self.role, self.seller_id) {
            (Role::Seller, Some(seller_id)) => Ok(seller_id),
            _ => Err(ApiError::Forbidden("Only sellers can do this.")),
        }
    }

    pub fn require_operations(&self) -> ApiResult<()> {
        if self.role == Role::Operations {
            Ok(())
        } else {
            Err(ApiError::Forbidden("Only the operations team can do this."))
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

    pub fn token_hash(&self) -> &[u8] {
        &self.token_hash
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: i64,
    username: String,
    role: String,
    seller_id: Option<i64>,
    reseller_id: Option<i64>,
    authenticated_at: i64,
}

impl FromRequestParts<AppState> for CurrentAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let token_hash = hash_token(&token);
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.account_id, a.username, a.role, a.seller_id, a.reseller_id, s.authenticated_at
             FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(&token_hash)
        .bind(state.clock.unix_now())
        .fetch_optional(&state.db)
        .await?;
        let row = row.ok_or(ApiError::Unauthenticated)?;
        let role = Role::parse(&row.role).ok_or_else(|| ApiError::internal("unknown role in database"))?;
        Ok(CurrentAccount {
            id: row.account_id,
            username: row.username,
            role,
            seller_id: row.seller_id,
            reseller_id: row.reseller_id,
            authenticated_at: row.authenticated_at,
            token_hash,
        })
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

/// The session token from the request's `Cookie` header(s), if present.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Creates a session for `account_id` and returns the token to put in the cookie.
pub async fn create_session(db: &SqlitePool, account_id: i64, now: i64) -> ApiResult<String> {
    let random: [u8; 32] = rand::random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random);
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, authenticated_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(hash_token(&token))
    .bind(account_id)
    .bind(now)
    .bind(now)
    .bind(now + SESSION_LIFETIME_SECONDS)
    .execute(db)
    .await?;
    // Expired sessions are garbage; removing them here keeps the table small without a job.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?").bind(now).execute(db).await?;
    Ok(token)
}

/// The `Set-Cookie` value that stores `token` (or, with `None`, deletes the cookie).
pub fn session_cookie(token: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_LIFETIME_SECONDS}{secure}"
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).expect("cookie value is ASCII")
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    mobile: String,
    email: String,
    iam_user_name: String,
    seller_id: Option<i64>,
    reseller_name: Option<String>,
}

/// The account as the SPA sees it.
pub async fn account_summary(db: &SqlitePool, account_id: i64) -> ApiResult<AccountSummary> {
    let row: AccountRow = sqlx::query_as(
        "SELECT a.id, a.username, a.display_name, a.role, a.mobile, a.email, a.iam_user_name,
                a.seller_id, r.name AS reseller_name
         FROM accounts a LEFT JOIN resellers r ON r.id = a.reseller_id
         WHERE a.id = ?",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?
    .ok_or(ApiError::Unauthenticated)?;
    Ok(AccountSummary {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: Role::parse(&row.role).ok_or_else(|| ApiError::internal("unknown role in database"))?,
        contact: ContactProfile { mobile: row.mobile, email: row.email, iam_user_name: row.iam_user_name },
        seller_id: row.seller_id,
        reseller_name: row.reseller_name,
    })
}

pub async fn session_info(db: &SqlitePool, account: &CurrentAccount) -> ApiResult<SessionInfo> {
    Ok(SessionInfo {
        account: account_summary(db, account.id).await?,
        authenticated_at: from_unix(account.authenticated_at),
    })
}
