//! Real `cargo build`s: broken directories fail the build with every problem named, a typed revision
//! an app refers to stops compiling when its file goes, and a new file alone triggers a rebuild.

use crate::fixture::Fixture;

const PRINT_HEAD: &str =
    "fn main() {\n    println!(\"{} of {}\", migrations::HEAD, migrations::MIGRATIONS.len());\n}\n";

fn migration(up: &str, down: &str) -> String {
    format!("-- migrate:up\n{up}\n-- migrate:down\n{down}\n")
}

#[test]
fn a_broken_directory_fails_the_build_with_every_problem_and_its_fix() {
    let fixture = Fixture::new(PRINT_HEAD);
    fixture
        .write(
            "0001_create_products.sql",
            migration(
                "create table products (sku text primary key);",
                "drop table products;",
            ),
        )
        .write(
            "0002_add_vintage.sql",
            migration(
                "alter table products add vintage int;",
                "alter table products drop vintage;",
            ),
        )
        .write("0004_after_gap.sql", migration("select 4;", "select 4;"))
        .write("0005_edited.sql", migration("select 5;", "select 5;"))
        .write("0006_no_down.sql", "-- migrate:up\nselect 6;\n")
        .write("0007_dup_a.sql", migration("select 7;", "select 7;"))
        .write("0007_dup_b.sql", migration("select 7;", "select 7;"))
        .write("0008_no_up.sql", "select 8;\n")
        .write(
            "0009_option.sql",
            "-- migrate:up transaction:never\nselect 9;\n-- migrate:down\nselect 9;\n",
        )
        .write(
            "0010_empty_up.sql",
            "-- migrate:up\n\n-- migrate:down\nselect 10;\n",
        )
        .write(
            "0011_latin1.sql",
            b"-- migrate:up\nselect 'caf\xe9';\n-- migrate:down\nselect 1;\n",
        )
        .write("3_add.sql", migration("select 3;", "select 3;"))
        .write("0003-add.sql", migration("select 3;", "select 3;"))
        .write("0003_Add.sql", migration("select 3;", "select 3;"))
        .write("0003_add.SQL", migration("select 3;", "select 3;"))
        .write(
            "0013_wrapped.sql",
            migration("BEGIN;\nselect 13;\nCOMMIT;", "select 13;"),
        )
        .write(
            "0014_dump.sql",
            migration(
                "\\restrict 4fGh2\nCOPY t (c) FROM stdin;\n1\n\\.",
                "select 14;",
            ),
        )
        .rehash()
        .write(
            "0005_edited.sql",
            migration("select 'edited';", "select 5;"),
        )
        .write("0012_unrecorded.sql", migration("select 12;", "select 12;"));
    let stderr = fixture.build_failure();
    for expected in [
        "migrations/0004_after_gap.sql: revision 0003 is missing between `0002_add_vintage.sql` and `0004_after_gap.sql`: restore it, or renumber",
        "migrations/0007_dup_b.sql: revision 0007 is used by both `0007_dup_a.sql` and `0007_dup_b.sql`: after a merge, `carafe renumber` moves this branch's new revisions after the other branch's; otherwise rename the one never applied to 0015",
        "migrations/3_add.sql: `3_add.sql` is not a valid migration file name (the number must have at least 4 digits, zero-padded): rename it to `0003_add.sql`",
        "migrations/0003-add.sql: `0003-add.sql` is not a valid migration file name",
        "migrations/0003_Add.sql: `0003_Add.sql` is not a valid migration file name",
        "migrations/0003_add.SQL: `0003_add.SQL` is not a valid migration file name",
        "migrations/0008_no_up.sql:1: no `-- migrate:up` section",
        "migrations/0006_no_down.sql:2: no `-- migrate:down` section: add one with the SQL that undoes the up section, or write `-- migrate:down nothing` if there is nothing to undo, or `-- migrate:down irreversible`",
        "migrations/0009_option.sql:1: unknown option `transaction:never` on `-- migrate:up`",
        "migrations/0010_empty_up.sql:1: the `-- migrate:up` section is empty",
        "migrations/0011_latin1.sql:2: not valid UTF-8",
        "migrations/0005_edited.sql: `0005_edited.sql` was edited after it was recorded in `carafe.sum`",
        "migrations/0012_unrecorded.sql: `0012_unrecorded.sql` is not recorded in `carafe.sum`",
        "migrations/0013_wrapped.sql:2: `BEGIN` inside a transactional section: carafe already runs each revision in one transaction with its history row",
        "migrations/0013_wrapped.sql:4: `COMMIT` inside a transactional section",
        "mark the section `-- migrate:up transaction:false` if it must control transactions itself",
        "migrations/0014_dump.sql:2: `\\restrict` is a psql meta-command, and carafe sends SQL to the server, not through psql: delete the line",
        "migrations/0014_dump.sql:3: `COPY ... FROM STDIN` reads its rows from the client, and carafe sends none: turn the rows into `INSERT` statements (`pg_dump --inserts`)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing from cargo's output: {expected}\n--- stderr ---\n{stderr}"
        );
    }
}

