//! `carafe import`: one source directory per tool, in that tool's documented layout, converted,
//! applied with `carafe upgrade head` and checked with `carafe verify` (every down undoes its up,
//! on a scratch database); and what it refuses, leaving nothing written.

use crate::harness::{fresh_database, run};
use std::path::{Path, PathBuf};

/// A source directory of another tool's migrations and the migrations directory it converts into,
/// side by side in one temporary project directory.
pub struct Project {
    root: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            root: tempfile::Builder::new()
                .prefix("carafe-import-")
                .tempdir()
                .expect("tempdir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The other tool's directory.
    pub fn source(&self) -> PathBuf {
        self.root().join("source")
    }

    /// carafe's migrations directory (not created until the import).
    pub fn migrations(&self) -> PathBuf {
        self.root().join("migrations")
    }

    /// Writes the source files, `(relative path, text)`.
    pub fn with_source(self, files: &[(&str, &str)]) -> Project {
        for (path, text) in files {
            let path = self.source().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write source file");
        }
        self
    }

    /// Runs `carafe import --from TOOL source` into `migrations/`.
    pub fn import(&self, url: &str, tool: &str) -> crate::harness::Run {
        let source = self.source();
        run(
            url,
            &self.migrations(),
            &[
                "import",
                "--from",
                tool,
                source.to_str().expect("utf-8 path"),
            ],
        )
    }

    /// The report beside the migrations directory.
    pub fn report(&self) -> String {
        std::fs::read_to_string(self.root().join("carafe-import-report.txt")).expect("report")
    }

    /// The names in `migrations/`.
    pub fn written(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.migrations())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// Imports, upgrades to head and verifies on a fresh database; returns the report.
fn import_upgrade_verify(tool: &str, files: &[(&str, &str)], expected: &[&str]) -> String {
    let project = Project::new().with_source(files);
    let url = fresh_database();
    let printed = project.import(&url, tool).ok();
    let mut expected_files: Vec<String> = expected.iter().map(|name| (*name).to_owned()).collect();
    expected_files.push("carafe.sum".to_owned());
    assert_eq!(project.written(), expected_files, "{printed}");
    let report = project.report();
    assert!(
        printed.starts_with(&report),
        "the report is printed:\n{printed}"
    );
    let migrations = project.migrations();
    let upgraded = run(&url, &migrations, &["upgrade", "head"]).ok();
    assert!(upgraded.contains("(head)"), "{upgraded}");
    let verified = run(&url, &migrations, &["verify"]).ok();
    // A tool without down migrations (refinery) gives revisions with none: verify checks nothing
    // and says so.
    let summary = match verified.lines().any(|line| line.starts_with("ok ")) {
        true => "every down section undoes its up section",
        false => "nothing to verify: no revision has a down section to compare",
    };
    assert!(verified.contains(summary), "{verified}");
    report
}

#[test]
fn sqlx_pairs_simple_files_and_no_transaction_upgrade_and_verify() {
    let report = import_upgrade_verify(
        "sqlx",
        &[
            (
                "20240101000000_create_users.up.sql",
                "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
            ),
            (
                "20240101000000_create_users.down.sql",
                "DROP TABLE users;\n",
            ),
            (
                "20240102000000_index_email.up.sql",
                "-- no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n",
            ),
            (
                "20240102000000_index_email.down.sql",
                "-- no-transaction\nDROP INDEX CONCURRENTLY users_email;\n",
            ),
            (
                "20240103000000_backfill.up.sql",
                "BEGIN;\nUPDATE users SET email = lower(email);\nCOMMIT;\n",
            ),
            (
                "20240103000000_backfill.down.sql",
                "-- the lower-casing is kept\n",
            ),
            (
                "20240104000000_seed.sql",
                "INSERT INTO users VALUES (1, 'ada@example.org');\n",
            ),
        ],
        &[
            "0001_create_users.sql",
            "0002_index_email.sql",
            "0003_backfill.sql",
            "0004_seed.sql",
        ],
    );
    for decision in [
        "up: `CREATE INDEX CONCURRENTLY` at line 2 cannot run inside a transaction: `transaction:false`",
        "up: removed the `BEGIN` (line 1) ... `COMMIT` (line 3) wrapper",
        "down: `20240103000000_backfill.down.sql` holds no statement: `-- migrate:down nothing`",
        "down: none in the source: `-- migrate:down irreversible`",
    ] {
        assert!(report.contains(decision), "{decision}:\n{report}");
    }
}

#[test]
fn diesel_directories_with_metadata_upgrade_and_verify() {
    let report = import_upgrade_verify(
        "diesel",
        &[
            (
                "00000000000000_diesel_initial_setup/up.sql",
                "CREATE OR REPLACE FUNCTION diesel_set_updated_at() RETURNS trigger AS $$\nBEGIN\n    IF (NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) THEN\n        NEW.updated_at := current_timestamp;\n    END IF;\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n",
            ),
            (
                "00000000000000_diesel_initial_setup/down.sql",
                "DROP FUNCTION IF EXISTS diesel_set_updated_at();\n",
            ),
            (
                "2024-01-31-120000_create_posts/up.sql",
                "CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL);\n",
            ),
            (
                "2024-01-31-120000_create_posts/down.sql",
                "DROP TABLE posts;\n",
            ),
            (
                "2024-02-01-090000_index_titles/up.sql",
                "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n",
            ),
            (
                "2024-02-01-090000_index_titles/down.sql",
                "DROP INDEX CONCURRENTLY posts_title;\n",
            ),
            (
                "2024-02-01-090000_index_titles/metadata.toml",
                "run_in_transaction = false\n",
            ),
        ],
        &[
            "0001_diesel_initial_setup.sql",
            "0002_create_posts.sql",
            "0003_index_titles.sql",
        ],
    );
    assert!(report.contains("0003_index_titles.sql <- diesel version 20240201090000: 2024-02-01-090000_index_titles/up.sql"), "{report}");
}

#[test]
fn refinery_files_in_subdirectories_upgrade() {
    let report = import_upgrade_verify(
        "refinery",
        &[
            (
                "V1__initial.sql",
                "CREATE TABLE persons (id int, name varchar(255), city varchar(255));\n",
            ),
            (
                "V1-2/V2__add_cars_and_motos_table.sql",
                "CREATE TABLE cars (id int, name varchar(255));\nCREATE TABLE motos (id int, name varchar(255));\n",
            ),
            (
                "V3/V3__add_brand_to_cars_table.sql",
                "-- refinery:noTransaction\nALTER TABLE cars ADD brand varchar(255);\n",
            ),
        ],
        &[
            "0001_initial.sql",
            "0002_add_cars_and_motos_table.sql",
            "0003_add_brand_to_cars_table.sql",
        ],
    );
    assert!(
        report.contains("carried `refinery:noTransaction`"),
        "{report}"
    );
}

#[test]
fn golang_migrate_wrappers_are_removed_and_the_set_upgrades_and_verifies() {
    let report = import_upgrade_verify(
        "golang-migrate",
        &[
            (
                "000001_create_users_table.up.sql",
                "BEGIN;\n\nCREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, email varchar(300) UNIQUE NOT NULL);\n\nCOMMIT;\n",
            ),
            (
                "000001_create_users_table.down.sql",
                "BEGIN;\nDROP TABLE IF EXISTS users;\nCOMMIT;\n",
            ),
            (
                "000002_index_emails.up.sql",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_lower ON users (lower(email));\n",
            ),
            (
                "000002_index_emails.down.sql",
                "DROP INDEX CONCURRENTLY IF EXISTS users_email_lower;\n",
            ),
            (
                "000003_two_steps.up.sql",
                "BEGIN;\nCREATE TABLE audit (id int);\nCOMMIT;\nBEGIN;\nALTER TABLE audit ADD COLUMN at timestamptz;\nCOMMIT;\n",
            ),
            ("000003_two_steps.down.sql", "DROP TABLE audit;\n"),
        ],
        &[
            "0001_create_users_table.sql",
            "0002_index_emails.sql",
            "0003_two_steps.sql",
        ],
    );
    assert!(
        report.contains("kept its own transaction control (`BEGIN` at line 1, ...)"),
        "{report}"
    );
}

#[test]
fn dbmate_files_upgrade_and_verify() {
    import_upgrade_verify(
        "dbmate",
        &[
            (
                "20240101120000_create_users.sql",
                "-- migrate:up\ncreate table users (id integer, name varchar(255));\n\n-- migrate:down\ndrop table users;\n",
            ),
            (
                "20240102120000_index_names.sql",
                "-- migrate:up transaction:false\ncreate index concurrently users_name on users (name);\n\n-- migrate:down transaction:false\ndrop index concurrently users_name;\n",
            ),
            (
                "20240103120000_seed.sql",
                "-- migrate:up\ninsert into users values (1, 'ada');\n-- migrate:down\n",
            ),
        ],
        &[
            "0001_create_users.sql",
            "0002_index_names.sql",
            "0003_seed.sql",
        ],
    );
}

#[test]
fn goose_annotations_upgrade_and_verify() {
    import_upgrade_verify(
        "goose",
        &[
            (
                "00001_create_users.sql",
                "-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz);\n\n-- +goose Down\nDROP TABLE users;\n",
            ),
            (
                "00002_touch.sql",
                "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\nDROP FUNCTION touch();\n-- +goose StatementEnd\n",
            ),
            (
                "00003_index.sql",
                "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_updated ON users (updated_at);\n-- +goose Down\nDROP INDEX CONCURRENTLY users_updated;\n",
            ),
        ],
        &["0001_create_users.sql", "0002_touch.sql", "0003_index.sql"],
    );
}

#[test]
fn flyway_versions_undo_scripts_and_configuration_upgrade_and_verify() {
    let report = import_upgrade_verify(
        "flyway",
        &[
            (
                "V1__Create_person_table.sql",
                "create table PERSON (ID int not null, NAME varchar(100) not null);\n",
            ),
            ("U1__Create_person_table.sql", "drop table PERSON;\n"),
            (
                "V1_1__Add_email.sql",
                "alter table PERSON add column EMAIL text;\n",
            ),
            (
                "U1_1__Add_email.sql",
                "alter table PERSON drop column EMAIL;\n",
            ),
            (
                "sub/V1.10__Index_names.sql",
                "create index concurrently person_name on PERSON (NAME);\n",
            ),
            (
                "sub/U1.10__Index_names.sql",
                "drop index concurrently person_name;\n",
            ),
            ("V1.2__Vacuum.sql", "vacuum PERSON;\n"),
            ("V1.2__Vacuum.sql.conf", "executeInTransaction=false\n"),
            ("U1.2__Vacuum.sql", "-- nothing to undo\n"),
        ],
        &[
            "0001_create_person_table.sql",
            "0002_add_email.sql",
            "0003_vacuum.sql",
            "0004_index_names.sql",
        ],
    );
    assert!(
        report.contains("0004_index_names.sql <- flyway version 1.10: sub/V1.10__Index_names.sql"),
        "{report}"
    );
}

#[test]
fn what_cannot_be_converted_is_refused_by_file_and_nothing_is_written() {
    let project = Project::new().with_source(&[
        ("V1__a.sql", "create table t (c int);"),
        ("R__view.sql", "create or replace view v as select 1;"),
        ("V2__b.sql", "insert into t values (${value});"),
    ]);
    let url = fresh_database();
    let stderr = project.import(&url, "flyway").fails(3);
    let source = project.source();
    assert!(
        stderr.contains(&format!(
            "error: `{}`: is a repeatable migration",
            source.join("R__view.sql").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("V2__b.sql`: line 1: Flyway replaces `${...}` placeholders"),
        "{stderr}"
    );
    assert!(!project.migrations().exists(), "nothing is written");
    assert!(!project.root().join("carafe-import-report.txt").exists());
    let leftovers: Vec<_> = std::fs::read_dir(project.root())
        .expect("read root")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .filter(|name| name.to_string_lossy().starts_with(".carafe-import"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let project = Project::new().with_source(&[("1_x.sql", "create table t (c int);\ncommit;\n")]);
    let stderr = project.import(&url, "sqlx").fails(3);
    assert!(
        stderr.contains(
            "1_x.sql`: `COMMIT` at line 2 ends the transaction sqlx runs the migration in"
        ),
        "{stderr}"
    );
    assert!(!project.migrations().exists(), "nothing is written");
}

#[test]
fn a_migrations_directory_that_holds_revisions_is_refused() {
    let project = Project::new().with_source(&[("1_x.sql", "create table t (c int);")]);
    let url = fresh_database();
    project.import(&url, "sqlx").ok();
    let before = project.written();
    let stderr = project.import(&url, "sqlx").fails(3);
    assert!(
        stderr.contains("already holds migration files (`0001_x.sql`)"),
        "{stderr}"
    );
    assert_eq!(project.written(), before);
    // An empty directory (or one with other files) is fine.
    let project = Project::new().with_source(&[("1_x.sql", "create table t (c int);")]);
    std::fs::create_dir(project.migrations()).expect("mkdir");
    std::fs::write(project.migrations().join("README.md"), "notes").expect("write");
    project.import(&url, "sqlx").ok();
    assert_eq!(project.written(), ["0001_x.sql", "README.md", "carafe.sum"]);
}
