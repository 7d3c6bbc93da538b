-- Add the vintage (millésime): null for non-vintage wines.

-- migrate:up
ALTER TABLE products ADD COLUMN vintage smallint CHECK (vintage BETWEEN 1800 AND 2100);

-- migrate:down
ALTER TABLE products DROP COLUMN vintage;
