//! `compile` and `try_compile`: read the directory, check it, write the module to `OUT_DIR`.

use crate::codegen::PACKED_FILE_NAME;
use crate::render_module;
use carafe_core::{Problem, SourceFile, load, pack_files, read_sources};
use std::path::{Path, PathBuf};

/// The file written to `OUT_DIR`, which `carafe::include_migrations!()` includes.
pub const GENERATED_FILE_NAME: &str = "carafe_migrations.rs";

/// Why the module could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The directory is not there.
    #[error(
        "migrations directory `{}` not found (paths are relative to the crate's Cargo.toml): create it, or fix the path given to `carafe_build::compile`",
        .dir.display()
    )]
    MissingDirectory {
        /// The directory as given.
        dir: PathBuf,
    },
    /// Reading or writing failed.
    #[error("cannot {action} `{}`: {source}", .path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// `OUT_DIR` is not set: not running inside a build script.
    #[error("`OUT_DIR` is not set: call `carafe_build::compile` from a build script (build.rs)")]
    NoOutDir,
    /// The directory has problems; every one is listed.
    #[error("{} problem(s) in the migrations directory", .0.len())]
    Problems(Vec<Problem>),
}

/// Compiles `dir` for a build script: prints `cargo::rerun-if-changed` for the directory, and either
/// writes the module to `OUT_DIR` or prints every problem as a `cargo::error=` line, which fails the
/// build. Paths are relative to the crate's `Cargo.toml`, as in every build script.
pub fn compile(dir: impl AsRef<Path>) {
    let dir = dir.as_ref();
    println!("cargo::rerun-if-changed={}", dir.display());
    let out_dir = std::env::var_os("OUT_DIR").map(PathBuf::from);
    let result = match out_dir {
        Some(out_dir) => try_compile(dir, &out_dir),
        None => Err(BuildError::NoOutDir),
    };
    match result {
        Ok(_) => {}
        Err(BuildError::Problems(problems)) => {
            for problem in &problems {
                println!("cargo::error={}", problem.in_dir(dir));
            }
        }
        Err(error) => println!("cargo::error={error}"),
    }
}

/// Checks `dir` and writes the generated module into `out_dir`, returning its path. Writes nothing
/// when there is a problem, and leaves the file untouched when its contents would not change.
pub fn try_compile(dir: &Path, out_dir: &Path) -> Result<PathBuf, BuildError> {
    if !dir.is_dir() {
        return Err(BuildError::MissingDirectory {
            dir: dir.to_owned(),
        });
    }
    let sources = read_sources(dir).map_err(|source| BuildError::Io {
        action: "read",
        path: dir.to_owned(),
        source,
    })?;
    let loaded = load(&sources);
    // Editor backups and patch leftovers are not embedded: the pack is what `load` read.
    let packed: Vec<SourceFile> = sources
        .into_iter()
        .filter(|source| !loaded.ignored.iter().any(|file| file.name == source.name))
        .collect();
    let set = loaded.into_result().map_err(BuildError::Problems)?;
    write_if_changed(&out_dir.join(PACKED_FILE_NAME), &pack_files(&packed))?;
    let path = out_dir.join(GENERATED_FILE_NAME);
    write_if_changed(&path, render_module(&set).as_bytes())?;
    Ok(path)
}

/// Writes `text` unless the file already holds it, so an unchanged directory touches nothing.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|source| BuildError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    })
}
