//! `build_time`: what carafe adds to an app's `cargo build`, in seconds, for 1,000 and 10,000
//! migrations. It prints figures and asserts nothing.
//!
//! For each size it generates a throwaway app crate (as `tests/build/fixture.rs` does) and builds it
//! with a real `cargo` in the dev profile, next to the same crate with no migrations (the baseline,
//! measured in the same run). Dependencies build once into `target/bench-fixtures`.
//!
//! ```text
//! cargo bench -p carafe-build --bench build_time               # 1000,10000
//! cargo bench -p carafe-build --bench build_time -- 1000       # or CARAFE_BENCH_SIZES=1000
//! ```

use carafe_core::{SUM_FILE_NAME, load_dir};
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// The issue's target: this many migrations add less than `TARGET` to a build.
const TARGET_MIGRATIONS: usize = 10_000;
const TARGET: Duration = Duration::from_secs(1);
const DEFAULT_SIZES: &str = "1000,10000";
/// Timed `cargo build`s per figure; the median is printed.
const BUILD_RUNS: usize = 3;
/// Timed in-process runs of the build script's work, and of the build-script binary.
const SCRIPT_RUNS: usize = 7;

fn main() -> BenchResult<()> {
    let sizes = sizes()?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "build_time: sizes {sizes:?}, dev profile with the recommended [profile.dev.build-override] opt-level = 3, {BUILD_RUNS} builds and {SCRIPT_RUNS} build-script runs per figure (median), load average {}",
        load_average()
    );

    eprintln!(
        "baseline: app crate with no migrations (the first build compiles carafe's dependencies)"
    );
    let mut baseline = App::generate(0, cargo.clone())?;
    baseline.build()?;
    let baseline_figures = BaselineFigures {
        clean: baseline.median_of_builds("clean build", |app| app.remove_own_artifacts())?,
        touch_dir: baseline
            .median_of_builds("touch migrations/", |app| touch(&app.migrations_dir()))?,
        touch_main: baseline.median_of_builds("touch src/main.rs", |app| {
            touch(&app.path().join("src/main.rs"))
        })?,
    };
    baseline.remove_own_artifacts()?;

    let mut verdict = None;
    for &count in &sizes {
        let mut app = App::generate(count, cargo.clone())?;
        eprintln!("{count} migrations: first build");
        app.build()?;
        let figures = SizeFigures {
            in_process: app.in_process_script_work()?,
            script_binary: app.script_binary_run()?,
            module_bytes: app.module_bytes()?,
            clean: app.median_of_builds("clean build", |app| app.remove_own_artifacts())?,
            edit_one: app.median_of_builds("edit one file + rehash", |app| app.edit_one())?,
            touch_one: app.median_of_builds("touch one file", |app| {
                touch(&app.migrations_dir().join(file_name(count / 2 + 1)))
            })?,
            touch_main: app.median_of_builds("touch src/main.rs", |app| {
                touch(&app.path().join("src/main.rs"))
            })?,
        };
        app.remove_own_artifacts()?;
        println!("{}", figures.report(count, &baseline_figures));
        if count == TARGET_MIGRATIONS {
            verdict = Some(figures.worst_added(&baseline_figures));
        }
    }

    println!(
        "baseline (0 migrations, dev profile): clean build {}, rebuild after touching migrations/ {}, after touching src/main.rs {}",
        secs(baseline_figures.clean),
        secs(baseline_figures.touch_dir),
        secs(baseline_figures.touch_main),
    );
    match verdict {
        Some(added) if added <= TARGET.as_secs_f64() => println!(
            "verdict: {TARGET_MIGRATIONS} migrations add at most {added:+.2} s to a dev build: within the {} s target",
            TARGET.as_secs()
        ),
        Some(added) => println!(
            "verdict: {TARGET_MIGRATIONS} migrations add up to {added:+.2} s to a dev build: OVER the {} s target",
            TARGET.as_secs()
        ),
        None => println!("verdict: {TARGET_MIGRATIONS} migrations not measured in this run"),
    }
    Ok(())
}

