//! Output failures never stop a migration: a reader that goes away (`upgrade head | head -1`) or a
//! full disk (`> /dev/full`) lets the run finish, with the exit code of what happened to the
//! database.

use crate::harness::{Migrations, carafe, fresh_database, recorded_revisions};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// Twenty revisions; the second sleeps, so a reader has gone by the time the rest are printed.
fn slow_set() -> Migrations {
    let migrations = Migrations::empty();
    for number in 1..=20 {
        let pause = if number == 2 {
            "SELECT pg_sleep(0.5);\n"
        } else {
            ""
        };
        migrations.write(
            &format!("{number:04}_table_{number}.sql"),
            &format!(
                "-- migrate:up\n{pause}CREATE TABLE t{number} (id int);\n-- migrate:down\nDROP TABLE t{number};\n"
            ),
        );
    }
    migrations
}

#[test]
fn a_reader_that_goes_away_does_not_stop_the_upgrade() {
    // Regression: `upgrade head | head -2` panicked (exit 101) and left the database at 0003.
    let migrations = slow_set();
    let url = fresh_database();
    let mut child = carafe(&url, migrations.path())
        .args(["upgrade", "head"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn carafe");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    assert!(first.starts_with("applied  0001_table_1"), "{first}");
    // The reader is gone (dropped above), as `head -1` exits.
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(recorded_revisions(&url), (1..=20).collect::<Vec<i32>>());
}

#[test]
fn a_full_disk_on_stdout_does_not_stop_the_upgrade() {
    // Regression: `upgrade head > /dev/full` stopped after revision 1.
    let migrations = slow_set();
    let url = fresh_database();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = carafe(&url, migrations.path())
        .args(["upgrade", "head"])
        .stdout(Stdio::from(full))
        .output()
        .expect("run carafe");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(recorded_revisions(&url), (1..=20).collect::<Vec<i32>>());
}
