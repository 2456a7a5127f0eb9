//! After-Sales Support's tables: `tickets` (the facts the rules read, column by column,
//! and a version every change is written against), `ticket_posts` (the thread) and
//! `ticket_attachments` (the files, kept in the database so every instance serves them).

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::support::tickets::{TicketCategory, TicketState};

use crate::infra::db::{self, Connection, Database};

/// The buyer's order a ticket may be about, with its product's seller.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketableOrder {
    pub order_id: OrderId,
    pub seller_id: i64,
    pub product_id: i64,
    pub product_name: String,
}

/// Order `order_id` of `account_id`, once paid (processing or completed).
pub async fn ticketable_order(
    connection: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<TicketableOrder>, sqlx::Error> {
    db::query_as(
        "SELECT id AS order_id, seller_id, product_id, product_name FROM orders
         WHERE id = $1 AND account_id = $2 AND status IN ('processing', 'completed')",
    )
    .bind(order_id)
    .bind(account_id)
    .fetch_optional(connection)
    .await
}

pub struct NewTicketRow<'a> {
    pub account_id: AccountId,
    pub order: &'a TicketableOrder,
    pub category: TicketCategory,
    pub now: i64,
}

pub async fn insert_ticket(connection: &mut Connection, ticket: NewTicketRow<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO tickets (account_id, order_id, seller_id, product_id, product_name, category, state,
                              awaiting_seller_since, opened_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'awaiting_seller', $7, $7, $7) RETURNING id",
    )
    .bind(ticket.account_id)
    .bind(ticket.order.order_id)
    .bind(ticket.order.seller_id)
    .bind(ticket.order.product_id)
    .bind(&ticket.order.product_name)
    .bind(ticket.category)
    .bind(ticket.now)
    .fetch_one(connection)
    .await
}

/// A post of the thread, before it is written.
pub struct NewPost<'a> {
    pub ticket_id: i64,
    pub author_id: Option<AccountId>,
    pub author_role: &'a str,
    pub action: &'a str,
    pub body: &'a str,
    pub cause: Option<&'a str>,
    pub fix: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_post(connection: &mut Connection, post: NewPost<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO ticket_posts (ticket_id, author_id, author_role, action, body, cause, fix, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(post.ticket_id)
    .bind(post.author_id)
    .bind(post.author_role)
    .bind(post.action)
    .bind(post.body)
    .bind(post.cause)
    .bind(post.fix)
    .bind(post.now)
    .fetch_one(connection)
    .await
}

pub async fn insert_attachment(
    connection: &mut Connection,
    (ticket_id, post_id): (i64, i64),
    file_name: &str,
    media_type: &str,
    content: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO ticket_attachments (ticket_id, post_id, file_name, media_type, size_bytes, content, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket_id)
    .bind(post_id)
    .bind(file_name)
    .bind(media_type)
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(content.to_vec())
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// A ticket as stored, with its seller's contact details.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub account_id: AccountId,
    pub order_id: OrderId,
    pub seller_id: i64,
    pub product_name: String,
    pub category: TicketCategory,
    pub state: TicketState,
    pub escalated: bool,
    pub reopened: i64,
    pub awaiting_seller_since: Option<i64>,
    pub resolved_at: Option<i64>,
    pub rating: Option<i64>,
    pub first_answer_at: Option<i64>,
    pub opened_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub seller_name: String,
    pub seller_email: String,
    pub seller_phone: String,
    pub support_hours: String,
}

const TICKET_COLUMNS: &str = "t.id, t.account_id, t.order_id, t.seller_id, t.product_name, t.category, t.state,
    t.escalated, t.reopened, t.awaiting_seller_since, t.resolved_at, t.rating, t.first_answer_at, t.opened_at,
    t.updated_at, t.version, s.name AS seller_name, s.email AS seller_email, s.phone AS seller_phone,
    s.support_hours";

pub async fn ticket(connection: &mut Connection, id: i64) -> Result<Option<TicketRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t JOIN sellers s ON s.id = t.seller_id WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(connection)
    .await
}

/// The facts after a change, written only if nobody changed the ticket since `version`.
pub struct TicketChange {
    pub state: TicketState,
    pub escalated: bool,
    pub reopened: i64,
    pub awaiting_seller_since: Option<i64>,
    pub resolved_at: Option<i64>,
    pub rating: Option<i64>,
    pub first_answer_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// `false` when the ticket changed since `version` (the caller answers 409).
pub async fn update(
    connection: &mut Connection,
    id: i64,
    version: i64,
    change: &TicketChange,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE tickets SET state = $1, escalated = $2, reopened = $3, awaiting_seller_since = $4, resolved_at = $5,
                rating = $6, first_answer_at = $7, closed_at = $8, updated_at = $9, version = version + 1,
                overdue_told_at = CASE WHEN awaiting_seller_since = $4 THEN overdue_told_at ELSE NULL END
         WHERE id = $10 AND version = $11",
    )
    .bind(change.state)
    .bind(change.escalated)
    .bind(change.reopened)
    .bind(change.awaiting_seller_since)
    .bind(change.resolved_at)
    .bind(change.rating)
    .bind(change.first_answer_at)
    .bind(change.closed_at)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub author_role: String,
    pub action: String,
    pub body: String,
    pub cause: Option<String>,
    pub fix: Option<String>,
    pub created_at: i64,
}

