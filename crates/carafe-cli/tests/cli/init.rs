//! `carafe init` in a fresh `cargo new` crate: it sets everything up, a second run changes nothing,
//! and then the first day works — `revision`, `cargo build` (which compiles the migrations in),
//! and the app's own `migrate upgrade head`.

use crate::harness::fresh_database;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("carafe-cli lives in crates/ of the workspace")
        .to_owned()
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR");
    command
}

fn succeeded(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn carafe_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_carafe"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("CARAFE_MIGRATIONS_DIR")
        .output()
        .expect("run carafe");
    succeeded(output, &format!("carafe {}", args.join(" ")))
}

/// Every file under `dir` (not `target/`) with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() && !path.ends_with("target") {
                pending.push(path);
            } else if path.is_file() {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn init_in_a_fresh_crate_then_revision_build_and_upgrade() {
    let home = tempfile::tempdir().expect("dir");
    succeeded(
        cargo()
            .args(["new", "--vcs", "none", "--quiet", "wine-cellar"])
            .current_dir(home.path())
            .output()
            .expect("cargo new"),
        "cargo new",
    );
    let app = home.path().join("wine-cellar");
    let crates = workspace_root().join("crates");
    let crates = crates.to_str().expect("utf-8 path");
    let said = carafe_in(&app, &["init", "--carafe-path", crates]);
    assert_eq!(
        said,
        "created  migrations/carafe.sum\n\
         created  build.rs\n\
         created  src/lib.rs\n\
         created  src/bin/migrate.rs\n\
         appended Cargo.toml\n\
         created  justfile\n\
         next: declare the tables as structs with `#[derive(carafe::Table)]`, list them in `src/bin/migrate.rs` (`carafe::models![...]`), then `just autogenerate \"create the tables\"` and `just migrate`; or write SQL: `just revision \"create the first table\"` (without just: `cargo run --bin migrate --features dev -- revision -m MESSAGE`)\n"
    );
    let set_up = snapshot(&app);
    let again = carafe_in(&app, &["init", "--carafe-path", crates]);
    assert_eq!(again.matches("(already set up)").count(), 6, "{again}");
    assert_eq!(snapshot(&app), set_up, "a second run changes nothing");
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("[build-dependencies]\ncarafe-build = "),
        "{manifest}"
    );
    assert!(
        manifest.contains("dev = [\"carafe-cli/dev\"]"),
        "{manifest}"
    );

    let written = carafe_in(&app, &["revision", "-m", "create bottles"]);
    assert!(
        written.ends_with("migrations/0001_create_bottles.sql\n"),
        "{written}"
    );
    std::fs::write(
        app.join("migrations/0001_create_bottles.sql"),
        "-- Bottles in the cellar.\n\n-- migrate:up\nCREATE TABLE bottles (sku text PRIMARY KEY, bought date NOT NULL);\n\n-- migrate:down\nDROP TABLE bottles;\n",
    )
    .expect("edit the revision");
    carafe_in(&app, &["rehash"]);

    // The workspace's lock file as a start, so the build reuses what is already compiled.
    std::fs::copy(workspace_root().join("Cargo.lock"), app.join("Cargo.lock")).expect("lock");
    let target = workspace_root().join("target/fixtures");
    succeeded(
        cargo()
            .args(["build", "--quiet", "--bin", "migrate", "--target-dir"])
            .arg(&target)
            .current_dir(&app)
            .output()
            .expect("cargo build"),
        "cargo build",
    );
    let url = fresh_database();
    let upgraded = Command::new(target.join("debug/migrate"))
        .args(["--database-url", &url, "upgrade", "head"])
        .current_dir(&app)
        .output()
        .expect("run migrate");
    let stdout = succeeded(upgraded, "migrate upgrade head");
    assert!(stdout.contains("applied  0001_create_bottles"), "{stdout}");
    assert!(stdout.ends_with("database is at 0001 (head)\n"), "{stdout}");

    // The Alembic day: the table becomes a model, a field is added, the revision is autogenerated.
    let lib = app.join("src/lib.rs");
    let model = "\n#[derive(carafe::Table)]\npub struct Bottle {\n    #[carafe(primary_key)]\n    pub sku: String,\n    #[carafe(sql_type = \"date\")]\n    pub bought: String,\n    #[carafe(check = \"price_cents >= 0\")]\n    pub price_cents: Option<i32>,\n}\n\npub const MODELS: carafe::model::Models = carafe::models![Bottle];\n";
    let text = std::fs::read_to_string(&lib).expect("lib.rs") + model;
    std::fs::write(&lib, text).expect("add the model");
    let binary = app.join("src/bin/migrate.rs");
    let text = std::fs::read_to_string(&binary).expect("migrate.rs");
    assert!(text.contains("carafe::model::Models::none()"), "{text}");
    let text = text.replace("carafe::model::Models::none()", "wine_cellar::MODELS");
    std::fs::write(&binary, text).expect("list the models");
    let build_dev = || {
        succeeded(
            cargo()
                .args(["build", "--quiet", "--bin", "migrate", "--features", "dev"])
                .arg("--target-dir")
                .arg(&target)
                .current_dir(&app)
                .output()
                .expect("cargo build"),
            "cargo build --features dev",
        )
    };
    build_dev();
    let scratch = crate::harness::cluster().url("postgres");
    let migrate = |args: &[&str]| {
        let output = Command::new(target.join("debug/migrate"))
            .args(args)
            .current_dir(&app)
            .env_remove("DATABASE_URL")
            .output()
            .expect("run migrate");
        succeeded(output, &format!("migrate {}", args.join(" ")))
    };
    let written = migrate(&[
        "revision",
        "--autogenerate",
        "-m",
        "add price",
        "--scratch-url",
        &scratch,
    ]);
    assert!(
        written.starts_with(
            &app.join("migrations/0002_add_price.sql")
                .display()
                .to_string()
        ),
        "{written}"
    );
    let revision =
        std::fs::read_to_string(app.join("migrations/0002_add_price.sql")).expect("0002");
    assert!(
        revision.contains("ALTER TABLE \"public\".\"bottles\" ADD COLUMN \"price_cents\" integer;"),
        "{revision}"
    );
    build_dev();
    let upgraded = migrate(&["--database-url", &url, "upgrade", "head"]);
    assert!(
        upgraded.ends_with("database is at 0002 (head)\n"),
        "{upgraded}"
    );
    let checked = migrate(&["--database-url", &url, "check", "--scratch-url", &scratch]);
    assert!(
        checked.ends_with("ok: the migrations build the models (Bottle)\n"),
        "{checked}"
    );
}
