//! Concurrent deploys: several `carafe upgrade head` started at once apply each revision exactly once,
//! a `transaction:false` index build among them included, and leave no lock behind; a run that cannot
//! take the lock gives up after `--lock-wait` with its own exit code.

use crate::harness::{
    Migrations, Run, assert_no_advisory_lock_left, carafe, client, fresh_database, run,
    sommelier_migrations, wait_bounded,
};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const DEPLOYS: usize = 8;

/// A deadlocked run fails the test after this long instead of hanging it.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Starts `count` `carafe upgrade head` at once, then waits for all of them.
fn upgrade_at_once(url: &str, dir: &Path, count: usize) -> Vec<Run> {
    let children: Vec<_> = (0..count)
        .map(|_| {
            carafe(url, dir)
                .args(["upgrade", "head"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn carafe")
        })
        .collect();
    children
        .into_iter()
        .map(|child| wait_bounded(child, RUN_LIMIT))
        .collect()
}

/// Every run succeeded, the revisions `names` (in order) were each reported applied by exactly one
/// run, the history holds each once and applied, and no advisory lock is left.
#[track_caller]
fn assert_applied_exactly_once(url: &str, runs: Vec<Run>, names: &[String]) {
    let mut applied_lines = Vec::new();
    for run in runs {
        let stdout = run.ok();
        applied_lines.extend(
            stdout
                .lines()
                .filter(|line| line.starts_with("applied "))
                .map(str::to_owned),
        );
    }
    assert_eq!(
        applied_lines.len(),
        names.len(),
        "each revision reported applied by exactly one run: {applied_lines:#?}"
    );
    for name in names {
        let reported = applied_lines
            .iter()
            .filter(|line| line.split_whitespace().nth(1) == Some(name.as_str()))
            .count();
        assert_eq!(reported, 1, "`{name}` reported applied {reported} times");
    }
    let history: Vec<(i32, String, String)> = client(url)
        .query(
            "SELECT revision, name, state FROM carafe_history ORDER BY revision, applied_at",
            &[],
        )
        .expect("read history")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let expected: Vec<(i32, String, String)> = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let revision = i32::try_from(index + 1).expect("revision number");
            (revision, name.clone(), "applied".to_owned())
        })
        .collect();
    assert_eq!(history, expected);
    assert_no_advisory_lock_left(url);
}

/// Whether `index` exists and is valid (a `CREATE INDEX CONCURRENTLY` that failed leaves it INVALID).
fn valid_index(url: &str, index: &str) -> bool {
    client(url)
        .query_opt(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)",
            &[&index],
        )
        .expect("look up index")
        .is_some_and(|row| row.get::<_, bool>(0))
}

/// Also the regression test for the unlocked first look calling a live run's `running` marker on
/// 0003 "interrupted" (it failed about half the time before the fix).
#[test]
fn eight_deploys_at_once_apply_each_sommelier_revision_exactly_once() {
    let url = fresh_database();
    let runs = upgrade_at_once(&url, &sommelier_migrations(), DEPLOYS);
    let names = [
        "0001_create_products",
        "0002_add_vintage_column",
        "0003_add_price_index",
        "0004_add_alcohol_column",
    ]
    .map(str::to_owned);
    assert_applied_exactly_once(&url, runs, &names);
    assert!(valid_index(&url, "products_price_idx"));
}

/// The first revision of [`thirty_revisions`]: it holds the lock until the seven other deploys are
/// polling it (a session that has polled and does not hold it is a waiter), so every waiter is past
/// its first look at the history and is polling while the index is built concurrently.
const WAIT_FOR_SEVEN_WAITERS: &str = "DO $$
DECLARE
    waiters bigint;
BEGIN
    FOR attempt IN 1..3000 LOOP
        PERFORM pg_stat_clear_snapshot();
        SELECT count(*) INTO waiters FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'SELECT pg_try_advisory_lock(%'
          AND pid NOT IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted);
        IF waiters >= 7 THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
    RAISE EXCEPTION 'only % other deploys polled the migration lock in 30 s', waiters;
END
$$;";

/// Thirty revisions: a table, a column each, and one `CREATE INDEX CONCURRENTLY` in the middle, built
/// while seven other deploys poll the lock (a waiter blocked in `pg_advisory_lock` would deadlock it).
fn thirty_revisions() -> (Migrations, Vec<String>) {
    let migrations = Migrations::empty();
    let mut names = Vec::new();
    for number in 1..=30 {
        let (slug, text) = match number {
            1 => (
                "create_wide".to_owned(),
                format!(
                    "-- migrate:up\nCREATE TABLE wide (id bigint PRIMARY KEY);\nINSERT INTO wide SELECT generate_series(1, 50000);\n{WAIT_FOR_SEVEN_WAITERS}\n\n-- migrate:down\nDROP TABLE wide;\n"
                ),
            ),
            15 => (
                "index_c14".to_owned(),
                "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY wide_c14_idx ON wide (c14);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS wide_c14_idx;\n".to_owned(),
            ),
            _ => (
                format!("add_c{number}"),
                format!(
                    "-- migrate:up\nALTER TABLE wide ADD COLUMN c{number} integer NOT NULL DEFAULT {number};\n\n-- migrate:down\nALTER TABLE wide DROP COLUMN c{number};\n"
                ),
            ),
        };
        let name = format!("{number:04}_{slug}");
        migrations.write(&format!("{name}.sql"), &text);
        names.push(name);
    }
    (migrations, names)
}

