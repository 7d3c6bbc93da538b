-- SAQ Sommelier's schema written as SQL, for the tests of `carafe` with a `schema.sql`: the same
-- schema as the app's models (crates/sommelier-db/src/models.rs), which a test in sommelier-db
-- checks by comparing pg_dump of both.

CREATE TABLE products (
    sku        text PRIMARY KEY CHECK (sku ~ '^[0-9]{5,8}$'),
    name       text NOT NULL CHECK (name <> ''),
    producer   text,
    country    text NOT NULL,
    region     text,
    colour     text NOT NULL CHECK (colour IN ('red', 'white', 'rosé', 'orange', 'sparkling', 'fortified')),
    grape      text,
    volume_ml  integer NOT NULL DEFAULT 750 CHECK (volume_ml > 0),
    price      numeric(10, 2) NOT NULL CHECK (price >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    vintage    smallint CHECK (vintage BETWEEN 1800 AND 2100),
    alcohol    numeric(4, 1) CHECK (alcohol BETWEEN 0 AND 100)
);

COMMENT ON TABLE products IS 'The SAQ catalogue: one row per product';
COMMENT ON COLUMN products.sku IS 'SAQ code, as printed on the shelf label';

CREATE INDEX products_price_idx ON products (price);
