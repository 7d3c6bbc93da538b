//! The app's `migrate` binary is its `env.py`: built with the development commands, it compares the
//! migrations with the app's models (`carafe_cli::main_with`), not with a `schema.sql`.

use carafe_devdb::TempCluster;
use std::process::Command;

fn migrate(args: &[&str]) -> (i32, String, String) {
    let cluster = TempCluster::shared().expect("start a throwaway PostgreSQL");
    let scratch = cluster.url("postgres");
    let migrations = tempfile::tempdir().expect("dir");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    for entry in std::fs::read_dir(source).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        std::fs::copy(&path, migrations.path().join(name)).expect("copy");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_migrate"))
        .args(args)
        .arg("--scratch-url")
        .arg(&scratch)
        .arg("--dir")
        .arg(migrations.path())
        .current_dir(migrations.path())
        .env_remove("DATABASE_URL")
        .env_remove("CARAFE_SCHEMA")
        .output()
        .expect("run migrate");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_and_autogenerate_compare_the_migrations_with_the_apps_models() {
    let (code, stdout, stderr) = migrate(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("ok: the migrations build the models (Product)"),
        "{stdout}"
    );
    let (code, stdout, stderr) = migrate(&["revision", "--autogenerate", "-m", "nothing new"]);
    assert_eq!(code, 13, "{stdout}{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: no changes detected: the migrations already build the models (Product); no revision written"
    );
}