/// Sizes from the first argument that is not a flag (`cargo bench` adds `--bench`), else from
/// `CARAFE_BENCH_SIZES`, else 1000,10000.
fn sizes() -> BenchResult<Vec<usize>> {
    let argument = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let text = argument
        .or_else(|| std::env::var("CARAFE_BENCH_SIZES").ok())
        .unwrap_or_else(|| DEFAULT_SIZES.to_owned());
    text.split(',')
        .map(|size| {
            size.trim()
                .parse::<usize>()
                .map_err(|error| format!("bad size `{size}` in `{text}`: {error}").into())
        })
        .collect()
}

/// What the app crate with no migrations costs.
struct BaselineFigures {
    clean: Duration,
    touch_dir: Duration,
    touch_main: Duration,
}

/// What the app crate with N migrations costs.
struct SizeFigures {
    in_process: Duration,
    script_binary: Duration,
    module_bytes: u64,
    clean: Duration,
    edit_one: Duration,
    touch_one: Duration,
    touch_main: Duration,
}

impl SizeFigures {
    fn report(&self, count: usize, baseline: &BaselineFigures) -> String {
        format!(
            "{count} migrations: build.rs work {} in-process optimised, {} as cargo runs it (dev, build-override opt-level 3) (module {}); \
             clean build {} over baseline ({} vs {}); \
             rebuild after editing one file {} vs baseline {} ({}); \
             after touching one file {} ({}); \
             rustc alone (touch src/main.rs) {} vs {} ({})",
            millis(self.in_process),
            millis(self.script_binary),
            megabytes(self.module_bytes),
            difference(self.clean, baseline.clean),
            secs(self.clean),
            secs(baseline.clean),
            secs(self.edit_one),
            secs(baseline.touch_dir),
            difference(self.edit_one, baseline.touch_dir),
            secs(self.touch_one),
            difference(self.touch_one, baseline.touch_dir),
            secs(self.touch_main),
            secs(baseline.touch_main),
            difference(self.touch_main, baseline.touch_main),
        )
    }

    /// The largest of the added costs, in seconds.
    fn worst_added(&self, baseline: &BaselineFigures) -> f64 {
        [
            signed_secs(self.clean, baseline.clean),
            signed_secs(self.edit_one, baseline.touch_dir),
            signed_secs(self.touch_one, baseline.touch_dir),
        ]
        .into_iter()
        .fold(f64::MIN, f64::max)
    }
}

/// A generated app crate in a temporary directory.
struct App {
    dir: tempfile::TempDir,
    name: String,
    count: usize,
    cargo: std::ffi::OsString,
    edits: usize,
}

