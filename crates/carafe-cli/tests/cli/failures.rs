//! What the user sees when things go wrong: one line, the file or setting named, a distinct exit code,
//! nothing half-applied and no password printed.

use crate::harness::{
    Migrations, client, cluster, fresh_database, recorded_revisions, run, sommelier_migrations,
};
use std::sync::OnceLock;

const SENTINEL: &str = "Sentinel-Pa55word-7f3a";

#[test]
fn a_failing_migration_leaves_the_database_at_the_revision_before_it() {
    let migrations = Migrations::sommelier();
    migrations.write(
        "0003_add_price_index.sql",
        "-- Index products by price.\n\n-- migrate:up\nCREATE INDEX products_price_idx ON products (price);\nCRATE TABLE oops ();\n\n-- migrate:down\nDROP INDEX products_price_idx;\n",
    );
    let url = fresh_database();
    let stderr = run(&url, migrations.path(), &["upgrade"]).fails(1);
    assert_eq!(
        stderr,
        "error: 0003_add_price_index.sql:5: revision 0003 failed and was rolled back, the database is still at 0002: ERROR: syntax error at or near \"CRATE\" (SQLSTATE 42601)\n"
    );
    assert_eq!(recorded_revisions(&url), [1, 2], "no history row for 0003");
    let index = client(&url)
        .query_one("SELECT to_regclass('products_price_idx') IS NULL", &[])
        .expect("query");
    assert!(index.get::<_, bool>(0), "nothing of 0003 is applied");
    assert_eq!(
        run(&url, migrations.path(), &["current"]).ok(),
        "0002 (2 pending, head is 0004)\n"
    );
}

#[test]
fn an_applied_migration_edited_afterwards_is_refused_with_both_checksums() {
    let migrations = Migrations::sommelier();
    let url = fresh_database();
    run(&url, migrations.path(), &["upgrade", "0002"]).ok();
    migrations.write(
        "0002_add_vintage_column.sql",
        "-- migrate:up\nALTER TABLE products ADD COLUMN vintage integer;\n-- migrate:down\nALTER TABLE products DROP COLUMN vintage;\n",
    );
    let stderr = run(&url, migrations.path(), &["upgrade"]).fails(4);
    assert!(
        stderr.starts_with("error: `0002_add_vintage_column.sql` was edited after it was applied (the database has "),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("undo the edit and put the change in a new revision\n"),
        "{stderr}"
    );
    assert_eq!(recorded_revisions(&url), [1, 2]);
}

