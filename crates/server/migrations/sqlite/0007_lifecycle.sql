-- After the purchase: renewal orders, auto-renew and products withdrawn from sale.

-- `purchase` orders buy an app; `renewal` orders extend the terms of apps bought earlier
-- (their lines are in renewal_lines) and never appear in Purchased Apps themselves.
ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'purchase' CHECK (kind IN ('purchase', 'renewal'));
-- On a purchase with a term: renew it automatically for this many months (NULL: off).
ALTER TABLE orders ADD COLUMN auto_renew_months INTEGER CHECK (auto_renew_months > 0);
-- Auto-renew's last try: when, and for the term that ended at which expires_at.
ALTER TABLE orders ADD COLUMN auto_renew_tried_at INTEGER;
ALTER TABLE orders ADD COLUMN auto_renew_tried_for INTEGER;
CREATE INDEX orders_with_terms ON orders (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE renewal_lines (
    order_id            INTEGER NOT NULL REFERENCES orders (id),
    -- The app renewed: the id of the purchase order that bought it.
    app_id              INTEGER NOT NULL REFERENCES orders (id),
    months              INTEGER NOT NULL CHECK (months > 0),
    amount_minor        INTEGER NOT NULL CHECK (amount_minor >= 0),
    -- The app's expiry when the renewal was placed; the new term starts here.
    from_expires_at     INTEGER NOT NULL,
    until_expires_at    INTEGER NOT NULL CHECK (until_expires_at > from_expires_at),
    -- When the payment extended the app (NULL while the renewal order is unpaid).
    applied_at          INTEGER,
    PRIMARY KEY (order_id, app_id)
);
-- One paid renewal per app and term, whatever races, retries or restarts happen.
CREATE UNIQUE INDEX renewal_lines_once_per_term ON renewal_lines (app_id, from_expires_at) WHERE applied_at IS NOT NULL;
CREATE INDEX renewal_lines_by_app ON renewal_lines (app_id);

-- A product no longer sold: out of the catalog; its apps cannot be renewed.
ALTER TABLE products ADD COLUMN withdrawn_at INTEGER;
