-- Renewal Management counts and pages one account's apps with terms by expiry. With the
-- columns its filter reads in the index, the count is answered from the index alone instead
-- of one table lookup per app (measured by `cargo xtask bench-lifecycle`, 100,000 apps).
DROP INDEX orders_terms_by_account;
CREATE INDEX orders_terms_by_account
    ON orders (account_id, expires_at, kind, status, unsubscribed_at) WHERE expires_at IS NOT NULL;
