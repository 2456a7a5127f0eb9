//! Service supervision on the server: creating a flow when a supervised order is paid,
//! loading and evaluating flows with the core rules, recording actions (checked by the
//! rules, guarded by the flow's version), applying what a flow decides to its order, and
//! the sweeper that records completions that time alone brings about.

use bazaar_core::catalog::DeliveryMethod;
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::orders::CancelReasonCode;
use bazaar_core::supervision::{
    FlowEvent, FlowEventKind, FlowKind, FlowState, Party, Step, TemplateField, TemplateFieldKind, evaluate,
};
use time::OffsetDateTime;

use crate::domain::messages::{self, Outgoing};
use crate::domain::orders::{self, Completing};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection, Transaction, WriteScope, begin_write};
use crate::state::AppState;
use bazaar_core::ids::{AccountId, FlowId, OrderId, ProductId};

/// How often the sweeper looks for flows whose completion time has passed.
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts the flow of a just-paid supervised order (in the payment's transaction).
#[derive(sqlx::FromRow)]
struct SupervisedOrder {
    account_id: AccountId,
    seller_id: i64,
    product_id: ProductId,
    delivery_method: DeliveryMethod,
    service_period_days: Option<i64>,
}

pub async fn start_flow(transaction: &mut Transaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    let order: Option<SupervisedOrder> = db::query_as(
        "SELECT o.account_id, o.seller_id, o.product_id, o.delivery_method, p.service_period_days
         FROM orders o JOIN products p ON p.id = o.product_id WHERE o.id = $1 AND o.supervised = TRUE",
    )
    .bind(order_id)
    .fetch_optional(&mut **transaction)
    .await?;
    let Some(order) = order else { return Ok(()) };
    let kind = if order.delivery_method == DeliveryMethod::License { FlowKind::License } else { FlowKind::Standard };
    let first_step = if kind == FlowKind::License { Step::InService } else { Step::AwaitingRequest };
    let planned = now.saturating_add(order.service_period_days.unwrap_or(30).saturating_mul(86_400));
    let flow_id: FlowId = db::query_scalar(
        "INSERT INTO supervision_flows (order_id, account_id, seller_id, product_id, kind, started_at,
                                        planned_completion_at, version, step, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
    )
    .bind(order_id)
    .bind(order.account_id)
    .bind(order.seller_id)
    .bind(order.product_id)
    .bind(kind)
    .bind(now)
    .bind(planned)
    .bind(first_step)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await?;
    insert_event(transaction, flow_id, 0, Party::System, None, "Bazaar", now, &FlowEventKind::FlowStarted).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    connection: &mut Connection,
    flow_id: FlowId,
    sequence: u32,
    party: Party,
    actor_account_id: Option<AccountId>,
    actor_name: &str,
    at: i64,
    kind: &FlowEventKind,
) -> ApiResult<()> {
    db::query(
        "INSERT INTO supervision_events (flow_id, sequence, party, actor_account_id, actor_name, at, kind_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(flow_id)
    .bind(i64::from(sequence))
    .bind(party)
    .bind(actor_account_id)
    .bind(actor_name)
    .bind(at)
    .bind(serde_json::to_string(kind).map_err(ApiError::internal)?)
    .execute(connection)
    .await?;
    Ok(())
}

/// A flow row with what the rules need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRow {
    pub id: FlowId,
    pub order_id: OrderId,
    pub account_id: AccountId,
    pub seller_id: i64,
    pub product_id: ProductId,
    pub kind: FlowKind,
    pub started_at: i64,
    pub planned_completion_at: i64,
    pub version: i64,
}

pub const FLOW_COLUMNS: &str = "f.id, f.order_id, f.account_id, f.seller_id, f.product_id, f.kind, f.started_at, f.planned_completion_at, f.version";

pub async fn load_flow(connection: &mut Connection, flow_id: FlowId) -> ApiResult<Option<FlowRow>> {
    Ok(db::query_as(&format!("SELECT {FLOW_COLUMNS} FROM supervision_flows f WHERE f.id = $1"))
        .bind(flow_id)
        .fetch_optional(connection)
        .await?)
}

pub async fn load_history(connection: &mut Connection, flow_id: FlowId) -> ApiResult<Vec<FlowEvent>> {
    Ok(load_histories(connection, [flow_id]).await?.remove(&flow_id).unwrap_or_default())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    flow_id: FlowId,
    sequence: i64,
    party: Party,
    actor_name: String,
    at: i64,
    kind_json: String,
}

/// The histories of several flows in one query, by flow id.
pub async fn load_histories(
    connection: &mut Connection,
    flow_ids: impl IntoIterator<Item = FlowId>,
) -> ApiResult<std::collections::HashMap<FlowId, Vec<FlowEvent>>> {
    let ids: Vec<String> = flow_ids.into_iter().map(|id| id.to_string()).collect();
    let mut histories: std::collections::HashMap<FlowId, Vec<FlowEvent>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(histories);
    }
    // The ids are integers formatted here, never text from a request.
    let rows: Vec<EventRow> = db::query_as(&format!(
        "SELECT flow_id, sequence, party, actor_name, at, kind_json FROM supervision_events
         WHERE flow_id IN ({}) ORDER BY flow_id, sequence",
        ids.join(",")
    ))
    .fetch_all(connection)
    .await?;
    for row in rows {
        histories.entry(row.flow_id).or_default().push(FlowEvent {
            sequence: u32::try_from(row.sequence).unwrap_or(0),
            by: row.party,
            by_name: row.actor_name,
            at: from_unix(row.at),
            kind: serde_json::from_str(&row.kind_json).map_err(ApiError::internal)?,
        });
    }
    Ok(histories)
}

