//! Service supervision's tables: `supervision_flows`, their `supervision_events` (the
//! timeline, each event's kind as JSON), and sellers' `request_templates`; plus the names
//! a flow shows (its order's product, its buyer).

use bazaar_core::catalog::DeliveryMethod;
use bazaar_core::ids::{AccountId, FlowId, OrderId, ProductId};
use bazaar_core::supervision::{FlowKind, Party, Step};

use crate::infra::db::{self, Connection, Database};

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

const FLOW_COLUMNS: &str = "f.id, f.order_id, f.account_id, f.seller_id, f.product_id, f.kind, f.started_at, f.planned_completion_at, f.version";

pub async fn flow(connection: &mut Connection, flow_id: FlowId) -> Result<Option<FlowRow>, sqlx::Error> {
    db::query_as(&format!("SELECT {FLOW_COLUMNS} FROM supervision_flows f WHERE f.id = $1"))
        .bind(flow_id)
        .fetch_optional(connection)
        .await
}

/// What starting a flow needs of its just-paid order (none when it is not supervised).
#[derive(Debug, sqlx::FromRow)]
pub struct SupervisedOrder {
    pub account_id: AccountId,
    pub seller_id: i64,
    pub product_id: ProductId,
    pub delivery_method: DeliveryMethod,
    pub service_period_days: Option<i64>,
}

pub async fn supervised_order(
    connection: &mut Connection,
    order_id: OrderId,
) -> Result<Option<SupervisedOrder>, sqlx::Error> {
    db::query_as(
        "SELECT o.account_id, o.seller_id, o.product_id, o.delivery_method, p.service_period_days
         FROM orders o JOIN products p ON p.id = o.product_id WHERE o.id = $1 AND o.supervised = TRUE",
    )
    .bind(order_id)
    .fetch_optional(connection)
    .await
}

/// A flow to create, at version 1 on its first step.
pub struct NewFlow {
    pub order_id: OrderId,
    pub account_id: AccountId,
    pub seller_id: i64,
    pub product_id: ProductId,
    pub kind: FlowKind,
    pub started_at: i64,
    pub planned_completion_at: i64,
    pub step: Step,
}

pub async fn insert_flow(connection: &mut Connection, flow: NewFlow) -> Result<FlowId, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO supervision_flows (order_id, account_id, seller_id, product_id, kind, started_at,
                                        planned_completion_at, version, step, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
    )
    .bind(flow.order_id)
    .bind(flow.account_id)
    .bind(flow.seller_id)
    .bind(flow.product_id)
    .bind(flow.kind)
    .bind(flow.started_at)
    .bind(flow.planned_completion_at)
    .bind(flow.step)
    .bind(flow.started_at)
    .fetch_one(connection)
    .await
}

/// One event of a timeline, its kind as JSON.
#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub flow_id: FlowId,
    pub sequence: i64,
    pub party: Party,
    pub actor_account_id: Option<AccountId>,
    pub actor_name: String,
    pub at: i64,
    pub kind_json: String,
}

pub async fn insert_event(connection: &mut Connection, event: &EventRow) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO supervision_events (flow_id, sequence, party, actor_account_id, actor_name, at, kind_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.flow_id)
    .bind(event.sequence)
    .bind(event.party)
    .bind(event.actor_account_id)
    .bind(&event.actor_name)
    .bind(event.at)
    .bind(&event.kind_json)
    .execute(connection)
    .await?;
    Ok(())
}

/// The events of several flows in one query, by flow and sequence.
pub async fn events_of(connection: &mut Connection, flow_ids: &[FlowId]) -> Result<Vec<EventRow>, sqlx::Error> {
    if flow_ids.is_empty() {
        return Ok(Vec::new());
    }
    // The ids are integers formatted here, never text from a request.
    let ids: Vec<String> = flow_ids.iter().map(|id| id.to_string()).collect();
    db::query_as(&format!(
        "SELECT flow_id, sequence, party, actor_account_id, actor_name, at, kind_json FROM supervision_events
         WHERE flow_id IN ({}) ORDER BY flow_id, sequence",
        ids.join(",")
    ))
    .fetch_all(connection)
    .await
}

/// The flow's cached columns after an event; `false` when another writer moved it on first
/// (its version is no longer `version`).
pub struct FlowMoved {
    pub step: Step,
    pub frozen: bool,
    pub completes_at: Option<i64>,
    pub now: i64,
}

pub async fn move_flow(
    connection: &mut Connection,
    flow_id: FlowId,
    version: i64,
    moved: FlowMoved,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE supervision_flows SET version = version + 1, step = $1, frozen = $2, completes_at = $3, updated_at = $4
         WHERE id = $5 AND version = $6",
    )
    .bind(moved.step)
    .bind(moved.frozen)
    .bind(moved.completes_at)
    .bind(moved.now)
    .bind(flow_id)
    .bind(version)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Flows on `step` whose completion time has come by `now`, with their buyers.
pub async fn completions_due(db: &Database, step: Step, now: i64) -> Result<Vec<(FlowId, AccountId)>, sqlx::Error> {
    db::query_as(
        "SELECT id, account_id FROM supervision_flows
         WHERE step = $1 AND completes_at IS NOT NULL AND completes_at <= $2",
    )
    .bind(step)
    .bind(now)
    .fetch_all(db)
    .await
}

pub async fn product_name_of_order(connection: &mut Connection, order_id: OrderId) -> Result<String, sqlx::Error> {
    db::query_scalar("SELECT product_name FROM orders WHERE id = $1").bind(order_id).fetch_one(connection).await
}

