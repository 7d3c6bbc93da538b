//! Pure conversion, one source layout per test, as each tool documents it: the converted files
//! (snapshots), the report, and the refusals. The converted set always loads with no problem
//! (`convert` checks it through `carafe_core::load`; these tests load it again from the output),
//! and a long history adopted from the converted set.

use carafe_core::{SourceFile, load};
use carafe_import::adopt::{FlywayRow, OldHistory, known_revisions, plan_adoption};
use carafe_import::{Tool, convert};

/// The files of a source directory, from `(path, text)` pairs.
fn files(entries: &[(&str, &str)]) -> Vec<SourceFile> {
    entries
        .iter()
        .map(|(path, text)| SourceFile::new(*path, text.as_bytes()))
        .collect()
}

/// Converts, checks that the result loads with no problem, and returns every file and the report
/// as one text, for a snapshot.
fn converted(tool: Tool, entries: &[(&str, &str)]) -> String {
    let conversion = convert(tool, &files(entries)).unwrap_or_else(|error| panic!("{error}"));
    let loaded = load(&conversion.files());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut text = String::new();
    for revision in &conversion.revisions {
        text.push_str(&format!("===== {}\n{}", revision.file_name, revision.text));
    }
    text.push_str("===== report\n");
    text.push_str(&conversion.report.render());
    text
}

