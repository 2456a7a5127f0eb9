-- How many of each account's apps with a term expire on each UTC day. Renewal Management's
-- totals add up these day counts and count exactly only the two partial days at the ends of
-- the range, instead of counting up to 100,000 index entries on every page.
--
-- Triggers keep the counts, so no write path can forget them (orders are money records and
-- are never deleted, so there is no delete trigger; `verify` would notice one). An app is counted while it
-- matches `TERM_APPS` (crates/server/src/domain/lifecycle/term_apps.rs): a completed
-- purchase with an expiry that is not unsubscribed. `bazaar-server verify` checks that the
-- counts equal a plain COUNT.
CREATE TABLE term_expiry_days (
    account_id INTEGER NOT NULL,
    -- expires_at / 86400: SQLite's integer division, used the same way by the queries.
    day INTEGER NOT NULL,
    apps INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;

INSERT INTO term_expiry_days (account_id, day, apps)
SELECT account_id, expires_at / 86400, COUNT(*) FROM orders
WHERE kind = 'purchase' AND status = 'completed' AND expires_at IS NOT NULL AND unsubscribed_at IS NULL
GROUP BY account_id, expires_at / 86400;

CREATE TRIGGER term_expiry_days_on_insert AFTER INSERT ON orders
WHEN NEW.kind = 'purchase' AND NEW.status = 'completed' AND NEW.expires_at IS NOT NULL AND NEW.unsubscribed_at IS NULL
BEGIN
    INSERT INTO term_expiry_days (account_id, day, apps) VALUES (NEW.account_id, NEW.expires_at / 86400, 1)
    ON CONFLICT (account_id, day) DO UPDATE SET apps = apps + 1;
END;

-- An update takes the old row out and puts the new one in (two triggers, so that either
-- side alone — an app completed, unsubscribed, or renewed to a new expiry — is counted).
CREATE TRIGGER term_expiry_days_on_update_old
AFTER UPDATE OF account_id, kind, status, expires_at, unsubscribed_at ON orders
WHEN OLD.kind = 'purchase' AND OLD.status = 'completed' AND OLD.expires_at IS NOT NULL AND OLD.unsubscribed_at IS NULL
BEGIN
    UPDATE term_expiry_days SET apps = apps - 1 WHERE account_id = OLD.account_id AND day = OLD.expires_at / 86400;
    DELETE FROM term_expiry_days WHERE account_id = OLD.account_id AND day = OLD.expires_at / 86400 AND apps = 0;
END;

CREATE TRIGGER term_expiry_days_on_update_new
AFTER UPDATE OF account_id, kind, status, expires_at, unsubscribed_at ON orders
WHEN NEW.kind = 'purchase' AND NEW.status = 'completed' AND NEW.expires_at IS NOT NULL AND NEW.unsubscribed_at IS NULL
BEGIN
    INSERT INTO term_expiry_days (account_id, day, apps) VALUES (NEW.account_id, NEW.expires_at / 86400, 1)
    ON CONFLICT (account_id, day) DO UPDATE SET apps = apps + 1;
END;
