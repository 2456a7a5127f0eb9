-- Lifecycle notices to sellers (renewed, suspended, reinstated, released, unsubscribed):
-- durable jobs, delivered signed like provisioning calls, retried with back-off.

-- Where a seller receives notices (an absolute https URL, or this server's path in demo).
ALTER TABLE sellers ADD COLUMN notices_url TEXT;
UPDATE sellers SET notices_url = replace(provisioning_url, '/provision', '/notices')
 WHERE provisioning_url LIKE '%/provision';

CREATE TABLE seller_notices (
    id              INTEGER PRIMARY KEY,
    -- The seller's idempotency key: the same event is never two notices.
    event_id        TEXT    NOT NULL UNIQUE,
    seller_id       INTEGER NOT NULL REFERENCES sellers (id),
    -- The purchase (app) the notice is about.
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('renewed', 'suspended', 'reinstated', 'released', 'unsubscribed')),
    -- The app's expiry after the event, when it has one.
    expires_at      INTEGER,
    occurred_at     INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER
);
CREATE INDEX seller_notices_due ON seller_notices (next_attempt_at) WHERE state = 'queued';
CREATE INDEX seller_notices_by_seller ON seller_notices (seller_id, occurred_at DESC);

-- What the demo seller received (demo mode): one row per event, however often delivered.
CREATE TABLE demo_seller_notices (
    event_id        TEXT    PRIMARY KEY,
    seller_id       INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    received_at     INTEGER NOT NULL,
    deliveries      INTEGER NOT NULL DEFAULT 1
);
