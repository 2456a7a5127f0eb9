-- Free trials (SPEC §11.3). A trial app is a purchase at ¥0.00 with a row here; the row
-- outlives the app (released, unsubscribed) because it is what makes a second trial of
-- the same product impossible: one per buyer and product, ever, by the unique key.
CREATE TABLE trials (
    app_id          INTEGER PRIMARY KEY REFERENCES orders (id),
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    product_id      INTEGER NOT NULL REFERENCES products (id),
    started_at      INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL CHECK (ends_at > started_at),
    -- The paid renewal order that converted it, and when its payment did.
    converted_by    INTEGER REFERENCES orders (id),
    converted_at    INTEGER,
    -- The last of bazaar_core::trials::TrialReminder sent (ended: frozen, released: gone).
    last_reminder   TEXT,
    CHECK ((converted_by IS NULL) = (converted_at IS NULL)),
    UNIQUE (account_id, product_id)
);
-- The sweeper's work: trials neither converted nor done with their messages.
CREATE INDEX trials_to_remind ON trials (ends_at)
    WHERE converted_at IS NULL AND (last_reminder IS NULL OR last_reminder <> 'released');

-- Buying a trial may change its quantity: the line keeps it until the payment applies it.
ALTER TABLE renewal_lines ADD COLUMN quantity INTEGER CHECK (quantity > 0);

-- A trial converted by a payment is a notice of its own (`trial_converted`, with the
-- expiry of the paid term). SQLite cannot change a CHECK in place: the table is rebuilt
-- (nothing references it).
CREATE TABLE seller_notices_new (
    id              INTEGER PRIMARY KEY,
    -- The seller's idempotency key: the same event is never two notices.
    event_id        TEXT    NOT NULL UNIQUE,
    seller_id       INTEGER NOT NULL REFERENCES sellers (id),
    -- The purchase (app) the notice is about.
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('renewed', 'suspended', 'reinstated', 'released', 'unsubscribed', 'trial_converted')),
    -- The app's expiry after the event, when it has one.
    expires_at      INTEGER,
    occurred_at     INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER
);
INSERT INTO seller_notices_new SELECT * FROM seller_notices;
DROP TABLE seller_notices;
ALTER TABLE seller_notices_new RENAME TO seller_notices;
CREATE INDEX seller_notices_due ON seller_notices (next_attempt_at) WHERE state = 'queued';
CREATE INDEX seller_notices_by_seller ON seller_notices (seller_id, occurred_at DESC);
