//! `/api/v1/invoice-profiles` and `/api/v1/invoices`: the buyer's invoice profiles, what
//! can be invoiced (by issuer), requesting an invoice, and the invoices and credit notes.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::account::Role;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::invoices::{InvoiceProfile, InvoiceProfileInput, InvoiceRequest, InvoiceView, Invoiceable};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::invoices::{self, profiles};
use crate::error::ApiResult;
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_profiles, create_profile))
        .routes(routes!(update_profile, delete_profile))
        .routes(routes!(invoiceable))
        .routes(routes!(list_invoices, request_invoice))
        .routes(routes!(invoice_document))
}

/// The buyer's invoice profiles, the default first.
#[utoipa::path(get, path = "/invoice-profiles", tag = "invoices",
    responses((status = 200, body = Vec<InvoiceProfile>), (status = 401, body = ErrorBody)))]
async fn list_profiles(
    State(state): State<AppState>,
    account: CurrentAccount,
) -> ApiResult<ApiJson<Vec<InvoiceProfile>>> {
    Ok(ApiJson(profiles::list(&state, account.id).await?))
}

/// Saves a profile: personal or enterprise (a valid tax ID: an 18-character unified social
/// credit code or an EU VAT number). The first one, or one saved as default, is the default.
#[utoipa::path(post, path = "/invoice-profiles", tag = "invoices", request_body = InvoiceProfileInput,
    responses((status = 201, body = InvoiceProfile), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "Every field's problem.")))]
async fn create_profile(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(input): ApiJson<InvoiceProfileInput>,
) -> ApiResult<Response> {
    let profile = profiles::save(&state, account.id, None, &input).await?;
    Ok((StatusCode::CREATED, ApiJson(profile)).into_response())
}

/// Replaces a profile. Issued invoices keep the profile as it was when they were requested.
#[utoipa::path(put, path = "/invoice-profiles/{profile_id}", tag = "invoices", request_body = InvoiceProfileInput,
    params(("profile_id" = i64, Path, description = "Profile id")),
    responses((status = 200, body = InvoiceProfile), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(profile_id): ApiPath<i64>,
    ApiJson(input): ApiJson<InvoiceProfileInput>,
) -> ApiResult<ApiJson<InvoiceProfile>> {
    Ok(ApiJson(profiles::save(&state, account.id, Some(profile_id), &input).await?))
}

#[utoipa::path(delete, path = "/invoice-profiles/{profile_id}", tag = "invoices",
    params(("profile_id" = i64, Path, description = "Profile id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_profile(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(profile_id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    profiles::delete(&state, account.id, profile_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Paid purchase and renewal orders that can still be invoiced (paid − refunded −
/// invoiced), grouped by issuer. Reseller customers get none, and their reseller's name.
#[utoipa::path(get, path = "/invoices/invoiceable", tag = "invoices",
    responses((status = 200, body = Invoiceable), (status = 401, body = ErrorBody)))]
async fn invoiceable(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Invoiceable>> {
    Ok(ApiJson(invoices::invoiceable_items(&state, customer(&account)).await?))
}

/// The buyer's invoices and credit notes, newest first.
#[utoipa::path(get, path = "/invoices", tag = "invoices",
    responses((status = 200, body = Vec<InvoiceView>), (status = 401, body = ErrorBody)))]
async fn list_invoices(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<InvoiceView>>> {
    Ok(ApiJson(invoices::list(&state, customer(&account)).await?))
}

/// Requests one invoice for one or several items of one issuer. Bazaar's is issued at once
/// (numbered); a seller's waits in its console (5 business days).
#[utoipa::path(post, path = "/invoices", tag = "invoices", request_body = InvoiceRequest,
    responses((status = 201, body = InvoiceView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "Every item's problem: not yours, not paid, invoiced already, refunded, another issuer.")))]
async fn request_invoice(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<InvoiceRequest>,
) -> ApiResult<Response> {
    let invoice = invoices::request(&state, customer(&account), &request).await?;
    Ok((StatusCode::CREATED, ApiJson(invoice)).into_response())
}

/// The PDF of an issued invoice or credit note: for the buyer it is made out to and for its
/// issuer (the seller's staff; operations for Bazaar's). Anyone else gets 404.
#[utoipa::path(get, path = "/invoices/{invoice_id}/pdf", tag = "invoices",
    params(("invoice_id" = i64, Path, description = "Invoice id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>, description = "The document, as an attachment."),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Not issued (yet).")))]
async fn invoice_document(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(invoice_id): ApiPath<i64>,
) -> ApiResult<Response> {
    let reader = invoices::Reader {
        account_id: account.id,
        seller_id: account.seller_id,
        operations: account.role == Role::Operations,
    };
    let (file_name, bytes) = invoices::document(&state, reader, invoice_id).await?;
    let headers = [
        (header::CONTENT_TYPE, "application/pdf".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

fn customer(account: &CurrentAccount) -> invoices::Customer {
    invoices::Customer { account_id: account.id, reseller_id: account.reseller_id }
}
