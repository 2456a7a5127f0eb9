//! `/api/v1/vpcs`: the customer's virtual private clouds, which image products' servers
//! are placed in. Checkout lists them and can create one inline.

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::error::ErrorBody;
use bazaar_core::orders::{CreateVpcRequest, Vpc, validate_vpc};
use sqlx::SqlitePool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentAccount;
use crate::clock::from_unix;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// A customer may have this many VPCs (a cloud quota, and a bound on abuse).
pub const MAX_VPCS_PER_ACCOUNT: i64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_vpcs, create_vpc))
}

type VpcRow = (i64, String, String, String, i64);

fn vpc_from_row((id, name, region, cidr, created_at): VpcRow) -> Vpc {
    Vpc { id, name, region, cidr, created_at: from_unix(created_at) }
}

/// The account's VPC `vpc_id`, or `None` when it is not theirs.
pub async fn load_vpc(db: &SqlitePool, account_id: i64, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let mut connection = db.acquire().await?;
    load_vpc_in(&mut connection, account_id, vpc_id).await
}

pub async fn load_vpc_in(db: &mut sqlx::SqliteConnection, account_id: i64, vpc_id: i64) -> ApiResult<Option<Vpc>> {
    let row: Option<VpcRow> =
        sqlx::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE id = ? AND account_id = ?")
            .bind(vpc_id)
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(vpc_from_row))
}

/// The signed-in customer's VPCs, oldest first.
#[utoipa::path(get, path = "/vpcs", tag = "vpcs",
    responses((status = 200, body = Vec<Vpc>), (status = 401, body = ErrorBody)))]
async fn list_vpcs(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<Vpc>>> {
    let rows: Vec<VpcRow> =
        sqlx::query_as("SELECT id, name, region, cidr, created_at FROM vpcs WHERE account_id = ? ORDER BY id")
            .bind(account.id)
            .fetch_all(&state.db)
            .await?;
    Ok(ApiJson(rows.into_iter().map(vpc_from_row).collect()))
}

/// Creates a VPC with the next free `10.N.0.0/16` block.
#[utoipa::path(post, path = "/vpcs", tag = "vpcs", request_body = CreateVpcRequest,
    responses((status = 201, body = Vpc), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_vpc(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<CreateVpcRequest>,
) -> ApiResult<(StatusCode, ApiJson<Vpc>)> {
    validate_vpc(&request).into_result()?;
    let name = request.name.trim();
    let mut transaction = begin_write(&state.db).await?;
    let (count, taken): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(name = ?), 0) FROM vpcs WHERE account_id = ?")
            .bind(name)
            .bind(account.id)
            .fetch_one(&mut *transaction)
            .await?;
    if taken > 0 {
        return Err(ApiError::field("name", "taken", "You already have a VPC with this name."));
    }
    if count >= MAX_VPCS_PER_ACCOUNT {
        return Err(ApiError::field("name", "quota", format!("You can have at most {MAX_VPCS_PER_ACCOUNT} VPCs.")));
    }
    let cidr = format!("10.{}.0.0/16", count + 1);
    let now = state.clock.unix_now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO vpcs (account_id, name, region, cidr, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account.id)
    .bind(name)
    .bind(&request.region)
    .bind(&cidr)
    .bind(now)
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(Vpc { id, name: name.to_owned(), region: request.region, cidr, created_at: from_unix(now) }),
    ))
}
