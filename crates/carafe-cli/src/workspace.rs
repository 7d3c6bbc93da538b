//! Finding the migrations directory — `--dir`, `CARAFE_MIGRATIONS_DIR`, or the nearest `migrations/`
//! above the current directory, so any subdirectory of the workspace works — and the development
//! server's directory beside it, under `target/`.

use crate::{Exit, Failure};
use std::path::{Path, PathBuf};

/// The directory `carafe` reads and writes migrations in.
pub(crate) fn migrations_dir(flag: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(dir) = flag {
        return match dir.is_dir() {
            true => Ok(dir.to_owned()),
            false => Err(Failure::new(
                Exit::Environment,
                format_args!(
                    "migrations directory `{}` does not exist: create it, or fix `--dir`/`CARAFE_MIGRATIONS_DIR`",
                    dir.display()
                ),
            )),
        };
    }
    let start = std::env::current_dir().map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read the current directory: {error}"),
        )
    })?;
    start
        .ancestors()
        .map(|ancestor| ancestor.join("migrations"))
        .find(|candidate| candidate.is_dir())
        .ok_or_else(|| {
            Failure::new(
                Exit::BadMigrations,
                format_args!(
                    "no `migrations/` directory in `{}` or above it: run carafe inside the workspace, or pass `--dir`",
                    start.display()
                ),
            )
        })
}

#[cfg(feature = "dev")]
/// `[workspace.metadata.carafe] schema` of the Cargo workspace around `dir`, resolved against the
/// workspace root. Asks `cargo metadata`, so it is only used by the commands that need the declared
/// schema (they create scratch databases and are not latency-sensitive); `None` without cargo.
pub(crate) fn schema_from_cargo_metadata(dir: &Path) -> Option<PathBuf> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .no_deps()
        .current_dir(dir)
        .exec()
        .ok()?;
    let relative = metadata
        .workspace_metadata
        .get("carafe")?
        .get("schema")?
        .as_str()?;
    Some(metadata.workspace_root.as_std_path().join(relative))
}

#[cfg(feature = "dev")]
/// `target/carafe-pg` of the workspace that holds `migrations_dir` (`CARGO_TARGET_DIR` respected).
pub(crate) fn dev_cluster_dir(migrations_dir: &Path) -> PathBuf {
    let root = std::fs::canonicalize(migrations_dir)
        .ok()
        .and_then(|dir| dir.parent().map(Path::to_owned))
        .unwrap_or_else(|| migrations_dir.join(".."));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("carafe-pg")
}