pub fn state_of(flow: &FlowRow, history: &[FlowEvent], now: OffsetDateTime) -> FlowState {
    evaluate(history, flow.kind, from_unix(flow.started_at), from_unix(flow.planned_completion_at), now)
}

/// Records `kind` by `party` as event number `flow.version`, updates the flow's cached
/// columns, and applies what the new state means for the order (completed, or cancelled
/// and refunded). Returns the new state.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    transaction: &mut Transaction,
    flow: &FlowRow,
    history: &mut Vec<FlowEvent>,
    party: Party,
    actor_account_id: Option<AccountId>,
    actor_name: &str,
    at: OffsetDateTime,
    kind: FlowEventKind,
    now: OffsetDateTime,
) -> ApiResult<FlowState> {
    let sequence = u32::try_from(flow.version).map_err(ApiError::internal)?;
    let turn_before = state_of(flow, history, now).turn;
    insert_event(transaction, flow.id, sequence, party, actor_account_id, actor_name, at.unix_timestamp(), &kind)
        .await?;
    history.push(FlowEvent { sequence, by: party, by_name: actor_name.to_owned(), at, kind: kind.clone() });
    let state = state_of(flow, history, now);
    let updated = db::query(
        "UPDATE supervision_flows SET version = version + 1, step = $1, frozen = $2, completes_at = $3, updated_at = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(state.step)
    .bind(state.frozen())
    .bind(state.deadlines.completes_at.map(OffsetDateTime::unix_timestamp))
    .bind(now.unix_timestamp())
    .bind(flow.id)
    .bind(flow.version)
    .execute(&mut **transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    tell_parties(transaction, flow, sequence, turn_before, &state, &kind, party, at, now).await?;
    match (&kind, state.step) {
        (FlowEventKind::AppealResolved { note, .. }, Step::Cancelled) => {
            let detail = format!("Operations resolved an appeal for the buyer: {note}");
            orders::cancel_and_refund(
                transaction,
                flow.order_id,
                CancelReasonCode::AppealRefunded,
                &detail,
                now.unix_timestamp(),
            )
            .await?;
        }
        (FlowEventKind::ProposalAccepted | FlowEventKind::UnsubscriptionDecided { .. }, Step::Cancelled) => {
            let refund = state.unsubscription.as_ref().and_then(|negotiation| negotiation.agreed_refund);
            let refund = refund.ok_or_else(|| ApiError::internal("a settled unsubscription without its refund"))?;
            let (key, at) = (format!("flow-{}", flow.id), now.unix_timestamp());
            orders::unsubscribed::settle_by_agreement(transaction, flow.order_id, &key, refund, at).await?;
        }
        (_, Step::Completed) => {
            let completed_at =
                state.deadlines.completes_at.filter(|_| matches!(kind, FlowEventKind::Completed)).unwrap_or(at);
            orders::complete(transaction, flow.order_id, completed_at.unix_timestamp(), Completing::Decided).await?;
        }
        _ => {}
    }
    Ok(state)
}

/// Records the completions that time brought about (3 hours after acceptance).
pub async fn sweep_once(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let due: Vec<(FlowId, AccountId)> = db::query_as(
        "SELECT id, account_id FROM supervision_flows
         WHERE step = $1 AND completes_at IS NOT NULL AND completes_at <= $2",
    )
    .bind(Step::Accepted)
    .bind(now.unix_timestamp())
    .fetch_all(&state.db)
    .await?;
    let mut completed = 0;
    for (flow_id, account_id) in due {
        // Read again under the buyer's lock: another sweep's completion leaves nothing to do.
        let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
        let Some(flow) = load_flow(&mut transaction, flow_id).await? else { continue };
        let mut history = load_history(&mut transaction, flow_id).await?;
        let current = state_of(&flow, &history, now);
        let (Step::Completed, Some(completes_at)) = (current.step, current.deadlines.completes_at) else { continue };
        if history.iter().any(|event| matches!(event.kind, FlowEventKind::Completed)) {
            continue;
        }
        record(
            &mut transaction,
            &flow,
            &mut history,
            Party::System,
            None,
            "Bazaar",
            completes_at,
            FlowEventKind::Completed,
            now,
        )
        .await?;
        transaction.commit().await?;
        completed += 1;
        tracing::info!(%flow_id, order_id = %flow.order_id, "supervision flow completed");
    }
    Ok(completed)
}

/// The messages an event brings: whose turn it now is (unless that party just acted),
/// an appeal opened or resolved (both sides), the flow completed (the buyer).
#[allow(clippy::too_many_arguments)]
async fn tell_parties(
    transaction: &mut Transaction,
    flow: &FlowRow,
    sequence: u32,
    turn_before: Option<Party>,
    state: &FlowState,
    kind: &FlowEventKind,
    actor: Party,
    at: OffsetDateTime,
    now: OffsetDateTime,
) -> ApiResult<()> {
    let mut news: Vec<(MessageTopic, Party)> = Vec::new();
    if let Some(turn) = state.turn.filter(|turn| Some(*turn) != turn_before && *turn != actor) {
        news.push((MessageTopic::FlowYourTurn, turn));
    }
    match kind {
        FlowEventKind::AppealOpened { .. } => {
            news.extend([Party::Buyer, Party::Seller].map(|p| (MessageTopic::AppealOpened, p)))
        }
        FlowEventKind::AppealResolved { .. } => {
            news.extend([Party::Buyer, Party::Seller].map(|p| (MessageTopic::AppealResolved, p)))
        }
        FlowEventKind::Completed => news.push((MessageTopic::FlowCompleted, Party::Buyer)),
        // A negotiated unsubscription waits for the other side's answer.
        FlowEventKind::UnsubscriptionAsked { .. } | FlowEventKind::ProposalRejected { .. } => {
            news.push((MessageTopic::FlowYourTurn, Party::Seller))
        }
        FlowEventKind::RefundProposed { .. } | FlowEventKind::UnsubscriptionDeclined { .. } => {
            news.push((MessageTopic::FlowYourTurn, Party::Buyer))
        }
        _ => {}
    }
    if news.is_empty() {
        return Ok(());
    }
    let product_name: String = db::query_scalar("SELECT product_name FROM orders WHERE id = $1")
        .bind(flow.order_id)
        .fetch_one(&mut **transaction)
        .await?;
    let sellers: Vec<AccountId> = db::query_scalar("SELECT id FROM accounts WHERE seller_id = $1")
        .bind(flow.seller_id)
        .fetch_all(&mut **transaction)
        .await?;
    for (topic, party) in news {
        let accounts = match party {
            Party::Buyer => vec![flow.account_id],
            Party::Seller => sellers.clone(),
            _ => Vec::new(),
        };
        for account_id in accounts {
            let message = Outgoing {
                account_id,
                topic,
                subject: &product_name,
                order_id: flow.order_id,
                link: MessageLink::Flow { flow_id: flow.id },
                at: None,
                // An event that time brought about (a completion the sweeper records late)
                // keeps its own time.
                due_at: Some(at),
                dedupe_key: format!("flow:{}:{sequence}:{}:{account_id}", flow.id, topic.as_str()),
            };
            messages::send(transaction, message, now.unix_timestamp()).await?;
        }
    }
    Ok(())
}

/// Sweeps every few seconds on the instance that leads the supervision sweep.
pub async fn run_sweeper(state: AppState) {
    crate::infra::work::sweep_on_one_instance(&state.db, "supervision sweep", SWEEP_INTERVAL, || sweep_once(&state))
        .await
}

/// The product's request template: the seller's own, else the default of its kind.
pub async fn template_for(connection: &mut Connection, product_id: ProductId) -> ApiResult<Vec<TemplateField>> {
    let stored: Option<String> = db::query_scalar("SELECT fields_json FROM request_templates WHERE product_id = $1")
        .bind(product_id)
        .fetch_optional(&mut *connection)
        .await?;
    if let Some(json) = stored {
        return serde_json::from_str(&json).map_err(ApiError::internal);
    }
    let delivery: DeliveryMethod = db::query_scalar("SELECT delivery_method FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_one(connection)
        .await?;
    Ok(default_template(delivery))
}

fn field(key: &str, label: &str, kind: TemplateFieldKind, required: bool, hint: Option<&str>) -> TemplateField {
    TemplateField { key: key.to_owned(), label: label.to_owned(), kind, required, hint: hint.map(str::to_owned) }
}

/// What sellers ask for when they have not defined their own template.
pub fn default_template(delivery_method: DeliveryMethod) -> Vec<TemplateField> {
    let details = |label: &str, hint: &str| {
        field("details", label, TemplateFieldKind::LongText { max_chars: 2000 }, true, Some(hint))
    };
    match delivery_method {
        DeliveryMethod::ProfessionalService => vec![
            field("contact_name", "Contact person", TemplateFieldKind::Text { max_chars: 80 }, true, None),
            field(
                "environment",
                "Environment",
                TemplateFieldKind::Choice { options: vec!["Production".into(), "Staging".into(), "Test".into()] },
                true,
                None,
            ),
            field("data_size_gb", "Data size (GB)", TemplateFieldKind::Number { min: 1, max: 100_000 }, false, None),
            field("preferred_start", "Preferred start date", TemplateFieldKind::Date, false, Some("YYYY-MM-DD")),
            details("What should be done", "Systems involved, constraints, maintenance windows."),
        ],
        DeliveryMethod::Consulting => vec![
            field("topic", "Topic", TemplateFieldKind::Text { max_chars: 120 }, true, None),
            field("meeting_date", "Preferred first meeting", TemplateFieldKind::Date, false, Some("YYYY-MM-DD")),
            details("Background", "Your goals and what you have tried."),
        ],
        _ => vec![
            field("company_name", "Company name", TemplateFieldKind::Text { max_chars: 120 }, true, None),
            field("admin_email", "Administrator e-mail", TemplateFieldKind::Text { max_chars: 120 }, true, None),
            details("Set-up requirements", "Domains, users to invite, integrations to enable."),
        ],
    }
}
