//! Demo-only endpoints: reading and moving the server's clock, so that a person or a test
//! can watch time-based rules (5 idle days, 3 hours after acceptance) happen. The router is
//! mounted only in demo mode; in production these paths answer 404. Only operations staff
//! may move the clock (see the access table), and never more than two years ahead.

use axum::extract::State;
use bazaar_core::error::FieldErrorCode;
use bazaar_core::error_body::ErrorBody;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::infra::db;
use crate::state::AppState;

/// The furthest one request may move the clock: a little over a year.
const MAX_ADVANCE_SECONDS: i64 = 400 * 24 * 60 * 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_clock, advance_clock))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DemoClock {
    /// The server's current time, including the offset.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub now: time::OffsetDateTime,
    /// How far the clock is ahead of real time.
    pub offset_seconds: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdvanceClock {
    /// Seconds to move forward: 1 to 34,560,000 (400 days), and at most two years ahead of
    /// real time in all. The clock never goes back.
    pub seconds: i64,
}

/// Demo mode only: the server's clock.
#[utoipa::path(get, path = "/demo/clock", tag = "demo",
    responses((status = 200, body = DemoClock), (status = 404, body = ErrorBody, description = "Not in demo mode.")))]
async fn read_clock(State(state): State<AppState>) -> ApiJson<DemoClock> {
    ApiJson(DemoClock { now: state.clock.now(), offset_seconds: state.clock.offset_seconds() })
}

/// Demo mode only: moves the server's clock forward; the offset survives a restart.
#[utoipa::path(post, path = "/demo/clock", tag = "demo", request_body = AdvanceClock,
    responses((status = 200, body = DemoClock), (status = 422, body = ErrorBody, description = "Out of range, or past two years ahead."),
              (status = 403, body = ErrorBody, description = "Only operations staff move the clock."),
              (status = 404, body = ErrorBody, description = "Not in demo mode.")))]
async fn advance_clock(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<AdvanceClock>,
) -> ApiResult<ApiJson<DemoClock>> {
    if !(1..=MAX_ADVANCE_SECONDS).contains(&request.seconds) {
        return Err(ApiError::field(
            "seconds",
            FieldErrorCode::OutOfRange,
            "Move the clock forward by 1 s to 400 days.",
        ));
    }
    let offset = state
        .clock
        .offset_seconds()
        .checked_add(request.seconds)
        .filter(|offset| *offset <= crate::infra::clock::MAX_OFFSET_SECONDS)
        .ok_or_else(|| {
            ApiError::field(
                "seconds",
                FieldErrorCode::OutOfRange,
                "The demo clock may be at most two years ahead of real time.",
            )
        })?;
    db::query(
        "INSERT INTO demo_clock (id, offset_seconds) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET offset_seconds = excluded.offset_seconds",
    )
    .bind(offset)
    .execute(&state.db)
    .await?;
    state.clock.set_offset_seconds(offset);
    tracing::info!(offset, "demo clock moved");
    Ok(ApiJson(DemoClock { now: state.clock.now(), offset_seconds: offset }))
}
