-- Pay-per-use (SPEC §11.1–11.2): the usage sellers report, its hourly charges, each metered
-- app's cap and arrears, the closed monthly bills, and the nonces of sellers' signed calls.

-- One record per app, dimension and UTC hour, rated when it arrives. `charge_id` is set by
-- the charging run that settled it (in the same transaction as its ledger entry), with
-- `charged_minor`: the part charged; the rest (`amount_minor - charged_minor`) was beyond
-- the month's spending cap and is never charged.
CREATE TABLE usage_charges (
    id                INTEGER PRIMARY KEY,
    app_id            INTEGER NOT NULL REFERENCES orders (id),
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    -- The UTC month (its first second) whose usage it charges.
    month             INTEGER NOT NULL,
    amount_minor      INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency          TEXT    NOT NULL,
    -- How it was paid; none when nothing was due (everything beyond the cap).
    channel           TEXT    CHECK (channel IN ('balance', 'card', 'credit', 'reseller')),
    card_label        TEXT,
    gateway_reference TEXT,
    charged_at        INTEGER NOT NULL
);

CREATE INDEX usage_charges_by_app ON usage_charges (app_id, month);

CREATE TABLE usage_records (
    app_id         INTEGER NOT NULL REFERENCES orders (id),
    dimension      TEXT    NOT NULL,
    -- The first second of the UTC hour, and of its UTC month (the bill it is on).
    month          INTEGER NOT NULL,
    hour           INTEGER NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity >= 0),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency       TEXT    NOT NULL,
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at    INTEGER NOT NULL,
    charge_id      INTEGER REFERENCES usage_charges (id),
    charged_minor  INTEGER CHECK (charged_minor >= 0 AND charged_minor <= amount_minor),
    CHECK ((charge_id IS NULL) = (charged_minor IS NULL)),
    PRIMARY KEY (app_id, dimension, hour)
-- Clustered on its key: a record is stored once, not as a row plus a key index.
) WITHOUT ROWID;

CREATE INDEX usage_records_unsettled ON usage_records (app_id, hour) WHERE charge_id IS NULL;

-- Each app's usage per dimension and month, summed in the transactions that store and
-- settle its records: bills and what is outstanding read a row per app, not every hour.
-- outstanding = rated - settled; beyond the cap (waived) = settled - charged. (No check
-- across columns: SQLite checks an upsert's proposed row, which carries only what it adds;
-- `verify` compares the sums with the records.)
CREATE TABLE usage_month_sums (
    app_id         INTEGER NOT NULL REFERENCES orders (id),
    dimension      TEXT    NOT NULL,
    month          INTEGER NOT NULL,
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    currency       TEXT    NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity >= 0),
    rated_minor    INTEGER NOT NULL CHECK (rated_minor >= 0),
    settled_minor  INTEGER NOT NULL CHECK (settled_minor >= 0),
    charged_minor  INTEGER NOT NULL CHECK (charged_minor >= 0),
    PRIMARY KEY (app_id, dimension, month)
);

CREATE INDEX usage_month_sums_by_account ON usage_month_sums (account_id, month);

-- A pay-per-use app's billing state, created with its first record or cap.
CREATE TABLE metered_apps (
    app_id               INTEGER PRIMARY KEY REFERENCES orders (id),
    account_id           INTEGER NOT NULL REFERENCES accounts (id),
    -- The monthly spending cap in the order's currency; none: no cap.
    cap_minor            INTEGER CHECK (cap_minor > 0),
    -- When the hourly run next charges (or retries) it.
    next_charge_at       INTEGER NOT NULL,
    -- Since when a charge has failed and nothing paid it (none: paid up).
    arrears_since        INTEGER,
    -- When it was released for unpaid usage.
    released_at          INTEGER,
    -- The month (first second) in which the cap suspended it, until raised or over.
    cap_suspended_month  INTEGER
);

CREATE INDEX metered_apps_due ON metered_apps (next_charge_at);
CREATE INDEX metered_apps_by_account ON metered_apps (account_id, next_charge_at);
CREATE INDEX metered_apps_in_arrears ON metered_apps (arrears_since) WHERE arrears_since IS NOT NULL;

-- A usage charge's ledger entry: one per charge, which the unique index guarantees.
ALTER TABLE ledger_entries ADD COLUMN usage_charge_id INTEGER REFERENCES usage_charges (id);
CREATE UNIQUE INDEX ledger_one_entry_per_usage_charge ON ledger_entries (usage_charge_id, kind)
    WHERE usage_charge_id IS NOT NULL;

-- A month's bill once closed (the 3rd of the next month): its figures never change again.
CREATE TABLE usage_bills (
    account_id         INTEGER NOT NULL REFERENCES accounts (id),
    month              INTEGER NOT NULL,
    currency           TEXT    NOT NULL,
    rated_minor        INTEGER NOT NULL,
    charged_minor      INTEGER NOT NULL,
    outstanding_minor  INTEGER NOT NULL,
    waived_minor       INTEGER NOT NULL,
    closed_at          INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, currency)
);

CREATE TABLE usage_bill_lines (
    account_id         INTEGER NOT NULL,
    month              INTEGER NOT NULL,
    currency           TEXT    NOT NULL,
    app_id             INTEGER NOT NULL REFERENCES orders (id),
    dimension          TEXT    NOT NULL,
    quantity           INTEGER NOT NULL,
    rated_minor        INTEGER NOT NULL,
    charged_minor      INTEGER NOT NULL,
    outstanding_minor  INTEGER NOT NULL,
    waived_minor       INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, currency, app_id, dimension),
    FOREIGN KEY (account_id, month, currency) REFERENCES usage_bills (account_id, month, currency)
);

-- Nonces of sellers' signed calls to Bazaar, kept for longer than a timestamp is valid.
CREATE TABLE seller_request_nonces (
    seller_id  INTEGER NOT NULL REFERENCES sellers (id),
    nonce      TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (seller_id, nonce)
);

CREATE INDEX seller_request_nonces_by_age ON seller_request_nonces (seen_at);
