//! `/api/v1/supervision`: service flows for every role. Buyers see their own flows,
//! sellers the flows of their products, operations all of them (and the appeal queue).
//! Every action goes through one endpoint, is checked against the core rules at the
//! server's clock, and must name the flow version it was decided on (`If-Match`), so a
//! double click or a second tab cannot act twice.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use bazaar_core::account::Role;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::{FlowId, OrderId, ProductId};
use bazaar_core::orders::order_number;
use bazaar_core::supervision::{
    Blocked, FlowCommand, FlowDetail, FlowPage, FlowState, FlowSummary, MAX_EVENTS_PER_FLOW,
    NO_APPEAL_BEFORE_COMPLETION, Party, Step, TemplateField, short_duration,
};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::supervision::{self, FlowRow, load_flow, load_history, state_of};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::list_query::{ListQuery, contains_pattern};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::supervision::{FlowListRow, FlowScope, Names};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows))
        .routes(routes!(flow_detail))
        .routes(routes!(act))
        .routes(routes!(read_template, write_template))
}

/// The side `account` takes in `flow`, or `None` when the flow is none of its business.
fn viewer(account: &CurrentAccount, flow: &FlowRow) -> Option<Party> {
    match account.role {
        Role::Buyer | Role::ResellerCustomer if flow.account_id == account.id => Some(Party::Buyer),
        Role::Seller if account.seller_id == Some(flow.seller_id) => Some(Party::Seller),
        Role::Operations => Some(Party::Operations),
        _ => None,
    }
}

async fn names(connection: &mut Connection, order_id: OrderId) -> ApiResult<Names> {
    Ok(store::supervision::names(connection, order_id).await?)
}

