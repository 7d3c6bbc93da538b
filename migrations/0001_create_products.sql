-- Create the SAQ catalogue: one row per product, keyed by its SAQ code.

-- migrate:up
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
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE products IS 'The SAQ catalogue: one row per product';
COMMENT ON COLUMN products.sku IS 'SAQ code, as printed on the shelf label';

-- migrate:down
DROP TABLE products;
