//! `carafe init`: sets up carafe in the Cargo package of the current directory — `migrations/` with
//! an empty `carafe.sum`, the one-line `build.rs`, the typed module in `src/lib.rs`, a `migrate`
//! binary (the app's `env.py`), the dependencies, and the justfile recipes. It never overwrites:
//! what exists is kept (or appended to, for `src/lib.rs`, `Cargo.toml` and the justfile) and said
//! so, and a second run changes nothing.

use crate::{Exit, Failure};
use std::path::{Path, PathBuf};

/// What `init` did to one file.
enum Done {
    Created,
    Appended,
    Kept,
    /// Left alone, with what the user should add by hand.
    ToDo(String),
}

pub(crate) fn run(carafe_path: Option<&Path>) -> Result<(), Failure> {
    let crate_dir = std::env::current_dir().map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read the current directory: {error}"),
        )
    })?;
    let manifest_path = crate_dir.join("Cargo.toml");
    if !manifest_path.is_file() {
        return Err(Failure::new(
            Exit::Settings,
            format_args!(
                "no `Cargo.toml` in `{}`: run `carafe init` in the directory of the crate that will own the migrations (`cargo new app` makes one)",
                crate_dir.display()
            ),
        ));
    }
    let manifest = read(&manifest_path)?;
    let Some(package) = package_name(&manifest) else {
        return Err(Failure::new(
            Exit::Settings,
            format_args!(
                "`{}` declares no `[package]`: run `carafe init` in the crate that will own the migrations (`cargo new app` makes one)",
                manifest_path.display()
            ),
        ));
    };
    let root = workspace_root(&crate_dir);
    let migrations = root.join("migrations");
    let relative = relative_migrations(&crate_dir, &root);
    let module = package.replace('-', "_");
    let dependency = |name: &str, features: &str| match carafe_path {
        Some(dir) => format!(
            "{{ path = \"{}\"{features} }}",
            dir.join(name).display().to_string().replace('\\', "/")
        ),
        None => match features.is_empty() {
            true => format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            false => format!(
                "{{ version = \"{}\"{features} }}",
                env!("CARGO_PKG_VERSION")
            ),
        },
    };

    let mut done: Vec<(PathBuf, Done)> = Vec::new();
    let sum = migrations.join(carafe_core::SUM_FILE_NAME);
    done.push((
        sum.clone(),
        create(&sum, &carafe_core::SumFile::default().render())?,
    ));
    let build = crate_dir.join("build.rs");
    let build_text = format!(
        "//! Compiles `{relative}` into the typed module `{module}::migrations`: `cargo build` fails on\n//! a gap, a duplicate, a malformed migration or one edited after it was recorded.\n\nfn main() {{\n    carafe_build::compile(\"{relative}\");\n}}\n"
    );
    done.push(match build.is_file() {
        false => (build.clone(), create(&build, &build_text)?),
        true if read(&build)?.contains("carafe_build::compile") => (build.clone(), Done::Kept),
        true => (
            build.clone(),
            Done::ToDo(format!(
                "add `carafe_build::compile(\"{relative}\");` to its `main`"
            )),
        ),
    });
    let lib = crate_dir.join("src/lib.rs");
    done.push((
        lib.clone(),
        append_once(&lib, "include_migrations!", LIB_MODULE)?,
    ));
    let migrate = crate_dir.join("src/bin/migrate.rs");
    done.push((migrate.clone(), create(&migrate, &migrate_binary(&module))?));
    let edited = with_dependencies(
        &manifest,
        &[
            ("dependencies", "carafe", dependency("carafe", "")),
            (
                "dependencies",
                "carafe-cli",
                dependency("carafe-cli", ", default-features = false"),
            ),
            (
                "build-dependencies",
                "carafe-build",
                dependency("carafe-build", ""),
            ),
            ("features", "dev", "[\"carafe-cli/dev\"]".to_owned()),
        ]
        .into_iter()
        .chain((crate_dir == root).then(|| {
            // carafe-build hashes and parses every migration in build.rs: built optimised.
            ("profile.dev.build-override", "opt-level", "3".to_owned())
        }))
        .collect::<Vec<_>>(),
    );
    done.push(match edited {
        Some(text) => {
            write(&manifest_path, &text)?;
            (manifest_path.clone(), Done::Appended)
        }
        None => (manifest_path.clone(), Done::Kept),
    });
    let justfile = root.join("justfile");
    done.push((
        justfile.clone(),
        append_once(&justfile, "\nmigrate:", &recipes(&root, &crate_dir))?,
    ));

    for (path, what) in &done {
        let shown = path.strip_prefix(&root).unwrap_or(path).display();
        match what {
            Done::Created => say!("created  {shown}"),
            Done::Appended => say!("appended {shown}"),
            Done::Kept => say!("kept     {shown} (already set up)"),
            Done::ToDo(todo) => say!("to do    {shown}: {todo}"),
        }
    }
    say!(
        "next: declare the tables as structs with `#[derive(carafe::Table)]`, list them in `src/bin/migrate.rs` (`carafe::models![...]`), then `just autogenerate \"create the tables\"` and `just migrate`; or write SQL: `just revision \"create the first table\"` (without just: `cargo run --bin migrate --features dev -- revision -m MESSAGE`)"
    );
    Ok(())
}

