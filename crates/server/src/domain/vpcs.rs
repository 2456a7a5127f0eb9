//! The customer's VPCs: listing, creating one with the next free `10.N.0.0/16` block, and
//! looking one up for checkout and the order page.

use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::AccountId;
use bazaar_core::orders::{CreateVpcRequest, MAX_VPCS_PER_ACCOUNT, Vpc, validate_vpc};

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection, Database, WriteScope, begin_write};

/// A customer may have this many VPCs (a cloud quota, and a bound on abuse).

#[derive(sqlx::FromRow)]
struct VpcRow {
    id: i64,
    name: String,
    region: String,
    cidr: String,
    created_at: i64,
}

impl From<VpcRow> for Vpc {
    fn from(row: VpcRow) -> Vpc {
        Vpc { id: row.id, name: row.name, region: row.region, cidr: row.cidr, created_at: from_unix(row.created_at) }
    }
}

/// The customer's VPCs, oldest first.
pub async fn list_vpcs(db: &Database, account_id: AccountId) -> ApiResult<Vec<Vpc>> {
    let rows: Vec<VpcRow> =
        db::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE account_id = $1 ORDER BY id")
            .bind(account_id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(Vpc::from).collect())
}

/// The account's VPC `vpc_id`, or `None` when it is not theirs.
pub async fn load_vpc(db: &Database, account_id: AccountId, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let mut connection = db.acquire().await?;
    load_vpc_in(&mut connection, account_id, vpc_id).await
}

pub async fn load_vpc_in(db: &mut Connection, account_id: AccountId, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let row: Option<VpcRow> =
        db::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE id = $1 AND account_id = $2")
            .bind(vpc_id)
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(Vpc::from))
}

#[derive(sqlx::FromRow)]
struct Usage {
    count: i64,
    taken: i64,
}

/// Creates a VPC with the next free `10.N.0.0/16` block; its name must be new.
pub async fn create_vpc(db: &Database, account_id: AccountId, request: &CreateVpcRequest, now: i64) -> ApiResult<Vpc> {
    validate_vpc(request).into_result()?;
    let name = request.name.trim();
    let mut transaction = begin_write(db, WriteScope::Account(account_id)).await?;
    let usage: Usage = db::query_as(
        "SELECT COUNT(*) AS count, COUNT(*) FILTER (WHERE name = $1) AS taken FROM vpcs WHERE account_id = $2",
    )
    .bind(name)
    .bind(account_id)
    .fetch_one(&mut *transaction)
    .await?;
    if usage.taken > 0 {
        return Err(ApiError::field("name", FieldErrorCode::Taken, "You already have a VPC with this name."));
    }
    if usage.count >= i64::from(MAX_VPCS_PER_ACCOUNT) {
        return Err(ApiError::field(
            "name",
            FieldErrorCode::Quota,
            format!("You can have at most {MAX_VPCS_PER_ACCOUNT} VPCs."),
        ));
    }
    let cidr = format!("10.{}.0.0/16", usage.count + 1);
    let id: i64 = db::query_scalar(
        "INSERT INTO vpcs (account_id, name, region, cidr, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(&request.region)
    .bind(&cidr)
    .bind(now)
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(Vpc { id, name: name.to_owned(), region: request.region.clone(), cidr, created_at: from_unix(now) })
}
