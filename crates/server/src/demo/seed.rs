//! Demo data: an account for every role with realistic contact profiles. The README lists
//! these accounts; keep the two in step.

use bazaar_core::money::{Currency, Money};

use crate::error::ApiResult;
use crate::infra::db::{self, Database, Transaction};
use crate::infra::passwords::Passwords;

/// Every demo account shares this password (the README says so).
pub const DEMO_PASSWORD: &str = "bazaar-demo";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub mobile: &'static str,
    pub email: &'static str,
    pub iam_user_name: &'static str,
    /// For sellers: the seller organisation's name.
    pub organisation: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "lin.wei",
        display_name: "Lin Wei",
        role: "buyer",
        mobile: "+86 138 0013 8000",
        email: "lin.wei@example.com",
        iam_user_name: "lin_wei_ops",
        organisation: None,
    },
    DemoAccount {
        username: "maria.santos",
        display_name: "Maria Santos",
        role: "buyer",
        mobile: "+351 912 345 678",
        email: "maria.santos@example.org",
        iam_user_name: "msantos",
        organisation: None,
    },
    DemoAccount {
        username: "chen.jie",
        display_name: "Chen Jie",
        role: "reseller_customer",
        mobile: "+86 139 1234 5678",
        email: "chen.jie@example.net",
        iam_user_name: "chenjie_dev",
        organisation: Some("Harbor Cloud Partners"),
    },
    DemoAccount {
        username: "sam.okafor",
        display_name: "Sam Okafor",
        role: "seller",
        mobile: "+44 20 7946 0958",
        email: "sam.okafor@northwind-data.example",
        iam_user_name: "northwind_sam",
        organisation: Some("Northwind Data Systems"),
    },
    DemoAccount {
        username: "ivy.tan",
        display_name: "Ivy Tan",
        role: "seller",
        mobile: "+65 6123 4567",
        email: "ivy.tan@bluepeak-security.example",
        iam_user_name: "bluepeak_ivy",
        organisation: Some("BluePeak Security"),
    },
    DemoAccount {
        username: "wang.fang",
        display_name: "Wang Fang",
        role: "buyer",
        mobile: "+86 137 1122 3344",
        email: "wang.fang@example.cn",
        iam_user_name: "wangfang_it",
        organisation: None,
    },
    DemoAccount {
        username: "zhang.min",
        display_name: "Zhang Min",
        role: "operations",
        mobile: "+86 10 6552 9988",
        email: "zhang.min@bazaar.example",
        iam_user_name: "ops_zhang",
        organisation: None,
    },
];

