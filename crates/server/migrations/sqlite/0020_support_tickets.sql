-- After-Sales Support (SPEC §13): tickets about an app or order, their thread (every post
-- and every change of state, with who made it), and attachments kept in the database so
-- that every instance serves them.

CREATE TABLE tickets (
    id                    INTEGER PRIMARY KEY,
    account_id            INTEGER NOT NULL REFERENCES accounts (id),
    -- The app or order it is about; its product's seller answers.
    order_id              INTEGER NOT NULL REFERENCES orders (id),
    seller_id             INTEGER NOT NULL REFERENCES sellers (id),
    product_id            INTEGER NOT NULL REFERENCES products (id),
    product_name          TEXT    NOT NULL,
    category              TEXT    NOT NULL
        CHECK (category IN ('cannot_log_in', 'how_to_use', 'fault', 'billing', 'other')),
    -- bazaar_core::support::tickets::TicketFacts, column by column.
    state                 TEXT    NOT NULL
        CHECK (state IN ('awaiting_seller', 'awaiting_buyer', 'resolved', 'closed')),
    escalated             BOOLEAN NOT NULL DEFAULT FALSE,
    reopened              INTEGER NOT NULL DEFAULT 0,
    awaiting_seller_since INTEGER,
    resolved_at           INTEGER,
    rating                INTEGER CHECK (rating BETWEEN 1 AND 5),
    -- The seller's (or operations') first answer: the product page's median answer time.
    first_answer_at       INTEGER,
    opened_at             INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    closed_at             INTEGER,
    -- Bumped by every change: a change is written only against the version it read.
    version               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_by_account ON tickets (account_id, updated_at DESC);
CREATE INDEX tickets_by_seller ON tickets (seller_id, state, awaiting_seller_since);
CREATE INDEX tickets_escalated ON tickets (updated_at) WHERE escalated;
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE state = 'resolved';

CREATE TABLE ticket_posts (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    author_id     INTEGER REFERENCES accounts (id),
    -- buyer, seller, operations; or system (closed after 7 days).
    author_role   TEXT    NOT NULL CHECK (author_role IN ('buyer', 'seller', 'operations', 'system')),
    -- opened, or a bazaar_core::support::tickets::TicketAction, or closed_by_time.
    action        TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    cause         TEXT,
    fix           TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ticket_posts_by_ticket ON ticket_posts (ticket_id, id);

CREATE TABLE ticket_attachments (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    post_id       INTEGER NOT NULL REFERENCES ticket_posts (id),
    file_name     TEXT    NOT NULL,
    -- Sniffed from the bytes, never the client's word.
    media_type    TEXT    NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'application/pdf')),
    size_bytes    INTEGER NOT NULL,
    content       BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ticket_attachments_by_post ON ticket_attachments (post_id);
