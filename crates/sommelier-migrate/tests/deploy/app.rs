//! The app against a real PostgreSQL: `migrate` deploys the compiled-in set, the catalogue refuses an
//! older schema and works on the current one.

use carafe::DatabaseUrl;
use carafe_devdb::TempCluster;
use sommelier_db::{Catalogue, Product};
use std::process::Command;

fn fresh_database() -> String {
    TempCluster::shared()
        .expect("start a throwaway PostgreSQL")
        .create_database("sommelier")
        .expect("create a database")
}

fn migrate(url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_migrate"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .output()
        .expect("run migrate");
    assert!(
        output.status.success(),
        "migrate failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn url(text: &str) -> DatabaseUrl {
    DatabaseUrl::parse(text).expect("url")
}

#[test]
fn the_app_refuses_to_start_on_an_older_schema_then_serves_once_migrated() {
    let database = fresh_database();
    let refused = Catalogue::open(&url(&database))
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        refused.as_deref(),
        Some(
            "database is at base, this build needs 0004: run migrations first (`carafe upgrade head`)"
        )
    );

    migrate(&database, &["upgrade", "0003"]);
    let refused = Catalogue::open(&url(&database))
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        refused.as_deref(),
        Some(
            "database is at 0003, this build needs 0004: run migrations first (`carafe upgrade head`)"
        )
    );

    let deployed = migrate(&database, &["upgrade", "head"]);
    assert!(
        deployed.starts_with("applied  0004_add_alcohol_column"),
        "{deployed}"
    );
    assert_eq!(migrate(&database, &["current"]), "0004 (head)\n");

    let mut catalogue = Catalogue::open(&url(&database)).expect("the schema is current");
    let wines = [
        Product {
            sku: "10270".into(),
            name: "Mouton Cadet".into(),
            country: "France".into(),
            colour: "red".into(),
            price_cents: 1795,
            vintage: Some(2021),
            alcohol: Some(13.5),
        },
        Product {
            sku: "12824".into(),
            name: "Château Montus".into(),
            country: "France".into(),
            colour: "red".into(),
            price_cents: 5625,
            vintage: Some(2016),
            alcohol: Some(14.5),
        },
        Product {
            sku: "11213".into(),
            name: "Kim Crawford".into(),
            country: "Nouvelle-Zélande".into(),
            colour: "white".into(),
            price_cents: 1995,
            vintage: None,
            alcohol: Some(13.0),
        },
    ];
    for wine in &wines {
        catalogue.add(wine).expect("add");
    }
    let under_twenty = catalogue.at_most(2000).expect("query");
    assert_eq!(under_twenty, [wines[0].clone(), wines[2].clone()]);
}

#[test]
fn a_newer_schema_does_not_stop_an_older_app_during_a_rolling_deploy() {
    let database = fresh_database();
    migrate(&database, &["upgrade", "head"]);
    let mut client = postgres::Client::connect(&database, postgres::NoTls).expect("connect");
    let head = sommelier_db::migrations::HEAD;
    assert_eq!(
        carafe::require(&mut client, carafe::Revision::new(2)),
        Ok(head)
    );
    let exact = carafe::require_with(
        &mut client,
        carafe::Revision::new(2),
        &carafe::HistoryTable::default(),
        carafe::Require::Exactly,
    );
    assert_eq!(exact.map_err(|error| error.to_string()), Err("database is at 0004, newer than this build (0002): deploy the newer build, or downgrade the database".to_owned()));
}

#[test]
fn with_no_database_configured_the_deploy_binary_stops_naming_database_url() {
    // Regression: an empty DATABASE_URL (a missing CI secret) was treated as unset, and the
    // binary went looking for a local development server instead.
    let workdir = tempfile::tempdir().expect("temp dir");
    let workdir = workdir.path();
    for value in [None, Some(""), Some("  ")] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_migrate"));
        command
            .args(["upgrade", "head"])
            .current_dir(workdir)
            .env_remove("DATABASE_URL");
        if let Some(value) = value {
            command.env("DATABASE_URL", value);
        }
        let output = command.output().expect("run migrate");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(7), "{value:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{value:?}: one line: {stderr}");
        assert!(stderr.contains("DATABASE_URL"), "{value:?}: {stderr}");
        assert!(
            !workdir.join("target").exists(),
            "{value:?}: no development server was created"
        );
    }
}
