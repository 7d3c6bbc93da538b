//! `carafe squash`: on the example and on a generated 200-revision history, a fresh database built
//! from the squashed set and an old database upgraded through it end with identical `pg_dump`
//! output (the harness's own pg_dump, not the one squash checked itself with).

use crate::harness::{Migrations, fresh_database, run, schema_dump};

fn migration_files(migrations: &Migrations) -> Vec<String> {
    crate::harness::file_names(migrations.path())
}

#[test]
fn squashing_the_example_keeps_old_databases_working_and_builds_new_ones_alike() {
    let migrations = Migrations::sommelier();
    let dir = migrations.path();
    let old = fresh_database();
    run(&old, dir, &["upgrade", "0003"]).ok();

    let squashed = run(&old, dir, &["squash", "--to", "0003"]).ok();
    assert!(
        squashed.contains("checked: `0003_baseline.sql` builds what 0001 to 0003 built (pg_dump and the schema model agree)"),
        "{squashed}"
    );
    assert_eq!(
        migration_files(&migrations),
        [
            "0003_baseline.sql",
            "0004_add_alcohol_column.sql",
            "carafe.sum"
        ]
    );
    let baseline = std::fs::read_to_string(dir.join("0003_baseline.sql")).expect("read");
    assert!(
        baseline.contains("-- migrate:up replaces:0001-0003 chain:")
            && baseline.contains("CREATE TABLE public.products")
            && baseline.ends_with("-- migrate:down irreversible\n"),
        "{baseline}"
    );
    let loaded = carafe_core::load_dir(dir).expect("read");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);

    let new = fresh_database();
    let upgrade = run(&new, dir, &["upgrade", "head"]).ok();
    assert!(upgrade.contains("applied  0003_baseline"), "{upgrade}");
    let upgrade = run(&old, dir, &["upgrade", "head"]).ok();
    assert!(
        upgrade.starts_with("applied  0004_add_alcohol_column"),
        "{upgrade}"
    );
    assert_eq!(schema_dump(&old), schema_dump(&new));
    // `history` tells the old rows apart from the baseline.
    let names = |history: String| -> Vec<String> {
        history
            .lines()
            .map(|line| {
                let name = line.split_whitespace().next().unwrap_or_default();
                let note = line.rsplit_once(" [").map_or("", |(_, note)| note);
                format!("{name} {note}").trim().to_owned()
            })
            .collect()
    };
    let old_history = run(&old, dir, &["history"]).ok();
    assert!(
        old_history.contains(
            "0003_baseline            not run here: the revisions it replaced are applied\n"
        ),
        "{old_history}"
    );
    assert_eq!(
        names(old_history),
        [
            "0001_create_products replaced by 0003_baseline]",
            "0002_add_vintage_column replaced by 0003_baseline]",
            "0003_add_price_index replaced by 0003_baseline]",
            "0003_baseline",
            "0004_add_alcohol_column",
            "database",
        ]
    );

    // The old database can still go below the baseline, with the down SQL its history kept; it
    // is told that this build cannot bring it back, and `history` does not say every replaced
    // revision is applied (it did, and the downgrade said nothing: found by review).
    let downgraded = run(&old, dir, &["downgrade", "0002"]);
    assert_eq!(downgraded.code, 0, "{}", downgraded.stderr);
    assert!(
        downgraded.stderr.contains(
            "warning: the database is now inside the revisions `0003_baseline.sql` replaced (`carafe squash`): this build cannot upgrade it again"
        ),
        "{}",
        downgraded.stderr
    );
    let old_history = run(&old, dir, &["history"]).ok();
    assert!(
        old_history.contains(
            "not run here: the revisions it replaced are applied up to 0002 only (a build from before the squash can upgrade it)"
        ),
        "{old_history}"
    );
    run(&old, dir, &["upgrade", "head"]).fails(4);
    // The new one cannot: the baseline is irreversible, and 0002 no longer exists on its own.
    let refused = run(&new, dir, &["downgrade", "0002"]).fails(10);
    assert!(
        refused.contains("revision 0002 was squashed into `0003_baseline`"),
        "{refused}"
    );
}