const LIB_MODULE: &str = "
/// The typed migration set compiled from `migrations/` by `build.rs`: one module per revision,
/// `MIGRATIONS` and `HEAD`.
pub mod migrations {
    carafe::include_migrations!();
}
";

fn migrate_binary(module: &str) -> String {
    format!(
        "//! `migrate`: this app's migrations, compiled in. In production, `migrate upgrade head`\n\
         //! needs no files and no toolchain; built with `--features dev` it also writes revisions and,\n\
         //! given the app's models, autogenerates them (`revision --autogenerate -m MESSAGE`).\n\
         \n\
         fn main() -> std::process::ExitCode {{\n    \
             // The app's models, as Alembic's env.py imports them: `carafe::models![Product, Producer]`.\n    \
             let models = carafe::model::Models::none();\n    \
             carafe_cli::main_with(&{module}::migrations::MIGRATIONS, models)\n\
         }}\n"
    )
}

/// The justfile recipes, run from `root` on the package in `crate_dir`.
fn recipes(root: &Path, crate_dir: &Path) -> String {
    let package = match crate_dir == root {
        true => String::new(),
        false => format!(
            " --manifest-path {}/Cargo.toml",
            relative_path(crate_dir, root)
        ),
    };
    format!(
        r#"
# carafe: the app's `migrate` binary with the development commands. With no DATABASE_URL, the
# recipes use a local PostgreSQL under target/carafe-pg (`just db-down` stops it).
migrate_bin := "cargo run --quiet{package} --bin migrate --features dev --"
dev_url := "\"${{DATABASE_URL:-$(" + migrate_bin + " db url)}}\""

# Apply every pending migration (upgrade head)
migrate:
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} upgrade head

# Write the next migration file: just revision "add alcohol column"
revision MESSAGE:
    {{{{migrate_bin}}}} revision -m {{{{quote(MESSAGE)}}}}

# Write the next migration from what the migrations build to what the models declare
autogenerate MESSAGE:
    {{{{migrate_bin}}}} revision --autogenerate -m {{{{quote(MESSAGE)}}}} --scratch-url {{{{dev_url}}}}

# Undo down to TARGET: -N (default: one step), a revision number, or base
downgrade TARGET="-1":
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} downgrade {{{{quote(TARGET)}}}}

# Show the revision the database is at, and every revision
history:
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} history

# Fail when the migrations do not build the models, or the database is behind or has drifted
check:
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} check --scratch-url {{{{dev_url}}}}

# Upgrade, downgrade and upgrade every revision on a scratch database: each down must undo its up
verify:
    {{{{migrate_bin}}}} verify --scratch-url {{{{dev_url}}}}

# Show drift made by hand: how the database differs from what its migrations build
diff:
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} diff --scratch-url {{{{dev_url}}}}

# Show the revision the database is at
current:
    {{{{migrate_bin}}}} --database-url {{{{dev_url}}}} current

# A build refuses an edited revision until carafe.sum records it, so this runs the `carafe` command.
# Re-record migrations/carafe.sum after editing a revision never applied anywhere
rehash:
    carafe rehash

# Stop the local development PostgreSQL
db-down:
    {{{{migrate_bin}}}} db down
"#
    )
}

/// The package's name, from its manifest's `[package]` table.
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

/// The nearest directory at or above `crate_dir` whose manifest has a `[workspace]` table, else
/// `crate_dir`: where `migrations/` and the justfile go.
fn workspace_root(crate_dir: &Path) -> PathBuf {
    crate_dir
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(crate_dir)
        .to_owned()
}

/// `root` as seen from `dir` (below it): `../..`, or `.`.
fn relative_path(dir: &Path, root: &Path) -> String {
    let depth = dir
        .strip_prefix(root)
        .map(|below| below.components().count())
        .unwrap_or(0);
    match depth {
        0 => ".".to_owned(),
        depth => vec![".."; depth].join("/"),
    }
}

