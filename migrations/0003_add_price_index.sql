-- Index products by price, for the "under $20" shelf.
-- Built concurrently so a live catalogue keeps taking writes; that cannot run in a transaction.

-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY products_price_idx ON products (price);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS products_price_idx;