/// An app that names a revision's constants in `const` items, as a start-up guard would.
const NAME_REVISION_0002: &str = "use migrations::m0002_add_vintage_column as vintage;\n\n\
const REVISION: carafe::Revision = vintage::REVISION;\n\
const NAME: &str = vintage::NAME;\n\
const CHECKSUM: carafe::Checksum = vintage::CHECKSUM;\n\n\
fn main() {\n    println!(\"{REVISION} {NAME} {CHECKSUM}\");\n}\n";

#[test]
fn an_app_that_refers_to_a_removed_revision_stops_compiling() {
    let fixture = Fixture::new(NAME_REVISION_0002);
    fixture
        .write(
            "0001_create_products.sql",
            migration(
                "create table products (sku text primary key);",
                "drop table products;",
            ),
        )
        .write(
            "0002_add_vintage_column.sql",
            migration(
                "alter table products add vintage int;",
                "alter table products drop vintage;",
            ),
        )
        .rehash();
    let on_disk = carafe_core::load_dir(&fixture.path().join("migrations"))
        .expect("read fixture")
        .into_result()
        .expect("sound fixture");
    let vintage = on_disk.get(carafe_core::Revision::new(2)).expect("0002");
    assert_eq!(
        fixture.run(),
        format!("0002 0002_add_vintage_column {}\n", vintage.checksum),
        "the compiled constants must be what carafe-core reads from the file"
    );
    fixture.remove("0002_add_vintage_column.sql").rehash();
    let stderr = fixture.build_failure();
    assert!(
        stderr.contains("m0002_add_vintage_column"),
        "rustc should name the missing revision:\n{stderr}"
    );
}

#[test]
fn a_new_migration_file_triggers_a_rebuild_without_touching_rust_files() {
    let fixture = Fixture::new(PRINT_HEAD);
    assert_eq!(fixture.run(), "base of 0\n", "an empty directory builds");
    fixture
        .write(
            "0001_create_products.sql",
            migration(
                "create table products (sku text primary key);",
                "drop table products;",
            ),
        )
        .rehash();
    assert_eq!(fixture.run(), "0001 of 1\n");
    fixture
        .write(
            "0002_add_vintage_column.sql",
            migration(
                "alter table products add vintage int;",
                "alter table products drop vintage;",
            ),
        )
        .rehash();
    assert_eq!(fixture.run(), "0002 of 2\n");
    // Regression: a non-UTF-8 byte in a `carafe.sum` comment built, then the app panicked the
    // first time it touched MIGRATIONS (the pack held lossily converted text).
    let sum_path = fixture.path().join("migrations/carafe.sum");
    let mut sum = std::fs::read(&sum_path).expect("read carafe.sum");
    sum.extend_from_slice(b"# reviewed by Fran\xe7ois (Latin-1)\n");
    fixture.write("carafe.sum", sum);
    assert_eq!(fixture.run(), "0002 of 2\n");
}

/// After `carafe squash`, the set starts at the baseline's number: the typed constants of the
/// baseline and of the revisions after it read their own records.
#[test]
fn a_set_that_starts_at_a_baseline_compiles_with_its_own_numbers() {
    let fixture = Fixture::new(
        "const BASELINE: &str = migrations::m0002_baseline::NAME;\n\
         const NEXT: &str = migrations::m0003_add_vintage::NAME;\n\n\
         fn main() {\n    println!(\"{BASELINE} {NEXT} {} {}\", migrations::m0003_add_vintage::CHECKSUM, migrations::HEAD);\n}\n",
    );
    let baseline = carafe_core::RevisionFile {
        description: "Baseline.",
        up: carafe_core::SectionText::wrapped("create table products (sku text primary key);"),
        down: carafe_core::DownText::Irreversible,
    }
    .render_baseline(&carafe_core::Replaced {
        through: carafe_core::Revision::new(2),
        chain: [1; 32],
    });
    fixture
        .write("0002_baseline.sql", baseline)
        .write(
            "0003_add_vintage.sql",
            migration(
                "alter table products add vintage int;",
                "alter table products drop vintage;",
            ),
        )
        .rehash();
    let on_disk = carafe_core::load_dir(&fixture.path().join("migrations"))
        .expect("read fixture")
        .into_result()
        .expect("sound fixture");
    let vintage = on_disk.get(carafe_core::Revision::new(3)).expect("0003");
    assert_eq!(
        fixture.run(),
        format!("0002_baseline 0003_add_vintage {} 0003\n", vintage.checksum)
    );
}
