//! What a run says about a revision's statements: the file and line of the one that failed (also
//! for errors raised while it ran, which the server gives no position for), the notices the
//! server sent, and what happens when a revision ends carafe's transaction itself.

use carafe::{
    Checksum, Database, DatabaseUrl, Down, Error, Migration, MigrationSet, Revision, RunMode,
    Section, Settings, Target, Transaction,
};
use carafe_devdb::TempCluster;

fn fresh(mode: RunMode) -> Settings {
    let url = TempCluster::shared()
        .and_then(|cluster| cluster.create_database("statements"))
        .expect("a test database");
    let mut settings = Settings::new(DatabaseUrl::parse(&url).expect("url"));
    settings.mode = mode;
    settings
}

/// A revision built in memory, as an embedded set from an older build could hold it: the file
/// check (which refuses transaction control) never saw it.
fn revision(number: u32, up: &str) -> Migration {
    Migration {
        revision: Revision::new(number),
        slug: format!("step_{number}").into(),
        description: "".into(),
        up: Section {
            sql: up.to_owned().into(),
            line: 2,
            transaction: Transaction::Wrapped,
        },
        down: Down::Irreversible,
        checksum: Checksum::of(up.as_bytes()),
        replaces: None,
    }
}

fn upgrade(
    settings: &Settings,
    set: &MigrationSet,
) -> (Result<carafe::RunReport, Error>, Vec<String>) {
    let mut database = Database::connect(settings.clone()).expect("connect");
    let mut said = Vec::new();
    let outcome = database.upgrade(set, Target::Head, &mut |step| {
        said.extend(step.notices.iter().map(ToString::to_string));
    });
    (outcome, said)
}

fn recorded(settings: &Settings) -> Vec<i32> {
    let mut client =
        carafe::connect(&settings.url, std::time::Duration::from_secs(5)).expect("connect");
    client
        .query("SELECT revision FROM carafe_history ORDER BY 1", &[])
        .map(|rows| rows.iter().map(|row| row.get(0)).collect())
        .unwrap_or_default()
}

#[test]
fn an_error_raised_while_a_statement_runs_names_that_statement_in_every_mode() {
    // Regression: a division by zero on line 6 of a section was reported at its first line, and
    // with `--one-transaction` the first revision of the transaction was blamed.
    let failing = "CREATE TABLE wines (sku text PRIMARY KEY);\n\
                   INSERT INTO wines VALUES ('a');\n\
                   -- a comment; with a semicolon\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n\
                   \n\
                   SELECT 1 / (SELECT count(*) - 1 FROM wines);\n";
    for mode in [RunMode::PerRevision, RunMode::OneTransaction] {
        let settings = fresh(mode);
        let set = MigrationSet::from_migrations(vec![
            revision(1, "CREATE TABLE regions (id int);\n"),
            revision(2, failing),
        ]);
        let (outcome, _) = upgrade(&settings, &set);
        let error = outcome.expect_err("division by zero").to_string();
        assert!(
            error.starts_with("0002_step_2.sql:7: revision 0002 failed"),
            "{mode:?}: {error}"
        );
        assert!(error.contains("division by zero"), "{error}");
    }
}

#[test]
fn a_syntax_error_in_a_later_statement_names_its_own_line() {
    let settings = fresh(RunMode::PerRevision);
    let set = MigrationSet::from_migrations(vec![revision(
        1,
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n\nCREATE TABEL c (id int);\n",
    )]);
    let error = upgrade(&settings, &set)
        .0
        .expect_err("syntax error")
        .to_string();
    assert!(error.starts_with("0001_step_1.sql:5: "), "{error}");
    assert!(recorded(&settings).is_empty(), "nothing applied: {error}");
}

#[test]
fn notices_and_warnings_the_server_sends_are_handed_over_with_their_revision() {
    let settings = fresh(RunMode::PerRevision);
    let set = MigrationSet::from_migrations(vec![
        revision(1, "DROP TABLE IF EXISTS never_there;\n"),
        revision(
            2,
            "DO $$ BEGIN RAISE WARNING 'prices are in cents'; END $$;\n",
        ),
    ]);
    let (outcome, said) = upgrade(&settings, &set);
    let report = outcome.expect("upgrade");
    assert_eq!(
        said,
        [
            "NOTICE: table \"never_there\" does not exist, skipping",
            "WARNING: prices are in cents"
        ]
    );
    assert_eq!(report.steps[0].notices.len(), 1);
}

#[test]
fn a_revision_that_commits_on_its_own_is_stopped_before_its_history_row() {
    // Regression: an inner COMMIT followed by an error left the first part committed while carafe
    // said "rolled back"; an inner ROLLBACK recorded the revision as applied with half of it gone.
    for (inner, kept) in [("COMMIT", true), ("ROLLBACK", false), ("END", true)] {
        for mode in [RunMode::PerRevision, RunMode::OneTransaction] {
            let settings = fresh(mode);
            let up = format!(
                "CREATE TABLE first_half (id int);\n{inner};\nCREATE TABLE second_half (id int);\n"
            );
            let set = MigrationSet::from_migrations(vec![revision(1, &up)]);
            let error = upgrade(&settings, &set).0.expect_err("refused");
            assert!(
                matches!(error, Error::TransactionEnded { .. }),
                "{inner}: {error}"
            );
            let message = error.to_string();
            assert!(message.starts_with("0001_step_1.sql:"), "{message}");
            assert!(
                message.contains("ended the transaction carafe runs it in"),
                "{message}"
            );
            assert!(recorded(&settings).is_empty(), "{inner}: no history row");
            let mut client =
                carafe::connect(&settings.url, std::time::Duration::from_secs(5)).expect("connect");
            let tables: Vec<String> = client
                .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%half' ORDER BY 1", &[])
                .expect("tables")
                .iter()
                .map(|row| row.get(0))
                .collect();
            // What the inner COMMIT committed stays (the message says so); nothing after it does.
            let expected: Vec<String> = match kept {
                true => vec!["first_half".to_owned()],
                false => Vec::new(),
            };
            assert_eq!(tables, expected, "{inner} {mode:?}");
        }
    }
}

#[test]
fn a_transaction_false_section_that_leaves_a_transaction_open_is_stopped() {
    let settings = fresh(RunMode::PerRevision);
    let mut open = revision(1, "BEGIN;\nCREATE TABLE inside (id int);\n");
    open.up.transaction = Transaction::Disabled;
    let set = MigrationSet::from_migrations(vec![open]);
    let error = upgrade(&settings, &set).0.expect_err("refused").to_string();
    assert!(error.contains("left a transaction open"), "{error}");
    let mut client =
        carafe::connect(&settings.url, std::time::Duration::from_secs(5)).expect("connect");
    let state: String = client
        .query_one("SELECT state FROM carafe_history WHERE revision = 1", &[])
        .expect("the marker row stays")
        .get(0);
    assert_eq!(state, "running", "the next run reports it interrupted");
}
