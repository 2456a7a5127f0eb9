//! Routing plumbing the pages share: the typed `:id` of the current route, and the error a
//! page shows for an id that names nothing.

use std::str::FromStr;

use bazaar_core::error::ErrorCode;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiError, ApiErrorBody};

/// The route's `:id` parameter as a typed id (`None` when it is missing or not a number).
pub fn use_id_param<Id>() -> Memo<Option<Id>>
where
    Id: FromStr + Clone + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| params.with(|params| params.get("id").and_then(|id| id.parse::<Id>().ok())))
}

/// The error of a page whose id names nothing (or nothing of the viewer's).
pub fn not_found() -> ApiError {
    ApiError { status: 404, body: ApiErrorBody::new(ErrorCode::NotFound, "Not found."), retry_after_seconds: None }
}
