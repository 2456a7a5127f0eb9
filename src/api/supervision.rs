//! Service supervision endpoints.

use bazaar_core::ids::{FlowId, ProductId};
use bazaar_core::supervision::{FlowCommand, FlowDetail, FlowPage, TemplateField};
use gloo_net::http::Method;

use super::{ApiError, get, request};

/// `query` is the API's own query string (without the `?`).
pub async fn flows(query: String) -> Result<FlowPage, ApiError> {
    get(&format!("/supervision/flows?{query}")).await
}

pub async fn flow(flow_id: FlowId) -> Result<FlowDetail, ApiError> {
    get(&format!("/supervision/flows/{flow_id}")).await
}

/// Acts on the flow as it was at `version` (sent as `If-Match`).
pub async fn act(flow_id: FlowId, version: u32, command: FlowCommand) -> Result<FlowDetail, ApiError> {
    let version = format!("\"{version}\"");
    request(
        Method::POST,
        &format!("/supervision/flows/{flow_id}/actions"),
        Some(&command),
        &[("If-Match", version.as_str())],
    )
    .await
}

/// The request template of one of the seller's supervised products.
pub async fn template(product_id: ProductId) -> Result<Vec<TemplateField>, ApiError> {
    get(&format!("/supervision/templates/{product_id}")).await
}

pub async fn save_template(product_id: ProductId, fields: Vec<TemplateField>) -> Result<Vec<TemplateField>, ApiError> {
    request(Method::PUT, &format!("/supervision/templates/{product_id}"), Some(&fields), &[]).await
}
