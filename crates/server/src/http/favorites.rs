//! `/api/v1/favorites`: each account's saved products ("My Favorites").

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::catalog::BillingMode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::favorites::{Favorite, SaveFavoriteRequest};
use bazaar_core::ids::ProductId;
use bazaar_core::pricing::{Configuration, price_configuration};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, OptionalApiJson};
use crate::infra::clock::from_unix;
use crate::infra::db;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_favorites)).routes(routes!(save_favorite, remove_favorite))
}

/// The signed-in account's saved products, most recently saved first.
#[utoipa::path(get, path = "/favorites", tag = "favorites",
    responses((status = 200, body = Vec<Favorite>), (status = 401, body = ErrorBody)))]
async fn list_favorites(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<Favorite>>> {
    let rows: Vec<SavedRow> = db::query_as(
        "SELECT product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region
         FROM favorites WHERE account_id = $1 ORDER BY saved_at DESC, product_id DESC",
    )
    .bind(account.id)
    .fetch_all(&state.db)
    .await?;
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

#[derive(sqlx::FromRow)]
struct SavedRow {
    product_id: ProductId,
    saved_at: i64,
    sku_id: Option<i64>,
    billing_mode: Option<BillingMode>,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    duration_months: Option<u32>,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    quantity: Option<u32>,
    region: Option<String>,
}

impl SavedRow {
    /// The kept configuration, when the product was saved with one. It was valid when saved;
    /// checkout falls back to defaults for any part the seller has since withdrawn.
    fn configuration(self) -> Option<Configuration> {
        Some(Configuration {
            sku_id: self.sku_id?,
            billing_mode: self.billing_mode?,
            duration_months: self.duration_months,
            quantity: self.quantity?,
            region: self.region?,
        })
    }
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
    let saved: i64 = db::query_scalar("SELECT COUNT(*) FROM favorites WHERE account_id = $1 AND product_id <> $2")
        .bind(account.id)
        .bind(product_id)
        .fetch_one(&state.db)
        .await?;
    if saved >= MAX_FAVORITES {
        return Err(ApiError::Conflict(format!(
            "Your list holds at most {MAX_FAVORITES} products; remove some first."
        )));
    }
    let kept = configuration.as_ref();
    // Saving again without a configuration leaves a kept one alone; with one, replaces it.
    let row: SavedRow = db::query_as(
        "INSERT INTO favorites (account_id, product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id, product_id) DO UPDATE SET
             sku_id = COALESCE(excluded.sku_id, favorites.sku_id),
             billing_mode = CASE WHEN excluded.sku_id IS NULL THEN favorites.billing_mode ELSE excluded.billing_mode END,
             duration_months = CASE WHEN excluded.sku_id IS NULL THEN favorites.duration_months
                                    ELSE excluded.duration_months END,
             quantity = CASE WHEN excluded.sku_id IS NULL THEN favorites.quantity ELSE excluded.quantity END,
             region = CASE WHEN excluded.sku_id IS NULL THEN favorites.region ELSE excluded.region END
         RETURNING product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region",
    )
    .bind(account.id)
    .bind(product_id)
    .bind(state.clock.unix_now())
    .bind(kept.map(|configuration| configuration.sku_id))
    .bind(kept.map(|configuration| configuration.billing_mode))
    .bind(kept.and_then(|configuration| configuration.duration_months).map(i64::from))
    .bind(kept.map(|configuration| i64::from(configuration.quantity)))
    .bind(kept.map(|configuration| configuration.region.as_str()))
    .fetch_one(&state.db)
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
    db::query("DELETE FROM favorites WHERE account_id = $1 AND product_id = $2")
        .bind(account.id)
        .bind(product_id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