#[test]
fn rehash_refuses_to_record_an_edit_to_a_revision_the_database_applied() {
    // Regression: `rehash` silently re-recorded an applied revision, which is how an edited
    // applied migration got past `cargo build`.
    let migrations = Migrations::sommelier();
    let url = fresh_database();
    run(&url, migrations.path(), &["upgrade", "0002"]).ok();
    let file = migrations.path().join("0002_add_vintage_column.sql");
    let sum = migrations.path().join("carafe.sum");
    let recorded = std::fs::read_to_string(&sum).expect("sum");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("vintage", "vintage_year")).expect("edit");
    let stderr = run(&url, migrations.path(), &["rehash"]).fails(4);
    assert!(
        stderr.starts_with(
            "error: `0002_add_vintage_column.sql` was edited after the database at postgresql://"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("(`--force` records it anyway)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&sum).expect("sum"),
        recorded,
        "nothing rewritten"
    );
    let forced = run(&url, migrations.path(), &["rehash", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stderr.starts_with("warning: `0002_add_vintage_column.sql` is applied to the configured database with checksum "),
        "{}",
        forced.stderr
    );
    assert_ne!(std::fs::read_to_string(&sum).expect("sum"), recorded);
}

#[test]
fn a_database_ahead_of_the_code_is_refused() {
    let migrations = Migrations::sommelier();
    migrations.write("0005_add_region_index.sql", "-- migrate:up\nCREATE INDEX products_region_idx ON products (region);\n-- migrate:down\nDROP INDEX products_region_idx;\n");
    let url = fresh_database();
    run(&url, migrations.path(), &["upgrade"]).ok();
    let stderr = run(&url, &sommelier_migrations(), &["upgrade"]).fails(4);
    assert_eq!(
        stderr,
        "error: database is at 0005 but this build only knows 0004: pull the latest code\n"
    );
    let current = run(&url, &sommelier_migrations(), &["current"]).ok();
    assert_eq!(current, "0005 (ahead of this build's head 0004)\n");
    let downgrade = run(&url, &sommelier_migrations(), &["downgrade", "0004"]).ok();
    assert!(
        downgrade.starts_with("reverted 0005_add_region_index"),
        "an older build rolls back with the stored down SQL: {downgrade}"
    );
}

#[test]
fn a_broken_migrations_directory_is_refused_before_connecting() {
    let migrations = Migrations::sommelier();
    std::fs::write(
        migrations.path().join("0006_skipped_a_number.sql"),
        "-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n",
    )
    .expect("write");
    let stderr = run(
        "postgresql://nobody@127.0.0.1:1/none",
        migrations.path(),
        &["upgrade"],
    )
    .fails(3);
    assert!(stderr.contains("0006_skipped_a_number.sql: revision 0005 is missing between `0004_add_alcohol_column.sql` and `0006_skipped_a_number.sql`"), "{stderr}");
    assert!(
        stderr.contains(
            "0006_skipped_a_number.sql: `0006_skipped_a_number.sql` is not recorded in `carafe.sum`"
        ),
        "{stderr}"
    );
}

#[test]
fn an_interrupted_revision_outside_a_transaction_stops_the_next_run_with_the_way_out() {
    let url = fresh_database();
    let dir = sommelier_migrations();
    run(&url, &dir, &["upgrade", "0002"]).ok();
    client(&url)
        .batch_execute("INSERT INTO carafe_history (revision, name, checksum, algorithm, state, carafe_version) SELECT 3, '0003_add_price_index', checksum, algorithm, 'running', 'test' FROM carafe_history WHERE revision = 2")
        .expect("simulate an interrupted run");
    let stderr = run(&url, &dir, &["upgrade"]).fails(4);
    assert_eq!(
        stderr,
        "error: revision 0003 (`0003_add_price_index`) was interrupted while applying outside a transaction: check what it left behind (an INVALID index, a half-done change), finish or undo it by hand, then run `carafe stamp 0003` if its up section completed or `carafe stamp 0002` if it did not\n"
    );
    // `check` says so too (it did not look: the history disagreed only where upgrade looks).
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cli/sommelier_schema.sql"
    );
    let checked = run(&url, &dir, &["check", "--schema", schema]);
    assert_eq!(checked.code, 12, "{}", checked.stderr);
    assert!(
        checked.stdout.starts_with(
            "the database's history disagrees with the code: revision 0003 (`0003_add_price_index`) was interrupted while applying"
        ),
        "{}",
        checked.stdout
    );
    run(&url, &dir, &["stamp", "0002"]).ok();
    assert!(
        run(&url, &dir, &["upgrade"])
            .ok()
            .ends_with("database is at 0004 (head)\n")
    );
}

/// A role that must log in with a password (the cluster trusts everyone else).
pub(crate) fn password_role() -> &'static str {
    static ROLE: OnceLock<()> = OnceLock::new();
    ROLE.get_or_init(|| {
        let hba = cluster().dir().join("data/pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(&hba, format!("host all carafe_pw 127.0.0.1/32 scram-sha-256\n{rules}")).expect("write pg_hba.conf");
        let mut admin = client(&cluster().url("postgres"));
        admin
            .batch_execute("DO $$ BEGIN CREATE ROLE carafe_pw LOGIN PASSWORD 'the-right-one'; EXCEPTION WHEN duplicate_object THEN NULL; END $$; SELECT pg_reload_conf();")
            .expect("create password role");
    });
    "carafe_pw"
}

/// Found by review: a down recorded wrong (as applied) left no way out that anything named: the
/// failure now says to undo the revision by hand and stamp the one before, and that works.
#[test]
fn a_recorded_down_that_fails_names_the_way_out() {
    let migrations = crate::harness::Migrations::empty();
    migrations.write(
        "0001_grapes.sql",
        "-- migrate:up\nCREATE TABLE grapes (name text);\n-- migrate:down\nDROP TABLE grape;\n",
    );
    let url = fresh_database();
    run(&url, migrations.path(), &["rehash"]).ok();
    run(&url, migrations.path(), &["upgrade"]).ok();
    let stderr = run(&url, migrations.path(), &["downgrade"]).fails(1);
    assert!(
        stderr.ends_with(
            "if this recorded down is wrong, undo the revision by hand (in a transaction), then `stamp base` records it, running nothing\n"
        ),
        "{stderr}"
    );
    client(&url)
        .batch_execute("DROP TABLE grapes")
        .expect("undone by hand");
    run(&url, migrations.path(), &["stamp", "base"]).ok();
    assert!(
        run(&url, migrations.path(), &["current"])
            .ok()
            .starts_with("base")
    );
}

/// Found by review: a role that may not read the history table got the server's "permission
/// denied" and exit 11; it is a setting to fix (exit 7), and the message says how.
#[test]
fn a_role_that_may_not_read_the_history_is_told_what_to_do() {
    let url = fresh_database();
    let dir = sommelier_migrations();
    run(&url, &dir, &["upgrade", "0001"]).ok();
    client(&url)
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE carafe_reader LOGIN; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;",
        )
        .expect("the role");
    let (_, rest) = url.split_once('@').expect("a test URL");
    let reader = format!("postgresql://carafe_reader@{rest}");
    let stderr = run(&reader, &dir, &["current"]).fails(7);
    assert!(
        stderr.contains(
            "the role in `--database-url` may not read the history table `public.carafe_history`"
        ) && stderr.contains("connect as the role that runs the migrations, or grant it"),
        "{stderr}"
    );
}

