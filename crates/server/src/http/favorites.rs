//! `/api/v1/favorites`: each account's saved products ("My Favorites").

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::catalog::Favorite;
use bazaar_core::error::ErrorBody;
use bazaar_core::ids::ProductId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::infra::clock::from_unix;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_favorites)).routes(routes!(save_favorite, remove_favorite))
}

/// The signed-in account's saved products, most recently saved first.
#[utoipa::path(get, path = "/favorites", tag = "favorites",
    responses((status = 200, body = Vec<Favorite>), (status = 401, body = ErrorBody)))]
async fn list_favorites(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<Favorite>>> {
    let rows: Vec<SavedRow> = sqlx::query_as(
        "SELECT product_id, saved_at FROM favorites WHERE account_id = ? ORDER BY saved_at DESC, product_id DESC",
    )
    .bind(account.id)
    .fetch_all(&state.db)
    .await?;
    let index = state.catalog.current();
    Ok(ApiJson(
        rows.into_iter()
            .filter_map(|row| {
                index.product(row.product_id).map(|product| Favorite { product, saved_at: from_unix(row.saved_at) })
            })
            .collect(),
    ))
}

#[derive(sqlx::FromRow)]
struct SavedRow {
    product_id: ProductId,
    saved_at: i64,
}

/// The most products one list holds.
const MAX_FAVORITES: i64 = 500;

/// Saves a product to the list. Saving it again changes nothing.
#[utoipa::path(put, path = "/favorites/{product_id}", tag = "favorites",
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = Favorite), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn save_favorite(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
) -> ApiResult<ApiJson<Favorite>> {
    let product = state.catalog.current().product(product_id).ok_or(ApiError::NotFound)?;
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM favorites WHERE account_id = ? AND product_id <> ?")
        .bind(account.id)
        .bind(product_id)
        .fetch_one(&state.db)
        .await?;
    if saved >= MAX_FAVORITES {
        return Err(ApiError::Conflict(format!(
            "Your list holds at most {MAX_FAVORITES} products; remove some first."
        )));
    }
    sqlx::query("INSERT INTO favorites (account_id, product_id, saved_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .bind(account.id)
        .bind(product_id)
        .bind(state.clock.unix_now())
        .execute(&state.db)
        .await?;
    let saved_at: i64 = sqlx::query_scalar("SELECT saved_at FROM favorites WHERE account_id = ? AND product_id = ?")
        .bind(account.id)
        .bind(product_id)
        .fetch_one(&state.db)
        .await?;
    Ok(ApiJson(Favorite { product, saved_at: from_unix(saved_at) }))
}

/// Removes a product from the list. Removing one that is not there is not an error.
#[utoipa::path(delete, path = "/favorites/{product_id}", tag = "favorites",
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 204, description = "Removed."), (status = 401, body = ErrorBody)))]
async fn remove_favorite(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
) -> ApiResult<StatusCode> {
    sqlx::query("DELETE FROM favorites WHERE account_id = ? AND product_id = ?")
        .bind(account.id)
        .bind(product_id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
