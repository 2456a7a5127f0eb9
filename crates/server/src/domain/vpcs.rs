//! The customer's VPCs: listing, creating one with the next free `10.N.0.0/16` block, and
//! looking one up for checkout and the order page.

use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::AccountId;
use bazaar_core::orders::{CreateVpcRequest, MAX_VPCS_PER_ACCOUNT, Vpc, validate_vpc};

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, Database, WriteScope, begin_write};
use crate::store;
use crate::store::vpcs::VpcRow;

impl From<VpcRow> for Vpc {
    fn from(row: VpcRow) -> Vpc {
        Vpc { id: row.id, name: row.name, region: row.region, cidr: row.cidr, created_at: from_unix(row.created_at) }
    }
}

/// The customer's VPCs, oldest first.
pub async fn list_vpcs(db: &Database, account_id: AccountId) -> ApiResult<Vec<Vpc>> {
    let rows = store::vpcs::of_account(db, account_id).await?;
    Ok(rows.into_iter().map(Vpc::from).collect())
}

/// The account's VPC `vpc_id`, or `None` when it is not theirs.
pub async fn load_vpc(db: &Database, account_id: AccountId, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let mut connection = db.acquire().await?;
    load_vpc_in(&mut connection, account_id, vpc_id).await
}

pub async fn load_vpc_in(db: &mut Connection, account_id: AccountId, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let row = store::vpcs::one(db, account_id, vpc_id).await?;
    Ok(row.map(Vpc::from))
}

/// Creates a VPC with the next free `10.N.0.0/16` block; its name must be new.
pub async fn create_vpc(db: &Database, account_id: AccountId, request: &CreateVpcRequest, now: i64) -> ApiResult<Vpc> {
    validate_vpc(request).into_result()?;
    let name = request.name.trim();
    let mut transaction = begin_write(db, WriteScope::Account(account_id)).await?;
    let usage = store::vpcs::count(&mut transaction, account_id, name).await?;
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
    let id = store::vpcs::insert(&mut transaction, account_id, name, &request.region, &cidr, now).await?;
    transaction.commit().await?;
    Ok(Vpc { id, name: name.to_owned(), region: request.region.clone(), cidr, created_at: from_unix(now) })
}
