//! Every command on the SAQ Sommelier history: what the user types, what the database becomes.

use crate::harness::{
    Migrations, fresh_database, product_columns, recorded_revisions, run, sommelier_migrations,
};

#[test]
fn upgrade_downgrade_current_history_stamp_on_the_sommelier_history() {
    let url = fresh_database();
    let dir = sommelier_migrations();
    let dir = dir.as_path();

    assert_eq!(
        run(&url, dir, &["current"]).ok(),
        "base (4 pending, head is 0004)\n"
    );
    let upgrade = run(&url, dir, &["upgrade", "head"]).ok();
    let names: Vec<&str> = upgrade
        .lines()
        .filter_map(|line| line.strip_prefix("applied  "))
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [
            "0001_create_products",
            "0002_add_vintage_column",
            "0003_add_price_index",
            "0004_add_alcohol_column"
        ]
    );
    assert!(
        upgrade
            .lines()
            .all(|line| !line.starts_with("applied") || line.ends_with(" ms)")),
        "{upgrade}"
    );
    assert!(
        upgrade.ends_with("database is at 0004 (head)\n"),
        "{upgrade}"
    );
    assert_eq!(recorded_revisions(&url), [1, 2, 3, 4]);
    assert!(product_columns(&url).ends_with(&["vintage".to_owned(), "alcohol".to_owned()]));
    assert_eq!(run(&url, dir, &["current"]).ok(), "0004 (head)\n");
    run(&url, dir, &["current", "--check"]).ok();
    assert_eq!(
        run(&url, dir, &["upgrade"]).ok(),
        "database is already at 0004 (head): nothing to do\n"
    );

    let downgrade = run(&url, dir, &["downgrade", "-1"]).ok();
    assert!(
        downgrade.starts_with("reverted 0004_add_alcohol_column  ("),
        "{downgrade}"
    );
    assert!(!product_columns(&url).contains(&"alcohol".to_owned()));
    assert_eq!(
        run(&url, dir, &["current", "--check"]).fails(9),
        "error: database is at 0003, not at head 0004\n"
    );

    let history = run(&url, dir, &["history"]).ok();
    assert!(
        history.contains("0003_add_price_index     applied 20"),
        "{history}"
    );
    assert!(
        history.contains("0004_add_alcohol_column  pending"),
        "{history}"
    );
    assert!(
        history.ends_with("database is at 0003, head is 0004\n"),
        "{history}"
    );

    run(&url, dir, &["downgrade", "base"]).ok();
    assert_eq!(recorded_revisions(&url), Vec::<i32>::new());
    assert!(product_columns(&url).is_empty(), "products is dropped");

    assert!(
        run(&url, dir, &["upgrade", "+2"])
            .ok()
            .ends_with("database is at 0002\n")
    );
    assert_eq!(recorded_revisions(&url), [1, 2]);

    let stamp = run(&url, dir, &["stamp", "0004"]).ok();
    assert_eq!(
        stamp,
        "recorded 0003_add_price_index\nrecorded 0004_add_alcohol_column\ndatabase is stamped at 0004 (nothing was run)\n"
    );
    assert_eq!(recorded_revisions(&url), [1, 2, 3, 4]);
    assert!(
        !product_columns(&url).contains(&"alcohol".to_owned()),
        "stamp runs nothing"
    );
    run(&url, dir, &["stamp", "0002"]).ok();
    assert_eq!(recorded_revisions(&url), [1, 2]);
    assert_eq!(
        run(&url, dir, &["upgrade", "0003"]).ok().lines().last(),
        Some("database is at 0003")
    );
}

#[test]
fn heads_show_and_json_output_for_machines() {
    let url = fresh_database();
    let dir = sommelier_migrations();
    assert_eq!(
        run(&url, &dir, &["heads"]).ok(),
        "0004_add_alcohol_column (head)\n"
    );
    assert_eq!(
        run(&url, &dir, &["heads", "--json"]).ok(),
        "{\"heads\":[\"0004_add_alcohol_column\"]}\n"
    );
    let show = run(&url, &dir, &["show", "0003"]).ok();
    assert!(
        show.starts_with("0003_add_price_index.sql\nIndex products by price"),
        "{show}"
    );
    assert!(show.contains("-- up, outside a transaction (transaction:false)\nCREATE INDEX CONCURRENTLY products_price_idx ON products (price);"), "{show}");
    run(&url, &dir, &["upgrade", "+1"]).ok();
    let current: serde_json::Value =
        serde_json::from_str(&run(&url, &dir, &["current", "--json"]).ok()).expect("json");
    assert_eq!(current["current"], "0001");
    assert_eq!(current["at_head"], false);
    assert_eq!(current["pending"].as_array().map(Vec::len), Some(3));
    // Found by review: `--check` behind head added an error document, so stdout held two.
    let checked = run(&url, &dir, &["current", "--check", "--json"]);
    assert_eq!(checked.code, 9, "{}", checked.stderr);
    let document: serde_json::Value =
        serde_json::from_str(&checked.stdout).expect("one JSON document");
    assert_eq!(document["at_head"], false);
    let history: serde_json::Value =
        serde_json::from_str(&run(&url, &dir, &["history", "--json"]).ok()).expect("json");
    assert_eq!(history[0]["status"], "applied");
    assert_eq!(history[1]["status"], "pending");
    let upgrade: serde_json::Value =
        serde_json::from_str(&run(&url, &dir, &["upgrade", "--json"]).ok()).expect("json");
    assert_eq!(upgrade["to"], "0004");
    assert_eq!(upgrade["steps"].as_array().map(Vec::len), Some(3));
}

