-- The catalog: categories with their own filter fields, products, SKUs and prices,
-- a full-text index over products, and per-account favourites.

CREATE TABLE categories (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    name_en         TEXT    NOT NULL,
    name_zh         TEXT    NOT NULL,
    description_en  TEXT    NOT NULL,
    description_zh  TEXT    NOT NULL,
    position        INTEGER NOT NULL
);

CREATE TABLE category_attributes (
    id              INTEGER PRIMARY KEY,
    category_id     INTEGER NOT NULL REFERENCES categories (id),
    key             TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    name_zh         TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    UNIQUE (category_id, key)
);

CREATE TABLE category_attribute_values (
    attribute_id    INTEGER NOT NULL REFERENCES category_attributes (id),
    value           TEXT    NOT NULL,
    label_en        TEXT    NOT NULL,
    label_zh        TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (attribute_id, value)
);

CREATE TABLE products (
    id                      INTEGER PRIMARY KEY,
    seller_id               INTEGER NOT NULL REFERENCES sellers (id),
    category_id             INTEGER NOT NULL REFERENCES categories (id),
    name                    TEXT    NOT NULL,
    summary                 TEXT    NOT NULL,
    description             TEXT    NOT NULL,
    usage_guide             TEXT    NOT NULL,
    delivery_method         TEXT    NOT NULL CHECK (delivery_method IN ('saas', 'image', 'license', 'professional_service', 'consulting')),
    -- Space-separated tags.
    tags                    TEXT    NOT NULL,
    -- Comma-separated region codes.
    regions                 TEXT    NOT NULL,
    supervised              INTEGER NOT NULL CHECK (supervised IN (0, 1)),
    service_period_days     INTEGER,
    trial_days              INTEGER,
    seller_creates_account  INTEGER NOT NULL DEFAULT 0 CHECK (seller_creates_account IN (0, 1)),
    -- Demo provisioning behaviour of the built-in seller endpoint: normal, fail or slow.
    provisioning_behavior   TEXT    NOT NULL DEFAULT 'normal' CHECK (provisioning_behavior IN ('normal', 'fail', 'slow')),
    currency                TEXT    NOT NULL,
    -- Lowest SKU price in minor units and its billing mode (derived from sku_prices).
    price_from_minor        INTEGER NOT NULL,
    price_from_mode         TEXT    NOT NULL,
    -- Sales in the last 30 days; the popularity ranking.
    recent_sales            INTEGER NOT NULL DEFAULT 0,
    listed_at               INTEGER NOT NULL,
    CHECK (supervised = 0 OR service_period_days IS NOT NULL)
);
CREATE INDEX products_by_category ON products (category_id);
CREATE INDEX products_by_popularity ON products (recent_sales DESC);

CREATE TABLE product_attribute_values (
    product_id      INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    attribute_id    INTEGER NOT NULL REFERENCES category_attributes (id),
    value           TEXT    NOT NULL,
    PRIMARY KEY (product_id, attribute_id, value)
);

CREATE TABLE skus (
    id              INTEGER PRIMARY KEY,
    product_id      INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    position        INTEGER NOT NULL
);
CREATE INDEX skus_by_product ON skus (product_id);

CREATE TABLE sku_prices (
    sku_id              INTEGER NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
    billing_mode        TEXT    NOT NULL CHECK (billing_mode IN ('yearly_monthly', 'pay_per_use', 'one_off')),
    price_minor         INTEGER NOT NULL CHECK (price_minor >= 0),
    server_fee_minor    INTEGER CHECK (server_fee_minor IS NULL OR server_fee_minor >= 0),
    PRIMARY KEY (sku_id, billing_mode)
);

-- Full-text index over name, summary, seller name and tags; rowid = products.id.
CREATE VIRTUAL TABLE products_fts USING fts5 (
    name, summary, seller, tags,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE favorites (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    product_id      INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    saved_at        INTEGER NOT NULL,
    PRIMARY KEY (account_id, product_id)
);
