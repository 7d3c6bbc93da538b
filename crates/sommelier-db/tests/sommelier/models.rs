//! The migrations build exactly SAQ Sommelier's models, and a field added without a migration
//! fails the test, naming the revision it needs.

use carafe_desired::{Declared, assert_migrations_build, missing_revision};
use sommelier_db::migrations::MIGRATIONS;

fn server() -> carafe::DatabaseUrl {
    let cluster = carafe_devdb::TempCluster::shared().expect("cluster");
    carafe::DatabaseUrl::parse(&cluster.create_database("sommelier").expect("db")).expect("url")
}

#[test]
fn the_migrations_build_the_models() {
    assert_migrations_build(
        &MIGRATIONS,
        &Declared::models(sommelier_db::models::MODELS, None),
        &server(),
    );
}

/// `Product` with a field no migration adds yet.
#[allow(dead_code)]
mod ahead {
    /// The SAQ catalogue: one row per product
    #[derive(carafe::Table)]
    #[carafe(index(price))]
    pub struct Product {
        /// SAQ code, as printed on the shelf label
        #[carafe(primary_key, check = "sku ~ '^[0-9]{5,8}$'")]
        pub sku: String,
        #[carafe(check = "name <> ''")]
        pub name: String,
        pub producer: Option<String>,
        pub country: String,
        pub region: Option<String>,
        #[carafe(check = "colour IN ('red', 'white', 'rosé', 'orange', 'sparkling', 'fortified')")]
        pub colour: String,
        pub grape: Option<String>,
        #[carafe(default = "750", check = "volume_ml > 0")]
        pub volume_ml: i32,
        #[carafe(sql_type = "numeric(10, 2)", check = "price >= 0")]
        pub price: f64,
        #[carafe(default = "now()")]
        pub created_at: std::time::SystemTime,
        #[carafe(default = "now()")]
        pub updated_at: std::time::SystemTime,
        #[carafe(check = "vintage BETWEEN 1800 AND 2100")]
        pub vintage: Option<i16>,
        #[carafe(sql_type = "numeric(4, 1)", check = "alcohol BETWEEN 0 AND 100")]
        pub alcohol: Option<f64>,
        #[carafe(check = "rating BETWEEN 0 AND 100")]
        pub rating: Option<i16>,
    }
}

#[test]
fn a_field_added_without_a_migration_fails_and_shows_the_revision() {
    let declared = Declared::models(carafe::models![ahead::Product], None);
    let message = missing_revision(&MIGRATIONS, &declared, &server())
        .expect("compared")
        .expect("a revision is missing");
    assert_eq!(
        message,
        "the migrations do not build the models (Product); a revision with this would (`revision --autogenerate -m MESSAGE` writes it):\n\
         ALTER TABLE \"public\".\"products\" ADD COLUMN \"rating\" smallint;\n\
         ALTER TABLE \"public\".\"products\" ADD CONSTRAINT \"products_rating_check\" CHECK (((rating >= 0) AND (rating <= 100)));"
    );
}

/// `pg_dump` of what `declared` declares, on a scratch database.
fn declared_dump(declared: &Declared, server: &carafe::DatabaseUrl) -> String {
    let bindir = carafe_devdb::Binaries::locate().expect("binaries");
    let pg_dump = carafe_desired::PgDump::new(bindir.bindir().join("pg_dump"));
    let nothing = carafe_core::load(&[]).set;
    let settings = carafe::Settings::new(server.clone());
    carafe_desired::Comparison::load_judged(&settings, &nothing, server, declared, Some(&pg_dump))
        .expect("comparison")
        .dumps
        .expect("dumps")
        .declared
}

#[test]
fn the_models_and_the_schema_written_as_sql_for_carafes_tests_agree() {
    let server = server();
    let sql = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../carafe-cli/tests/cli/sommelier_schema.sql"
    );
    let from_sql = declared_dump(&Declared::file(sql), &server);
    let from_models = declared_dump(
        &Declared::models(sommelier_db::models::MODELS, None),
        &server,
    );
    assert_eq!(
        carafe_desired::dump_difference(&from_sql, &from_models),
        None
    );
    assert!(from_models.contains("products_price_idx"), "{from_models}");
}
