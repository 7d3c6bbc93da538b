//! The migration lock: one holder at a time, a timeout that names the table, released on every path.

use crate::set;
use carafe::{Database, DatabaseUrl, ErrorKind, MigrationLock, Settings, Target};
use carafe_devdb::TempCluster;
use std::time::Duration;

fn settings() -> Settings {
    let url = TempCluster::shared()
        .expect("cluster")
        .create_database("lock")
        .expect("database");
    let mut settings = Settings::new(DatabaseUrl::parse(&url).expect("url"));
    settings.lock_wait = Duration::from_millis(300);
    settings
}

fn advisory_locks(settings: &Settings) -> i64 {
    let mut client = carafe::connect(&settings.url, Duration::from_secs(5)).expect("connect");
    client
        .query_one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", &[])
        .expect("pg_locks")
        .get(0)
}

#[test]
fn a_second_holder_times_out_naming_the_table_and_gets_it_once_released() {
    let settings = settings();
    let first = MigrationLock::acquire(&settings).expect("free");
    let error = MigrationLock::acquire(&settings).err().expect("held");
    assert_eq!(error.kind(), ErrorKind::LockTimeout);
    // The holder is the first lock's own connection, named `carafe` like every carafe session.
    assert!(
        error
            .to_string()
            .starts_with("the migration lock of `public.carafe_history` is held by pid "),
        "{error}"
    );
    assert!(
        error.to_string().contains(", application `carafe`, "),
        "{error}"
    );
    drop(first);
    MigrationLock::acquire(&settings)
        .expect("released on drop")
        .release();
    assert_eq!(advisory_locks(&settings), 0);
}

#[test]
fn a_failing_revision_releases_the_lock() {
    let settings = settings();
    let broken = set(&[(
        "0001_broken.sql",
        "-- migrate:up\nSELECT * FROM no_such_table;\n-- migrate:down\nSELECT 1;\n",
    )]);
    let mut database = Database::connect(settings.clone()).expect("connect");
    let error = database
        .upgrade(&broken, Target::Head, &mut |_| {})
        .expect_err("fails");
    assert_eq!(error.kind(), ErrorKind::MigrationFailed);
    assert_eq!(
        advisory_locks(&settings),
        0,
        "the lock is released on the error path"
    );
    MigrationLock::acquire(&settings)
        .expect("free again")
        .release();
}

#[test]
fn a_run_with_nothing_to_do_takes_no_lock() {
    let settings = settings();
    let one = set(&[(
        "0001_t.sql",
        "-- migrate:up\nCREATE TABLE t ();\n-- migrate:down\nDROP TABLE t;\n",
    )]);
    let mut database = Database::connect(settings.clone()).expect("connect");
    database
        .upgrade(&one, Target::Head, &mut |_| {})
        .expect("applies");
    let _held = MigrationLock::acquire(&settings).expect("free");
    let report = database
        .upgrade(&one, Target::Head, &mut |_| {})
        .expect("a no-op does not wait for the lock");
    assert!(report.steps.is_empty());
}
