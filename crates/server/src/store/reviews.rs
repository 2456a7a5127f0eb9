//! Reviews (`reviews`), each product's count per star (`product_ratings`, changed in the
//! transaction of every review that changes it), and a seller's rated tickets for its
//! support figures.

use bazaar_core::ids::AccountId;

use crate::infra::db::{self, Connection, Database};

/// A delivered purchase of the product: when it was delivered, when its app was left.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveredRow {
    pub delivered_at: i64,
    pub unsubscribed_at: Option<i64>,
}

/// The account's completed purchases of `product_id` (an unbought trial does not count)
/// that decide whether it may review it: one it still holds if there is one, else the
/// one it left last. Core's `review_eligibility` answers the same over these as over all
/// of them (a purchase is delivered when it completes, never later than now), and a buyer
/// holding thousands of apps of the product costs one row, not thousands.
pub async fn delivered(
    connection: &mut Connection,
    account_id: AccountId,
    product_id: i64,
) -> Result<Vec<DeliveredRow>, sqlx::Error> {
    const PURCHASES: &str =
        "SELECT COALESCE(o.completed_at, o.paid_at, o.created_at) AS delivered_at, u.unsubscribed_at
         FROM orders o LEFT JOIN unsubscriptions u ON u.app_id = o.id
         WHERE o.account_id = $1 AND o.product_id = $2 AND o.kind = 'purchase' AND o.status = 'completed'
           AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.app_id = o.id AND t.converted_at IS NULL)";
    let held: Vec<DeliveredRow> = db::query_as(&format!("{PURCHASES} AND u.app_id IS NULL LIMIT 1"))
        .bind(account_id)
        .bind(product_id)
        .fetch_all(&mut *connection)
        .await?;
    if !held.is_empty() {
        return Ok(held);
    }
    db::query_as(&format!("{PURCHASES} ORDER BY u.unsubscribed_at DESC LIMIT 1"))
        .bind(account_id)
        .bind(product_id)
        .fetch_all(connection)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub product_id: i64,
    pub account_id: AccountId,
    pub author_name: String,
    pub stars: i64,
    pub body: String,
    pub updated_at: i64,
    pub answer: Option<String>,
    pub hidden_reason: Option<String>,
}

const COLUMNS: &str = "id, product_id, account_id, author_name, stars, body, updated_at, answer, hidden_reason";

pub async fn of_account(
    connection: &mut Connection,
    account_id: AccountId,
    product_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    db::query_as(&format!("SELECT {COLUMNS} FROM reviews WHERE account_id = $1 AND product_id = $2"))
        .bind(account_id)
        .bind(product_id)
        .fetch_optional(connection)
        .await
}

pub async fn by_id(connection: &mut Connection, id: i64) -> Result<Option<ReviewRow>, sqlx::Error> {
    db::query_as(&format!("SELECT {COLUMNS} FROM reviews WHERE id = $1")).bind(id).fetch_optional(connection).await
}

pub struct NewReview<'a> {
    pub product_id: i64,
    pub account_id: AccountId,
    pub author_name: &'a str,
    pub stars: i64,
    pub body: &'a str,
    pub now: i64,
}

pub async fn insert(connection: &mut Connection, review: NewReview<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO reviews (product_id, account_id, author_name, stars, body, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(review.product_id)
    .bind(review.account_id)
    .bind(review.author_name)
    .bind(review.stars)
    .bind(review.body)
    .bind(review.now)
    .fetch_one(connection)
    .await
}

pub async fn update(connection: &mut Connection, id: i64, stars: i64, body: &str, now: i64) -> Result<(), sqlx::Error> {
    db::query("UPDATE reviews SET stars = $1, body = $2, updated_at = $3 WHERE id = $4")
        .bind(stars)
        .bind(body)
        .bind(now)
        .bind(id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Adds `delta` reviews of `stars` to the product's counts.
pub async fn count_stars(
    connection: &mut Connection,
    product_id: i64,
    stars: i64,
    delta: i64,
) -> Result<(), sqlx::Error> {
    db::query("INSERT INTO product_ratings (product_id) VALUES ($1) ON CONFLICT (product_id) DO NOTHING")
        .bind(product_id)
        .execute(&mut *connection)
        .await?;
    let column = match stars {
        1 => "stars_1",
        2 => "stars_2",
        3 => "stars_3",
        4 => "stars_4",
        _ => "stars_5",
    };
    db::query(&format!("UPDATE product_ratings SET {column} = {column} + $1 WHERE product_id = $2"))
        .bind(delta)
        .bind(product_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// The seller's answer, once; `false` when it answered already.
pub async fn answer(connection: &mut Connection, id: i64, text: &str, now: i64) -> Result<bool, sqlx::Error> {
    let updated = db::query("UPDATE reviews SET answer = $1, answered_at = $2 WHERE id = $3 AND answer IS NULL")
        .bind(text)
        .bind(now)
        .bind(id)
        .execute(connection)
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// Hidden by operations; `false` when it was hidden already.
pub async fn hide(connection: &mut Connection, id: i64, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let updated =
        db::query("UPDATE reviews SET hidden_reason = $1, hidden_at = $2 WHERE id = $3 AND hidden_at IS NULL")
            .bind(reason)
            .bind(now)
            .bind(id)
            .execute(connection)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// A page of the product's visible reviews, the latest written or edited first.
pub async fn page(db: &Database, product_id: i64, (limit, offset): (i64, i64)) -> Result<Vec<ReviewRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {COLUMNS} FROM reviews WHERE product_id = $1 AND hidden_at IS NULL
         ORDER BY updated_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(product_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// The product's visible reviews per star, 1 to 5.
pub async fn rating(db: &Database, product_id: i64) -> Result<[i64; 5], sqlx::Error> {
    let row: Option<(i64, i64, i64, i64, i64)> =
        db::query_as("SELECT stars_1, stars_2, stars_3, stars_4, stars_5 FROM product_ratings WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map_or([0; 5], |(a, b, c, d, e)| [a, b, c, d, e]))
}

/// The product's visible reviews per star, 1 to 5, as the review's transaction sees them.
pub async fn rating_in(connection: &mut Connection, product_id: i64) -> Result<[i64; 5], sqlx::Error> {
    let row: Option<(i64, i64, i64, i64, i64)> =
        db::query_as("SELECT stars_1, stars_2, stars_3, stars_4, stars_5 FROM product_ratings WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(connection)
            .await?;
    Ok(row.map_or([0; 5], |(a, b, c, d, e)| [a, b, c, d, e]))
}

/// The product's seller.
pub async fn seller_of_product(connection: &mut Connection, product_id: i64) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT seller_id FROM products WHERE id = $1").bind(product_id).fetch_optional(connection).await
}

/// The seller's rated tickets: rating, and seconds from opening to its first answer.
pub async fn rated_tickets(db: &Database, seller_id: i64) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    db::query_as("SELECT rating, first_answer_at - opened_at FROM tickets WHERE seller_id = $1 AND rating IS NOT NULL")
        .bind(seller_id)
        .fetch_all(db)
        .await
}