/// Found by review: a URL without the password a server asks for was "cannot reach the database"
/// (exit 5), and `PGPASSWORD`, which libpq, psycopg2 and sqlx read, was ignored.
#[test]
fn a_missing_password_is_a_refused_login_and_pgpassword_gives_it() {
    let dir = sommelier_migrations();
    let url = format!(
        "postgresql://{}@127.0.0.1:{}/postgres",
        password_role(),
        cluster().port()
    );
    let stderr = run(&url, &dir, &["current"]).fails(6);
    assert!(
        stderr.contains("the server wants a password and `--database-url` has none"),
        "{stderr}"
    );
    let given = crate::harness::carafe(&url, &dir)
        .env("PGPASSWORD", "the-right-one")
        .arg("current")
        .output()
        .expect("run carafe");
    assert!(given.status.success(), "{given:?}");
    let wrong = crate::harness::carafe(&url, &dir)
        .env("PGPASSWORD", "not-the-one")
        .arg("current")
        .output()
        .expect("run carafe");
    assert_eq!(wrong.status.code(), Some(6), "{wrong:?}");
    assert!(!String::from_utf8_lossy(&wrong.stderr).contains("not-the-one"));
}

#[test]
fn every_failure_has_its_own_exit_code_and_never_prints_the_password() {
    let dir = sommelier_migrations();
    let role = password_role();
    let port = cluster().port();
    let wrong_password = format!("postgresql://{role}:{SENTINEL}@127.0.0.1:{port}/postgres");
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let unreachable = format!("postgresql://app:{SENTINEL}@127.0.0.1:{closed_port}/saq");
    let malformed = format!("postgresql://app:{SENTINEL}@127.0.0.1:notaport/saq");

    let login = run(&wrong_password, &dir, &["upgrade"]);
    let reach = run(&unreachable, &dir, &["current"]);
    let url_error = run(&malformed, &dir, &["upgrade"]);
    let from_env = crate::harness::carafe_without_url(&dir)
        .env("DATABASE_URL", &wrong_password)
        .args(["history"])
        .output()
        .expect("run");
    let mut codes = Vec::new();
    for (run, code, expected) in [
        (
            login,
            6,
            format!(
                "error: the database at postgresql://{role}:***@127.0.0.1:{port}/postgres refused the login: FATAL: password authentication failed for user \"{role}\" (SQLSTATE 28P01): check the user and password in `--database-url`\n"
            ),
        ),
        (
            reach,
            5,
            format!(
                "error: cannot reach the database at postgresql://app:***@127.0.0.1:{closed_port}/saq: "
            ),
        ),
        (
            url_error,
            7,
            "error: invalid database URL `postgresql://app:***@127.0.0.1:notaport/saq` ("
                .to_owned(),
        ),
    ] {
        let stderr = run.fails(code);
        assert!(stderr.starts_with(&expected), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(!stderr.contains(SENTINEL), "password printed: {stderr}");
        codes.push(code);
    }
    let stderr = String::from_utf8_lossy(&from_env.stderr);
    assert_eq!(
        from_env.status.code(),
        Some(6),
        "wrong password from DATABASE_URL: {stderr}"
    );
    // The fix names the setting the URL came from (found by review: always DATABASE_URL).
    assert!(
        stderr.contains("check the user and password in DATABASE_URL\n"),
        "{stderr}"
    );
    assert!(!stderr.contains(SENTINEL), "{stderr}");
    let flag_wins = crate::harness::carafe(&unreachable, &dir)
        .env("DATABASE_URL", &wrong_password)
        .args(["current"])
        .output()
        .expect("run");
    assert_eq!(
        flag_wins.status.code(),
        Some(5),
        "--database-url wins over DATABASE_URL"
    );
    let url = fresh_database();
    let bad_target = run(&url, &dir, &["upgrade", "0009"]);
    assert_eq!(
        bad_target.stderr,
        "error: revision 0009 does not exist: the newest revision is 0004\n"
    );
    codes.push(bad_target.code);
    codes.push(run(&url, &dir, &["current", "--check"]).code);
    codes.push(run(&url, &dir, &["downgrade", "-1"]).code);
    let unique: std::collections::BTreeSet<i32> = codes.iter().copied().collect();
    assert_eq!(codes, [6, 5, 7, 10, 9, 10]);
    assert_eq!(
        unique.len(),
        5,
        "login, unreachable, settings, bad target and not-at-head each have their own exit code"
    );
}

#[test]
fn a_history_table_name_postgresql_would_cut_short_is_refused() {
    // Regression: two names longer than 63 bytes that PostgreSQL truncates to the same table took
    // different lock keys, and concurrent runs failed on duplicate keys.
    let url = fresh_database();
    let long = format!("history_{}", "x".repeat(60));
    let stderr = run(
        &url,
        &sommelier_migrations(),
        &["upgrade", "--history-table", &long],
    )
    .fails(7);
    assert_eq!(
        stderr,
        format!(
            "error: the history table name `{long}` is 68 bytes long: PostgreSQL keeps 63 and would read it as `{}`; pick a name of at most 63 bytes\n",
            &long[..63]
        )
    );
}

#[test]
fn an_ordinary_table_named_as_the_history_gets_the_intended_message() {
    // Regression: `--history-table orders` gave a raw "column h.revision does not exist".
    let url = fresh_database();
    client(&url)
        .batch_execute("CREATE TABLE orders (id int); CREATE TABLE revisions (revision int)")
        .expect("tables");
    for (table, expected) in [
        (
            "orders",
            "error: `public.orders` exists but is not a carafe history table (its columns are not carafe's): pick another table with `--history-table`\n",
        ),
        (
            "revisions",
            "error: `public.revisions` exists but is not a carafe history table (its columns are not carafe's): pick another table with `--history-table`\n",
        ),
    ] {
        let stderr = run(
            &url,
            &sommelier_migrations(),
            &["upgrade", "--history-table", table],
        )
        .fails(4);
        assert_eq!(stderr, expected);
    }
}

#[test]
fn editor_backups_and_patch_leftovers_are_noted_and_never_block() {
    // Regression: `0004_x.sql~` blocked every command, and the advice ("rename it to
    // `0004_x.sql`") would have overwritten the real migration.
    let migrations = Migrations::sommelier();
    let url = fresh_database();
    for leftover in [
        "0004_add_alcohol_column.sql~",
        "0004_add_alcohol_column.sql.orig",
        "0004_add_alcohol_column.sql.rej",
        ".0004_add_alcohol_column.sql.swp",
    ] {
        std::fs::write(migrations.path().join(leftover), "not a migration")
            .expect("write leftover");
    }
    let run = run(&url, migrations.path(), &["upgrade"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("note: ignored `"))
        .collect();
    assert_eq!(notes.len(), 4, "{}", run.stderr);
    assert!(notes.iter().any(|note| note.ends_with("0004_add_alcohol_column.sql~` (editor backup): only `NNNN_slug.sql` files are migrations; delete it when you no longer need it")), "{notes:?}");
    assert!(!run.stderr.contains("rename it to"), "{}", run.stderr);
    assert_eq!(recorded_revisions(&url), [1, 2, 3, 4]);
}
