-- A seller's open queue in two index-ordered parts: the tickets waiting for its answer by
-- deadline, then the others by their latest change.
CREATE INDEX tickets_waiting_by_seller ON tickets (seller_id, awaiting_seller_since, id)
    WHERE state <> 'closed' AND awaiting_seller_since IS NOT NULL;
CREATE INDEX tickets_answered_by_seller ON tickets (seller_id, updated_at DESC, id DESC)
    WHERE state <> 'closed' AND awaiting_seller_since IS NULL;
