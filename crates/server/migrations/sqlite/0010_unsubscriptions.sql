-- Product Unsubscription: leaving a purchase, with its refund.

-- When the buyer left the app (released at once; the order stays completed).
ALTER TABLE orders ADD COLUMN unsubscribed_at INTEGER;

-- At most one unsubscription per purchase: the primary key is the app (its purchase order).
CREATE TABLE unsubscriptions (
    app_id          INTEGER PRIMARY KEY REFERENCES orders (id),
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    -- bazaar_core::lifecycle::UnsubscriptionRule
    rule            TEXT    NOT NULL,
    refund_minor    INTEGER NOT NULL CHECK (refund_minor >= 0),
    currency        TEXT    NOT NULL,
    -- The quote the buyer confirmed (JSON of bazaar_core::lifecycle::UnsubscriptionQuote).
    quote_json      TEXT    NOT NULL,
    -- The buyer's Idempotency-Key: a retry with it gets this unsubscription back.
    idempotency_key TEXT    NOT NULL,
    unsubscribed_at INTEGER NOT NULL
);

-- A refund of part of a payment names the app it is for: a renewal order that renewed
-- several apps refunds each app's share on its own. One payment per order, and one refund
-- per order and app, whatever races happen.
ALTER TABLE ledger_entries ADD COLUMN app_id INTEGER REFERENCES orders (id);
DROP INDEX ledger_one_payment_per_order;
CREATE UNIQUE INDEX ledger_one_entry_per_order_and_app
    ON ledger_entries (order_id, kind, COALESCE(app_id, 0)) WHERE order_id IS NOT NULL;
