//! `/api/v1/account/payment-options` and `/api/v1/account/card`: what the customer can pay
//! with (balance and credit derived from the ledger, the card on file) and managing the card.

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::error::FieldErrorCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::orders::{CardOnFile, PaymentOptions, SaveCardRequest};
use time::Month;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::payments;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::ApiJson;
use crate::state::AppState;
use crate::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(payment_options)).routes(routes!(save_card, remove_card))
}

/// Balance, card on file, credit lines and (for reseller customers) the reseller billed.
#[utoipa::path(get, path = "/account/payment-options", tag = "payments",
    responses((status = 200, body = PaymentOptions), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn payment_options(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<PaymentOptions>> {
    let reseller_name: Option<String> = match account.reseller_id {
        Some(id) => store::accounts::reseller_name(&state.db, id).await?,
        None => None,
    };
    Ok(ApiJson(payments::payment_options(&state.db, account.id, reseller_name).await?))
}

/// Puts a card on file (replacing the previous one). The number goes to the simulated
/// gateway; Bazaar keeps only the brand, the last four digits and the expiry.
#[utoipa::path(put, path = "/account/card", tag = "payments", request_body = SaveCardRequest,
    responses((status = 200, body = CardOnFile), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_card(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<SaveCardRequest>,
) -> ApiResult<ApiJson<CardOnFile>> {
    let digits: String = request.number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let mut errors = Vec::new();
    if !payments::luhn_valid(&digits) {
        errors.push(bazaar_core::error::FieldError::new(
            "number",
            FieldErrorCode::Invalid,
            "This is not a valid card number.",
        ));
    }
    let today = state.clock.now().date();
    let current = (today.year(), u8::from(today.month()));
    let valid_month = Month::try_from(request.expiry_month).is_ok();
    if !valid_month || (i32::from(request.expiry_year), request.expiry_month) < current || request.expiry_year > 2100 {
        errors.push(bazaar_core::error::FieldError::new(
            "expiry",
            FieldErrorCode::Invalid,
            "Enter an expiry date in the future.",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let card = payments::save_card(
        &state.db,
        account.id,
        &digits,
        request.expiry_month,
        request.expiry_year,
        state.clock.unix_now(),
    )
    .await?;
    Ok(ApiJson(card))
}

/// Removes the card on file.
#[utoipa::path(delete, path = "/account/card", tag = "payments",
    responses((status = 204, description = "Removed."), (status = 401, body = ErrorBody)))]
async fn remove_card(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<StatusCode> {
    payments::remove_card(&state.db, account.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
