-- Security hardening: sessions with idle and absolute timeouts and the device they were
-- opened from, login throttles, sealed seller keys and the demo-data marker.

-- Sessions get an id (My Account signs one out by it), the real time they were last used
-- (the sliding idle timeout) and where they come from. Existing sessions are dropped: the
-- old rows lack what the new checks need, and logging in again is the safe default.
DROP TABLE sessions;
CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY,
    -- SHA-256 of the cookie's token: a database leak does not leak usable sessions.
    token_hash       BLOB    NOT NULL UNIQUE,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Real time (unix seconds), not the demo clock: moving the demo clock must not log
    -- everybody out, and a stolen token lives in real time.
    created_at       INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL,
    -- The absolute end, whatever the activity.
    expires_at       INTEGER NOT NULL,
    -- When the password was last entered, on the business clock (the demo can show the
    -- 15-minute re-authentication rule by moving it).
    authenticated_at INTEGER NOT NULL,
    user_agent       TEXT,
    client_address   TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id, last_seen_at);

-- Failed password checks per account name ('account', the name as typed, lower case) and
-- per client address ('address'); see bazaar_core::security::ThrottlePolicy.
CREATE TABLE login_throttles (
    scope            TEXT    NOT NULL CHECK (scope IN ('account', 'address')),
    key              TEXT    NOT NULL,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL,
    locked_until     INTEGER,
    PRIMARY KEY (scope, key)
);
CREATE INDEX login_throttles_by_age ON login_throttles (last_failure_at);

-- Sellers' provisioning keys, sealed with the master key (bound to the row). The old
-- plain-text column is emptied at start-up once its key is sealed.
ALTER TABLE sellers ADD COLUMN provisioning_key_sealed BLOB;

-- Present when the database was seeded with demo data: outside demo mode the server
-- refuses to start on it.
CREATE TABLE demo_data (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seeded_at   INTEGER NOT NULL
);

-- The cap on orders waiting for payment counts these at every checkout.
CREATE INDEX orders_unpaid_by_account ON orders (account_id) WHERE status = 'pending_payment';
