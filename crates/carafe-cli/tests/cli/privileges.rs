//! A least-privilege role: it may create in its own schema, but not schemas or databases. It can
//! still run everything a deploy runs.

use crate::harness::{client, fresh_database, run, sommelier_migrations};

#[test]
fn a_role_without_create_on_the_database_runs_every_deploy_command() {
    // Regression: the first run failed on `CREATE SCHEMA IF NOT EXISTS "public"`, which needs
    // CREATE on the database even when the schema exists.
    let admin_url = fresh_database();
    let database = admin_url
        .rsplit('/')
        .next()
        .expect("database name")
        .to_owned();
    let role = format!("deployer_{}", std::process::id());
    client(&admin_url)
        .batch_execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN NOCREATEDB NOCREATEROLE; END IF; END $$;\n\
             REVOKE CREATE ON DATABASE \"{database}\" FROM PUBLIC;\n\
             GRANT USAGE, CREATE ON SCHEMA public TO {role};"
        ))
        .expect("set up the role");
    let url = admin_url.replacen("postgres@", &format!("{role}@"), 1);
    assert_ne!(
        url, admin_url,
        "the harness's URL names its user: {admin_url}"
    );
    let may_create_schema: bool = client(&url)
        .query_one(
            "SELECT has_database_privilege(current_database(), 'CREATE')",
            &[],
        )
        .expect("privilege")
        .get(0);
    assert!(
        !may_create_schema,
        "the role must not be able to create schemas"
    );

    let dir = sommelier_migrations();
    run(&url, &dir, &["upgrade", "head"]).ok();
    assert_eq!(run(&url, &dir, &["current"]).ok(), "0004 (head)\n");
    run(&url, &dir, &["history"]).ok();
    run(&url, &dir, &["downgrade", "0002"]).ok();
    run(&url, &dir, &["stamp", "0003"]).ok();
    run(&url, &dir, &["downgrade", "base"]).ok();
    run(&url, &dir, &["upgrade", "head", "--one-transaction"]).ok();
    assert_eq!(run(&url, &dir, &["current"]).ok(), "0004 (head)\n");
}
