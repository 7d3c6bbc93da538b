//! The `carafe` command line: one file per command under [`commands`], no migration policy of its own
//! (every check lives in `carafe-core` or `carafe`).
//!
//! [`main`] reads migrations from the workspace's `migrations/` directory; [`main_with_embedded`] runs the
//! same commands on a set compiled into an app (SAQ Sommelier's `migrate` binary).

#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod output;

mod args;
pub mod commands;
mod context;
mod dotenv;
mod exit;
mod failure;
mod workspace;

pub use exit::Exit;
pub use failure::Failure;

use args::Cli;
use clap::Parser;
use std::process::ExitCode;

/// Runs `carafe` with the process's arguments, on migrations read from disk.
pub fn main() -> ExitCode {
    run(Cli::parse(), None)
}

/// Runs the same commands on a set compiled into an app; `revision` and `rehash` still write to the
/// directory the set was compiled from, found as `carafe` finds it.
pub fn main_with_embedded(set: &'static carafe::MigrationSet) -> ExitCode {
    run(Cli::parse(), Some(set))
}

fn run(cli: Cli, embedded: Option<&'static carafe::MigrationSet>) -> ExitCode {
    match commands::dispatch(&cli, embedded) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            tell!("error: {failure}");
            failure.exit().into()
        }
    }
}