/// The refusal, one problem per line.
fn refused(tool: Tool, entries: &[(&str, &str)]) -> String {
    match convert(tool, &files(entries)) {
        Ok(conversion) => panic!("converted:\n{}", conversion.report.render()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn sqlx_simple_and_reversible_migrations_with_no_transaction() {
    insta::assert_snapshot!(converted(
        Tool::Sqlx,
        &[
            (
                "20240101000000_create_users.up.sql",
                "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
            ),
            (
                "20240101000000_create_users.down.sql",
                "DROP TABLE users;\n"
            ),
            (
                "20240102000000_index_email.sql",
                "-- no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n"
            ),
            (
                "20240103000000_backfill.up.sql",
                "BEGIN;\nUPDATE users SET email = lower(email);\nCOMMIT;\n"
            ),
            ("20240103000000_backfill.down.sql", "-- nothing to undo\n"),
            ("README.md", "notes"),
        ],
    ));
}

#[test]
fn sqlx_versions_order_numerically_and_bad_versions_are_refused() {
    let text = converted(
        Tool::Sqlx,
        &[("10_b.sql", "select 2;"), ("9_a.sql", "select 1;")],
    );
    assert!(
        text.contains("0001_a.sql <- sqlx version 9: 9_a.sql"),
        "{text}"
    );
    assert_eq!(
        refused(
            Tool::Sqlx,
            &[("x1_a.sql", "select 1;"), ("2_b.down.sql", "select 1;")]
        ),
        "`2_b.down.sql`: is a down script with no `2_*.up.sql` beside it: add the up script or delete this one\n`x1_a.sql`: `x1` is not a sqlx version (a whole number above 0, read as an i64): sqlx itself refuses this file; rename it"
    );
}

#[test]
fn diesel_directories_with_metadata() {
    insta::assert_snapshot!(converted(
        Tool::Diesel,
        &[
            (
                "00000000000000_diesel_initial_setup/up.sql",
                "CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$\nBEGIN\n    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);\nEND;\n$$ LANGUAGE plpgsql;\n"
            ),
            (
                "00000000000000_diesel_initial_setup/down.sql",
                "DROP FUNCTION IF EXISTS diesel_manage_updated_at(_tbl regclass);\n"
            ),
            (
                "2024-01-31-120000_create_posts/up.sql",
                "CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL);\n"
            ),
            (
                "2024-01-31-120000_create_posts/down.sql",
                "DROP TABLE posts;\n"
            ),
            (
                "2024-02-01-090000_index_titles/up.sql",
                "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n"
            ),
            (
                "2024-02-01-090000_index_titles/down.sql",
                "DROP INDEX CONCURRENTLY posts_title;\n"
            ),
            (
                "2024-02-01-090000_index_titles/metadata.toml",
                "run_in_transaction = false\n"
            ),
            (
                "2024-02-02-000000_seed/up.sql",
                "INSERT INTO posts (title) VALUES ('hello');\n"
            ),
            (
                "2024-02-02-000000_seed/metadata.toml",
                "# no run_in_transaction here\nowner = \"ops\"\n"
            ),
            (".keep", ""),
            (".hidden/up.sql", "select 1;"),
        ],
    ));
    assert!(
        refused(
            Tool::Diesel,
            &[("2024-01-01-000000_x/down.sql", "select 1;")]
        )
        .contains("has no `up.sql`")
    );
}

#[test]
fn refinery_versioned_unversioned_and_no_transaction() {
    insta::assert_snapshot!(converted(
        Tool::Refinery,
        &[
            (
                "V1__initial.sql",
                "CREATE TABLE persons (id int, name varchar(255), city varchar(255));\n"
            ),
            (
                "sub/V2__add_cars.sql",
                "CREATE TABLE cars (id int, name varchar(255));\n"
            ),
            (
                "U3__merge.sql",
                "-- refinery:noTransaction\nCREATE INDEX CONCURRENTLY cars_name ON cars (name);\n"
            ),
        ],
    ));
    let error = refused(
        Tool::Refinery,
        &[(
            "V1__initial.rs",
            "fn migration() -> String { String::new() }",
        )],
    );
    assert!(
        error.starts_with("`V1__initial.rs`: is a Rust migration"),
        "{error}"
    );
}

#[test]
fn golang_migrate_wrappers_are_removed_and_concurrent_statements_run_outside_a_transaction() {
    insta::assert_snapshot!(converted(
        Tool::GolangMigrate,
        &[
            (
                "000001_create_users_table.up.sql",
                "BEGIN;\n\nCREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, email varchar(300) UNIQUE NOT NULL);\n\nCOMMIT;\n"
            ),
            (
                "000001_create_users_table.down.sql",
                "BEGIN;\nDROP TABLE IF EXISTS users;\nCOMMIT;\n"
            ),
            (
                "000002_index_emails.up.sql",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_lower ON users (lower(email));\n"
            ),
            (
                "000002_index_emails.down.sql",
                "DROP INDEX CONCURRENTLY IF EXISTS users_email_lower;\n"
            ),
            (
                "000003_add_name.up.sql",
                "ALTER TABLE users ADD COLUMN name text;\n"
            ),
        ],
    ));
}

#[test]
fn golang_migrate_commit_half_way_keeps_its_transaction_control() {
    let text = converted(
        Tool::GolangMigrate,
        &[(
            "1_two_steps.up.sql",
            "BEGIN;\nCREATE TABLE t (c int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_c ON t (c);\n",
        )],
    );
    assert!(
        text.contains(
            "-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE t (c int);\nCOMMIT;\n"
        ),
        "{text}"
    );
}

#[test]
fn dbmate_sections_and_options() {
    insta::assert_snapshot!(converted(
        Tool::Dbmate,
        &[
            (
                "20240101120000_create_users.sql",
                "-- migrate:up\ncreate table users (id integer, name varchar(255));\n\n-- migrate:down\ndrop table users;\n"
            ),
            (
                "20240102120000_index_names.sql",
                "-- migrate:up transaction:false\ncreate index concurrently users_name on users (name);\n\n-- migrate:down transaction:false\ndrop index concurrently users_name;\n"
            ),
            (
                "20240103120000_seed.sql",
                "-- migrate:up\ninsert into users values (1, 'ada');\n"
            ),
        ],
    ));
    let text = converted(
        Tool::Dbmate,
        &[(
            "1_x.sql",
            "-- migrate:up retries:3\nselect 1;\n-- migrate:down\n",
        )],
    );
    assert!(
        text.contains("left out the option `retries:3`, which dbmate does not read either"),
        "{text}"
    );
    assert!(text.contains("-- migrate:down nothing"), "{text}");
    // A comment carafe would read as a marker stops the import, naming the source file.
    let error = refused(
        Tool::Dbmate,
        &[(
            "1_x.sql",
            "-- migrate:up\nselect 1;\n-- migrate:upgrade later\n",
        )],
    );
    assert!(
        error.starts_with("`1_x.sql`: unknown marker `-- migrate:upgrade later`"),
        "{error}"
    );
}

#[test]
fn goose_annotations() {
    insta::assert_snapshot!(converted(
        Tool::Goose,
        &[
            (
                "00001_create_users.sql",
                "-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE users;\n"
            ),
            (
                "00002_touch_function.sql",
                "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN NEW;\nEND;\n$$;\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\nDROP FUNCTION touch();\n-- +goose StatementEnd\n"
            ),
            (
                "00003_index.sql",
                "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n-- +goose Down\nDROP INDEX CONCURRENTLY users_id;\n"
            ),
            (
                "00004_nothing_down.sql",
                "-- +goose Up\nINSERT INTO users VALUES (1);\n-- +goose Down\n"
            ),
        ],
    ));
    assert!(
        refused(Tool::Goose, &[("1_x.go", "package migrations")]).contains("is a Go migration")
    );
    let error = refused(
        Tool::Goose,
        &[(
            "1_x.sql",
            "-- +goose ENVSUBST ON\n-- +goose Up\nCREATE ROLE ${ROLE};\n",
        )],
    );
    assert!(error.contains("line 1: `-- +goose ENVSUBST ON`"), "{error}");
}

#[test]
fn flyway_versions_undo_scripts_and_script_configuration() {
    insta::assert_snapshot!(converted(
        Tool::Flyway,
        &[
            (
                "V1__Create_person_table.sql",
                "create table PERSON (ID int not null, NAME varchar(100) not null);\n"
            ),
            ("U1__Create_person_table.sql", "drop table PERSON;\n"),
            (
                "V1_1__Add_people.sql",
                "insert into PERSON (ID, NAME) values (1, 'Axel');\n"
            ),
            (
                "V1.10__Index_names.sql",
                "create index concurrently person_name on PERSON (NAME);\n"
            ),
            (
                "V1.2__Add_email.sql",
                "alter table PERSON add column EMAIL text;\n"
            ),
            ("V1.2__Add_email.sql.conf", "executeInTransaction=false\n"),
        ],
    ));
}

#[test]
fn flyway_refuses_what_it_cannot_convert_all_at_once() {
    insta::assert_snapshot!(refused(
        Tool::Flyway,
        &[
            (
                "R__refresh_view.sql",
                "create or replace view v as select 1;"
            ),
            ("V1__a.sql", "create table ${schema}.t (c int);"),
            ("V2__b.java", "class V2__b {}"),
            ("U3__c.sql", "drop table c;"),
            ("V4__d.sql", "select 1;"),
            ("V4__d.sql.conf", "mixed=true\n"),
        ],
    ));
}

#[test]
fn transaction_control_inside_a_wrapped_migration_is_refused() {
    let error = refused(
        Tool::Sqlx,
        &[(
            "1_x.sql",
            "create table t (c int);\ncommit;\ncreate table u (c int);\n",
        )],
    );
    assert_eq!(
        error,
        "`1_x.sql`: `COMMIT` at line 2 ends the transaction sqlx runs the migration in, half-way through: carafe cannot reproduce that; split the migration in two at that line, or remove the transaction control"
    );
}

#[test]
fn sql_carafe_refuses_is_reported_against_the_source_file() {
    let error = refused(
        Tool::Sqlx,
        &[("1_x.sql", "COPY t (c) FROM stdin;\n1\n\\.\n")],
    );
    assert!(
        error.starts_with("`1_x.sql`: `COPY ... FROM STDIN` reads its rows"),
        "{error}"
    );
}

#[test]
fn two_files_of_one_version_are_refused() {
    let error = refused(
        Tool::Goose,
        &[
            ("1_a.sql", "-- +goose Up\nselect 1;\n"),
            ("001_b.sql", "-- +goose Up\nselect 2;\n"),
        ],
    );
    assert!(error.contains("has version 1 like"), "{error}");
}

#[test]
fn a_long_history_converts_and_adopts_whole() {
    // 5,000 flyway migrations with undo scripts, and a history that applied them all and undid
    // the last: every lookup is by version, never a scan per row.
    let count = 5000;
    let mut entries = Vec::new();
    for number in 1..=count {
        entries.push((
            format!("V{number}__step_{number}.sql"),
            format!("create table t{number} (c int);\n"),
        ));
        entries.push((
            format!("U{number}__step_{number}.sql"),
            format!("drop table t{number};\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = entries
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let conversion =
        convert(Tool::Flyway, &files(&borrowed)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(conversion.revisions.len(), count);
    let loaded = load(&conversion.files());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    let mut rows: Vec<FlywayRow> = (1..=count)
        .map(|number| FlywayRow {
            installed_rank: i64::try_from(number).expect("small"),
            version: Some(number.to_string()),
            kind: "SQL".to_owned(),
            script: format!("V{number}__step_{number}.sql"),
            success: true,
        })
        .collect();
    rows.push(FlywayRow {
        installed_rank: i64::try_from(count + 1).expect("small"),
        version: Some(count.to_string()),
        kind: "UNDO_SQL".to_owned(),
        script: format!("U{count}__step_{count}.sql"),
        success: true,
    });
    let adoption = plan_adoption(
        &OldHistory::Flyway(rows),
        "flyway_schema_history",
        &known_revisions(&loaded.set),
        None,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        adoption.target.number(),
        u32::try_from(count - 1).expect("small")
    );
}
