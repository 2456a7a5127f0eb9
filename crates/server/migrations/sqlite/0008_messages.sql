-- The Messages centre: one row per message, sent at most once per `dedupe_key`.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- bazaar_core::messages::MessageTopic
    topic           TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    -- app | order | flow, and the id it links to
    link_to         TEXT    NOT NULL CHECK (link_to IN ('app', 'order', 'flow')),
    link_id         INTEGER NOT NULL,
    -- The date the topic speaks of (an expiry, a release, the next try), if any.
    at              INTEGER,
    -- What makes it one occasion: the same key is never sent twice.
    dedupe_key      TEXT    NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
);
CREATE INDEX messages_by_account ON messages (account_id, created_at DESC, id DESC);
CREATE INDEX messages_unread ON messages (account_id) WHERE read_at IS NULL;

-- The last term reminder sent for an app, as `<expires_at>:<reminder kind>`: lets a sweep
-- skip apps already told, without looking for their message.
ALTER TABLE orders ADD COLUMN reminded TEXT;

-- Renewal Management lists an account's apps by expiry.
CREATE INDEX orders_terms_by_account ON orders (account_id, expires_at) WHERE expires_at IS NOT NULL;