/// Found by review: no `migrations/` at all exited 11 (anything else); the README gives the
/// migrations directory's problems 3.
#[test]
fn no_migrations_directory_is_a_migrations_directory_problem() {
    let empty = tempfile::tempdir().expect("a directory");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_carafe"))
        .arg("heads")
        .current_dir(empty.path())
        .env_remove("CARAFE_MIGRATIONS_DIR")
        .output()
        .expect("run carafe");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no `migrations/` directory in"),
        "{output:?}"
    );
}

#[test]
fn the_migrations_directory_is_found_from_any_subdirectory_of_the_workspace() {
    let subdirectory = sommelier_migrations().join("../crates/sommelier-db/src");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_carafe"))
        .arg("heads")
        .current_dir(&subdirectory)
        .env_remove("CARAFE_MIGRATIONS_DIR")
        .output()
        .expect("run carafe");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "0004_add_alcohol_column (head)\n"
    );
}

#[test]
fn revision_writes_the_next_file_and_records_it() {
    let migrations = Migrations::sommelier();
    let url = fresh_database();
    let written = run(
        &url,
        migrations.path(),
        &["revision", "-m", "Add the grape's région"],
    );
    assert!(
        written
            .stderr
            .contains("edit the file, then run `carafe rehash`"),
        "the next step is said: {}",
        written.stderr
    );
    let printed = written.ok();
    let file = migrations.path().join("0005_add_the_grape_s_region.sql");
    assert_eq!(printed.trim_end(), file.display().to_string());
    let text = std::fs::read_to_string(&file).expect("new revision");
    assert_eq!(
        text,
        "-- Add the grape's région\n\n-- migrate:up\n\n\n-- migrate:down\n\n"
    );
    let sum = std::fs::read_to_string(migrations.path().join("carafe.sum")).expect("sum");
    assert!(
        sum.contains("0005_add_the_grape_s_region.sql sha256:"),
        "{sum}"
    );

    // The workflow the hint describes: fill the file in, rehash, upgrade.
    std::fs::write(
        &file,
        text.replace(
            "-- migrate:up\n",
            "-- migrate:up\nALTER TABLE products ADD COLUMN grape_region text;\n",
        )
        .replace(
            "-- migrate:down\n",
            "-- migrate:down\nALTER TABLE products DROP COLUMN grape_region;\n",
        ),
    )
    .expect("edit the revision");
    let refused = run(&url, migrations.path(), &["upgrade"]).fails(3);
    assert!(refused.contains("carafe rehash"), "{refused}");
    run(&url, migrations.path(), &["rehash"]).ok();
    run(&url, migrations.path(), &["upgrade"]).ok();
    assert!(crate::harness::product_columns(&url).contains(&"grape_region".to_owned()));
}

#[test]
fn one_transaction_mode_applies_everything_or_nothing() {
    let migrations = Migrations::sommelier();
    migrations.write("0005_broken.sql", "-- migrate:up\nALTER TABLE products ADD COLUMN broken nonsense_type;\n-- migrate:down\nSELECT 1;\n");
    let url = fresh_database();
    run(
        &url,
        migrations.path(),
        &["upgrade", "0002", "--one-transaction"],
    )
    .ok();
    assert_eq!(recorded_revisions(&url), [1, 2]);
    let stderr = run(&url, migrations.path(), &["upgrade", "--one-transaction"]).fails(1);
    assert!(
        stderr.contains("0005_broken.sql:2: revision 0005 failed"),
        "{stderr}"
    );
    assert_eq!(
        recorded_revisions(&url),
        [1, 2, 3],
        "0003 ran on its own (transaction:false); 0004 and 0005 rolled back together"
    );
    assert!(!crate::harness::product_columns(&url).contains(&"alcohol".to_owned()));
}

#[test]
fn messages_that_look_like_markers_options_or_sql_write_files_that_build() {
    // Regression: `revision -m "Migrate: prices to cents"` wrote a description line that the
    // build refused as an unknown marker.
    let migrations = Migrations::empty();
    let url = fresh_database();
    let messages = [
        "Migrate: prices to cents",
        "migrate:up transaction:false",
        "-- migrate:down irreversible",
        "DROP TABLE products; --",
        "two\nlines: migrate:down",
    ];
    for message in messages {
        let printed = run(&url, migrations.path(), &["revision", "-m", message]).ok();
        let file = std::path::PathBuf::from(printed.trim_end());
        let text = std::fs::read_to_string(&file).expect("new revision");
        // Fill the sections in as a user would, then rehash: the directory must load cleanly.
        let filled = text
            .replacen("-- migrate:up\n", "-- migrate:up\nSELECT 1;\n", 1)
            .replacen("-- migrate:down\n", "-- migrate:down\nSELECT 2;\n", 1);
        std::fs::write(&file, filled).expect("fill in");
        run(&url, migrations.path(), &["rehash"]).ok();
        let loaded = carafe_core::load_dir(migrations.path()).expect("read");
        assert!(
            loaded.problems.is_empty(),
            "{message:?}: {:?}",
            loaded.problems
        );
        let newest = loaded.set.get(loaded.set.head()).expect("head");
        assert_eq!(
            newest.description,
            carafe_core::written_description(message)
        );
    }
    run(&url, migrations.path(), &["upgrade"]).ok();
    assert_eq!(recorded_revisions(&url), [1, 2, 3, 4, 5]);
}
