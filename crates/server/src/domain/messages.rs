//! The Messages centre: sending a message once per occasion (its dedupe key is unique, so a
//! second sweep, a retry or a restart sends nothing more), listing an account's messages,
//! the unread count, and marking them read.

use bazaar_core::ids::{AccountId, AppId, FlowId, OrderId};
use bazaar_core::messages::{Message, MessageGroup, MessageLink, MessagePage, MessageTopic};
use bazaar_core::orders::order_number;
use time::OffsetDateTime;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection, Database};

/// One message to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub account_id: AccountId,
    pub topic: MessageTopic,
    pub subject: &'a str,
    pub order_id: OrderId,
    pub link: MessageLink,
    pub at: Option<OffsetDateTime>,
    /// When it fell due, for a message a sweeper sends at or after its time (a reminder,
    /// an unpaid order's warning, a flow completed by time); `None`: it is news of now.
    pub due_at: Option<OffsetDateTime>,
    /// The occasion: the same key is sent once, ever.
    pub dedupe_key: String,
}

/// Sends `message` unless its occasion was sent before; `true` when it was sent now.
pub async fn send(connection: &mut Connection, message: Outgoing<'_>, now: i64) -> ApiResult<bool> {
    let (link_to, link_id) = match message.link {
        MessageLink::App { app_id } => ("app", app_id.order().0),
        MessageLink::Order { order_id } => ("order", order_id.0),
        MessageLink::Flow { flow_id } => ("flow", flow_id.0),
    };
    let inserted = db::query(
        "INSERT INTO messages (account_id, topic, subject, order_id, link_to, link_id, at, dedupe_key, created_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(message.account_id)
    .bind(message.topic)
    .bind(message.subject)
    .bind(message.order_id)
    .bind(link_to)
    .bind(link_id)
    .bind(message.at.map(OffsetDateTime::unix_timestamp))
    .bind(&message.dedupe_key)
    .bind(now)
    .bind(message.due_at.map_or(now, OffsetDateTime::unix_timestamp))
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    topic: MessageTopic,
    subject: String,
    order_id: OrderId,
    link_to: String,
    link_id: i64,
    at: Option<i64>,
    created_at: i64,
    due_at: Option<i64>,
    read_at: Option<i64>,
}

impl MessageRow {
    fn message(self) -> Message {
        let link = match self.link_to.as_str() {
            "app" => MessageLink::App { app_id: AppId::of_order(OrderId(self.link_id)) },
            "flow" => MessageLink::Flow { flow_id: FlowId(self.link_id) },
            _ => MessageLink::Order { order_id: OrderId(self.link_id) },
        };
        Message {
            id: self.id,
            topic: self.topic,
            subject: self.subject,
            order_number: order_number(self.order_id),
            at: self.at.map(from_unix),
            link,
            created_at: from_unix(self.created_at),
            due_at: from_unix(self.due_at.unwrap_or(self.created_at)),
            read: self.read_at.is_some(),
        }
    }
}

/// The account's unread messages, as kept by the triggers of migration 0013 (one primary-key
/// read, where a count walked every unread message's index entry).
pub async fn unread_count(db: &Database, account_id: AccountId) -> ApiResult<u64> {
    let unread: Option<i64> = db::query_scalar("SELECT unread FROM unread_message_counts WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(db)
        .await?;
    Ok(unread.and_then(|unread| u64::try_from(unread).ok()).unwrap_or(0))
}

/// One page of the account's messages, newest first.
pub async fn list(
    db: &Database,
    account_id: AccountId,
    group: Option<MessageGroup>,
    unread_only: bool,
    page: u32,
    page_size: u32,
) -> ApiResult<MessagePage> {
    // The topics of the group as SQL literals: the enum's own names, never request text.
    let topics = group
        .map(|group| group.topics().iter().map(|topic| format!("'{}'", topic.as_str())).collect::<Vec<_>>().join(", "));
    let condition = format!(
        "account_id = $1 {} {}",
        topics.map(|topics| format!("AND topic IN ({topics})")).unwrap_or_default(),
        if unread_only { "AND read_at IS NULL" } else { "" }
    );
    let total: i64 = db::query_scalar(&format!("SELECT COUNT(*) FROM messages WHERE {condition}"))
        .bind(account_id)
        .fetch_one(db)
        .await?;
    let rows: Vec<MessageRow> = db::query_as(&format!(
        "SELECT id, topic, subject, order_id, link_to, link_id, at, created_at, due_at, read_at FROM messages
         WHERE {condition} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(account_id)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(db)
    .await?;
    Ok(MessagePage {
        items: rows.into_iter().map(MessageRow::message).collect(),
        total: u64::try_from(total).unwrap_or(0),
        page,
        page_size,
        unread: unread_count(db, account_id).await?,
    })
}

/// Marks one message (`Some`) or all (`None`) of the account's read; `false` when there
/// is no such message of theirs.
pub async fn mark_read(db: &Database, account_id: AccountId, message_id: Option<i64>, now: i64) -> ApiResult<bool> {
    match message_id {
        Some(id) => {
            let exists: i64 = db::query_scalar("SELECT COUNT(*) FROM messages WHERE id = $1 AND account_id = $2")
                .bind(id)
                .bind(account_id)
                .fetch_one(db)
                .await?;
            db::query("UPDATE messages SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL")
                .bind(now)
                .bind(id)
                .bind(account_id)
                .execute(db)
                .await?;
            Ok(exists == 1)
        }
        None => {
            db::query("UPDATE messages SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(now)
                .bind(account_id)
                .execute(db)
                .await?;
            Ok(true)
        }
    }
}