impl App {
    /// An app crate whose `migrations/` holds `count` revisions and a correct `carafe.sum` (none at 0).
    fn generate(count: usize, cargo: std::ffi::OsString) -> BenchResult<App> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("carafe-bench-{count}-"))
            .tempdir()?;
        // One target directory serves every fixture, so each needs its own package name.
        let name = dir
            .path()
            .file_name()
            .ok_or("temporary directory has no name")?
            .to_string_lossy()
            .to_lowercase()
            .replace('.', "_");
        let root = workspace_root()?;
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncarafe = {{ path = {carafe:?} }}\n\n\
             [build-dependencies]\ncarafe-build = {{ path = {build:?} }}\n\n[workspace]\n\n\
             # What the README recommends: build scripts (carafe-build's hashing and parsing) optimised.\n\
             [profile.dev.build-override]\nopt-level = 3\n",
            carafe = root.join("crates/carafe"),
            build = root.join("crates/carafe-build"),
        );
        fs::write(dir.path().join("Cargo.toml"), manifest)?;
        fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock"))?;
        fs::write(
            dir.path().join("build.rs"),
            "fn main() {\n    carafe_build::compile(\"migrations\");\n}\n",
        )?;
        fs::create_dir_all(dir.path().join("src"))?;
        fs::write(dir.path().join("src/main.rs"), main_rs(count))?;
        let migrations = dir.path().join("migrations");
        fs::create_dir_all(&migrations)?;
        for revision in 1..=count {
            fs::write(
                migrations.join(file_name(revision)),
                migration_text(revision, 0),
            )?;
        }
        let app = App {
            dir,
            name,
            count,
            cargo,
            edits: 0,
        };
        if count > 0 {
            app.rehash()?;
        }
        Ok(app)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn migrations_dir(&self) -> PathBuf {
        self.path().join("migrations")
    }

    /// Records every file in `carafe.sum`, as `carafe rehash` does.
    fn rehash(&self) -> BenchResult<()> {
        let loaded = load_dir(&self.migrations_dir())?;
        fs::write(
            self.migrations_dir().join(SUM_FILE_NAME),
            loaded.sum_file().render(),
        )?;
        Ok(())
    }

    /// Changes the text of the middle migration and updates `carafe.sum`, as a developer does.
    fn edit_one(&mut self) -> BenchResult<()> {
        self.edits += 1;
        let revision = self.count / 2 + 1;
        fs::write(
            self.migrations_dir().join(file_name(revision)),
            migration_text(revision, self.edits),
        )?;
        self.rehash()
    }

    fn target_dir(&self) -> BenchResult<PathBuf> {
        Ok(workspace_root()?.join("target/bench-fixtures"))
    }

    fn cargo(&self, args: &[&str]) -> BenchResult<Output> {
        let output = Command::new(&self.cargo)
            .args(args)
            .arg("--offline")
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", self.target_dir()?)
            .env_remove("RUSTFLAGS")
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "`cargo {}` failed in {}:\n{}",
                args.join(" "),
                self.path().display(),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(output)
    }

    /// `cargo build`, timed, with the packages other than this crate that it compiled (carafe or a
    /// dependency edited meanwhile: such a build does not measure this crate).
    fn build(&self) -> BenchResult<(Duration, Vec<String>)> {
        let start = Instant::now();
        let output = self.cargo(&["build"])?;
        let elapsed = start.elapsed();
        let others = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
            .filter_map(|rest| rest.split_whitespace().next())
            .filter(|package| *package != self.name)
            .map(str::to_owned)
            .collect();
        Ok((elapsed, others))
    }

    /// Removes this crate's own artifacts (not its dependencies') from the shared target directory.
    fn remove_own_artifacts(&mut self) -> BenchResult<()> {
        self.cargo(&["clean", "-p", &self.name])?;
        Ok(())
    }

    /// The median of `BUILD_RUNS` builds, each after `prepare` (untimed).
    fn median_of_builds(
        &mut self,
        what: &str,
        mut prepare: impl FnMut(&mut App) -> BenchResult<()>,
    ) -> BenchResult<Duration> {
        let mut runs = Vec::with_capacity(BUILD_RUNS);
        let mut discarded = 0;
        while runs.len() < BUILD_RUNS {
            prepare(self)?;
            let (elapsed, others) = self.build()?;
            if !others.is_empty() {
                discarded += 1;
                eprintln!(
                    "{} migrations: {what}: discarded a run that also compiled {}",
                    self.count,
                    others.join(", ")
                );
                if discarded > BUILD_RUNS {
                    return Err("dependencies keep changing under the benchmark".into());
                }
                continue;
            }
            eprintln!(
                "{} migrations: {what}, run {}/{BUILD_RUNS}: {}",
                self.count,
                runs.len() + 1,
                secs(elapsed)
            );
            runs.push(elapsed);
        }
        Ok(median(runs))
    }

    /// `carafe_build::try_compile` on this crate's migrations in this process (bench profile), writing
    /// the module each time.
    fn in_process_script_work(&self) -> BenchResult<Duration> {
        let out_dir = tempfile::tempdir()?;
        let mut runs = Vec::with_capacity(SCRIPT_RUNS);
        for _ in 0..SCRIPT_RUNS {
            let generated = out_dir.path().join(carafe_build::GENERATED_FILE_NAME);
            if generated.exists() {
                fs::remove_file(&generated)?;
            }
            let start = Instant::now();
            carafe_build::try_compile(&self.migrations_dir(), out_dir.path())
                .map_err(|error| format!("try_compile failed: {error}"))?;
            runs.push(start.elapsed());
        }
        Ok(median(runs))
    }

    /// The crate's compiled build script, run as cargo runs it (dev profile) into a fresh `OUT_DIR`.
    fn script_binary_run(&self) -> BenchResult<Duration> {
        let build_dir = self.target_dir()?.join("debug/build");
        let prefix = format!("{}-", self.name);
        let script = fs::read_dir(&build_dir)?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
            .map(|entry| entry.path().join("build-script-build"))
            .find(|path| path.is_file())
            .ok_or_else(|| {
                format!(
                    "no build script for `{}` in {}",
                    self.name,
                    build_dir.display()
                )
            })?;
        let out_dir = tempfile::tempdir()?;
        let mut runs = Vec::with_capacity(SCRIPT_RUNS);
        for _ in 0..SCRIPT_RUNS {
            let generated = out_dir.path().join(carafe_build::GENERATED_FILE_NAME);
            if generated.exists() {
                fs::remove_file(&generated)?;
            }
            let start = Instant::now();
            let output = Command::new(&script)
                .current_dir(self.path())
                .env("OUT_DIR", out_dir.path())
                .env("CARGO_MANIFEST_DIR", self.path())
                .output()?;
            runs.push(start.elapsed());
            let stdout = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() || stdout.contains("cargo::error") {
                return Err(format!("build script failed:\n{stdout}").into());
            }
        }
        Ok(median(runs))
    }

    /// The size of the module the last build generated.
    fn module_bytes(&self) -> BenchResult<u64> {
        let out_dir = tempfile::tempdir()?;
        let path = carafe_build::try_compile(&self.migrations_dir(), out_dir.path())
            .map_err(|error| format!("try_compile failed: {error}"))?;
        Ok(fs::metadata(path)?.len())
    }
}

