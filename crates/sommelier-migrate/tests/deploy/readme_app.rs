//! The README's app, built as a crate outside the workspace (`examples/app`): its deploy binary
//! migrates, and its `#[tokio::main]` start-up guard refuses an older schema, then serves.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("sommelier-migrate lives in crates/ of the workspace")
        .to_owned()
}

/// Builds `examples/app` (CI has built it already: then this is a no-op) and gives its binaries'
/// directory.
fn build_example() -> PathBuf {
    let root = workspace_root();
    let target = root.join("target/fixtures");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "--locked", "--manifest-path"])
        .arg(root.join("examples/app/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo build");
    assert!(
        output.status.success(),
        "examples/app does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    target.join("debug")
}

fn run(binary: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(binary)
        .args(args)
        .env("DATABASE_URL", url)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run an example binary")
}

#[test]
fn the_readme_app_refuses_an_older_schema_then_serves_once_migrated() {
    let bin = build_example();
    let url = carafe_devdb::TempCluster::shared()
        .expect("cluster")
        .create_database("readme")
        .expect("database");
    let migrated = run(&bin.join("migrate"), &url, &["upgrade", "0003"]);
    assert!(migrated.status.success(), "{migrated:?}");

    let refused = run(&bin.join("carafe-example-app"), &url, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "error: database is at 0003, this build needs 0004: run migrations first (`carafe upgrade head`)\n"
    );

    assert!(
        run(&bin.join("migrate"), &url, &["upgrade", "head"])
            .status
            .success()
    );
    let served = run(&bin.join("carafe-example-app"), &url, &[]);
    assert!(served.status.success(), "{served:?}");
    assert_eq!(
        String::from_utf8_lossy(&served.stdout),
        "serving with schema 0004\n"
    );
}
