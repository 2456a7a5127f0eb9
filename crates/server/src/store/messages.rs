//! `messages` (the Messages centre) and the kept unread counts (`unread_message_counts`,
//! maintained by triggers).

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::messages::MessageTopic;

use crate::infra::db::{self, Connection, Database};

/// A message to send; its `dedupe_key` makes it once per occasion.
pub struct NewMessage<'a> {
    pub account_id: AccountId,
    pub topic: MessageTopic,
    pub subject: &'a str,
    pub order_id: OrderId,
    /// `app`, `order` or `flow`, and the id it links to.
    pub link_to: &'static str,
    pub link_id: i64,
    pub at: Option<i64>,
    pub dedupe_key: &'a str,
    pub created_at: i64,
    pub due_at: i64,
}

/// Inserts the message unless its occasion was sent before; `true` when it was sent now.
pub async fn insert(connection: &mut Connection, message: NewMessage<'_>) -> Result<bool, sqlx::Error> {
    let inserted = db::query(
        "INSERT INTO messages (account_id, topic, subject, order_id, link_to, link_id, at, dedupe_key, created_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(message.account_id)
    .bind(message.topic)
    .bind(message.subject)
    .bind(message.order_id)
    .bind(message.link_to)
    .bind(message.link_id)
    .bind(message.at)
    .bind(message.dedupe_key)
    .bind(message.created_at)
    .bind(message.due_at)
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A message as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub topic: MessageTopic,
    pub subject: String,
    pub order_id: OrderId,
    pub link_to: String,
    pub link_id: i64,
    pub at: Option<i64>,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub read_at: Option<i64>,
}

/// The account's kept unread count (none: no message was ever sent to it).
pub async fn unread(db: &Database, account_id: AccountId) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT unread FROM unread_message_counts WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(db)
        .await
}

/// Which of an account's messages a page shows.
pub struct MessageFilter<'a> {
    pub account_id: AccountId,
    /// Only these topics (`None`: all).
    pub topics: Option<&'a [MessageTopic]>,
    pub unread_only: bool,
}

impl MessageFilter<'_> {
    fn condition(&self) -> String {
        // The topics as SQL literals: the enum's own names, never request text.
        let topics = self.topics.map(|topics| {
            let names: Vec<String> = topics.iter().map(|topic| format!("'{}'", topic.as_str())).collect();
            format!("AND topic IN ({})", names.join(", "))
        });
        format!(
            "account_id = $1 {} {}",
            topics.unwrap_or_default(),
            if self.unread_only { "AND read_at IS NULL" } else { "" }
        )
    }
}

pub async fn count(db: &Database, filter: &MessageFilter<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(&format!("SELECT COUNT(*) FROM messages WHERE {}", filter.condition()))
        .bind(filter.account_id)
        .fetch_one(db)
        .await
}

/// One page of the messages, newest first.
pub async fn page(
    db: &Database,
    filter: &MessageFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT id, topic, subject, order_id, link_to, link_id, at, created_at, due_at, read_at FROM messages
         WHERE {} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
        filter.condition()
    ))
    .bind(filter.account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Whether message `message_id` is the account's.
pub async fn is_of_account(db: &Database, account_id: AccountId, message_id: i64) -> Result<bool, sqlx::Error> {
    let found: i64 = db::query_scalar("SELECT COUNT(*) FROM messages WHERE id = $1 AND account_id = $2")
        .bind(message_id)
        .bind(account_id)
        .fetch_one(db)
        .await?;
    Ok(found == 1)
}

/// Marks one message of the account read (if it was not).
pub async fn mark_read(db: &Database, account_id: AccountId, message_id: i64, now: i64) -> Result<(), sqlx::Error> {
    db::query("UPDATE messages SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL")
        .bind(now)
        .bind(message_id)
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks every message of the account read.
pub async fn mark_all_read(db: &Database, account_id: AccountId, now: i64) -> Result<(), sqlx::Error> {
    db::query("UPDATE messages SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}
