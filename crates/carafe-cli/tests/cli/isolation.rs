//! Every revision starts from the same session state, so what a set of migrations builds does not
//! depend on how its revisions were batched into runs.

use crate::harness::{Migrations, client, fresh_database, run, schema_dump};

/// Revisions that change their session: `SET search_path`, pg_dump's `set_config`, `SET ROLE` and
/// temporary tables. Each one after them would build something else, or fail, if it inherited them.
fn session_changing_set(role: &str) -> Migrations {
    let migrations = Migrations::empty();
    let revisions = [
        "CREATE SCHEMA audit;\nSET search_path = audit;\nCREATE TABLE a1 (id int);",
        "CREATE TABLE p2 (id int);",
        "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.p3 (id int);",
        "CREATE TABLE p4 (id int);",
        &format!("SET ROLE {role};\nCREATE TABLE public.owned5 (id int);"),
        "CREATE TABLE p6 (id int);",
        "CREATE TEMP TABLE scratch AS SELECT 1 AS id;\nCREATE TABLE p7 AS SELECT id FROM scratch;",
        "CREATE TEMP TABLE scratch (id int);\nCREATE TABLE p8 (id int);",
    ];
    for (index, up) in revisions.iter().enumerate() {
        let number = index + 1;
        migrations.write(
            &format!("{number:04}_session_{number}.sql"),
            &format!("-- migrate:up\n{up}\n-- migrate:down\nSELECT 1;\n"),
        );
    }
    migrations
}

fn owners(url: &str) -> Vec<(String, String)> {
    client(url)
        .query(
            "SELECT c.relnamespace::regnamespace::text || '.' || c.relname::text, pg_get_userbyid(c.relowner)::text \
             FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('public', 'audit') \
             AND c.relname <> 'carafe_history' ORDER BY 1",
            &[],
        )
        .expect("owners")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

#[test]
fn one_run_and_one_run_per_revision_build_the_same_schema() {
    // Regression: `SET search_path = audit` in one revision put the next revisions' tables in
    // `audit` when they ran in the same run, and in `public` when they ran in separate runs.
    let role = format!("isolation_{}", std::process::id());
    let together = fresh_database();
    let apart = fresh_database();
    for url in [&together, &apart] {
        client(url)
            .batch_execute(&format!(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF; END $$;\n\
                 GRANT USAGE, CREATE ON SCHEMA public TO {role};"
            ))
            .expect("role");
    }
    let migrations = session_changing_set(&role);
    run(&together, migrations.path(), &["upgrade", "head"]).ok();
    for _ in 0..8 {
        run(&apart, migrations.path(), &["upgrade", "+1"]).ok();
    }
    assert_eq!(schema_dump(&together), schema_dump(&apart));
    assert_eq!(owners(&together), owners(&apart));
    let expected_places: Vec<String> = [
        "audit.a1",
        "public.owned5",
        "public.p2",
        "public.p3",
        "public.p4",
        "public.p6",
        "public.p7",
        "public.p8",
    ]
    .iter()
    .map(|name| (*name).to_owned())
    .collect();
    let places: Vec<String> = owners(&together)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(places, expected_places);
    let owned_by_role: Vec<String> = owners(&together)
        .into_iter()
        .filter(|(_, owner)| *owner == role)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(owned_by_role, ["public.owned5"]);

    // The same in one transaction, and in a live run against an offline script.
    let grouped = fresh_database();
    client(&grouped)
        .batch_execute(&format!("GRANT USAGE, CREATE ON SCHEMA public TO {role};"))
        .expect("grant");
    run(
        &grouped,
        migrations.path(),
        &["upgrade", "head", "--one-transaction"],
    )
    .ok();
    assert_eq!(schema_dump(&grouped), schema_dump(&apart));
    assert_eq!(owners(&grouped), owners(&apart));
}
