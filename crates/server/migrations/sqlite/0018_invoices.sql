-- Invoice Management (SPEC §12): who issues a product's invoices, the buyers' invoice
-- profiles, invoices and credit notes with the items they cover, and the counters that
-- number them without gaps per issuer and year.

-- Bazaar issues the invoices of the products it operates; sellers those of their own.
ALTER TABLE products ADD COLUMN invoice_issuer TEXT NOT NULL DEFAULT 'seller'
    CHECK (invoice_issuer IN ('bazaar', 'seller'));

CREATE TABLE invoice_profiles (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('personal', 'enterprise')),
    title           TEXT    NOT NULL,
    tax_id          TEXT,
    address         TEXT,
    phone           TEXT,
    bank_account    TEXT,
    email           TEXT    NOT NULL,
    is_default      INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (kind = 'personal' OR tax_id IS NOT NULL)
);
CREATE INDEX invoice_profiles_by_account ON invoice_profiles (account_id);
-- One default profile per account at most.
CREATE UNIQUE INDEX invoice_profiles_one_default ON invoice_profiles (account_id) WHERE is_default;

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    -- 'bazaar', or the seller's id as text ('seller:7'): the numbering key.
    issuer          TEXT    NOT NULL,
    seller_id       INTEGER REFERENCES sellers (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    -- A credit note's invoice.
    original_id     INTEGER REFERENCES invoices (id),
    state           TEXT    NOT NULL CHECK (state IN ('requested', 'issued', 'rejected')),
    -- Assigned in the issuing transaction: per issuer and year, from 1, without gaps.
    year            INTEGER,
    sequence        INTEGER,
    number          TEXT,
    -- The profile as it was when requested (JSON of bazaar_core::invoices::InvoiceProfileInput).
    profile_json    TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    tax_rate_bp     INTEGER NOT NULL,
    net_minor       INTEGER NOT NULL,
    tax_minor       INTEGER NOT NULL,
    total_minor     INTEGER NOT NULL,
    requested_at    INTEGER NOT NULL,
    deadline_at     INTEGER,
    issued_at       INTEGER,
    rejected_at     INTEGER,
    reject_reason   TEXT,
    -- When operations were told the seller missed its deadline.
    escalated_at    INTEGER,
    CHECK ((state = 'issued') = (number IS NOT NULL)),
    CHECK ((kind = 'credit_note') = (original_id IS NOT NULL))
);
CREATE UNIQUE INDEX invoices_numbers ON invoices (issuer, year, sequence) WHERE sequence IS NOT NULL;
CREATE INDEX invoices_by_account ON invoices (account_id, requested_at DESC);
CREATE INDEX invoices_waiting_by_seller ON invoices (seller_id, deadline_at) WHERE state = 'requested';

-- What each invoice covers: a paid order's amount (a credit note's lines are negative).
CREATE TABLE invoice_items (
    invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    description     TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL,
    net_minor       INTEGER NOT NULL,
    tax_minor       INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, order_id)
);
CREATE INDEX invoice_items_by_order ON invoice_items (order_id);

-- The last number given per issuer and year; the issuing transaction takes the next.
CREATE TABLE invoice_counters (
    issuer          TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    last            INTEGER NOT NULL,
    PRIMARY KEY (issuer, year)
);
