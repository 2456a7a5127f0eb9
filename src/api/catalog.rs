//! Catalog endpoints: categories, search, popular products, product detail, favourites.

use bazaar_core::catalog::{Category, ProductDetail, ProductSearchResponse, ProductSummary};
use bazaar_core::favorites::{Favorite, SaveFavoriteRequest};
use bazaar_core::ids::ProductId;
use bazaar_core::pricing::Configuration;
use gloo_net::http::Method;

use super::{ApiError, get, request};

pub async fn categories() -> Result<Vec<Category>, ApiError> {
    get("/categories").await
}

/// `query` is a query string in the API's own parameter names (without the `?`).
pub async fn search(query: String) -> Result<ProductSearchResponse, ApiError> {
    get(&format!("/products?{query}")).await
}

pub async fn popular(limit: u32) -> Result<Vec<ProductSummary>, ApiError> {
    get(&format!("/products/popular?limit={limit}")).await
}

pub async fn product(product_id: ProductId) -> Result<ProductDetail, ApiError> {
    get(&format!("/products/{product_id}")).await
}

pub async fn favorites() -> Result<Vec<Favorite>, ApiError> {
    get("/favorites").await
}

/// Saves the product with the configuration chosen on its page, when that one is valid.
pub async fn save_favorite(product_id: ProductId, configuration: Option<Configuration>) -> Result<Favorite, ApiError> {
    let body = configuration.map(|configuration| SaveFavoriteRequest { configuration });
    request(Method::PUT, &format!("/favorites/{product_id}"), body.as_ref(), &[]).await
}

pub async fn remove_favorite(product_id: ProductId) -> Result<(), ApiError> {
    request(Method::DELETE, &format!("/favorites/{product_id}"), None::<&()>, &[]).await
}

/// Where the signed-in customer stands towards the product's free trial.
pub async fn trial_standing(product_id: ProductId) -> Result<bazaar_core::trials::TrialStanding, ApiError> {
    get(&format!("/products/{product_id}/trial")).await
}
