//! `Catalogue`: the products table as the app sees it, opened only when the schema is new enough.

use crate::migrations;

/// A product on the SAQ shelf.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    /// The SAQ code.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Country of origin.
    pub country: String,
    /// `red`, `white`, `rosé`, `orange`, `sparkling` or `fortified`.
    pub colour: String,
    /// Price in cents.
    pub price_cents: i64,
    /// The vintage, for wines that have one (revision 0002).
    pub vintage: Option<i16>,
    /// Alcohol by volume, in percent (revision 0004).
    pub alcohol: Option<f64>,
}

/// Why the app does not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database cannot be reached.
    #[error("cannot connect to the catalogue database: {0}")]
    Connect(#[from] carafe::Error),
    /// The schema is older than this build.
    #[error(transparent)]
    Schema(#[from] carafe::GuardError),
}

/// The catalogue database.
pub struct Catalogue {
    client: postgres::Client,
}

impl Catalogue {
    /// Connects and checks that the database has every revision this build needs
    /// (`database is at 0003, this build needs 0004: run migrations first`).
    pub fn open(url: &carafe::DatabaseUrl) -> Result<Catalogue, StartError> {
        let mut client = carafe::connect(url, std::time::Duration::from_secs(10))?;
        carafe::require(&mut client, migrations::HEAD)?;
        Ok(Catalogue { client })
    }

    /// Adds a product.
    pub fn add(&mut self, product: &Product) -> Result<(), postgres::Error> {
        self.client.execute(
            "INSERT INTO products (sku, name, country, colour, price, vintage, alcohol) \
             VALUES ($1, $2, $3, $4, $5::bigint / 100.0, $6, $7::float8)",
            &[
                &product.sku,
                &product.name,
                &product.country,
                &product.colour,
                &product.price_cents,
                &product.vintage,
                &product.alcohol,
            ],
        )?;
        Ok(())
    }

    /// The products at or under a price, cheapest first (the "under $20" shelf, served by the price index).
    pub fn at_most(&mut self, price_cents: i64) -> Result<Vec<Product>, postgres::Error> {
        let rows = self.client.query(
            "SELECT sku, name, country, colour, (price * 100)::bigint, vintage, alcohol::float8 \
             FROM products WHERE price <= $1::bigint / 100.0 ORDER BY price, sku",
            &[&price_cents],
        )?;
        Ok(rows
            .iter()
            .map(|row| Product {
                sku: row.get(0),
                name: row.get(1),
                country: row.get(2),
                colour: row.get(3),
                price_cents: row.get(4),
                vintage: row.get(5),
                alcohol: row.get(6),
            })
            .collect())
    }
}
