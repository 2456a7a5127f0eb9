//! `/api/v1/products/{id}/reviews` and `/api/v1/reviews`: a product's reviews (anyone),
//! the buyer's own (write or edit), the seller's answer, operations hiding one.

use axum::extract::State;
use bazaar_core::account::Role;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::support::wire::{ProductReviews, ReviewInput, ReviewNote, ReviewView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::support::reviews::{self, Reader};
use crate::error::ApiResult;
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(product_reviews))
        .routes(routes!(save_review))
        .routes(routes!(answer_review))
        .routes(routes!(hide_review))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewPageQuery {
    /// From 1; 10 reviews a page, the latest first.
    #[serde(default)]
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
}

/// The product's rating (average, count, per star), a page of its visible reviews, its
/// seller's support figures (from 5 rated tickets), and — signed in — whether the caller
/// may review it and their review.
#[utoipa::path(get, path = "/products/{product_id}/reviews", tag = "support", params(("product_id" = i64, Path, description = "Product id"), ReviewPageQuery),
    responses((status = 200, body = ProductReviews), (status = 404, body = ErrorBody)))]
async fn product_reviews(
    State(state): State<AppState>,
    account: Option<CurrentAccount>,
    ApiPath(product_id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ReviewPageQuery>,
) -> ApiResult<ApiJson<ProductReviews>> {
    let reader = account.map(|account| Reader {
        account_id: account.id,
        customer: account.role.is_customer(),
        seller_id: account.seller_id,
        operations: account.role == Role::Operations,
    });
    Ok(ApiJson(
        reviews::product_reviews(&state, reader, product_id, crate::http::list_query::page_number(query.page)?).await?,
    ))
}

/// Writes or edits the buyer's review: a delivered order of the product, until 45 days
/// after leaving it; 1–5 stars and 20–5,000 characters.
#[utoipa::path(put, path = "/products/{product_id}/review", tag = "support", request_body = ReviewInput,
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = ReviewView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No delivered order, or left more than 45 days ago."),
              (status = 422, body = ErrorBody)))]
async fn save_review(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<ApiJson<ReviewView>> {
    Ok(ApiJson(reviews::save(&state, account.id, product_id, &input).await?))
}

/// The product's seller answers a review, once.
#[utoipa::path(post, path = "/reviews/{review_id}/answer", tag = "support", request_body = ReviewNote,
    params(("review_id" = i64, Path, description = "Review id")),
    responses((status = 200, body = ReviewView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn answer_review(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(review_id): ApiPath<i64>,
    ApiJson(note): ApiJson<ReviewNote>,
) -> ApiResult<ApiJson<ReviewView>> {
    let seller_id = account.require_seller()?;
    Ok(ApiJson(reviews::answer(&state, seller_id, review_id, &note.text).await?))
}

/// Operations hide a review with a reason (5–500 characters): off the product page and out
/// of its rating.
#[utoipa::path(post, path = "/reviews/{review_id}/hide", tag = "support", request_body = ReviewNote,
    params(("review_id" = i64, Path, description = "Review id")),
    responses((status = 200, body = ReviewView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn hide_review(
    State(state): State<AppState>,
    _account: CurrentAccount,
    ApiPath(review_id): ApiPath<i64>,
    ApiJson(note): ApiJson<ReviewNote>,
) -> ApiResult<ApiJson<ReviewView>> {
    Ok(ApiJson(reviews::hide(&state, review_id, &note.text).await?))
}