/// Seeds the demo accounts when the database has none; does nothing otherwise.
pub async fn seed_if_empty(db: &Database, passwords: &Passwords, now: i64) -> ApiResult<bool> {
    let accounts: i64 = db::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(db).await?;
    if accounts > 0 {
        return Ok(false);
    }
    let password_hash = passwords.hash(DEMO_PASSWORD.to_owned()).await?;
    let mut transaction = db.begin().await?;
    for account in DEMO_ACCOUNTS {
        let (seller_id, reseller_id) = match (account.role, account.organisation) {
            ("seller", Some(name)) => (Some(ensure_seller(&mut transaction, name, now).await?), None),
            ("reseller_customer", Some(name)) => {
                let id: i64 = db::query_scalar(
                    "INSERT INTO resellers (name, email, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(name)
                .bind("billing@harbor-cloud.example")
                .bind(now)
                .fetch_one(&mut *transaction)
                .await?;
                (None, Some(id))
            }
            _ => (None, None),
        };
        db::query(
            "INSERT INTO accounts (username, display_name, password_hash, role, mobile, email,
                                   iam_user_name, seller_id, reseller_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(account.username)
        .bind(account.display_name)
        .bind(&password_hash)
        .bind(account.role)
        .bind(account.mobile)
        .bind(account.email)
        .bind(account.iam_user_name)
        .bind(seller_id)
        .bind(reseller_id)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
    }
    db::query("INSERT INTO demo_data (id, seeded_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(now)
        .execute(&mut *transaction)
        .await?;
    transaction.commit().await?;
    tracing::info!(accounts = DEMO_ACCOUNTS.len(), "seeded demo accounts");
    Ok(true)
}

/// The id of the seller organisation called `name`, created with demo contact details
/// when it does not exist yet. Its provisioning key is issued (sealed) at the next start
/// by [`crate::domain::secrets::seal_everything`].
pub async fn ensure_seller(transaction: &mut Transaction, name: &str, now: i64) -> ApiResult<i64> {
    if let Some(id) = db::query_scalar::<i64>("SELECT id FROM sellers WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **transaction)
        .await?
    {
        return Ok(id);
    }
    let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let id = db::query_scalar(
        "INSERT INTO sellers (name, email, phone, support_hours, provisioning_url, provisioning_key, created_at)
         VALUES ($1, $2, $3, $4, NULL, '', $5) RETURNING id",
    )
    .bind(name)
    .bind(format!("support@{slug}.example"))
    .bind("+86 400 820 0000")
    .bind("Mon–Fri 09:00–18:00 (UTC+8)")
    .bind(now)
    .fetch_one(&mut **transaction)
    .await?;
    Ok(id)
}

/// Demo money: balances, cards and a credit line that exercise every payment path, and the
/// demo sellers' provisioning endpoint (the built-in one on this server). Seeds the money
/// only when the ledger is empty; pointing sellers at the demo endpoint is idempotent.
///
/// - lin.wei: ¥20,000 balance and a Visa that is approved;
/// - maria.santos: ¥50 balance (too little for most apps), a card the issuer declines,
///   and a ¥100,000 credit line;
/// - chen.jie buys through a reseller and pays nothing here.
pub async fn seed_demo_funds_if_empty(db: &Database, now: i64) -> ApiResult<()> {
    let sellers: Vec<i64> =
        db::query_scalar("SELECT id FROM sellers WHERE provisioning_url IS NULL").fetch_all(db).await?;
    for seller_id in sellers {
        db::query("UPDATE sellers SET provisioning_url = $1, notices_url = $2 WHERE id = $3")
            .bind(crate::demo::seller::demo_provisioning_path(seller_id))
            .bind(crate::demo::seller::demo_notices_path(seller_id))
            .bind(seller_id)
            .execute(db)
            .await?;
    }
    let entries: i64 = db::query_scalar("SELECT COUNT(*) FROM ledger_entries").fetch_one(db).await?;
    if entries > 0 {
        return Ok(());
    }
    let account = |username: &'static str| async move {
        db::query_scalar::<bazaar_core::ids::AccountId>("SELECT id FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(db)
            .await
    };
    let cny = |amount_minor| Money::new(amount_minor, Currency::CNY);
    if let Some(lin) = account("lin.wei").await? {
        crate::domain::payments::top_up(db, lin, cny(2_000_000), "Demo top-up", now).await?;
        crate::domain::payments::save_card(db, lin, "4242424242424242", 12, 2030, now).await?;
    }
    // A buyer with no balance whose card has run out of funds: her pay-per-use charges
    // fail, so arrears and "pay outstanding" can be tried.
    if let Some(wang) = account("wang.fang").await? {
        crate::domain::payments::save_card(db, wang, "4000000000009995", 3, 2031, now).await?;
    }
    if let Some(maria) = account("maria.santos").await? {
        crate::domain::payments::top_up(db, maria, cny(5_000), "Demo top-up", now).await?;
        crate::domain::payments::save_card(db, maria, "4000000000000002", 8, 2029, now).await?;
        db::query("INSERT INTO credit_lines (account_id, currency, limit_minor) VALUES ($1, 'CNY', $2)")
            .bind(maria)
            .bind(10_000_000_i64)
            .execute(db)
            .await?;
    }
    tracing::info!("seeded demo balances, cards and credit");
    Ok(())
}
