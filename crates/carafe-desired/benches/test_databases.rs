//! What a test's database costs, `cargo bench -p carafe-desired --bench test_databases`: a copy of
//! a template at head (`TestDatabases::fresh`) against a replay of every migration into an empty
//! database (what a test helper without templates does), on the same throwaway server, turn about.
//! It prints figures and their ratio; it is not a timed test.
//!
//! The history: SAQ Sommelier's four revisions, then one of N tables, each with a primary key, an
//! index, a check and a foreign key to the previous one, one table per revision. The server is
//! `TempCluster`'s (fsync off, as test servers usually run), stopped at the end.

use carafe::{Database, DatabaseUrl, MigrationSet, Settings, Target};
use carafe_desired::{ScratchDatabase, TestDatabases};
use std::time::{Duration, Instant};

/// Revisions in each history measured.
const HISTORIES: [usize; 3] = [50, 200, 1000];
/// Databases made by each method, per history.
const RUNS: usize = 5;

fn main() {
    let cluster = carafe_devdb::TempCluster::start().expect("start a throwaway PostgreSQL");
    let server = DatabaseUrl::parse(&cluster.url("postgres")).expect("url");
    println!("test databases: a copy of a template against a replay, {RUNS} databases each");
    println!(
        "{:>10} {:>14} {:>12} {:>12} {:>12} {:>8}",
        "revisions", "template (ms)", "replay (ms)", "copy (ms)", "floor (ms)", "ratio"
    );
    for revisions in HISTORIES {
        let set = history(revisions);
        let started = Instant::now();
        let databases = TestDatabases::migrated(&server, &set).expect("template");
        let template = started.elapsed();
        let mut replays = Vec::new();
        let mut copies = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let replayed = replay(&server, &set);
            replays.push(started.elapsed());
            drop(replayed);
            let started = Instant::now();
            let copy = databases.fresh().expect("copy");
            copies.push(started.elapsed());
            drop(copy);
        }
        // PostgreSQL's own floor: the bare statement a copy is, with no connection or sweep.
        let mut admin = carafe::connect(&server, Duration::from_secs(10)).expect("admin");
        let mut floors = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            admin
                .batch_execute(&format!(
                    "CREATE DATABASE bench_floor TEMPLATE \"{}\"",
                    databases.template()
                ))
                .expect("create");
            floors.push(started.elapsed());
            admin
                .batch_execute("DROP DATABASE bench_floor")
                .expect("drop");
        }
        let (replay, copy) = (median(&mut replays), median(&mut copies));
        println!(
            "{:>10} {:>14.0} {:>12.1} {:>12.1} {:>12.1} {:>7.1}x",
            set.len(),
            millis(template),
            millis(replay),
            millis(copy),
            millis(median(&mut floors)),
            millis(replay) / millis(copy).max(0.001)
        );
    }
    println!(
        "(medians; ratio = replay / copy; a copy is CREATE DATABASE ... TEMPLATE plus carafe's scratch bookkeeping, the floor the bare statement; a replay creates a database and upgrades it to head)"
    );
}

/// A database at head the slow way: empty, then every migration.
fn replay(server: &DatabaseUrl, set: &MigrationSet) -> ScratchDatabase {
    let scratch = ScratchDatabase::create(server, "bench").expect("scratch");
    let settings = Settings::new(scratch.url().clone());
    Database::connect(settings)
        .expect("connect")
        .upgrade(set, Target::Head, &mut |_| {})
        .expect("upgrade");
    scratch
}

/// SAQ Sommelier's revisions, then `tables` revisions of one table each.
fn history(tables: usize) -> MigrationSet {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let mut sources = carafe_core::read_sources(std::path::Path::new(dir)).expect("migrations");
    sources.retain(|source| source.name != carafe_core::SUM_FILE_NAME);
    let base = sources.len();
    for table in 1..=tables {
        let reference = match table {
            1 => String::new(),
            _ => format!(",\n    previous integer REFERENCES t{} (id)", table - 1),
        };
        let text = format!(
            "-- migrate:up\nCREATE TABLE t{table} (\n    id integer PRIMARY KEY,\n    name text NOT NULL CHECK (name <> ''){reference}\n);\nCREATE INDEX ON t{table} (name);\n\n-- migrate:down\nDROP TABLE t{table};\n"
        );
        let name = format!("{:04}_table_{table}.sql", base + table);
        sources.push(carafe_core::SourceFile::new(name, text.into_bytes()));
    }
    let loaded = carafe_core::load(&sources);
    loaded.set
}

fn median(durations: &mut [Duration]) -> Duration {
    durations.sort();
    durations[durations.len() / 2]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
