//! Extra demo buyers for benchmarks: `bench.buyer.N`, each with lin.wei's password and an
//! approved card, so that a checkout benchmark can have many buyers paying at once (one
//! buyer's writes queue behind each other by design; different buyers' do not).

use bazaar_core::ids::AccountId;

use crate::error::ApiResult;
use crate::infra::db::{self, Database};

/// Adds buyers `bench.buyer.1` … `bench.buyer.{count}` where missing (the demo accounts
/// must exist: the buyers share lin.wei's password hash, so no Argon2 work is done here).
pub async fn generate(db: &Database, count: usize, now: i64) -> ApiResult<()> {
    let password_hash: String =
        db::query_scalar("SELECT password_hash FROM accounts WHERE username = 'lin.wei'").fetch_one(db).await?;
    for number in 1..=count {
        let username = format!("bench.buyer.{number}");
        let created: Option<AccountId> = db::query_scalar(
            "INSERT INTO accounts (username, display_name, password_hash, role, mobile, email, iam_user_name, created_at)
             VALUES ($1, $2, $3, 'buyer', $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(&username)
        .bind(format!("Bench Buyer {number}"))
        .bind(&password_hash)
        .bind(format!("+86 138 0000 {number:04}"))
        .bind(format!("{username}@example.com"))
        .bind(format!("bench_buyer_{number}"))
        .bind(now)
        .fetch_optional(db)
        .await?;
        if let Some(account_id) = created {
            crate::domain::payments::save_card(db, account_id, "4242424242424242", 12, 2030, now).await?;
        }
    }
    tracing::info!(count, "bench buyers ready");
    Ok(())
}
