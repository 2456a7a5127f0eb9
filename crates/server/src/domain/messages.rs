//! The Messages centre: sending a message once per occasion (its dedupe key is unique, so a
//! second sweep, a retry or a restart sends nothing more), listing an account's messages,
//! the unread count, and marking them read.

use bazaar_core::ids::{AccountId, AppId, FlowId, OrderId};
use bazaar_core::messages::{Message, MessageGroup, MessageLink, MessagePage, MessageTopic};
use bazaar_core::orders::order_number;
use time::OffsetDateTime;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, Database};
use crate::store;
use crate::store::messages::MessageRow;

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
    let row = store::messages::NewMessage {
        account_id: message.account_id,
        topic: message.topic,
        subject: message.subject,
        order_id: message.order_id,
        link_to,
        link_id,
        at: message.at.map(OffsetDateTime::unix_timestamp),
        dedupe_key: &message.dedupe_key,
        created_at: now,
        due_at: message.due_at.map_or(now, OffsetDateTime::unix_timestamp),
    };
    Ok(store::messages::insert(connection, row).await?)
}

/// A stored message as the Messages centre shows it.
fn message_of(row: MessageRow) -> Message {
    let link = match row.link_to.as_str() {
        "app" => MessageLink::App { app_id: AppId::of_order(OrderId(row.link_id)) },
        "flow" => MessageLink::Flow { flow_id: FlowId(row.link_id) },
        _ => MessageLink::Order { order_id: OrderId(row.link_id) },
    };
    Message {
        id: row.id,
        topic: row.topic,
        subject: row.subject,
        order_number: order_number(row.order_id),
        at: row.at.map(from_unix),
        link,
        created_at: from_unix(row.created_at),
        due_at: from_unix(row.due_at.unwrap_or(row.created_at)),
        read: row.read_at.is_some(),
    }
}

/// The account's unread messages, as kept by the triggers of migration 0013 (one primary-key
/// read, where a count walked every unread message's index entry).
pub async fn unread_count(db: &Database, account_id: AccountId) -> ApiResult<u64> {
    let unread = store::messages::unread(db, account_id).await?;
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
    let filter = store::messages::MessageFilter { account_id, topics: group.map(MessageGroup::topics), unread_only };
    let total = store::messages::count(db, &filter).await?;
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows = store::messages::page(db, &filter, limit, offset).await?;
    Ok(MessagePage {
        items: rows.into_iter().map(message_of).collect(),
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
            let exists = store::messages::is_of_account(db, account_id, id).await?;
            store::messages::mark_read(db, account_id, id, now).await?;
            Ok(exists)
        }
        None => {
            store::messages::mark_all_read(db, account_id, now).await?;
            Ok(true)
        }
    }
}
