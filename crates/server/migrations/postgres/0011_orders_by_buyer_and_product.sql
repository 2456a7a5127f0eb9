-- A buyer's purchases of one product (whether they may review it) without reading every
-- order of a buyer who holds many apps.
CREATE INDEX orders_by_account_and_product ON orders (account_id, product_id);
