-- Each account's number of unread messages, kept by triggers. The header bell asks for it
-- every 30 seconds on every open page; counting tens of thousands of index entries for an
-- account with many apps was Renewal Management's slowest request. `bazaar-server verify`
-- checks that the kept numbers equal a plain count.
CREATE TABLE unread_message_counts (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    unread     INTEGER NOT NULL CHECK (unread >= 0)
);

INSERT INTO unread_message_counts (account_id, unread)
SELECT account_id, COUNT(*) FROM messages WHERE read_at IS NULL GROUP BY account_id;

CREATE TRIGGER unread_message_counts_on_insert AFTER INSERT ON messages
WHEN NEW.read_at IS NULL
BEGIN
    INSERT INTO unread_message_counts (account_id, unread) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET unread = unread + 1;
END;

-- Read, or (no path does this today, but the count must not depend on it) unread again.
CREATE TRIGGER unread_message_counts_on_read AFTER UPDATE OF read_at ON messages
WHEN OLD.read_at IS NULL AND NEW.read_at IS NOT NULL
BEGIN
    UPDATE unread_message_counts SET unread = unread - 1 WHERE account_id = OLD.account_id;
END;

CREATE TRIGGER unread_message_counts_on_unread AFTER UPDATE OF read_at ON messages
WHEN OLD.read_at IS NOT NULL AND NEW.read_at IS NULL
BEGIN
    INSERT INTO unread_message_counts (account_id, unread) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET unread = unread + 1;
END;

CREATE TRIGGER unread_message_counts_on_delete AFTER DELETE ON messages
WHEN OLD.read_at IS NULL
BEGIN
    UPDATE unread_message_counts SET unread = unread - 1 WHERE account_id = OLD.account_id;
END;
