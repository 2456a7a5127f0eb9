-- Closed pay-per-use bills can be invoiced (SPEC §12): an invoice item is either an order
-- (usage_month 0) or one app's charges in one closed monthly bill (usage_month: the
-- month's first second, as in usage_bills).
ALTER TABLE invoice_items ADD COLUMN usage_month BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoice_items DROP CONSTRAINT invoice_items_pkey;
ALTER TABLE invoice_items ADD PRIMARY KEY (invoice_id, order_id, usage_month);
DROP INDEX invoice_items_by_order;
CREATE INDEX invoice_items_by_order ON invoice_items (order_id, usage_month);
