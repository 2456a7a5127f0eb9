-- Closed pay-per-use bills can be invoiced (SPEC §12): an invoice item is either an order
-- (usage_month 0) or one app's charges in one closed monthly bill (usage_month: the
-- month's first second, as in usage_bills).
CREATE TABLE invoice_items_with_months (
    invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    description     TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL,
    net_minor       INTEGER NOT NULL,
    tax_minor       INTEGER NOT NULL,
    usage_month     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (invoice_id, order_id, usage_month)
);
INSERT INTO invoice_items_with_months (invoice_id, order_id, description, amount_minor, net_minor, tax_minor)
    SELECT invoice_id, order_id, description, amount_minor, net_minor, tax_minor FROM invoice_items;
DROP TABLE invoice_items;
ALTER TABLE invoice_items_with_months RENAME TO invoice_items;
CREATE INDEX invoice_items_by_order ON invoice_items (order_id, usage_month);