fn relative_migrations(crate_dir: &Path, root: &Path) -> String {
    match relative_path(crate_dir, root).as_str() {
        "." => "migrations".to_owned(),
        up => format!("{up}/migrations"),
    }
}

/// `manifest` with each `(table, key, value)` added where the table lacks the key (the table
/// appended when missing); `None` when nothing was missing.
fn with_dependencies(manifest: &str, entries: &[(&str, &str, String)]) -> Option<String> {
    let mut lines: Vec<String> = manifest.lines().map(str::to_owned).collect();
    let mut changed = false;
    for (table, key, value) in entries {
        let header = format!("[{table}]");
        let start = lines.iter().position(|line| line.trim() == header.as_str());
        let Some(start) = start else {
            if lines.last().is_some_and(|line| !line.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(header);
            lines.push(format!("{key} = {value}"));
            changed = true;
            continue;
        };
        let end = lines[start + 1..]
            .iter()
            .position(|line| line.trim_start().starts_with('['))
            .map_or(lines.len(), |offset| start + 1 + offset);
        let present = lines[start + 1..end].iter().any(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('=') || rest.starts_with('.'))
        });
        if !present {
            let last = lines[start + 1..end]
                .iter()
                .rposition(|line| !line.trim().is_empty())
                .map_or(start + 1, |offset| start + 2 + offset);
            lines.insert(last, format!("{key} = {value}"));
            changed = true;
        }
    }
    changed.then(|| lines.join("\n") + "\n")
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read `{}`: {error}", path.display()),
        )
    })
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|error| {
            Failure::new(
                Exit::Environment,
                format_args!("cannot create `{}`: {error}", parent.display()),
            )
        })?;
    }
    std::fs::write(path, text).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })
}

/// Writes `text` to a new file; keeps one that exists.
fn create(path: &Path, text: &str) -> Result<Done, Failure> {
    match path.exists() {
        true => Ok(Done::Kept),
        false => write(path, text).map(|()| Done::Created),
    }
}

/// Creates the file with `text`, or appends `text` to it unless it already holds `marker`.
fn append_once(path: &Path, marker: &str, text: &str) -> Result<Done, Failure> {
    if !path.exists() {
        return write(path, text.trim_start()).map(|()| Done::Created);
    }
    let existing = read(path)?;
    if existing.contains(marker) || existing.starts_with(marker.trim_start()) {
        return Ok(Done::Kept);
    }
    let separator = match existing.ends_with('\n') || existing.is_empty() {
        true => "",
        false => "\n",
    };
    write(path, &format!("{existing}{separator}{text}")).map(|()| Done::Appended)
}

#[cfg(test)]
mod tests {
    use super::{package_name, relative_migrations, with_dependencies};
    use std::path::Path;

    #[test]
    fn dependencies_are_added_once_to_the_right_tables() {
        let manifest = "[package]\nname = \"wine-app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n\n[dev-dependencies]\ntempfile = \"3\"\n";
        let entries = [
            ("dependencies", "carafe", "\"0.1\"".to_owned()),
            ("build-dependencies", "carafe-build", "\"0.1\"".to_owned()),
        ];
        let edited = with_dependencies(manifest, &entries).expect("changed");
        assert_eq!(
            edited,
            "[package]\nname = \"wine-app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\ncarafe = \"0.1\"\n\n[dev-dependencies]\ntempfile = \"3\"\n\n[build-dependencies]\ncarafe-build = \"0.1\"\n"
        );
        assert_eq!(
            with_dependencies(&edited, &entries),
            None,
            "a second run adds nothing"
        );
        assert_eq!(package_name(manifest).as_deref(), Some("wine-app"));
        let carafe_cli = [("dependencies", "carafe", "\"0.1\"".to_owned())];
        let has_cli = "[package]\nname = \"a\"\n[dependencies]\ncarafe-cli = \"0.1\"\n";
        assert!(
            with_dependencies(has_cli, &carafe_cli).is_some(),
            "carafe-cli is not carafe"
        );
    }

    #[test]
    fn a_crate_below_the_workspace_root_compiles_the_roots_migrations() {
        let root = Path::new("/w");
        assert_eq!(relative_migrations(Path::new("/w"), root), "migrations");
        assert_eq!(
            relative_migrations(Path::new("/w/crates/db"), root),
            "../../migrations"
        );
    }
}