/// A history of 200 revisions of every common kind.
fn generated_history(migrations: &Migrations) {
    for n in 1..=200u32 {
        let (up, down) = match n % 5 {
            1 => (
                format!(
                    "CREATE TABLE t{n} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);"
                ),
                format!("DROP TABLE t{n};"),
            ),
            2 => {
                let table = n - 1;
                (
                    format!(
                        "ALTER TABLE t{table} ADD COLUMN price numeric(10,2) CHECK (price > 0) DEFAULT 1;\nCOMMENT ON COLUMN t{table}.price IS 'in dollars';"
                    ),
                    format!("ALTER TABLE t{table} DROP COLUMN price;"),
                )
            }
            3 => {
                let table = n - 2;
                (
                    format!("CREATE INDEX t{table}_name_idx ON t{table} (lower(name));"),
                    format!("DROP INDEX t{table}_name_idx;"),
                )
            }
            4 => {
                let table = n - 3;
                (
                    format!(
                        "CREATE VIEW v{table} AS SELECT id, name FROM t{table} WHERE price > 10;\nCREATE FUNCTION f{table}(p t{table}) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(p.name) $$;"
                    ),
                    format!("DROP FUNCTION f{table}(t{table});\nDROP VIEW v{table};"),
                )
            }
            _ => {
                let table = n - 4;
                (
                    format!(
                        "DROP FUNCTION f{table}(t{table});\nALTER TABLE t{table} DROP COLUMN name CASCADE;\nALTER TABLE t{table} ADD COLUMN label varchar(40);"
                    ),
                    format!(
                        "ALTER TABLE t{table} DROP COLUMN label;\nALTER TABLE t{table} ADD COLUMN name text NOT NULL DEFAULT '';\nCREATE INDEX t{table}_name_idx ON t{table} (lower(name));\nCREATE VIEW v{table} AS SELECT id, name FROM t{table} WHERE price > 10;\nCREATE FUNCTION f{table}(p t{table}) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(p.name) $$;"
                    ),
                )
            }
        };
        std::fs::write(
            migrations.path().join(format!("{n:04}_step_{n}.sql")),
            format!("-- migrate:up\n{up}\n\n-- migrate:down\n{down}\n"),
        )
        .expect("write");
    }
    migrations.write(
        "0001_step_1.sql",
        &std::fs::read_to_string(migrations.path().join("0001_step_1.sql")).expect("read"),
    );
}

#[test]
fn squashing_a_200_revision_history_at_150() {
    let migrations = Migrations::empty();
    generated_history(&migrations);
    let dir = migrations.path();
    let old = fresh_database();
    run(&old, dir, &["upgrade", "0150"]).ok();
    let stuck = fresh_database();
    run(&stuck, dir, &["upgrade", "0100"]).ok();
    // A configured database inside the range is named before anything is done.
    let refused = run(&stuck, dir, &["squash", "--to", "0150"]).fails(4);
    assert!(
        refused.contains("is at 0100, inside the range to squash"),
        "{refused}"
    );

    run(&old, dir, &["squash", "--to", "0150"]).ok();
    assert_eq!(migration_files(&migrations).len(), 1 + 50 + 1);
    let new = fresh_database();
    run(&new, dir, &["upgrade", "head"]).ok();
    run(&old, dir, &["upgrade", "head"]).ok();
    assert_eq!(schema_dump(&old), schema_dump(&new));
    // The database left inside the range is refused with the way out.
    let inside = run(&stuck, dir, &["upgrade", "head"]).fails(4);
    assert!(
        inside.contains("the database is at 0100, inside the revisions `0150_baseline` replaced"),
        "{inside}"
    );
}