#[test]
fn eight_deploys_at_once_apply_each_of_thirty_revisions_exactly_once() {
    let (migrations, names) = thirty_revisions();
    let url = fresh_database();
    let runs = upgrade_at_once(&url, migrations.path(), DEPLOYS);
    assert_applied_exactly_once(&url, runs, &names);
    assert!(valid_index(&url, "wide_c14_idx"));
    let columns: i64 = client(&url)
        .query_one(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'wide'::regclass AND attname ~ '^c[0-9]+$' AND NOT attisdropped",
            &[],
        )
        .expect("count columns")
        .get(0);
    assert_eq!(
        columns, 28,
        "every revision but 0001 and 0015 adds a column"
    );
}

/// Regression test for the unlocked first look refusing a `running` marker that a live run owns:
/// only the lock holder may call a marker interrupted.
#[test]
fn a_deploy_started_while_another_builds_an_index_concurrently_waits_for_it() {
    let migrations = Migrations::empty();
    migrations
        .write(
            "0001_create_wide.sql",
            "-- migrate:up\nCREATE TABLE wide (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE wide;\n",
        )
        .write(
            "0002_index_id.sql",
            "-- migrate:up transaction:false\nSELECT pg_sleep(1.5);\nCREATE INDEX CONCURRENTLY wide_id_idx ON wide (id);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS wide_id_idx;\n",
        );
    let url = fresh_database();
    let spawn = || {
        carafe(&url, migrations.path())
            .args(["upgrade", "head"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn carafe")
    };
    let first = spawn();
    let mut watcher = client(&url);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while watcher
        .query_one(
            "SELECT to_regclass('carafe_history') IS NOT NULL AND EXISTS (SELECT FROM carafe_history WHERE state = 'running')",
            &[],
        )
        .map(|row| !row.get::<_, bool>(0))
        .unwrap_or(true)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the first deploy never marked 0002 running"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = spawn();
    let runs = vec![
        wait_bounded(first, RUN_LIMIT),
        wait_bounded(second, RUN_LIMIT),
    ];
    assert_applied_exactly_once(
        &url,
        runs,
        &["0001_create_wide", "0002_index_id"].map(str::to_owned),
    );
    assert!(valid_index(&url, "wide_id_idx"));
}

#[test]
fn a_run_that_cannot_take_the_lock_says_who_holds_it_and_gives_up_after_lock_wait_with_exit_8() {
    // Regression: the waiter said nothing while it waited, and the timeout reported its own wait
    // as the holder's ("another carafe run has held the lock for 1s").
    let url = fresh_database();
    let key = carafe::HistoryTable::default().lock_key();
    let mut holder = client(&url);
    holder
        .batch_execute("SET application_name = 'nightly-backfill'")
        .expect("name the holder");
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .expect("hold the migration lock");
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("pid")
        .get(0);
    let started = std::time::Instant::now();
    let stderr = run(
        &url,
        &sommelier_migrations(),
        &["upgrade", "--lock-wait", "1s"],
    )
    .fails(8);
    let waited = started.elapsed();
    let (waiting, error) = stderr.split_once('\n').expect("two lines");
    let held_by =
        format!("pid {pid}, application `nightly-backfill`, role `postgres`, connected at ");
    assert!(
        waiting.starts_with(&format!(
            "note: waiting for the migration lock of `public.carafe_history`, held by {held_by}"
        )) && waiting.ends_with(" UTC: waited 0s of 1s (`--lock-wait`)"),
        "{stderr}"
    );
    assert!(
        error.starts_with(&format!(
            "error: the migration lock of `public.carafe_history` is held by {held_by}"
        )) && error.ends_with(" UTC: carafe waited 1s for it; wait for that run to finish, or raise `--lock-wait`; if the session is stuck, `SELECT pg_terminate_backend(PID)` ends it\n"),
        "{stderr}"
    );
    assert!(waited >= Duration::from_secs(1), "gave up after {waited:?}");
    let history_table: Option<String> = client(&url)
        .query_one("SELECT to_regclass('carafe_history')::text", &[])
        .expect("look up history table")
        .get(0);
    assert_eq!(history_table, None, "nothing ran without the lock");
    drop(holder);
    assert_no_advisory_lock_left(&url);
    run(
        &url,
        &sommelier_migrations(),
        &["upgrade", "--lock-wait", "1s"],
    )
    .ok();
}
