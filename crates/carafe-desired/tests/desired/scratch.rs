//! Scratch databases that a killed run could not drop are dropped by the next run, and only those.

use carafe::DatabaseUrl;
use carafe_desired::ScratchDatabase;
use carafe_devdb::TempCluster;

fn databases(admin: &mut postgres::Client) -> Vec<String> {
    admin
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'carafe_scratch_%' ORDER BY 1",
            &[],
        )
        .expect("list databases")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn a_scratch_database_a_killed_run_left_is_dropped_by_the_next_run() {
    let server = TempCluster::shared().expect("cluster");
    // The database scratch copies are created from; its own OID keeps other tests' copies apart.
    let home_url = server.create_database("sweep").expect("database");
    let mut admin = postgres::Client::connect(&home_url, postgres::NoTls).expect("connect");
    let home: u32 = admin
        .query_one(
            "SELECT oid FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .expect("oid")
        .get(0);
    // What SIGKILL leaves: the database, and no session holding its lock.
    let abandoned = format!("carafe_scratch_verify_{home}_999999_0");
    // A copy made from another database: not this run's to judge.
    let elsewhere = format!("carafe_scratch_verify_{}_999999_0", home + 1);
    for name in [&abandoned, &elsewhere] {
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create a leftover");
    }

    let url = DatabaseUrl::parse(&home_url).expect("url");
    let live = ScratchDatabase::create(&url, "replay").expect("a live run's scratch database");
    assert_eq!(live.swept(), std::slice::from_ref(&abandoned));
    let next = ScratchDatabase::create(&url, "declared").expect("another");
    assert!(next.swept().is_empty(), "a live run's copy is left alone");

    let present = databases(&mut admin);
    assert!(!present.contains(&abandoned), "{present:?}");
    assert!(present.contains(&elsewhere), "{present:?}");
    assert!(present.contains(&live.name().to_owned()), "{present:?}");
    assert!(present.contains(&next.name().to_owned()), "{present:?}");

    drop(live);
    drop(next);
    admin
        .batch_execute(&format!("DROP DATABASE \"{elsewhere}\""))
        .expect("clean up");
}