fn summary(flow: &FlowRow, names: Names, state: &FlowState, party: Party) -> FlowSummary {
    FlowSummary {
        id: flow.id,
        order_id: flow.order_id,
        order_number: order_number(flow.order_id),
        product_id: flow.product_id,
        product_name: names.product_name,
        sku_name: names.sku_name,
        buyer_name: names.buyer_name,
        seller_name: names.seller_name,
        kind: flow.kind,
        step: state.step,
        turn: state.turn,
        frozen: state.frozen(),
        order_status: state.order_status,
        viewer: party,
        actions: state.actions_for(party).to_vec(),
        started_at: from_unix(flow.started_at),
        planned_completion: from_unix(flow.planned_completion_at),
        version: u32::try_from(flow.version).unwrap_or(0),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlowListQuery {
    /// Product name or order number (e.g. `BZ00000042`).
    pub q: Option<String>,
    /// One of the steps, e.g. `request_under_review`.
    pub step: Option<String>,
    /// `open`: only flows frozen by an open appeal (the operations queue).
    pub appeal: Option<String>,
    /// Started at or after this time (RFC 3339).
    pub created_from: Option<String>,
    /// Started before this time (RFC 3339).
    pub created_before: Option<String>,
    pub page: Option<String>,
    /// 1 to 50 (default 10).
    pub page_size: Option<String>,
}

/// The viewer's flows: a buyer's own, a seller's products', or (operations) all.
#[utoipa::path(get, path = "/supervision/flows", tag = "supervision", params(FlowListQuery),
    responses((status = 200, body = FlowPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_flows(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<FlowListQuery>,
) -> ApiResult<ApiJson<FlowPage>> {
    let mut checks = ListQuery::new();
    let text = checks.search("q", query.q.as_deref());
    let step = checks.choice("step", query.step.as_deref(), |text: &str| text.parse::<Step>().ok(), "Unknown step.");
    let appeal_open = checks
        .choice("appeal", query.appeal.as_deref(), |value| (value == "open").then_some(true), "Use `open`.")
        .unwrap_or(false);
    let from = checks.time("created_from", query.created_from.as_deref());
    let before = checks.time("created_before", query.created_before.as_deref());
    let (page, page_size) = checks.paging(query.page.as_deref(), query.page_size.as_deref(), 50, 10);
    checks.finish()?;
    let (scope, party) = match account.role {
        Role::Buyer | Role::ResellerCustomer => (FlowScope::Buyer(account.id), Party::Buyer),
        Role::Seller => (FlowScope::Seller(account.require_seller()?), Party::Seller),
        Role::Operations => (FlowScope::Everyone, Party::Operations),
    };
    let pattern = text.as_deref().map(contains_pattern);
    let filter = store::supervision::FlowFilter {
        scope,
        pattern: pattern.as_deref(),
        step,
        appeal_open,
        started_from: from,
        started_before: before,
    };
    let total = store::supervision::count_flows(&state.db, &filter).await?;
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows = store::supervision::flow_page(&state.db, &filter, limit, offset).await?;
    let now = state.clock.now();
    // The page's histories in one query (each bounded by MAX_EVENTS_PER_FLOW), not one
    // query per row.
    let mut connection = state.db.acquire().await?;
    let mut histories = supervision::load_histories(&mut connection, rows.iter().map(|row| row.flow.id)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for FlowListRow { flow, names } in rows {
        let history = histories.remove(&flow.id).unwrap_or_default();
        let flow_state = state_of(&flow, &history, now);
        items.push(summary(&flow, names, &flow_state, party));
    }
    Ok(ApiJson(FlowPage { items, total: u64::try_from(total).unwrap_or(0), page, page_size }))
}

async fn detail(state: &AppState, flow: FlowRow, party: Party) -> ApiResult<FlowDetail> {
    let now = state.clock.now();
    let mut connection = state.db.acquire().await?;
    let history = load_history(&mut connection, flow.id).await?;
    let flow_state = state_of(&flow, &history, now);
    let template = supervision::template_for(&mut connection, flow.product_id).await?;
    let names = names(&mut connection, flow.order_id).await?;
    let paid = crate::domain::orders::unsubscribed::paid_for(&mut connection, flow.order_id).await?;
    drop(connection);
    let application = if party == Party::Buyer {
        crate::http::purchased_apps::application_info(state, flow.order_id).await?
    } else {
        None
    };
    Ok(FlowDetail {
        summary: summary(&flow, names, &flow_state, party),
        template,
        history,
        state: flow_state,
        server_now: now,
        application,
        paid,
    })
}

async fn visible_flow(state: &AppState, account: &CurrentAccount, flow_id: FlowId) -> ApiResult<(FlowRow, Party)> {
    let mut connection = state.db.acquire().await?;
    let flow = load_flow(&mut connection, flow_id).await?.ok_or(ApiError::NotFound)?;
    let party = viewer(account, &flow).ok_or(ApiError::NotFound)?;
    Ok((flow, party))
}

/// A flow's timeline, template, current state with every deadline and the viewer's
/// actions, the server's clock, and (buyers of SaaS) the application information. The
/// `ETag` is the flow version to send back in `If-Match`.
#[utoipa::path(get, path = "/supervision/flows/{flow_id}", tag = "supervision",
    params(("flow_id" = i64, Path, description = "Flow id")),
    responses((status = 200, body = FlowDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn flow_detail(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(flow_id): ApiPath<FlowId>,
) -> ApiResult<(HeaderMap, ApiJson<FlowDetail>)> {
    let (flow, party) = visible_flow(&state, &account, flow_id).await?;
    let detail = detail(&state, flow, party).await?;
    Ok((etag(detail.summary.version), ApiJson(detail)))
}

fn etag(version: u32) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = format!("\"{version}\"").parse() {
        headers.insert(header::ETAG, value);
    }
    headers
}

fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or_else(|| ApiError::BadRequest("Send `If-Match` with the flow version you acted on.".to_owned()))?
        .to_str()
        .unwrap_or("");
    value
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| ApiError::BadRequest("`If-Match` must be the flow version, e.g. \"3\".".to_owned()))
}

/// Explains in English why the rules refuse (the SPA shows its own translated reason).
/// A refusal by the flow's rules: the rule for clients, and why in English.
fn refused(blocked: Blocked, now: OffsetDateTime) -> ApiError {
    ApiError::RuleViolation { explanation: explain(&blocked, now), blocked }
}

fn explain(blocked: &Blocked, now: OffsetDateTime) -> String {
    let span = |until: OffsetDateTime| {
        let (days, hours, minutes) = short_duration(until - now);
        format!("{days} d {hours} h {minutes} min")
    };
    match blocked {
        Blocked::Frozen => "An appeal is open: the flow is frozen until operations resolve it.".to_owned(),
        Blocked::Finished => "The flow is over.".to_owned(),
        Blocked::AwaitingCompletion { completes_at } => {
            format!("The delivery was accepted; the order completes in {}.", span(*completes_at))
        }
        Blocked::WrongStep => "That is not possible at this step of the flow.".to_owned(),
        Blocked::RejectionLimitReached { limit } => format!("The limit of {limit} rejections is reached."),
        Blocked::RemindedRecently { next_at } => format!("You can remind the seller again in {}.", span(*next_at)),
        Blocked::NotIdleLongEnough { allowed_at, .. } => format!("An appeal is possible in {}.", span(*allowed_at)),
        Blocked::NoGrounds => "There are no grounds for an appeal now.".to_owned(),
        Blocked::AppealWindowClosed { .. } => format!(
            "No appeals in the last {} days before planned completion.",
            NO_APPEAL_BEFORE_COMPLETION.whole_days()
        ),
        Blocked::NoOpenAppeal => "There is no open appeal.".to_owned(),
        Blocked::TimelineFull { limit } => {
            format!("This flow's timeline is full ({limit} entries); ask operations for help.")
        }
        Blocked::NoUnsubscriptionAsked => "The buyer has not asked to unsubscribe, or it was answered.".to_owned(),
        Blocked::UnsubscriptionUnderWay => "An unsubscription request is already waiting for an answer.".to_owned(),
        Blocked::NoProposal => "There is no refund offer to answer.".to_owned(),
    }
}

/// Does one action on a flow (as the buyer, the seller or operations, whichever the caller
/// is). `If-Match` must carry the flow version the action was decided on: 412 when the
/// flow moved on meanwhile, 409 when the rules refuse (the message says why).
#[utoipa::path(post, path = "/supervision/flows/{flow_id}/actions", tag = "supervision", request_body = FlowCommand,
    params(("flow_id" = i64, Path, description = "Flow id"),
           ("If-Match" = String, Header, description = "The flow version, from `ETag` or `summary.version`")),
    responses((status = 200, body = FlowDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "The rules refuse the action now."),
              (status = 412, body = ErrorBody, description = "Stale version."), (status = 422, body = ErrorBody)))]
async fn act(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(flow_id): ApiPath<FlowId>,
    headers: HeaderMap,
    ApiJson(command): ApiJson<FlowCommand>,
) -> ApiResult<(HeaderMap, ApiJson<FlowDetail>)> {
    let expected_version = if_match(&headers)?;
    let (visible, party) = visible_flow(&state, &account, flow_id).await?; // its buyer's lock queues its writers
    let actor_name = store::supervision::display_name(&state.db, account.id).await?;
    let now = state.clock.now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(visible.account_id)).await?;
    let flow = load_flow(&mut transaction, flow_id).await?.ok_or(ApiError::NotFound)?;
    if flow.version != expected_version {
        return Err(ApiError::PreconditionFailed);
    }
    if flow.version >= i64::from(MAX_EVENTS_PER_FLOW) {
        return Err(refused(Blocked::TimelineFull { limit: MAX_EVENTS_PER_FLOW }, now));
    }
    let mut history = load_history(&mut transaction, flow_id).await?;
    let current = state_of(&flow, &history, now);
    if let Err(blocked) = current.check(party, command.action()) {
        return Err(refused(blocked, now));
    }
    let template: Vec<TemplateField> = supervision::template_for(&mut transaction, flow.product_id).await?;
    let paid = crate::domain::orders::unsubscribed::paid_for(&mut transaction, flow.order_id).await?;
    let started = from_unix(flow.started_at);
    let event = command.to_event(&template, started, paid, now).map_err(|errors| ApiError::Validation(errors.0))?;
    supervision::record(&mut transaction, &flow, &mut history, party, Some(account.id), &actor_name, now, event, now)
        .await?;
    transaction.commit().await?;
    tracing::info!(%flow_id, party = party.as_str(), action = ?command.action(), "supervision action");
    let flow = {
        let mut connection = state.db.acquire().await?;
        load_flow(&mut connection, flow_id).await?.ok_or(ApiError::NotFound)?
    };
    let detail = detail(&state, flow, party).await?;
    Ok((etag(detail.summary.version), ApiJson(detail)))
}

/// The request template of one of the seller's products (the default of its kind until
/// the seller saves one).
#[utoipa::path(get, path = "/supervision/templates/{product_id}", tag = "supervision",
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = Vec<TemplateField>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn read_template(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
) -> ApiResult<ApiJson<Vec<TemplateField>>> {
    own_supervised_product(&state, &account, product_id).await?;
    let mut connection = state.db.acquire().await?;
    Ok(ApiJson(supervision::template_for(&mut connection, product_id).await?))
}

/// Saves the request template of one of the seller's supervised products. Flows already
/// submitted keep the values they were submitted with.
#[utoipa::path(put, path = "/supervision/templates/{product_id}", tag = "supervision", request_body = Vec<TemplateField>,
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = Vec<TemplateField>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn write_template(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
    ApiJson(fields): ApiJson<Vec<TemplateField>>,
) -> ApiResult<ApiJson<Vec<TemplateField>>> {
    own_supervised_product(&state, &account, product_id).await?;
    let problems = bazaar_core::supervision::validate_template(&fields);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems.0));
    }
    let json = serde_json::to_string(&fields).map_err(ApiError::internal)?;
    store::supervision::save_template(&state.db, product_id, &json, state.clock.unix_now()).await?;
    Ok(ApiJson(fields))
}

async fn own_supervised_product(state: &AppState, account: &CurrentAccount, product_id: ProductId) -> ApiResult<()> {
    let seller_id = account.require_seller()?;
    if store::supervision::sells_supervised(&state.db, seller_id, product_id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}
