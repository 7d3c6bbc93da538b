//! `Fixture`: a throwaway app crate with a `migrations/` directory, built by a real `cargo`.
//!
//! Fixtures share `target/fixtures` in this workspace, so carafe and its dependencies compile once;
//! it is not the outer `target/` because the `cargo test` running us holds that directory's lock.

use carafe_core::{SUM_FILE_NAME, load_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Fixture {
    dir: tempfile::TempDir,
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("carafe-build lives in crates/ of the workspace")
        .to_owned()
}

impl Fixture {
    /// An app crate whose `src/main.rs` is `main_rs`, with `pub mod migrations` included above it.
    pub fn new(main_rs: &str) -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("carafe-fixture-")
            .tempdir()
            .expect("tempdir");
        let root = workspace_root();
        // Fixtures build in parallel into one target directory: each needs its own package name,
        // or their binaries overwrite one another.
        let name = dir
            .path()
            .file_name()
            .expect("named")
            .to_string_lossy()
            .to_lowercase()
            .replace('.', "_");
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncarafe = {{ path = {carafe:?} }}\n\n\
             [build-dependencies]\ncarafe-build = {{ path = {build:?} }}\n\n[workspace]\n",
            carafe = root.join("crates/carafe"),
            build = root.join("crates/carafe-build"),
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("manifest");
        std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("lock file");
        std::fs::write(
            dir.path().join("build.rs"),
            "fn main() {\n    carafe_build::compile(\"migrations\");\n}\n",
        )
        .expect("build.rs");
        std::fs::create_dir_all(dir.path().join("src")).expect("src");
        std::fs::create_dir_all(dir.path().join("migrations")).expect("migrations");
        let main =
            format!("pub mod migrations {{\n    carafe::include_migrations!();\n}}\n\n{main_rs}");
        std::fs::write(dir.path().join("src/main.rs"), main).expect("main.rs");
        Fixture { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a migration file (raw bytes, so a test can write invalid UTF-8).
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Fixture {
        std::fs::write(self.path().join("migrations").join(name), bytes).expect("write migration");
        self
    }

    pub fn remove(&self, name: &str) -> &Fixture {
        std::fs::remove_file(self.path().join("migrations").join(name)).expect("remove migration");
        self
    }

    /// Records every file in `carafe.sum`, as `carafe rehash` does.
    pub fn rehash(&self) -> &Fixture {
        let dir = self.path().join("migrations");
        let loaded = load_dir(&dir).expect("read fixture migrations");
        std::fs::write(dir.join(SUM_FILE_NAME), loaded.sum_file().render()).expect("write sum");
        self
    }

    /// Runs `cargo <args>` in the fixture.
    pub fn cargo(&self, args: &[&str]) -> Output {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Command::new(cargo)
            .args(args)
            .args(["--quiet", "--offline"])
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", workspace_root().join("target/fixtures"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo")
    }

    /// `cargo run`, which must succeed; its stdout.
    pub fn run(&self) -> String {
        let output = self.cargo(&["run"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "cargo run failed:\n{stderr}");
        assert!(
            !stderr.contains("warning"),
            "generated code must compile without warnings:\n{stderr}"
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `cargo build`, which must fail; its stderr.
    pub fn build_failure(&self) -> String {
        let output = self.cargo(&["build"]);
        assert!(
            !output.status.success(),
            "cargo build should have failed in {}:\n{}",
            self.path().display(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}
