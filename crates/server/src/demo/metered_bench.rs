//! Benchmark data for pay-per-use (`generate-metered-apps`): completed pay-per-use apps
//! spread over 8 sellers, the first few owned by lin.wei with 30 days of usage, the others
//! by the benchmark buyers with `hours` hours of usage each, all due for their charge.

use bazaar_core::catalog::BillingMode;
use bazaar_core::catalog::SkuPrice;
use bazaar_core::money::{Currency, Money};
use bazaar_core::pricing::price_units;

use crate::error::{ApiError, ApiResult};
use crate::infra::db::{self, Database, WriteScope, begin_write};
use crate::store;
use bazaar_core::ids::{AccountId, OrderId};

/// ¥0.40 an hour, the price of Northwind CRM Cloud's pay-per-use specification.
const HOURLY_MINOR: i64 = 40;

/// What was generated: the 8 sellers (the usage benchmark signs as them) and the apps' ids,
/// consecutive, app `i` being seller `i % 8`'s.
#[derive(Debug, serde::Serialize)]
pub struct Generated {
    pub sellers: Vec<i64>,
    pub first_app: i64,
}

/// Generates the apps.
pub async fn generate(db: &Database, apps: usize, buyer_apps: usize, hours: i64, now: i64) -> ApiResult<Generated> {
    let sellers: Vec<(i64, i64, String, String)> = db::query_as(
        "SELECT s.id, MIN(p.id), s.name, MIN(p.name) FROM sellers s JOIN products p ON p.seller_id = s.id
         GROUP BY s.id, s.name ORDER BY s.id LIMIT 8",
    )
    .fetch_all(db)
    .await?;
    let account = |name: &'static str| async move {
        db::query_scalar::<i64>("SELECT id FROM accounts WHERE username = $1").bind(name).fetch_one(db).await
    };
    let (lin, maria) = (account("lin.wei").await?, account("maria.santos").await?);
    // The other apps go to the benchmark buyers (`generate-buyers`), twenty or so each,
    // as real accounts hold them; maria.santos takes them all when there are none.
    let mut others: Vec<i64> =
        // Not `LIKE`: user names compare case-insensitively on PostgreSQL, which `LIKE` refuses.
        db::query_scalar("SELECT id FROM accounts WHERE substr(username, 1, 12) = 'bench.buyer.' ORDER BY id")
            .fetch_all(db)
            .await?;
    if others.is_empty() {
        others.push(maria);
    }
    let price = SkuPrice {
        billing_mode: BillingMode::PayPerUse,
        price: Money::new(HOURLY_MINOR, Currency::CNY),
        server_fee: None,
    };
    let breakdown = price_units(&price, 1, 1).map_err(|_| ApiError::internal("pricing"))?;
    let price_json = serde_json::to_string(&breakdown).map_err(ApiError::internal)?;
    let started = now - 31 * 86_400;
    let last_hour = now.div_euclid(3_600) * 3_600 - 3_600;
    let mut transaction = begin_write(db, WriteScope::Maintenance).await?;
    let mut first_app = None;
    for index in 0..apps {
        let (seller_id, product_id, seller_name, product_name) = &sellers[index % sellers.len()];
        let owner = if index < buyer_apps { lin } else { others[index % others.len()] };
        let app_id: i64 = db::query_scalar(
            "INSERT INTO orders (account_id, product_id, seller_id, product_name, seller_name, delivery_method,
                                 supervised, sku_id, sku_name, billing_mode, duration_months, quantity, region,
                                 currency, total_minor, due_now_minor, price_json, status, provisioning_kind,
                                 created_at, paid_at, completed_at)
             VALUES ($1, $2, $3, $4, $5, 'saas', FALSE, 1, 'Basic', 'pay_per_use', NULL, 1, 'cn-north-4', 'CNY', $6, 0,
                     $7, 'completed', 'none', $8, $8, $8)
             RETURNING id",
        )
        .bind(owner)
        .bind(product_id)
        .bind(seller_id)
        .bind(product_name)
        .bind(seller_name)
        .bind(HOURLY_MINOR)
        .bind(&price_json)
        .bind(started)
        .fetch_one(&mut *transaction)
        .await?;
        if first_app.is_some_and(|first| first + index as i64 != app_id) {
            return Err(ApiError::internal("generated app ids are not consecutive"));
        }
        first_app.get_or_insert(app_id);
        db::query("INSERT INTO metered_apps (app_id, account_id, next_charge_at) VALUES ($1, $2, 0)")
            .bind(app_id)
            .bind(owner)
            .execute(&mut *transaction)
            .await?;
        let app_hours = if index < buyer_apps { 30 * 24 } else { hours };
        // Through the store, as the usage API stores them: the months' sums follow.
        let records: Vec<store::usage::NewRecord<'_>> = (0..app_hours)
            .map(|step| {
                let hour = last_hour - step * 3_600;
                let quantity = crate::demo::usage_meter::plausible_quantity(app_id, hour);
                store::usage::NewRecord {
                    app_id: OrderId(app_id),
                    account_id: AccountId(owner),
                    dimension: "hours",
                    month: crate::domain::usage::month_of(hour),
                    hour,
                    quantity,
                    amount_minor: quantity * HOURLY_MINOR,
                    currency: Currency::CNY,
                    now: hour + 3_000,
                }
            })
            .collect();
        store::usage::insert_records(&mut transaction, &records).await?;
    }
    transaction.commit().await?;
    Ok(Generated { sellers: sellers.into_iter().map(|(id, ..)| id).collect(), first_app: first_app.unwrap_or(0) })
}
