-- Service supervision: each supervised order's flow, and the flow's history. The history
-- is the truth; the flow row caches what lists filter on (step, frozen, when it
-- completes) and its version, which guards against concurrent double actions.

-- A seller's request template per product (JSON array of TemplateField); products without
-- a row use the default template of their delivery method.
CREATE TABLE request_templates (
    product_id      INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    fields_json     TEXT    NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE supervision_flows (
    id                      INTEGER PRIMARY KEY,
    order_id                INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    account_id              INTEGER NOT NULL REFERENCES accounts (id),
    seller_id               INTEGER NOT NULL REFERENCES sellers (id),
    product_id              INTEGER NOT NULL REFERENCES products (id),
    kind                    TEXT    NOT NULL CHECK (kind IN ('standard', 'license')),
    started_at              INTEGER NOT NULL,
    planned_completion_at   INTEGER NOT NULL,
    -- Number of events recorded; the `If-Match` value of the next action.
    version                 INTEGER NOT NULL,
    step                    TEXT    NOT NULL,
    frozen                  INTEGER NOT NULL DEFAULT 0,
    completes_at            INTEGER,
    updated_at              INTEGER NOT NULL
);
CREATE INDEX supervision_flows_by_account ON supervision_flows (account_id, started_at DESC);
CREATE INDEX supervision_flows_by_seller ON supervision_flows (seller_id, started_at DESC);
CREATE INDEX supervision_flows_due ON supervision_flows (step, completes_at);

CREATE TABLE supervision_events (
    flow_id         INTEGER NOT NULL REFERENCES supervision_flows (id),
    sequence        INTEGER NOT NULL,
    party           TEXT    NOT NULL CHECK (party IN ('buyer', 'seller', 'operations', 'system')),
    actor_account_id INTEGER REFERENCES accounts (id),
    actor_name      TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    -- JSON of bazaar_core::supervision::FlowEventKind.
    kind_json       TEXT    NOT NULL,
    PRIMARY KEY (flow_id, sequence)
);
