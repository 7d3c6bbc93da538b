//! Offline mode: the `--sql` script, run by `psql`, makes the same schema and history as a live run.

use crate::harness::{client, fresh_database, run, schema_dump, sommelier_migrations};
use std::process::Command;

fn psql(url: &str, script: &str) {
    let bindir = carafe_devdb::Binaries::locate()
        .expect("binaries")
        .bindir()
        .to_owned();
    let file = tempfile::NamedTempFile::new().expect("script file");
    std::fs::write(file.path(), script).expect("write script");
    let output = Command::new(bindir.join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(file.path())
        .output()
        .expect("run psql");
    assert!(
        output.status.success(),
        "psql failed: {}\n--- script ---\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn history_rows(url: &str) -> Vec<(i32, String, String, String)> {
    client(url)
        .query(
            "SELECT revision, name, checksum, state FROM carafe_history ORDER BY revision",
            &[],
        )
        .expect("history")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect()
}

#[test]
fn the_upgrade_script_run_by_psql_gives_the_schema_of_a_live_upgrade() {
    let dir = sommelier_migrations();
    let live = fresh_database();
    let offline = fresh_database();
    run(&live, &dir, &["upgrade", "head"]).ok();
    let script = run(
        "postgresql://nobody@127.0.0.1:1/unused",
        &dir,
        &["upgrade", "head", "--sql"],
    )
    .ok();
    assert!(
        script.contains("CREATE INDEX CONCURRENTLY products_price_idx ON products (price);"),
        "{script}"
    );
    psql(&offline, &script);
    assert_eq!(schema_dump(&offline), schema_dump(&live));
    assert_eq!(history_rows(&offline), history_rows(&live));
}

#[test]
fn the_downgrade_script_undoes_what_the_upgrade_script_did() {
    let dir = sommelier_migrations();
    let offline = fresh_database();
    let untouched = fresh_database();
    run(&untouched, &dir, &["upgrade", "0001"]).ok();
    run(&untouched, &dir, &["downgrade", "base"]).ok();
    psql(
        &offline,
        &run(
            "postgresql://nobody@127.0.0.1:1/unused",
            &dir,
            &["upgrade", "--sql"],
        )
        .ok(),
    );
    let down = run(
        "postgresql://nobody@127.0.0.1:1/unused",
        &dir,
        &["downgrade", "base", "--sql", "--from", "0004"],
    )
    .ok();
    psql(&offline, &down);
    assert_eq!(history_rows(&offline), []);
    assert_eq!(schema_dump(&offline), schema_dump(&untouched));
}

/// The statements of `sql` as both sides must agree on them: comments dropped, and the two things
/// only a live run knows normalised (which commits defer their WAL flush, and measured execution
/// times).
fn comparable_statements(sql: &str) -> Vec<String> {
    let without_comments: String = sql
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .map(|line| format!("{line}\n"))
        .collect();
    carafe_core::split_statements(&without_comments)
        .iter()
        .map(|statement| statement.sql.trim().to_owned())
        .filter(|statement| !statement.starts_with("SET LOCAL synchronous_commit = "))
        .map(|statement| {
            let statement = statement.replace(
                "extract(epoch FROM clock_timestamp() - transaction_timestamp()) * 1000",
                "NULL",
            );
            match statement.split_once("execution_ms = ") {
                Some((before, after)) if after.starts_with(|c: char| c.is_ascii_digit()) => {
                    let rest = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                    format!("{before}execution_ms = NULL{rest}")
                }
                _ => statement,
            }
        })
        .collect()
}

/// What a live run sent in simple-query batches (its revisions and history writes), read from the
/// server's log: the database logs every statement.
fn logged_batches(log: &std::path::Path, from: u64) -> String {
    let bytes = std::fs::read(log).expect("read the server log");
    let text = String::from_utf8_lossy(&bytes[from as usize..]).into_owned();
    let mut batches = String::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let starts_entry = line.len() > 4 && line[..4].bytes().all(|byte| byte.is_ascii_digit());
        if starts_entry {
            if let Some(batch) = current.take() {
                push_batch(&mut batches, &batch);
            }
            if let Some((_, statement)) = line.split_once("LOG:  statement: ") {
                current = Some(format!("{statement}\n"));
            }
        } else if let Some(batch) = current.as_mut() {
            // The server indents a logged statement's continuation lines with a tab.
            batch.push_str(line.strip_prefix('\t').unwrap_or(line));
            batch.push('\n');
        }
    }
    if let Some(batch) = current {
        push_batch(&mut batches, &batch);
    }
    batches
}

/// Adds a logged batch, leaving out the live runner's WAL flushes (it confirms what it reports;
/// a script run by psql commits durably anyway).
fn push_batch(batches: &mut String, batch: &str) {
    if batch.contains("pg_logical_emit_message(true, 'carafe', 'confirm')") {
        return;
    }
    batches.push_str(batch);
    batches.push_str(";\n");
}

#[test]
fn the_script_and_the_live_run_send_the_same_statements_in_every_mode() {
    // Regression: `upgrade --sql --one-transaction` printed one BEGIN per revision while the live
    // run used one transaction.
    let dir = sommelier_migrations();
    let cluster = crate::harness::cluster();
    let log = cluster.log_file();
    let offline_url = "postgresql://nobody@127.0.0.1:1/unused";
    let modes: [(&[&str], &[&str], &[&str]); 4] = [
        (&[], &["upgrade", "head"], &["upgrade", "head", "--sql"]),
        (
            &[],
            &["upgrade", "head", "--one-transaction"],
            &["upgrade", "head", "--sql", "--one-transaction"],
        ),
        (
            &["upgrade", "head"],
            &["downgrade", "base"],
            &["downgrade", "base", "--sql", "--from", "0004"],
        ),
        (
            &["upgrade", "0002"],
            &["upgrade", "+1"],
            &["upgrade", "+1", "--sql", "--from", "0002"],
        ),
    ];
    for (before, live_args, offline_args) in modes {
        let url = fresh_database();
        if !before.is_empty() {
            run(&url, &dir, before).ok();
        }
        let database = url.rsplit('/').next().expect("database name");
        client(&url)
            .batch_execute(&format!(
                "ALTER DATABASE \"{database}\" SET log_statement = 'all'"
            ))
            .expect("log statements");
        let from = std::fs::metadata(&log).expect("log").len();
        run(&url, &dir, live_args).ok();
        // The server writes its log asynchronously to the client's return.
        std::thread::sleep(std::time::Duration::from_millis(300));
        // The runner's own reads (history, lock, the open-transaction check after a
        // `transaction:false` section) are not part of a script.
        let live: Vec<String> = comparable_statements(&logged_batches(&log, from))
            .into_iter()
            .filter(|statement| {
                ![
                    "SELECT obj_description(",
                    "SELECT pg_try_advisory_lock(",
                    "SELECT pg_advisory_unlock(",
                    "SELECT now() = statement_timestamp()",
                ]
                .iter()
                .any(|read| statement.starts_with(read))
            })
            .collect();
        let script = run(offline_url, &dir, offline_args).ok();
        let offline = comparable_statements(&script);
        assert_eq!(live, offline, "{live_args:?}\n--- script ---\n{script}");
        if live_args.contains(&"--one-transaction") {
            // 0001 and 0002 together, 0003 on its own (transaction:false), then 0004: two
            // transactions of revisions (and 0003's closing history write, durable on its own).
            assert_eq!(script.matches("BEGIN;\nRESET ALL;").count(), 2, "{script}");
        }
    }
}
