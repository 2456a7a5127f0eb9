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
use crate::infra::db::{Connection, Transaction, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use bazaar_core::ids::{AccountId, FlowId, OrderId, ProductId};

/// How often the sweeper looks for flows whose completion time has passed.
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts the flow of a just-paid supervised order (in the payment's transaction).
pub async fn start_flow(transaction: &mut Transaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    let Some(order) = store::supervision::supervised_order(transaction, order_id).await? else { return Ok(()) };
    let kind = if order.delivery_method == DeliveryMethod::License { FlowKind::License } else { FlowKind::Standard };
    let first_step = if kind == FlowKind::License { Step::InService } else { Step::AwaitingRequest };
    let planned = now.saturating_add(order.service_period_days.unwrap_or(30).saturating_mul(86_400));
    let flow = store::supervision::NewFlow {
        order_id,
        account_id: order.account_id,
        seller_id: order.seller_id,
        product_id: order.product_id,
        kind,
        started_at: now,
        planned_completion_at: planned,
        step: first_step,
    };
    let flow_id = store::supervision::insert_flow(transaction, flow).await?;
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
    let event = store::supervision::EventRow {
        flow_id,
        sequence: i64::from(sequence),
        party,
        actor_account_id,
        actor_name: actor_name.to_owned(),
        at,
        kind_json: serde_json::to_string(kind).map_err(ApiError::internal)?,
    };
    store::supervision::insert_event(connection, &event).await?;
    Ok(())
}

pub use crate::store::supervision::FlowRow;

pub async fn load_flow(connection: &mut Connection, flow_id: FlowId) -> ApiResult<Option<FlowRow>> {
    Ok(store::supervision::flow(connection, flow_id).await?)
}

pub async fn load_history(connection: &mut Connection, flow_id: FlowId) -> ApiResult<Vec<FlowEvent>> {
    Ok(load_histories(connection, [flow_id]).await?.remove(&flow_id).unwrap_or_default())
}

/// The histories of several flows in one query, by flow id.
pub async fn load_histories(
    connection: &mut Connection,
    flow_ids: impl IntoIterator<Item = FlowId>,
) -> ApiResult<std::collections::HashMap<FlowId, Vec<FlowEvent>>> {
    let ids: Vec<FlowId> = flow_ids.into_iter().collect();
    let mut histories: std::collections::HashMap<FlowId, Vec<FlowEvent>> = std::collections::HashMap::new();
    let rows = store::supervision::events_of(connection, &ids).await?;
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
    let moved = store::supervision::FlowMoved {
        step: state.step,
        frozen: state.frozen(),
        completes_at: state.deadlines.completes_at.map(OffsetDateTime::unix_timestamp),
        now: now.unix_timestamp(),
    };
    if !store::supervision::move_flow(transaction, flow.id, flow.version, moved).await? {
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
    let due = store::supervision::completions_due(&state.db, Step::Accepted, now.unix_timestamp()).await?;
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
    let product_name = store::supervision::product_name_of_order(transaction, flow.order_id).await?;
    let sellers = store::supervision::seller_accounts(transaction, flow.seller_id).await?;
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
    let stored = store::supervision::saved_template(connection, product_id).await?;
    if let Some(json) = stored {
        return serde_json::from_str(&json).map_err(ApiError::internal);
    }
    let delivery = store::supervision::delivery_method(connection, product_id).await?;
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
