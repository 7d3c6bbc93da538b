//! A deploy killed with SIGKILL at any moment leaves the database at a whole revision: its history
//! and its schema agree on a revision N, nothing of N+1 is there, and the next run finishes the job.
//!
//! The delays are random; each trial prints its seed, and `CARAFE_CRASH_SEED=<seed>` replays them.

use crate::harness::{
    Migrations, assert_no_advisory_lock_left, carafe, client, fresh_database, run, wait_bounded,
};
use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

const HEAD: u32 = 50;
const TRIALS: usize = 20;
const ROWS_PER_INSERT: i64 = 20_000;

/// What revision `number` leaves behind. Every revision first writes its number to `ledger`, then
/// makes its change, so a revision applied by half shows as a ledger row without the change.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// Creates `ledger`, `cellar` and `bottles`.
    Tables,
    /// `CREATE TABLE rN`.
    Table,
    /// `ALTER TABLE cellar ADD COLUMN cN`.
    Column,
    /// 20,000 rows tagged N in `bottles`: slow enough to be killed inside.
    Rows,
    /// `CREATE INDEX iN ON bottles`, then a short sleep: also slow.
    Index,
}

fn change(number: u32) -> Change {
    match (number, number % 4) {
        (1, _) => Change::Tables,
        (_, 0) => Change::Table,
        (_, 1) => Change::Column,
        (_, 2) => Change::Rows,
        _ => Change::Index,
    }
}

fn up_sql(number: u32) -> String {
    let ledger = format!("INSERT INTO ledger VALUES ({number});\n");
    match change(number) {
        Change::Tables => format!(
            "CREATE TABLE ledger (revision integer PRIMARY KEY);\nCREATE TABLE cellar (id integer PRIMARY KEY);\nCREATE TABLE bottles (revision integer NOT NULL, n integer NOT NULL);\n{ledger}"
        ),
        Change::Table => {
            format!("{ledger}CREATE TABLE r{number} (id integer PRIMARY KEY, label text);\n")
        }
        Change::Column => format!("{ledger}ALTER TABLE cellar ADD COLUMN c{number} integer;\n"),
        Change::Rows => format!(
            "{ledger}INSERT INTO bottles SELECT {number}, n FROM generate_series(1, {ROWS_PER_INSERT}) AS n;\n"
        ),
        Change::Index => format!(
            "{ledger}CREATE INDEX i{number} ON bottles (n) WHERE revision = {number};\nSELECT pg_sleep(0.01);\n"
        ),
    }
}

fn down_sql(number: u32) -> String {
    let ledger = format!("DELETE FROM ledger WHERE revision = {number};\n");
    match change(number) {
        Change::Tables => "DROP TABLE bottles, cellar, ledger;\n".to_owned(),
        Change::Table => format!("DROP TABLE r{number};\n{ledger}"),
        Change::Column => format!("ALTER TABLE cellar DROP COLUMN c{number};\n{ledger}"),
        Change::Rows => format!("DELETE FROM bottles WHERE revision = {number};\n{ledger}"),
        Change::Index => format!("DROP INDEX i{number};\n{ledger}"),
    }
}

fn fifty_revisions() -> Migrations {
    let migrations = Migrations::empty();
    for number in 1..=HEAD {
        let text = format!(
            "-- Revision {number}: {:?}.\n\n-- migrate:up\n{}\n-- migrate:down\n{}",
            change(number),
            up_sql(number),
            down_sql(number)
        );
        migrations.write(&format!("{number:04}_step_{number}.sql"), &text);
    }
    migrations
}

/// What revision `number` leaves in the database, as [`artifacts`] names it.
fn made_by(number: u32) -> Vec<String> {
    let mut made = vec![format!("ledger row {number}")];
    match change(number) {
        Change::Tables => {
            made.extend(["table bottles", "table cellar", "table ledger"].map(str::to_owned))
        }
        Change::Table => made.push(format!("table r{number}")),
        Change::Column => made.push(format!("column cellar.c{number}")),
        Change::Rows => made.push(format!("{ROWS_PER_INSERT} bottles of {number}")),
        Change::Index => made.push(format!("index i{number}")),
    }
    made
}

