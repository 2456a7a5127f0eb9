//! `/api/v1/purchased-apps/{app_id}/unsubscription-quote` and `…/unsubscribe`: Product
//! Unsubscription. The quote shows what leaving refunds now; leaving sends back the refund
//! the buyer saw, and the server recomputes it (409 `quote_changed` with the new quote when
//! it moved). The rules live in `bazaar_core::lifecycle`, the effects in
//! `domain::lifecycle::unsubscription`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{UnsubscribeRequest, Unsubscription, UnsubscriptionQuote};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::lifecycle::unsubscription;
use crate::error::ApiResult;
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::orders::idempotency_key;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(unsubscription_quote)).routes(routes!(unsubscribe))
}

/// What leaving the app now would refund: one line per payment (the purchase and each
/// renewal) with the used time, the 5 % fee and the refund, and the channel it goes to.
#[utoipa::path(get, path = "/purchased-apps/{app_id}/unsubscription-quote", tag = "purchased-apps",
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    responses((status = 200, body = UnsubscriptionQuote), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Already unsubscribed, or released.")))]
async fn unsubscription_quote(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
) -> ApiResult<ApiJson<UnsubscriptionQuote>> {
    Ok(ApiJson(unsubscription::quote(&state, account.id, app_id).await?))
}

/// Leaves the app: refunds the quoted amount to the channels that paid, releases the app
/// at once (its credentials are revoked), turns auto-renew off and tells the seller. Send
/// the quote's `refund` and one `Idempotency-Key` per attempt; a retry with the same key
/// gets the same unsubscription back.
#[utoipa::path(post, path = "/purchased-apps/{app_id}/unsubscribe", tag = "purchased-apps",
    request_body = UnsubscribeRequest,
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)"),
           ("Idempotency-Key" = String, Header, description = "One key per attempt")),
    responses((status = 201, body = Unsubscription, description = "Unsubscribed."),
              (status = 200, body = Unsubscription, description = "A retry: the unsubscription this key made."),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody,
               description = "`quote_changed` (the body's `quote` is the new one), already unsubscribed, released, or a supervised purchase still in its flow."),
              (status = 422, body = ErrorBody)))]
async fn unsubscribe(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<UnsubscribeRequest>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let left = unsubscription::unsubscribe(&state, account.id, app_id, &key, request).await?;
    if left.replayed {
        let mut response = (StatusCode::OK, ApiJson(left.unsubscription)).into_response();
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(response);
    }
    Ok((StatusCode::CREATED, ApiJson(left.unsubscription)).into_response())
}
