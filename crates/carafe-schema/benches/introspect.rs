//! The introspection benchmark, `cargo bench -p carafe-schema --bench introspect`: it prints
//! figures and a verdict, it is not a timed test.
//!
//! For 100, 1,000 and 10,000 tables (override with `CARAFE_BENCH_TABLES=100,1000`), each with five
//! columns, an index and a foreign key to the table before it, a fresh database on a throwaway
//! cluster is introspected a few times, each time in a new session as the CLI does (the server's
//! caches start cold), and the median time, the number of statements sent and the tables read per
//! second are printed. The target is 10,000 tables in under 2 s, with a query count that
//! does not grow with the table count.
//!
//! The database is introspected right after it is built, as autogenerate does with its scratch
//! databases: the catalogs' statistics are whatever `CREATE` left.

use carafe_devdb::TempCluster;
use carafe_schema::{INTROSPECTION_QUERIES, Schema};
use postgres::{Client, NoTls};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The target for 10,000 tables.
const TARGET: Duration = Duration::from_secs(2);
/// The table count the target is about.
const TARGET_TABLES: usize = 10_000;
/// Tables created per batch (one round trip, one transaction).
const TABLES_PER_BATCH: usize = 1_000;
/// Introspections timed per size.
const RUNS: usize = 5;

fn main() {
    let sizes = sizes();
    let cluster = TempCluster::start().expect("start a throwaway PostgreSQL cluster");
    println!(
        "introspection of N tables (5 columns, an index and a foreign key each); \
         median of {RUNS} runs, each in a new session"
    );
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>8} {:>12}",
        "tables", "build", "median", "min", "queries", "tables/s"
    );
    let mut verdict = None;
    let mut query_counts = Vec::new();
    for tables in sizes {
        let url = cluster.create_database("bench").expect("create a database");
        let build = build(&mut Client::connect(&url, NoTls).expect("connect"), tables);
        let (times, queries) = time_introspection(&url, tables);
        let median = times[times.len() / 2];
        println!(
            "{tables:>8} {:>10} {:>10} {:>10} {queries:>8} {:>12.0}",
            format_duration(build),
            format_duration(median),
            format_duration(times[0]),
            tables as f64 / median.as_secs_f64()
        );
        query_counts.push(queries);
        if tables == TARGET_TABLES {
            verdict = Some(median);
        }
    }
    let constant = query_counts
        .iter()
        .all(|&queries| queries == INTROSPECTION_QUERIES);
    println!(
        "query count: {} at every size (INTROSPECTION_QUERIES = {INTROSPECTION_QUERIES})",
        if constant { "the same" } else { "NOT the same" }
    );
    match verdict {
        Some(median) if median < TARGET => println!(
            "verdict: PASS, {TARGET_TABLES} tables in {} (target: under {})",
            format_duration(median),
            format_duration(TARGET)
        ),
        Some(median) => println!(
            "verdict: FAIL, {TARGET_TABLES} tables in {} (target: under {})",
            format_duration(median),
            format_duration(TARGET)
        ),
        None => println!("verdict: not measured ({TARGET_TABLES} tables was not among the sizes)"),
    }
}

/// The table counts to measure: `CARAFE_BENCH_TABLES` (comma-separated) or 100, 1,000 and 10,000.
fn sizes() -> Vec<usize> {
    match std::env::var("CARAFE_BENCH_TABLES") {
        Ok(list) => list
            .split(',')
            .map(|size| {
                size.trim()
                    .replace('_', "")
                    .parse()
                    .expect("CARAFE_BENCH_TABLES is a comma-separated list of table counts")
            })
            .collect(),
        Err(_) => vec![100, 1_000, TARGET_TABLES],
    }
}

/// Creates `tables` tables in batches and returns how long it took.
fn build(client: &mut Client, tables: usize) -> Duration {
    let started = Instant::now();
    for first in (0..tables).step_by(TABLES_PER_BATCH) {
        let mut batch = String::new();
        for number in first..tables.min(first + TABLES_PER_BATCH) {
            // The first table's foreign key points at itself.
            let parent = number.saturating_sub(1);
            writeln!(
                batch,
                "CREATE TABLE t{number:05} (id bigint PRIMARY KEY, \
                 parent_id bigint REFERENCES t{parent:05} (id) ON DELETE CASCADE, \
                 name text NOT NULL, price numeric(10, 2) DEFAULT 0, \
                 added_at timestamptz NOT NULL DEFAULT now()); \
                 CREATE INDEX ON t{number:05} (name);"
            )
            .expect("write to a string");
        }
        client.batch_execute(&batch).expect("create tables");
    }
    started.elapsed()
}

/// The sorted times of [`RUNS`] introspections, each in a new session (as the CLI runs it: the
/// server's caches start cold), and the most statements one of them sent.
fn time_introspection(url: &str, tables: usize) -> (Vec<Duration>, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut queries = 0;
    for _ in 0..RUNS {
        let mut client = Client::connect(url, NoTls).expect("connect");
        let started = Instant::now();
        let (schema, sent) = Schema::introspect_counted(&mut client).expect("introspect");
        times.push(started.elapsed());
        check_shape(&schema, tables);
        queries = queries.max(sent);
    }
    times.sort();
    (times, queries)
}

/// Every table was read whole: five columns, a primary key and a foreign key, one index.
fn check_shape(schema: &Schema, tables: usize) {
    assert_eq!(schema.tables.len(), tables, "every table is read");
    for (name, table) in &schema.tables {
        assert_eq!(table.columns.len(), 5, "columns of {name}");
        assert_eq!(table.constraints.len(), 2, "constraints of {name}");
        assert_eq!(table.indexes.len(), 1, "indexes of {name}");
    }
}

/// `1.234 s` or `56.7 ms`.
fn format_duration(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        format!("{:.3} s", duration.as_secs_f64())
    } else {
        format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
    }
}
