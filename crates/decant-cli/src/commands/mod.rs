//! One file per command; [`dispatch`] routes the parsed command line to it.

mod rehash;
mod revision;

use crate::args::{Cli, Command};
use crate::workspace::migrations_dir;
use crate::{Exit, Failure};
use decant_core::{Loaded, load_dir};
use std::path::Path;

pub(crate) fn dispatch(
    cli: &Cli,
    _embedded: Option<&'static decant::MigrationSet>,
) -> Result<(), Failure> {
    let dir = migrations_dir(cli.global.dir.as_deref())?;
    match &cli.command {
        Command::Revision { message } => revision::run(&dir, message),
        Command::Rehash => rehash::run(&dir),
    }
}

/// Reads the migrations directory, failing only when it cannot be read at all.
pub(crate) fn read_dir(dir: &Path) -> Result<Loaded, Failure> {
    load_dir(dir).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!(
                "cannot read migrations directory `{}`: {error}",
                dir.display()
            ),
        )
    })
}

/// Writes `decant.sum` for what `loaded` read from `dir`.
pub(crate) fn write_sum(dir: &Path, loaded: &Loaded) -> Result<(), Failure> {
    let path = dir.join(decant_core::SUM_FILE_NAME);
    std::fs::write(&path, loaded.sum_file().render()).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })
}

/// The problems that are not about `decant.sum`, one per line, for a refusal message.
pub(crate) fn file_problems(dir: &Path, loaded: &Loaded) -> Vec<String> {
    loaded
        .problems
        .iter()
        .filter(|problem| !problem.kind.is_about_sum())
        .map(|problem| problem.in_dir(dir).to_string())
        .collect()
}
