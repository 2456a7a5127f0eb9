-- Money, VPCs, orders, payments, provisioning and the demo seller's own records.
-- Every movement of money is a row of `ledger_entries`; balances and credit use are sums
-- over it, never columns that could drift from it.

-- Credit payment, when enabled for an account: one limit per currency.
CREATE TABLE credit_lines (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    currency        TEXT    NOT NULL,
    limit_minor     INTEGER NOT NULL CHECK (limit_minor >= 0),
    PRIMARY KEY (account_id, currency)
);

-- The simulated card gateway's vault: the gateway keeps the card's behaviour; we keep a token.
CREATE TABLE gateway_cards (
    token           TEXT    PRIMARY KEY,
    -- approve | decline | insufficient_funds
    behaviour       TEXT    NOT NULL
);

-- The card on file: only what may be shown, plus the gateway's token.
CREATE TABLE cards (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    brand           TEXT    NOT NULL,
    last4           TEXT    NOT NULL,
    expiry_month    INTEGER NOT NULL,
    expiry_year     INTEGER NOT NULL,
    gateway_token   TEXT    NOT NULL REFERENCES gateway_cards (token),
    created_at      INTEGER NOT NULL
);

CREATE TABLE vpcs (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    cidr            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE orders (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts (id),
    product_id              INTEGER NOT NULL REFERENCES products (id),
    seller_id               INTEGER NOT NULL REFERENCES sellers (id),
    -- Names as they were at purchase: the order is a record, the catalog may change.
    product_name            TEXT    NOT NULL,
    seller_name             TEXT    NOT NULL,
    delivery_method         TEXT    NOT NULL,
    supervised              INTEGER NOT NULL,
    sku_id                  INTEGER NOT NULL,
    sku_name                TEXT    NOT NULL,
    billing_mode            TEXT    NOT NULL,
    duration_months         INTEGER,
    quantity                INTEGER NOT NULL,
    region                  TEXT    NOT NULL,
    currency                TEXT    NOT NULL,
    total_minor             INTEGER NOT NULL,
    due_now_minor           INTEGER NOT NULL,
    -- The server's price breakdown (JSON of bazaar_core::pricing::PriceBreakdown).
    price_json              TEXT    NOT NULL,
    status                  TEXT    NOT NULL CHECK (status IN ('pending_payment', 'processing', 'completed', 'cancelled')),
    cancel_reason_code      TEXT,
    cancel_reason_detail    TEXT,
    -- Reseller customers: the reseller billed instead of the buyer.
    reseller_id             INTEGER REFERENCES resellers (id),
    vpc_id                  INTEGER REFERENCES vpcs (id),
    -- Argon2 hash of the server login password (image products); the password itself is
    -- never stored.
    server_password_hash    TEXT,
    -- none | seller (HTTP call to the seller's endpoint) | cloud (server from an image)
    provisioning_kind       TEXT    NOT NULL,
    created_at              INTEGER NOT NULL,
    paid_at                 INTEGER,
    completed_at            INTEGER,
    cancelled_at            INTEGER,
    expires_at              INTEGER,
    CHECK ((status = 'cancelled') = (cancel_reason_code IS NOT NULL))
);
CREATE INDEX orders_by_account ON orders (account_id, created_at DESC);

-- One checkout attempt = one key = at most one order, whatever the retries.
CREATE TABLE idempotency_keys (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key             TEXT    NOT NULL,
    -- SHA-256 of the canonical request, to tell a retry from a different request.
    request_hash    BLOB    NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
);

-- The buyer's authorisation to share contact details with the seller.
CREATE TABLE order_consents (
    order_id        INTEGER PRIMARY KEY REFERENCES orders (id),
    seller_id       INTEGER NOT NULL REFERENCES sellers (id),
    seller_name     TEXT    NOT NULL,
    -- JSON array of bazaar_core::orders::SharedContact (masked, as shown at checkout).
    shared_json     TEXT    NOT NULL,
    consented_at    INTEGER NOT NULL
);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    channel         TEXT    NOT NULL CHECK (channel IN ('balance', 'card', 'credit', 'reseller')),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT    NOT NULL,
    card_label      TEXT,
    gateway_reference TEXT,
    paid_at         INTEGER NOT NULL,
    refunded_at     INTEGER
);
-- At most one payment per order, whatever races the application loses.
CREATE UNIQUE INDEX payments_one_per_order ON payments (order_id);

-- Every movement of money. `amount_minor` is signed from the payer's point of view for
-- balance and credit (top-ups and refunds positive, payments negative); card entries
-- record what the gateway moved; reseller entries what the reseller is billed.
CREATE TABLE ledger_entries (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER REFERENCES accounts (id),
    reseller_id     INTEGER REFERENCES resellers (id),
    order_id        INTEGER REFERENCES orders (id),
    channel         TEXT    NOT NULL CHECK (channel IN ('balance', 'card', 'credit', 'reseller')),
    kind            TEXT    NOT NULL CHECK (kind IN ('top_up', 'payment', 'refund')),
    amount_minor    INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    note            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    CHECK ((account_id IS NULL) <> (reseller_id IS NULL))
);
CREATE INDEX ledger_by_account ON ledger_entries (account_id, channel, currency);
CREATE INDEX ledger_by_order ON ledger_entries (order_id);
-- One payment and one refund per order and channel at most.
CREATE UNIQUE INDEX ledger_one_payment_per_order ON ledger_entries (order_id, kind) WHERE order_id IS NOT NULL;

-- Work queue of provisioning calls. A row survives restarts; `lease_until` marks a job a
-- worker is running, so a crashed worker's job becomes due again when its lease ends.
CREATE TABLE provisioning_jobs (
    order_id        INTEGER PRIMARY KEY REFERENCES orders (id),
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'succeeded', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX provisioning_jobs_due ON provisioning_jobs (state, next_attempt_at);

-- What provisioning produced. Credentials are AES-256-GCM encrypted with the backend's key.
CREATE TABLE instances (
    order_id            INTEGER PRIMARY KEY REFERENCES orders (id),
    instance_id         TEXT    NOT NULL,
    frontend_url        TEXT,
    management_url      TEXT,
    username_ciphertext BLOB,
    password_ciphertext BLOB,
    -- Image products: the server's private address and login user.
    server_address      TEXT,
    login_user          TEXT,
    created_at          INTEGER NOT NULL
);

-- The demo seller endpoint's own records (it plays the sellers' systems in demo mode).
CREATE TABLE demo_seller_instances (
    seller_id       INTEGER NOT NULL,
    order_line_id   TEXT    NOT NULL,
    -- The response it gave (credentials inside are encrypted with the seller's key).
    response_json   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (seller_id, order_line_id)
);
CREATE TABLE demo_seller_nonces (
    nonce           TEXT    PRIMARY KEY,
    seen_at         INTEGER NOT NULL
);
