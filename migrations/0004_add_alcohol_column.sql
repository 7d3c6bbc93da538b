-- Add the alcohol content, in percent by volume, as printed on the label.

-- migrate:up
ALTER TABLE products ADD COLUMN alcohol numeric(4, 1) CHECK (alcohol BETWEEN 0 AND 100);

-- migrate:down
ALTER TABLE products DROP COLUMN alcohol;
