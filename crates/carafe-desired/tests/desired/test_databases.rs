//! Databases for an app's tests: a template at head built once, each test a copy of it that is
//! independent of the others and dropped afterwards; the template is reused by the next run.

use carafe::DatabaseUrl;
use carafe_desired::{Declared, TestDatabases};
use carafe_devdb::TempCluster;

fn server() -> DatabaseUrl {
    let cluster = TempCluster::shared().expect("cluster");
    DatabaseUrl::parse(&cluster.create_database("tests").expect("db")).expect("url")
}

fn sommelier_set() -> carafe::MigrationSet {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let loaded = carafe_core::load_dir(std::path::Path::new(dir)).expect("read migrations");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.set
}

fn connect(url: &DatabaseUrl) -> postgres::Client {
    carafe::connect(url, std::time::Duration::from_secs(10)).expect("connect")
}

fn template_oid(server: &DatabaseUrl, template: &str) -> Option<u32> {
    connect(server)
        .query_opt(
            "SELECT oid FROM pg_database WHERE datname = $1",
            &[&template],
        )
        .expect("query")
        .map(|row| row.get(0))
}

#[test]
fn each_test_gets_its_own_copy_of_a_template_at_head_built_once() {
    let server = server();
    let set = sommelier_set();
    let databases = TestDatabases::migrated(&server, &set).expect("template");
    let built = template_oid(&server, databases.template()).expect("the template exists");
    let again = TestDatabases::migrated(&server, &set).expect("template again");
    assert_eq!(again.template(), databases.template());
    assert_eq!(
        template_oid(&server, again.template()),
        Some(built),
        "the template is reused, not rebuilt"
    );

    let first = databases.fresh().expect("a copy");
    let second = databases.fresh().expect("another copy");
    let mut one = connect(first.url());
    let head: String = one
        .query_one(
            "SELECT max(revision)::text FROM carafe_history WHERE state = 'applied'",
            &[],
        )
        .map(|row| row.get(0))
        .unwrap_or_else(|error| panic!("history: {error}"));
    assert_eq!(head, "4", "the copy is at head, history included");
    one.batch_execute(
        "INSERT INTO products (sku, name, country, colour, price) VALUES ('10270', 'Rioja', 'Spain', 'red', 19.95)",
    )
    .expect("insert");
    let rows: i64 = connect(second.url())
        .query_one("SELECT count(*) FROM products", &[])
        .expect("count")
        .get(0);
    assert_eq!(rows, 0, "copies are independent");

    let name = first.name().to_owned();
    drop(one);
    drop(first);
    assert_eq!(
        template_oid(&server, &name),
        None,
        "a copy is dropped with its value"
    );
}

#[test]
fn a_template_of_the_models_differs_from_the_migrations_template_and_holds_the_models() {
    let server = server();
    let declared = Declared::models(sommelier_db_like::MODELS, None);
    let databases = TestDatabases::declared(&server, &declared).expect("template");
    let copy = databases.fresh().expect("copy");
    let columns: i64 = connect(copy.url())
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'bottles'",
            &[],
        )
        .expect("columns")
        .get(0);
    assert_eq!(columns, 2);
    let set = sommelier_set();
    let migrated = TestDatabases::migrated(&server, &set).expect("template");
    assert_ne!(migrated.template(), databases.template());
}

#[allow(dead_code)]
mod sommelier_db_like {
    #[derive(carafe::Table)]
    pub struct Bottle {
        #[carafe(primary_key)]
        pub sku: String,
        pub millilitres: i32,
    }

    pub const MODELS: carafe::model::Models = carafe::models![Bottle];
}

#[test]
fn without_database_url_the_tests_use_the_workspaces_development_server() {
    let workspace = tempfile::tempdir().expect("dir");
    std::fs::write(workspace.path().join("Cargo.lock"), "").expect("lock file");
    let member = workspace.path().join("crates/app");
    std::fs::create_dir_all(&member).expect("member");
    let server = carafe_desired::test_server_in(&member).expect("a development server");
    let cluster = workspace.path().join("target/carafe-pg");
    let stopped = carafe_devdb::DevCluster::stop(&cluster);
    assert!(
        matches!(stopped, Ok(carafe_devdb::StopOutcome::Stopped)),
        "the server ran in the workspace's target/carafe-pg ({server}): {stopped:?}"
    );
}
