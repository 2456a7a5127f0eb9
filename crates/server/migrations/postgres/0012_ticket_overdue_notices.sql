-- When the seller's 24 hours ran out, the sweep tells the buyer (who may escalate now) and
-- the seller's staff, once per waiting period: `overdue_told_at` records that it did, and
-- any change of `awaiting_seller_since` clears it. The index holds only the tickets still
-- to be told.
ALTER TABLE tickets ADD COLUMN overdue_told_at BIGINT;
CREATE INDEX tickets_overdue_untold ON tickets (awaiting_seller_since)
    WHERE awaiting_seller_since IS NOT NULL AND overdue_told_at IS NULL;
