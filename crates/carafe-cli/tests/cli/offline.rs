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
