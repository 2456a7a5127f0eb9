-- The audit trail of credential reveals: who saw which app's password, when and from
-- where. The secret itself is never written here. Also the rate limit's memory.
CREATE TABLE credential_reveals (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    instance_id     TEXT    NOT NULL,
    revealed_at     INTEGER NOT NULL,
    client_address  TEXT,
    user_agent      TEXT
);
CREATE INDEX credential_reveals_by_account ON credential_reveals (account_id, revealed_at);
