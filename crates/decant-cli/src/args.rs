//! The command line, declared with clap.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Version control for a PostgreSQL schema.
#[derive(Debug, Parser)]
#[command(name = "decant", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The migrations directory [default: the nearest `migrations/` above the current directory]
    #[arg(long, global = true, env = "DECANT_MIGRATIONS_DIR", value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write a new migration file with the next number and record it in `decant.sum`
    Revision {
        /// What the revision does; becomes the file's slug and description
        #[arg(short, long)]
        message: String,
    },
    /// Rewrite `decant.sum` from the files (only for revisions never applied to a shared database)
    Rehash,
}