pub async fn posts(db: &Database, ticket_id: i64) -> Result<Vec<PostRow>, sqlx::Error> {
    db::query_as(
        "SELECT id, author_role, action, body, cause, fix, created_at FROM ticket_posts WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub post_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
}

pub async fn attachments(db: &Database, ticket_id: i64) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    db::query_as(
        "SELECT id, post_id, file_name, media_type, size_bytes FROM ticket_attachments WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentContent {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

pub async fn attachment_content(
    db: &Database,
    ticket_id: i64,
    attachment_id: i64,
) -> Result<Option<AttachmentContent>, sqlx::Error> {
    db::query_as("SELECT file_name, media_type, content FROM ticket_attachments WHERE id = $1 AND ticket_id = $2")
        .bind(attachment_id)
        .bind(ticket_id)
        .fetch_optional(db)
        .await
}

/// Which tickets a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Buyer(AccountId),
    /// Soonest deadline first, then the latest changed.
    Seller(i64),
    /// Escalated and not closed.
    Operations,
}

/// A page of tickets in `scope` (`limit` rows from `offset`), open ones only unless
/// `closed`. A buyer's lists and a seller's closed one match the partial indexes of
/// migration 0022, so they read only the rows of their page.
pub async fn list(
    db: &Database,
    scope: Scope,
    closed: Option<bool>,
    (limit, offset): (i64, i64),
) -> Result<Vec<TicketRow>, sqlx::Error> {
    let state = match closed {
        Some(true) => "AND t.state = 'closed'",
        Some(false) => "AND t.state <> 'closed'",
        None => "",
    };
    let (filter, order, key) = match scope {
        Scope::Buyer(account) => ("t.account_id = $1", "t.updated_at DESC, t.id DESC", account.0),
        Scope::Seller(seller) if closed == Some(false) => return seller_queue(db, seller, (limit, offset)).await,
        Scope::Seller(seller) => ("t.seller_id = $1", "t.updated_at DESC, t.id DESC", seller),
        Scope::Operations => ("t.escalated AND $1 = $1", "t.updated_at, t.id", 0),
    };
    db::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t JOIN sellers s ON s.id = t.seller_id
         WHERE {filter} {state} ORDER BY {order} LIMIT $2 OFFSET $3"
    ))
    .bind(key)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// A seller's open tickets: those waiting for its answer first, the soonest deadline first,
/// then the others, the latest changed first. Two index-ordered reads (migration 0023)
/// instead of one sort of every open ticket: the second, and the count of the first it
/// needs for its offset, only when the page reaches past the waiting ones.
async fn seller_queue(
    db: &Database,
    seller_id: i64,
    (limit, offset): (i64, i64),
) -> Result<Vec<TicketRow>, sqlx::Error> {
    let waiting = "t.seller_id = $1 AND t.state <> 'closed' AND t.awaiting_seller_since IS NOT NULL";
    let mut rows: Vec<TicketRow> = db::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t JOIN sellers s ON s.id = t.seller_id
         WHERE {waiting} ORDER BY t.awaiting_seller_since, t.id LIMIT $2 OFFSET $3"
    ))
    .bind(seller_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let missing = limit - rows.len() as i64;
    if missing > 0 {
        let waiting_count: i64 = db::query_scalar(&format!("SELECT COUNT(*) FROM tickets t WHERE {waiting}"))
            .bind(seller_id)
            .fetch_one(db)
            .await?;
        let rest: Vec<TicketRow> = db::query_as(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN sellers s ON s.id = t.seller_id
             WHERE t.seller_id = $1 AND t.state <> 'closed' AND t.awaiting_seller_since IS NULL
             ORDER BY t.updated_at DESC, t.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(seller_id)
        .bind(missing)
        .bind((offset - waiting_count).max(0))
        .fetch_all(db)
        .await?;
        rows.extend(rest);
    }
    Ok(rows)
}

/// Resolved tickets whose buyer let 7 days pass by `resolved_before`.
pub async fn resolved_before(db: &Database, resolved_before: i64) -> Result<Vec<i64>, sqlx::Error> {
    db::query_scalar(
        "SELECT id FROM tickets WHERE state = 'resolved' AND resolved_at <= $1 ORDER BY resolved_at LIMIT 500",
    )
    .bind(resolved_before)
    .fetch_all(db)
    .await
}

/// Tickets whose seller has waited since `since_before` or earlier and whose lateness was
/// not told yet, oldest first (a sweep's worth).
pub async fn overdue_untold(db: &Database, since_before: i64) -> Result<Vec<i64>, sqlx::Error> {
    db::query_scalar(
        "SELECT id FROM tickets
         WHERE awaiting_seller_since IS NOT NULL AND overdue_told_at IS NULL AND awaiting_seller_since <= $1
         ORDER BY awaiting_seller_since LIMIT 500",
    )
    .bind(since_before)
    .fetch_all(db)
    .await
}

/// Records that ticket `id`'s lateness was told, unless it changed since `version` or was
/// told already (`false`: another sweep did, or the seller answered meanwhile).
pub async fn mark_overdue_told(
    connection: &mut Connection,
    id: i64,
    version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated =
        db::query("UPDATE tickets SET overdue_told_at = $1 WHERE id = $2 AND version = $3 AND overdue_told_at IS NULL")
            .bind(now)
            .bind(id)
            .bind(version)
            .execute(connection)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// The accounts of seller `seller_id`'s staff.
pub async fn seller_accounts(connection: &mut Connection, seller_id: i64) -> Result<Vec<AccountId>, sqlx::Error> {
    db::query_scalar("SELECT id FROM accounts WHERE seller_id = $1 ORDER BY id")
        .bind(seller_id)
        .fetch_all(connection)
        .await
}
