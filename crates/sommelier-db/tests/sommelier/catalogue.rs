//! The catalogue's own tests, each on a fresh database at head: a copy of a template the
//! migrations are applied to once (`carafe_desired::TestDatabases`), not a replay per test.

use carafe_desired::{ScratchDatabase, TestDatabases};
use sommelier_db::{Catalogue, Product};
use std::sync::OnceLock;

/// A database at head for one test: the one line an app's tests need.
fn database() -> ScratchDatabase {
    static DATABASES: OnceLock<TestDatabases> = OnceLock::new();
    DATABASES
        .get_or_init(|| {
            let cluster = carafe_devdb::TempCluster::shared().expect("a throwaway PostgreSQL");
            let server = carafe::DatabaseUrl::parse(&cluster.url("postgres")).expect("url");
            TestDatabases::migrated(&server, &sommelier_db::migrations::MIGRATIONS)
                .expect("the template")
        })
        .fresh()
        .expect("a copy")
}

fn rioja(price_cents: i64) -> Product {
    Product {
        sku: "10270".into(),
        name: "Rioja Reserva".into(),
        country: "Spain".into(),
        colour: "red".into(),
        price_cents,
        vintage: Some(2019),
        alcohol: Some(13.5),
    }
}

#[test]
fn a_fresh_database_is_at_head_so_the_catalogue_opens() {
    let database = database();
    let mut catalogue = Catalogue::open(database.url()).expect("the schema is at head");
    catalogue.add(&rioja(1995)).expect("add");
    assert_eq!(catalogue.at_most(2000).expect("query"), vec![rioja(1995)]);
}

#[test]
fn each_test_starts_empty_whatever_the_others_wrote() {
    let database = database();
    let mut catalogue = Catalogue::open(database.url()).expect("open");
    assert_eq!(catalogue.at_most(1_000_000).expect("query"), vec![]);
    catalogue.add(&rioja(2500)).expect("add");
}
