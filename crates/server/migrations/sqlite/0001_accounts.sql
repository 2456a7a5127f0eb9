-- Accounts, the organisations they belong to, and server-side sessions.
-- Times are INTEGER unix seconds (UTC); the API renders them as RFC 3339.

CREATE TABLE sellers (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL,
    support_hours   TEXT    NOT NULL,
    -- Where the backend sends provisioning requests for this seller's SaaS products.
    provisioning_url TEXT,
    -- Shared secret (hex) for HMAC request signatures and credential encryption.
    provisioning_key TEXT   NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE resellers (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    email           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('buyer', 'reseller_customer', 'seller', 'operations')),
    mobile          TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    iam_user_name   TEXT    NOT NULL,
    seller_id       INTEGER REFERENCES sellers (id),
    reseller_id     INTEGER REFERENCES resellers (id),
    created_at      INTEGER NOT NULL,
    CHECK ((role = 'seller') = (seller_id IS NOT NULL)),
    CHECK ((role = 'reseller_customer') = (reseller_id IS NOT NULL))
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a database leak does not leak usable sessions.
    token_hash       BLOB    PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at       INTEGER NOT NULL,
    -- When the password was last entered; sensitive actions require this to be recent.
    authenticated_at INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- The demo clock's offset from real time (demo mode only; one row).
CREATE TABLE demo_clock (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    offset_seconds  INTEGER NOT NULL
);