/// The accounts that act for seller `seller_id`.
pub async fn seller_accounts(connection: &mut Connection, seller_id: i64) -> Result<Vec<AccountId>, sqlx::Error> {
    db::query_scalar("SELECT id FROM accounts WHERE seller_id = $1").bind(seller_id).fetch_all(connection).await
}

/// The request template a seller saved for the product (JSON), if any.
pub async fn saved_template(connection: &mut Connection, product_id: ProductId) -> Result<Option<String>, sqlx::Error> {
    db::query_scalar("SELECT fields_json FROM request_templates WHERE product_id = $1")
        .bind(product_id)
        .fetch_optional(connection)
        .await
}

pub async fn save_template(
    db: &Database,
    product_id: ProductId,
    fields_json: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO request_templates (product_id, fields_json, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (product_id) DO UPDATE SET fields_json = excluded.fields_json, updated_at = excluded.updated_at",
    )
    .bind(product_id)
    .bind(fields_json)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delivery_method(
    connection: &mut Connection,
    product_id: ProductId,
) -> Result<DeliveryMethod, sqlx::Error> {
    db::query_scalar("SELECT delivery_method FROM products WHERE id = $1").bind(product_id).fetch_one(connection).await
}

/// Whether seller `seller_id` sells supervised product `product_id`.
pub async fn sells_supervised(db: &Database, seller_id: i64, product_id: ProductId) -> Result<bool, sqlx::Error> {
    let owned: Option<i32> =
        db::query_scalar("SELECT 1 FROM products WHERE id = $1 AND seller_id = $2 AND supervised = TRUE")
            .bind(product_id)
            .bind(seller_id)
            .fetch_optional(db)
            .await?;
    Ok(owned.is_some())
}

/// What a flow is called: its order's product and specification, its buyer and seller.
#[derive(Debug, sqlx::FromRow)]
pub struct Names {
    pub product_name: String,
    pub sku_name: String,
    pub buyer_name: String,
    pub seller_name: String,
}

/// Columns of [`Names`], from `orders o JOIN accounts a` (the buyer).
const NAME_COLUMNS: &str = "o.product_name, o.sku_name, a.display_name AS buyer_name, o.seller_name";

pub async fn names(connection: &mut Connection, order_id: OrderId) -> Result<Names, sqlx::Error> {
    db::query_as(&format!("SELECT {NAME_COLUMNS} FROM orders o JOIN accounts a ON a.id = o.account_id WHERE o.id = $1"))
        .bind(order_id)
        .fetch_one(connection)
        .await
}

/// A flow of a list page with its names.
#[derive(Debug, sqlx::FromRow)]
pub struct FlowListRow {
    #[sqlx(flatten)]
    pub flow: FlowRow,
    #[sqlx(flatten)]
    pub names: Names,
}

/// Whose flows a list shows.
#[derive(Debug, Clone, Copy)]
pub enum FlowScope {
    Buyer(AccountId),
    Seller(i64),
    Everyone,
}

/// Which flows a list page shows.
pub struct FlowFilter<'a> {
    pub scope: FlowScope,
    /// A `LIKE` pattern over the product name and the order number.
    pub pattern: Option<&'a str>,
    pub step: Option<Step>,
    /// Only flows frozen by an open appeal.
    pub appeal_open: bool,
    pub started_from: Option<i64>,
    pub started_before: Option<i64>,
}

impl FlowFilter<'_> {
    fn condition(&self) -> (String, i64) {
        let (scope, id) = match self.scope {
            FlowScope::Buyer(account_id) => ("f.account_id = $1", account_id.0),
            FlowScope::Seller(seller_id) => ("f.seller_id = $1", seller_id),
            FlowScope::Everyone => ("$1 IS NOT NULL", 0),
        };
        let condition = format!(
            "{scope} AND ($2 IS NULL OR lower(o.product_name || ' ' || 'BZ' || substr(CAST(100000000 + o.id AS TEXT), 2)) LIKE $2 ESCAPE '\\')
             AND ($3 IS NULL OR f.step = $3) AND (NOT $4 OR f.frozen)
             AND ($5 IS NULL OR f.started_at >= $5) AND ($6 IS NULL OR f.started_at < $6)"
        );
        (condition, id)
    }
}

pub async fn count_flows(db: &Database, filter: &FlowFilter<'_>) -> Result<i64, sqlx::Error> {
    let (condition, scope_id) = filter.condition();
    db::query_scalar(&format!(
        "SELECT COUNT(*) FROM supervision_flows f JOIN orders o ON o.id = f.order_id WHERE {condition}"
    ))
    .bind(scope_id)
    .bind(filter.pattern)
    .bind(filter.step.map(Step::as_str))
    .bind(filter.appeal_open)
    .bind(filter.started_from)
    .bind(filter.started_before)
    .fetch_one(db)
    .await
}

/// One page of the flows, newest first, with their names (one query, not one per row).
pub async fn flow_page(
    db: &Database,
    filter: &FlowFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<FlowListRow>, sqlx::Error> {
    let (condition, scope_id) = filter.condition();
    db::query_as(&format!(
        "SELECT {FLOW_COLUMNS}, {NAME_COLUMNS} FROM supervision_flows f JOIN orders o ON o.id = f.order_id
         JOIN accounts a ON a.id = o.account_id WHERE {condition}
         ORDER BY f.started_at DESC, f.id DESC LIMIT $7 OFFSET $8"
    ))
    .bind(scope_id)
    .bind(filter.pattern)
    .bind(filter.step.map(Step::as_str))
    .bind(filter.appeal_open)
    .bind(filter.started_from)
    .bind(filter.started_before)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn display_name(db: &Database, account_id: AccountId) -> Result<String, sqlx::Error> {
    db::query_scalar("SELECT display_name FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
}
