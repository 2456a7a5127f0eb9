//! `/api/v1/favorites`: each account's saved products ("My Favorites").

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::favorites::{Favorite, SaveFavoriteRequest};
use bazaar_core::ids::ProductId;
use bazaar_core::pricing::price_configuration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, OptionalApiJson};
use crate::infra::clock::from_unix;
use crate::state::AppState;
use crate::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_favorites)).routes(routes!(save_favorite, remove_favorite))
}

/// The signed-in account's saved products, most recently saved first.
#[utoipa::path(get, path = "/favorites", tag = "favorites",
    responses((status = 200, body = Vec<Favorite>), (status = 401, body = ErrorBody)))]
async fn list_favorites(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<Favorite>>> {
    let rows = store::favorites::of_account(&state.db, account.id).await?;
    let index = state.catalog.current();
    Ok(ApiJson(
        rows.into_iter()
            .filter_map(|row| {
                let product = index.product(row.product_id)?;
                Some(Favorite { product, saved_at: from_unix(row.saved_at), configuration: row.configuration() })
            })
            .collect(),
    ))
}

/// The most products one list holds.
const MAX_FAVORITES: i64 = 500;

/// Saves a product to the list, with the configuration chosen on the product page when the
/// body carries one. Saving it again keeps its place in the list and replaces the kept
/// configuration when a new one is given.
#[utoipa::path(put, path = "/favorites/{product_id}", tag = "favorites",
    params(("product_id" = i64, Path, description = "Product id")),
    request_body(content = Option<SaveFavoriteRequest>, content_type = "application/json",
        description = "Optional: the configuration to keep with the product."),
    responses((status = 200, body = Favorite), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_favorite(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
    // No body and a JSON `null` both mean "no configuration", as the OpenAPI schema says.
    OptionalApiJson(request): OptionalApiJson<Option<SaveFavoriteRequest>>,
) -> ApiResult<ApiJson<Favorite>> {
    let product = state.catalog.current().product(product_id).ok_or(ApiError::NotFound)?;
    let configuration = match request.flatten() {
        None => None,
        Some(SaveFavoriteRequest { configuration }) => {
            let detail =
                crate::domain::catalog::load_product(&state, product_id, None).await?.ok_or(ApiError::NotFound)?;
            price_configuration(&detail.skus, &detail.regions, &configuration).map_err(|errors| {
                ApiError::Validation(
                    errors
                        .0
                        .into_iter()
                        .map(|error| bazaar_core::error::FieldError {
                            field: format!("configuration.{}", error.field),
                            ..error
                        })
                        .collect(),
                )
            })?;
            Some(configuration)
        }
    };
    let saved = store::favorites::count_besides(&state.db, account.id, product_id).await?;
    if saved >= MAX_FAVORITES {
        return Err(ApiError::Conflict(format!(
            "Your list holds at most {MAX_FAVORITES} products; remove some first."
        )));
    }
    let row = store::favorites::save(&state.db, account.id, product_id, state.clock.unix_now(), configuration.as_ref())
        .await?;
    Ok(ApiJson(Favorite { product, saved_at: from_unix(row.saved_at), configuration: row.configuration() }))
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
    store::favorites::remove(&state.db, account.id, product_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
