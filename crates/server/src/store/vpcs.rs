//! `vpcs`: the customers' virtual private clouds.

use bazaar_core::ids::AccountId;

use crate::infra::db::{self, Connection, Database};

#[derive(Debug, sqlx::FromRow)]
pub struct VpcRow {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub cidr: String,
    pub created_at: i64,
}

/// The account's VPCs, oldest first.
pub async fn of_account(db: &Database, account_id: AccountId) -> Result<Vec<VpcRow>, sqlx::Error> {
    db::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE account_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db)
        .await
}

/// The account's VPC `vpc_id` (none when it is not theirs).
pub async fn one(
    connection: &mut Connection,
    account_id: AccountId,
    vpc_id: i64,
) -> Result<Option<VpcRow>, sqlx::Error> {
    db::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE id = $1 AND account_id = $2")
        .bind(vpc_id)
        .bind(account_id)
        .fetch_optional(connection)
        .await
}

/// How many VPCs the account has, and how many of them are called `name`.
#[derive(Debug, sqlx::FromRow)]
pub struct VpcCount {
    pub count: i64,
    pub taken: i64,
}

pub async fn count(connection: &mut Connection, account_id: AccountId, name: &str) -> Result<VpcCount, sqlx::Error> {
    db::query_as("SELECT COUNT(*) AS count, COUNT(*) FILTER (WHERE name = $1) AS taken FROM vpcs WHERE account_id = $2")
        .bind(name)
        .bind(account_id)
        .fetch_one(connection)
        .await
}

/// Creates the VPC; its id.
pub async fn insert(
    connection: &mut Connection,
    account_id: AccountId,
    name: &str,
    region: &str,
    cidr: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO vpcs (account_id, name, region, cidr, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(region)
    .bind(cidr)
    .bind(now)
    .fetch_one(connection)
    .await
}