fn workspace_root() -> BenchResult<PathBuf> {
    Ok(Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .ok_or("carafe-build lives in crates/ of the workspace")?
        .to_owned())
}

/// The app: it prints `HEAD` and, as an app's `const` code would, the first and last revisions'
/// typed constants, so their evaluation is part of what is timed.
fn main_rs(count: usize) -> String {
    let mut main = String::from("pub mod migrations {\n    carafe::include_migrations!();\n}\n\n");
    if count == 0 {
        main.push_str("fn main() {\n    println!(\"{}\", migrations::HEAD);\n}\n");
        return main;
    }
    let last = file_name(count);
    let last = last.trim_end_matches(".sql");
    main.push_str(&format!(
        "const FIRST: (carafe::Revision, &str, carafe::Checksum) = (\n    \
         migrations::m0001_create_wide::REVISION,\n    \
         migrations::m0001_create_wide::NAME,\n    \
         migrations::m0001_create_wide::CHECKSUM,\n);\n\
         const LAST: (carafe::Revision, &str, carafe::Checksum) = (\n    \
         migrations::m{last}::REVISION,\n    \
         migrations::m{last}::NAME,\n    \
         migrations::m{last}::CHECKSUM,\n);\n\n\
         fn main() {{\n    println!(\"{{}} {{FIRST:?}} {{LAST:?}}\", migrations::HEAD);\n}}\n"
    ));
    main
}

fn file_name(revision: usize) -> String {
    match revision {
        1 => "0001_create_wide.sql".to_owned(),
        _ => format!("{revision:04}_add_column_c{revision}.sql"),
    }
}

/// Revision 1 creates `wide`; revision i adds column `c{i}`. `edit` > 0 changes the description.
fn migration_text(revision: usize, edit: usize) -> String {
    let edited = match edit {
        0 => String::new(),
        _ => format!(" Edited ({edit})."),
    };
    match revision {
        1 => format!(
            "-- Create the wide table.{edited}\n\n-- migrate:up\nCREATE TABLE wide (id bigint PRIMARY KEY);\n\n\
             -- migrate:down\nDROP TABLE wide;\n"
        ),
        _ => format!(
            "-- Add column c{revision}.{edited}\n\n-- migrate:up\nALTER TABLE wide ADD COLUMN c{revision} integer;\n\n\
             -- migrate:down\nALTER TABLE wide DROP COLUMN c{revision};\n"
        ),
    }
}

/// Sets a file's or directory's modification time to now, as `touch` does.
fn touch(path: &Path) -> BenchResult<()> {
    fs::File::open(path)?.set_modified(SystemTime::now())?;
    Ok(())
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn signed_secs(measured: Duration, baseline: Duration) -> f64 {
    measured.as_secs_f64() - baseline.as_secs_f64()
}

fn difference(measured: Duration, baseline: Duration) -> String {
    format!("{:+.2} s", signed_secs(measured, baseline))
}

fn secs(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

fn millis(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
