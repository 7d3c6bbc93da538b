//! autogenerate, check and verify at size, `cargo bench -p carafe-desired --bench at_size`: figures,
//! not a timed test. On one throwaway server (`TempCluster`, fsync off):
//!
//! - (a) a schema of 1,000 tables (keys, checks, defaults, an index each, a foreign key every tenth)
//!   built by one revision, declared with a column more on ten tables: autogenerate (replay, load,
//!   diff both ways) and check;
//! - (b) histories of 250, 500 and 1,000 one-table revisions declared as what they build: check
//!   the first time (it replays and loads, keeping templates) and again (it reads the templates),
//!   against a bare replay into an empty database (what the first check cannot do without);
//! - (c) verify on histories of 50, 100 and 200 revisions: its time per revision should stay flat
//!   (linear growth), since each revision is applied, undone and applied once.

use carafe::{DatabaseUrl, MigrationSet, Settings, Target};
use carafe_desired::{Comparison, Declared, ScratchDatabase};
use carafe_schema::Renames;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let cluster = carafe_devdb::TempCluster::start().expect("start a throwaway PostgreSQL");
    let server = DatabaseUrl::parse(&cluster.url("postgres")).expect("url");
    let settings = Settings::new(server.clone());
    let dir = tempfile::tempdir().expect("dir");

    println!("(a) 1,000 tables in one revision; the declared schema adds a column to ten");
    let wide = set_of(&[format!(
        "-- migrate:up\n{}\n-- migrate:down\nDROP TABLE {};\n",
        wide_schema(1000, false),
        (1..=1000)
            .map(|table| format!("t{table}"))
            .collect::<Vec<_>>()
            .join(", ")
    )]);
    let declared = declared_file(dir.path(), "wide.sql", &wide_schema(1000, true));
    let (seconds, changes) = timed(|| {
        let comparison = Comparison::load(&settings, &wide, &server, &declared).expect("load");
        comparison.draft(&Renames::default()).up.changes.len()
    });
    assert_eq!(changes, 10, "one ADD COLUMN per widened table");
    println!("    revision --autogenerate, first run: {seconds:.2} s ({changes} changes)");
    let (seconds, _) = timed(|| check(&settings, &wide, &server, &declared));
    println!("    check, templates kept:              {seconds:.2} s");
    let (replay, _) = timed(|| replay_into_empty(&server, &wide));
    let (built, schema) = timed(|| {
        carafe_desired::replayed(&settings, &wide, &server, Target::Head).expect("replayed")
    });
    let (loaded, target) = timed(|| {
        carafe_desired::declared(&declared, &server, &settings.history).expect("declared")
    });
    let (diffed, _) = timed(|| carafe_schema::diff(&schema, &target, &Renames::default()));
    println!(
        "    of which (templates kept): a bare replay would be {replay:.2} s; read the replayed template {built:.2} s, the declared one {loaded:.2} s; diff {diffed:.3} s"
    );

    println!("(b) check on long histories: first, again, and a bare replay");
    println!(
        "    {:>9} {:>10} {:>10} {:>10} {:>14}",
        "revisions", "first (s)", "again (s)", "replay (s)", "replay / again"
    );
    for revisions in [250, 500, 1000] {
        let set = long_history(revisions);
        let declared = declared_file(
            dir.path(),
            &format!("long{revisions}.sql"),
            &long_schema(revisions),
        );
        let (replay, _) = timed(|| replay_into_empty(&server, &set));
        let (first, _) = timed(|| check(&settings, &set, &server, &declared));
        let (again, _) = timed(|| check(&settings, &set, &server, &declared));
        println!(
            "    {revisions:>9} {first:>10.2} {again:>10.2} {replay:>10.2} {:>13.1}x",
            replay / again.max(0.001)
        );
    }

    println!("(c) verify: up, down and up on every revision");
    println!(
        "    {:>9} {:>10} {:>16}",
        "revisions", "verify (s)", "per revision (ms)"
    );
    for revisions in [50, 100, 200] {
        let set = long_history(revisions);
        let (seconds, _) = timed(|| {
            let report = carafe_desired::verify(&settings, &set, &server, &mut |_, _, _| {})
                .expect("verify");
            assert!(report.first_failure().is_none());
        });
        println!(
            "    {revisions:>9} {seconds:>10.2} {:>16.1}",
            seconds * 1000.0 / revisions as f64
        );
    }
}

fn check(settings: &Settings, set: &MigrationSet, server: &DatabaseUrl, declared: &Declared) {
    let report = carafe_desired::check(settings, set, server, declared, None, None).expect("check");
    std::hint::black_box(report.missing.changes.len());
}

fn replay_into_empty(server: &DatabaseUrl, set: &MigrationSet) {
    let scratch = ScratchDatabase::create(server, "bench").expect("scratch");
    carafe::Database::connect(Settings::new(scratch.url().clone()))
        .expect("connect")
        .upgrade(set, Target::Head, &mut |_| {})
        .expect("upgrade");
}

fn timed<T>(work: impl FnOnce() -> T) -> (f64, T) {
    let started = Instant::now();
    let value = work();
    (seconds(started.elapsed()), value)
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn declared_file(dir: &Path, name: &str, sql: &str) -> Declared {
    let path = dir.join(name);
    std::fs::write(&path, sql).expect("write the declared schema");
    Declared::file(path)
}

fn table_sql(table: usize, extra_column: bool) -> String {
    let reference = match table.is_multiple_of(10) && table > 1 {
        true => format!(",\n    parent integer REFERENCES t{} (id)", table - 1),
        false => String::new(),
    };
    let extra = match extra_column {
        true => ",\n    note text",
        false => "",
    };
    format!(
        "CREATE TABLE t{table} (\n    id integer PRIMARY KEY,\n    name text NOT NULL CHECK (name <> ''),\n    price numeric(10, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),\n    created_at timestamptz NOT NULL DEFAULT now(){reference}{extra}\n);\nCREATE INDEX ON t{table} (name);\n"
    )
}

/// `tables` tables; with `extra`, the first ten have a column more.
fn wide_schema(tables: usize, extra: bool) -> String {
    (1..=tables)
        .map(|table| table_sql(table, extra && table <= 10))
        .collect()
}

fn long_schema(tables: usize) -> String {
    (1..=tables).map(|table| table_sql(table, false)).collect()
}

/// One revision per table.
fn long_history(tables: usize) -> MigrationSet {
    let texts: Vec<String> = (1..=tables)
        .map(|table| {
            format!(
                "-- migrate:up\n{}\n-- migrate:down\nDROP TABLE t{table};\n",
                table_sql(table, false)
            )
        })
        .collect();
    set_of(&texts)
}

/// A set from revision texts; a missing `carafe.sum` is the only problem allowed.
fn set_of(texts: &[String]) -> MigrationSet {
    let sources: Vec<carafe_core::SourceFile> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            carafe_core::SourceFile::new(format!("{:04}_step.sql", index + 1), text.as_bytes())
        })
        .collect();
    let loaded = carafe_core::load(&sources);
    let problems: Vec<String> = loaded
        .problems
        .iter()
        .map(ToString::to_string)
        .filter(|problem| !problem.contains("carafe.sum"))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(loaded.set.len(), texts.len());
    loaded.set
}
