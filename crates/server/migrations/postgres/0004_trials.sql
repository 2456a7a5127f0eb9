-- Free trials (SPEC §11.3). A trial app is a purchase at ¥0.00 with a row here; the row
-- outlives the app (released, unsubscribed) because it is what makes a second trial of
-- the same product impossible: one per buyer and product, ever, by the unique key.
CREATE TABLE trials (
    app_id          BIGINT PRIMARY KEY REFERENCES orders (id),
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    product_id      BIGINT NOT NULL REFERENCES products (id),
    started_at      BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL CHECK (ends_at > started_at),
    -- The paid renewal order that converted it, and when its payment did.
    converted_by    BIGINT REFERENCES orders (id),
    converted_at    BIGINT,
    -- The last of bazaar_core::trials::TrialReminder sent (ended: frozen, released: gone).
    last_reminder   TEXT,
    CHECK ((converted_by IS NULL) = (converted_at IS NULL)),
    UNIQUE (account_id, product_id)
);
-- The sweeper's work: trials neither converted nor done with their messages.
CREATE INDEX trials_to_remind ON trials (ends_at)
    WHERE converted_at IS NULL AND (last_reminder IS NULL OR last_reminder <> 'released');

-- Buying a trial may change its quantity: the line keeps it until the payment applies it.
ALTER TABLE renewal_lines ADD COLUMN quantity BIGINT CHECK (quantity > 0);

-- A trial converted by a payment is a notice of its own (`trial_converted`).
ALTER TABLE seller_notices DROP CONSTRAINT seller_notices_kind_check;
ALTER TABLE seller_notices ADD CONSTRAINT seller_notices_kind_check
    CHECK (kind IN ('renewed', 'suspended', 'reinstated', 'released', 'unsubscribed', 'trial_converted'));
