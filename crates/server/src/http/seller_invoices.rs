//! `/api/v1/seller/invoices`: the Seller Console's invoices — the queue with each request's
//! deadline, issuing one, rejecting one with a reason.

use axum::extract::State;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::invoices::{InvoiceView, RejectInvoiceRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::invoices::seller;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(seller_invoices)).routes(routes!(issue_invoice)).routes(routes!(reject_invoice))
}

/// The seller's invoices: those waiting first (soonest deadline first), then the latest.
#[utoipa::path(get, path = "/seller/invoices", tag = "invoices",
    responses((status = 200, body = Vec<InvoiceView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn seller_invoices(
    State(state): State<AppState>,
    account: CurrentAccount,
) -> ApiResult<ApiJson<Vec<InvoiceView>>> {
    let seller_id = account.require_seller()?;
    Ok(ApiJson(seller::queue(&state, seller_id).await?))
}

async fn one(state: &AppState, seller_id: i64, id: i64) -> ApiResult<InvoiceView> {
    seller::queue(state, seller_id).await?.into_iter().find(|invoice| invoice.id == id).ok_or(ApiError::NotFound)
}

/// Issues a waiting invoice: Bazaar makes the document with the seller's details and the
/// next number of the seller's sequence; the buyer is told.
#[utoipa::path(post, path = "/seller/invoices/{invoice_id}/issue", tag = "invoices",
    params(("invoice_id" = i64, Path, description = "Invoice id")),
    responses((status = 200, body = InvoiceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Not this seller's, or not waiting.")))]
async fn issue_invoice(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(invoice_id): ApiPath<i64>,
) -> ApiResult<ApiJson<InvoiceView>> {
    let seller_id = account.require_seller()?;
    seller::issue(&state, seller_id, invoice_id).await?;
    Ok(ApiJson(one(&state, seller_id, invoice_id).await?))
}

/// Rejects a waiting invoice with a reason the buyer reads (5 to 500 characters).
#[utoipa::path(post, path = "/seller/invoices/{invoice_id}/reject", tag = "invoices", request_body = RejectInvoiceRequest,
    params(("invoice_id" = i64, Path, description = "Invoice id")),
    responses((status = 200, body = InvoiceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reject_invoice(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(invoice_id): ApiPath<i64>,
    ApiJson(request): ApiJson<RejectInvoiceRequest>,
) -> ApiResult<ApiJson<InvoiceView>> {
    let seller_id = account.require_seller()?;
    seller::reject(&state, seller_id, invoice_id, &request.reason).await?;
    Ok(ApiJson(one(&state, seller_id, invoice_id).await?))
}
