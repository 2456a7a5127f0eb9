//! Benchmark data for After-Sales Support (`generate-support`): `tickets` tickets over
//! lin.wei's orders (after `generate-apps`), a third of them closed and rated, most
//! answered; and `reviews` reviews by the `bench.buyer.N` buyers (after `generate-buyers`),
//! a hundred products' worth, with each product's star counts.

use crate::error::{ApiError, ApiResult};
use crate::infra::db::{self, Database, WriteScope, begin_write};

/// Generates the tickets and reviews.
pub async fn generate(db: &Database, tickets: usize, reviews: usize, now: i64) -> ApiResult<()> {
    let orders: Vec<(i64, i64, i64, String)> = db::query_as(
        "SELECT o.id, o.seller_id, o.product_id, o.product_name FROM orders o JOIN accounts a ON a.id = o.account_id
         WHERE a.username = 'lin.wei' AND o.status = 'completed' ORDER BY o.id LIMIT 5000",
    )
    .fetch_all(db)
    .await?;
    let lin: i64 = db::query_scalar("SELECT id FROM accounts WHERE username = 'lin.wei'").fetch_one(db).await?;
    if orders.is_empty() {
        return Err(ApiError::Conflict("run generate-apps first: lin.wei has no completed orders".to_owned()));
    }
    let mut transaction = begin_write(db, WriteScope::Maintenance).await?;
    for index in 0..tickets {
        let (order_id, seller_id, product_id, product_name) = &orders[index % orders.len()];
        let opened = now - 3_600 * (index as i64 % 2_000) - 60;
        let (state, rating) = match index % 3 {
            0 => ("closed", Some(1 + (index as i64 % 5))),
            1 => ("awaiting_buyer", None),
            _ => ("awaiting_seller", None),
        };
        let answered = (index % 3 != 2).then_some(opened + 60 * (1 + index as i64 % 600));
        db::query(
            "INSERT INTO tickets (account_id, order_id, seller_id, product_id, product_name, category, state,
                                  awaiting_seller_since, rating, first_answer_at, opened_at, updated_at, closed_at)
             VALUES ($1, $2, $3, $4, $5, 'fault', $6, $7, $8, $9, $10, $10, $11)",
        )
        .bind(lin)
        .bind(order_id)
        .bind(seller_id)
        .bind(product_id)
        .bind(product_name)
        .bind(state)
        .bind((state == "awaiting_seller").then_some(opened))
        .bind(rating)
        .bind(answered)
        .bind(opened)
        .bind((state == "closed").then_some(opened + 7_200))
        .execute(&mut transaction)
        .await?;
    }
    let buyers: Vec<(i64, String)> =
        db::query_as("SELECT id, display_name FROM accounts WHERE username LIKE 'bench.buyer.%' ORDER BY id")
            .fetch_all(db)
            .await?;
    let products = reviews.div_ceil(buyers.len().max(1)).min(100);
    let mut written = 0;
    'outer: for product_id in 1..=products as i64 {
        for (account_id, name) in &buyers {
            if written == reviews {
                break 'outer;
            }
            let stars = 1 + (written as i64 * 7 + product_id) % 5;
            db::query(
                "INSERT INTO reviews (product_id, account_id, author_name, stars, body, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(product_id)
            .bind(account_id)
            .bind(name)
            .bind(stars)
            .bind("Generated for the benchmark: a review of ordinary length about the product.")
            .bind(now - written as i64)
            .execute(&mut transaction)
            .await?;
            written += 1;
        }
    }
    db::query(
        "INSERT INTO product_ratings (product_id, stars_1, stars_2, stars_3, stars_4, stars_5)
         SELECT product_id, SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END),
                SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END),
                SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END)
         FROM reviews WHERE hidden_at IS NULL GROUP BY product_id
         ON CONFLICT (product_id) DO UPDATE SET stars_1 = excluded.stars_1, stars_2 = excluded.stars_2,
             stars_3 = excluded.stars_3, stars_4 = excluded.stars_4, stars_5 = excluded.stars_5",
    )
    .execute(&mut transaction)
    .await?;
    transaction.commit().await?;
    tracing::info!(tickets, reviews = written, "support benchmark data ready");
    Ok(())
}