#[test]
fn squash_refuses_what_a_schema_baseline_cannot_carry() {
    let migrations = Migrations::empty();
    migrations
        .write(
            "0001_countries.sql",
            "-- migrate:up\nCREATE TABLE countries (code text PRIMARY KEY);\nINSERT INTO countries VALUES ('CA'), ('FR');\n-- migrate:down\nDROP TABLE countries;\n",
        )
        .write(
            "0002_more.sql",
            "-- migrate:up\nCREATE TABLE more (id int);\n-- migrate:down\nDROP TABLE more;\n",
        );
    let url = fresh_database();
    let refused = run(&url, migrations.path(), &["squash", "--to", "0002"]).fails(3);
    assert!(
        refused.contains("cannot squash: the revisions leave data behind (`public.countries`)"),
        "{refused}"
    );
    assert_eq!(migration_files(&migrations).len(), 3, "nothing was written");

    let server_level = Migrations::empty();
    server_level.write(
        "0001_role.sql",
        "-- migrate:up\nCREATE TABLE t (id int);\nCREATE ROLE carafe_squash_reader;\n-- migrate:down\nDROP ROLE carafe_squash_reader;\nDROP TABLE t;\n",
    );
    let refused = run(&url, server_level.path(), &["squash", "--to", "0001"]).fails(3);
    assert!(
        refused.contains("`CREATE ROLE` at 0001_role.sql:3 acts on the server, not the schema"),
        "{refused}"
    );
}

/// A history that gives a table to another role keeps that owner in the baseline (a baseline from
/// `pg_dump --no-owner` lost it, and the model judge refused the squash), but not the lines that
/// name the role squash runs as, which owns what a revision creates wherever it runs.
#[test]
fn a_squashed_history_keeps_the_owners_it_gave() {
    let url = fresh_database();
    crate::harness::client(&url)
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE squash_keeper; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;",
        )
        .expect("the role");
    let migrations = Migrations::empty();
    migrations
        .write(
            "0001_products.sql",
            "-- migrate:up\nCREATE TABLE products (sku text PRIMARY KEY);\nALTER TABLE products OWNER TO squash_keeper;\n-- migrate:down\nDROP TABLE products;\n",
        )
        .write(
            "0002_shelves.sql",
            "-- migrate:up\nCREATE TABLE shelves (aisle int);\n-- migrate:down\nDROP TABLE shelves;\n",
        );
    run(&url, migrations.path(), &["squash", "--to", "0002"]).ok();
    let baseline =
        std::fs::read_to_string(migrations.path().join("0002_baseline.sql")).expect("the baseline");
    assert!(
        baseline.contains("ALTER TABLE public.products OWNER TO squash_keeper;"),
        "{baseline}"
    );
    assert!(!baseline.contains("OWNER TO postgres"), "{baseline}");
    // Nothing is left to verify, and verify says so rather than that every down undoes its up
    // (found by review).
    let verified = run(&url, migrations.path(), &["verify"]).ok();
    assert!(
        verified.contains("nothing to verify: no revision has a down section to compare (1 irreversible or down nothing)"),
        "{verified}"
    );
}

/// A revision that fails while squash replays it fails on a scratch database, and the error says
/// so: it named the database "still at base" as if it were the user's (found by review).
#[test]
fn a_revision_failing_during_squash_says_it_failed_on_a_scratch_database() {
    let migrations = Migrations::empty();
    migrations
        .write(
            "0001_products.sql",
            "-- migrate:up\nCREATE TABLE products (sku text);\n-- migrate:down\nDROP TABLE products;\n",
        )
        .write(
            "0002_broken.sql",
            "-- migrate:up\nALTER TABLE products ADD COLUMN price numeric CHECK (1 / 0 > 0);\nSELECT 1 / 0;\n-- migrate:down\nALTER TABLE products DROP COLUMN price;\n",
        );
    let url = fresh_database();
    let refused = run(&url, migrations.path(), &["squash", "--to", "0002"]).fails(3);
    assert!(
        refused.contains("cannot squash: replaying the revisions fails on a scratch database, no database of yours: "),
        "{refused}"
    );
    assert!(refused.ends_with("; nothing was written\n"), "{refused}");
}