/// Everything revisions `1..=revision` make.
fn expected_at(revision: u32) -> BTreeSet<String> {
    (1..=revision).flat_map(made_by).collect()
}

/// What the revisions made that is in the database now, read from the catalog and the tables.
fn artifacts(url: &str) -> BTreeSet<String> {
    let mut client = client(url);
    let mut found = BTreeSet::new();
    for row in client
        .query(
            "SELECT CASE c.relkind WHEN 'i' THEN 'index ' ELSE 'table ' END || c.relname FROM pg_class AS c \
             JOIN pg_namespace AS s ON s.oid = c.relnamespace \
             WHERE s.nspname = 'public' AND c.relkind IN ('r', 'i') AND c.relname <> 'carafe_history' AND c.relname NOT LIKE '%_pkey'",
            &[],
        )
        .expect("list relations")
    {
        found.insert(row.get(0));
    }
    if !found.contains("table ledger") {
        return found;
    }
    for row in client
        .query(
            "SELECT 'column cellar.' || attname FROM pg_attribute WHERE attrelid = 'cellar'::regclass AND attnum > 1 AND NOT attisdropped",
            &[],
        )
        .expect("list columns")
    {
        found.insert(row.get(0));
    }
    for row in client
        .query("SELECT 'ledger row ' || revision FROM ledger", &[])
        .expect("read ledger")
    {
        found.insert(row.get(0));
    }
    for row in client
        .query(
            "SELECT count(*) || ' bottles of ' || revision FROM bottles GROUP BY revision",
            &[],
        )
        .expect("count bottles")
    {
        found.insert(row.get(0));
    }
    found
}

