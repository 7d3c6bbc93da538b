//! The start-up guard on tokio: an async app checks the schema on `tokio-postgres` without blocking
//! (or panicking) its runtime, with the same verdicts as the synchronous guard.

use carafe::{Database, DatabaseUrl, GuardError, Revision, Settings, Target};
use carafe_devdb::TempCluster;

fn two_revisions() -> carafe::MigrationSet {
    crate::set(&[
        (
            "0001_a.sql",
            "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n",
        ),
        (
            "0002_b.sql",
            "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n",
        ),
    ])
}

#[tokio::test]
async fn an_async_app_refuses_an_older_schema_and_starts_on_the_current_one() {
    let url = TempCluster::shared()
        .expect("cluster")
        .create_database("guard")
        .expect("database");
    let set = two_revisions();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    let connection = tokio::spawn(connection);
    // No history table yet: the database is at base.
    assert_eq!(
        carafe::asynchronous::require(&client, set.head()).await,
        Err(GuardError::Behind {
            current: Revision::BASE,
            needed: Revision::new(2)
        })
    );
    // Migrating is synchronous: off the runtime's threads, as an app that migrates on boot does.
    let migrate_url = url.clone();
    let migrated = set.clone();
    tokio::task::spawn_blocking(move || {
        let settings = Settings::new(DatabaseUrl::parse(&migrate_url).expect("url"));
        Database::connect(settings)
            .expect("connect")
            .upgrade(&migrated, Target::Exactly(Revision::new(1)), &mut |_| {})
            .expect("upgrade to 0001");
    })
    .await
    .expect("migrate");
    let refused = carafe::asynchronous::require(&client, set.head())
        .await
        .expect_err("older schema");
    assert_eq!(
        refused.to_string(),
        "database is at 0001, this build needs 0002: run migrations first (`carafe upgrade head`)"
    );
    assert_eq!(
        carafe::asynchronous::require(&client, Revision::new(1)).await,
        Ok(Revision::new(1))
    );
    // An app that migrates on boot awaits the upgrade; the runtime (one thread here) keeps running.
    let settings = Settings::new(DatabaseUrl::parse(&url).expect("url"));
    let report = carafe::asynchronous::upgrade(settings, &set, Target::Head)
        .await
        .expect("upgrade on boot");
    assert_eq!(
        (report.from, report.to),
        (Revision::new(1), Revision::new(2))
    );
    assert_eq!(
        carafe::asynchronous::require(&client, set.head()).await,
        Ok(Revision::new(2))
    );
    drop(client);
    connection
        .await
        .expect("connection task")
        .expect("connection");
}
