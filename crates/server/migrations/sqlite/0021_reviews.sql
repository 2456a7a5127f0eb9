-- Reviews by verified buyers (SPEC §13): one per buyer and product, editable; one answer
-- from the seller; operations may hide one with a reason. `product_ratings` keeps each
-- product's count per star (visible reviews), changed in the transaction of the review
-- that changes it, so the product page and the catalog never count at read time.

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    product_id      INTEGER NOT NULL REFERENCES products (id),
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    -- The name shown ("Lin W."), taken when the review is written.
    author_name     TEXT    NOT NULL,
    stars           INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    answer          TEXT,
    answered_at     INTEGER,
    hidden_reason   TEXT,
    hidden_at       INTEGER,
    UNIQUE (product_id, account_id)
);
CREATE INDEX reviews_visible_by_product ON reviews (product_id, updated_at DESC, id DESC) WHERE hidden_at IS NULL;

CREATE TABLE product_ratings (
    product_id      INTEGER PRIMARY KEY REFERENCES products (id),
    stars_1         INTEGER NOT NULL DEFAULT 0,
    stars_2         INTEGER NOT NULL DEFAULT 0,
    stars_3         INTEGER NOT NULL DEFAULT 0,
    stars_4         INTEGER NOT NULL DEFAULT 0,
    stars_5         INTEGER NOT NULL DEFAULT 0
);