/// The history's rows as `(revision, state)`, oldest first; empty when there is no table yet.
fn history(url: &str) -> Vec<(i32, String)> {
    let mut client = client(url);
    let exists: bool = client
        .query_one("SELECT to_regclass('carafe_history') IS NOT NULL", &[])
        .expect("look up history table")
        .get(0);
    if !exists {
        return Vec::new();
    }
    client
        .query(
            "SELECT revision, state FROM carafe_history ORDER BY revision",
            &[],
        )
        .expect("read history")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// Waits until no session but ours is connected to the database of `url`: a killed client's
/// server process finishes (or rolls back) the batch it was running before it notices, and the
/// state is only settled then. (A deploy waits for it through the lock, which that session holds:
/// see `a_deploy_started_right_after_a_killed_one_...` below.)
fn wait_for_orphaned_sessions(url: &str) {
    let mut client = client(url);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let others: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("count sessions")
            .get(0);
        if others == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{others} session(s) of the killed carafe still connected after 20 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The revision the database is at, after checking that the history is exactly `1..=N`, all applied,
/// and the schema and data are exactly what `1..=N` make.
#[track_caller]
fn assert_whole_revision(url: &str, context: &str) -> u32 {
    let history = history(url);
    let at = u32::try_from(history.len()).expect("revision count");
    let expected_history: Vec<(i32, String)> = (1..=history.len())
        .map(|revision| {
            let revision = i32::try_from(revision).expect("revision number");
            (revision, "applied".to_owned())
        })
        .collect();
    assert_eq!(
        history, expected_history,
        "{context}: history is 1..=N, all applied"
    );
    let found = artifacts(url);
    let expected = expected_at(at);
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{context}: the history says {at:04}, but the database lacks {missing:?} and has {extra:?}"
    );
    at
}

/// xorshift64*: enough randomness to spread kills over a run, and a seed that replays them.
struct Xorshift(u64);

impl Xorshift {
    fn seeded() -> Xorshift {
        let seed = std::env::var("CARAFE_CRASH_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0x9E37_79B9_7F4A_7C15, |since| since.as_nanos() as u64)
            })
            | 1;
        println!("crash trials: CARAFE_CRASH_SEED={seed}");
        Xorshift(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A duration in `0..limit`.
    fn below(&mut self, limit: Duration) -> Duration {
        let micros = u64::try_from(limit.as_micros()).unwrap_or(u64::MAX).max(1);
        Duration::from_micros(self.next() % micros)
    }
}

#[test]
fn sigkill_at_random_points_never_leaves_a_half_applied_revision() {
    let migrations = fifty_revisions();
    let reference = fresh_database();
    let started = Instant::now();
    run(&reference, migrations.path(), &["upgrade", "head"]).ok();
    let full_run = started.elapsed();
    println!("one uninterrupted run of {HEAD} revisions: {full_run:?}");
    assert_eq!(assert_whole_revision(&reference, "uninterrupted run"), HEAD);

    let mut random = Xorshift::seeded();
    // A little past the run's length, so some kills land before the first revision and some after
    // the last.
    let spread = full_run + full_run / 10;
    let mut reached = Vec::new();
    for trial in 0..TRIALS {
        let url = fresh_database();
        let delay = random.below(spread);
        let mut child = carafe(&url, migrations.path())
            .args(["upgrade", "head"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn carafe");
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL carafe");
        child.wait().expect("reap carafe");
        wait_for_orphaned_sessions(&url);
        let context = format!("trial {trial}, killed after {delay:?}");
        let at = assert_whole_revision(&url, &context);
        reached.push(at);

        let rerun = carafe(&url, migrations.path())
            .args(["upgrade", "head"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn carafe");
        let stdout = wait_bounded(rerun, Duration::from_secs(60)).ok();
        assert!(
            stdout.ends_with(&format!("database is at {HEAD:04} (head)\n"))
                || stdout.starts_with("database is already at"),
            "{context}: the rerun reaches head: {stdout}"
        );
        assert_eq!(
            assert_whole_revision(&url, &format!("{context}, then rerun")),
            HEAD
        );
        assert_no_advisory_lock_left(&url);
    }
    println!("killed at revisions {reached:?}");
}

/// Regression test for the migration lock living on its own connection: killing the client ended
/// that session at once, while the session running the revision finished its batch unattended, so
/// the next deploy ran the revision again. The lock now lives on the migrating session.
#[test]
fn a_deploy_started_right_after_a_killed_one_does_not_run_the_revision_the_killed_one_left_running()
{
    let migrations = Migrations::empty();
    migrations
        .write(
            "0001_ledger.sql",
            "-- migrate:up\nCREATE TABLE ledger (revision integer PRIMARY KEY);\nINSERT INTO ledger VALUES (1);\n\n-- migrate:down\nDROP TABLE ledger;\n",
        )
        .write(
            "0002_slow.sql",
            "-- migrate:up\nINSERT INTO ledger VALUES (2);\nSELECT pg_sleep(2);\n\n-- migrate:down\nDELETE FROM ledger WHERE revision = 2;\n",
        )
        .write(
            "0003_after.sql",
            "-- migrate:up\nINSERT INTO ledger VALUES (3);\n\n-- migrate:down\nDELETE FROM ledger WHERE revision = 3;\n",
        );
    let url = fresh_database();
    let mut killed = carafe(&url, migrations.path())
        .args(["upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn carafe");
    let mut watcher = client(&url);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sleeping: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("watch sessions")
            .get(0);
        if sleeping > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "carafe never reached 0002");
        std::thread::sleep(Duration::from_millis(5));
    }
    killed.kill().expect("SIGKILL carafe");
    killed.wait().expect("reap carafe");
    let rerun = carafe(&url, migrations.path())
        .args(["upgrade", "head"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn carafe");
    let stdout = wait_bounded(rerun, Duration::from_secs(60)).ok();
    assert!(stdout.ends_with("database is at 0003 (head)\n"), "{stdout}");
    let ledger: Vec<i32> = client(&url)
        .query("SELECT revision FROM ledger ORDER BY revision", &[])
        .expect("read ledger")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(ledger, [1, 2, 3]);
    assert_eq!(
        history(&url),
        [1, 2, 3].map(|revision| (revision, "applied".to_owned()))
    );
    assert_no_advisory_lock_left(&url);
}

const SERVER_CRASH_REVISIONS: u32 = 200;
const SERVER_CRASH_TRIALS: usize = 10;

/// `CREATE TABLE sN` per revision: small, so a run of 200 commits many of them asynchronously.
fn small_revisions(count: u32) -> Migrations {
    let migrations = Migrations::empty();
    for number in 1..=count {
        migrations.write(
            &format!("{number:04}_s{number}.sql"),
            &format!("-- migrate:up\nCREATE TABLE s{number} (id int);\n-- migrate:down\nDROP TABLE s{number};\n"),
        );
    }
    migrations
}

/// The newest revision a line of carafe's output says the database has reached.
fn claimed(line: &str) -> Option<u32> {
    let revision = |text: &str| text.get(..4).and_then(|digits| digits.parse().ok());
    if let Some(rest) = line.strip_prefix("applied  ") {
        return revision(rest);
    }
    // "the database is still at 0041", "database is at 0041", "... is at 0041 or past it, ...".
    let (_, after) = line.split_once(" at ")?;
    line.contains("database is")
        .then(|| revision(after))
        .flatten()
}

/// What the history and the schema of a crashed-and-recovered database say: the revision, and
/// whether exactly the tables of revisions 1..=it exist.
fn recovered_position(url: &str) -> (u32, bool) {
    let mut client = client(url);
    let has_history: bool = client
        .query_one("SELECT to_regclass('carafe_history') IS NOT NULL", &[])
        .expect("history table")
        .get(0);
    let recorded: i32 = match has_history {
        false => 0,
        true => client
            .query_one("SELECT coalesce(max(revision), 0) FROM carafe_history", &[])
            .expect("history")
            .get(0),
    };
    let tables: Vec<String> = client
        .query(
            "SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relname ~ '^s[0-9]+$' ORDER BY 1",
            &[],
        )
        .expect("tables")
        .iter()
        .map(|row| row.get(0))
        .collect();
    let recorded = recorded.unsigned_abs();
    let expected: BTreeSet<String> = (1..=recorded).map(|number| format!("s{number}")).collect();
    (
        recorded,
        tables.into_iter().collect::<BTreeSet<_>>() == expected,
    )
}

#[test]
fn a_server_crash_never_puts_the_database_behind_what_carafe_printed() {
    // Regression: every commit of a run but the last was asynchronous and reported at once, so
    // after a server crash the database was behind the position carafe had printed (8 of 10
    // trials), and "the database is still at 0004" could be lost within 0.3 s.
    let server = carafe_devdb::TempCluster::start().expect("a cluster of this test's own");
    let migrations = small_revisions(SERVER_CRASH_REVISIONS);
    let reference = server.create_database("crash").expect("database");
    let started = Instant::now();
    run(&reference, migrations.path(), &["upgrade", "head"]).ok();
    let full_run = started.elapsed();
    println!("one uninterrupted run of {SERVER_CRASH_REVISIONS} revisions: {full_run:?}");

    let mut random = Xorshift::seeded();
    let mut outcomes = Vec::new();
    for trial in 0..SERVER_CRASH_TRIALS {
        let url = server.create_database("crash").expect("database");
        // Most crashes land mid-run (the reference run includes starting the binary).
        let delay = random.below(full_run * 3 / 4);
        let mut child = carafe(&url, migrations.path())
            .args(["upgrade", "head"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn carafe");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        std::thread::sleep(delay);
        server.crash().expect("crash the server");
        let stderr = wait_bounded(child, Duration::from_secs(60)).stderr;
        let printed = reader.join().expect("reader");
        let last_printed = printed
            .iter()
            .chain(stderr.lines().map(str::to_owned).collect::<Vec<_>>().iter())
            .filter_map(|line| claimed(line))
            .max()
            .unwrap_or(0);
        server.restart().expect("restart after the crash");
        let (recorded, whole) = recovered_position(&url);
        let context = format!(
            "trial {trial}, crashed after {delay:?}: printed {last_printed}, recovered {recorded}\nstdout tail: {:?}\nstderr: {stderr}",
            printed.iter().rev().take(3).collect::<Vec<_>>()
        );
        assert!(
            recorded >= last_printed,
            "behind what was printed: {context}"
        );
        assert!(whole, "history and schema disagree: {context}");
        let rerun = run(&url, migrations.path(), &["upgrade", "head"]).ok();
        assert!(
            rerun.ends_with(&format!(
                "database is at {SERVER_CRASH_REVISIONS:04} (head)\n"
            )) || rerun.starts_with("database is already at"),
            "{context}: the rerun reaches head: {rerun}"
        );
        outcomes.push((last_printed, recorded));
    }
    println!("(printed, recovered) per trial: {outcomes:?}");
}
