//! The command line, declared with clap.

#[cfg(feature = "dev")]
use clap::ValueEnum;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Version control for a PostgreSQL schema.
#[derive(Debug, Parser)]
#[command(name = "carafe", version, about, propagate_version = true)]
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
    #[arg(long, global = true, env = "CARAFE_MIGRATIONS_DIR", value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// The database [default: DATABASE_URL from the environment or `.env`, else the local development server]
    #[arg(long, global = true, value_name = "URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,
    /// The history table, as TABLE or SCHEMA.TABLE
    #[arg(
        long,
        global = true,
        env = "CARAFE_HISTORY_TABLE",
        value_name = "[SCHEMA.]TABLE",
        default_value = "public.carafe_history"
    )]
    pub(crate) history_table: String,
    /// How long to wait for another run's migration lock (e.g. 30s, 5m)
    #[arg(
        long,
        global = true,
        env = "CARAFE_LOCK_WAIT",
        value_name = "DURATION",
        default_value = "5m"
    )]
    pub(crate) lock_wait: String,
    /// `lock_timeout` for each transactional revision; 0 keeps the server's setting
    #[arg(
        long,
        global = true,
        env = "CARAFE_LOCK_TIMEOUT",
        value_name = "DURATION",
        default_value = "10s"
    )]
    pub(crate) lock_timeout: String,
    /// Print JSON instead of text (current, heads, history, show, upgrade, downgrade, stamp)
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    #[cfg(feature = "dev")]
    /// Set up carafe in the Cargo package here: migrations/, build.rs, the typed module, a `migrate`
    /// binary, the dependencies and the justfile recipes (never overwrites; safe to run again)
    Init {
        /// Depend on carafe's crates in this directory (a checkout) instead of crates.io
        #[arg(long, value_name = "DIR", hide = true)]
        carafe_path: Option<PathBuf>,
    },
    #[cfg(feature = "dev")]
    /// Write a new migration file with the next number and record it in `carafe.sum`
    Revision {
        /// What the revision does; becomes the file's slug and description
        #[arg(short, long, allow_hyphen_values = true)]
        message: String,
        /// Write the SQL that turns what the migrations build into what the models and `schema.sql` declare
        #[arg(long)]
        autogenerate: bool,
        #[command(flatten)]
        desired: Desired,
    },
    #[cfg(feature = "dev")]
    /// Fail (exit 12) when the migrations do not build the declared schema (models, `schema.sql`), or
    /// the database has pending revisions or drift
    Check {
        #[command(flatten)]
        desired: Desired,
    },
    #[cfg(feature = "dev")]
    /// Upgrade, downgrade and upgrade each revision on a scratch database; fail (exit 12) at the first
    /// whose down is not the inverse of its up
    Verify {
        #[command(flatten)]
        desired: Desired,
    },
    #[cfg(feature = "dev")]
    /// Show how the database differs from what its applied migrations build (drift made by hand);
    /// exit 12 when it does
    Diff {
        #[command(flatten)]
        desired: Desired,
    },
    #[cfg(feature = "dev")]
    /// Rewrite `carafe.sum` from the files (only for revisions never applied to a shared database)
    Rehash {
        /// Record edited files even where the configured database applied them with another checksum
        #[arg(long)]
        force: bool,
    },
    #[cfg(feature = "dev")]
    /// After merging or rebasing onto a branch that also added revisions: move this branch's new
    /// revisions after the other branch's, rewrite `carafe.sum`, update `m0005_slug` references
    Renumber {
        /// The git branch or commit whose revisions keep their numbers [default: MERGE_HEAD during a
        /// merge, HEAD during a rebase or cherry-pick]
        #[arg(long, value_name = "REF")]
        onto: Option<String>,
        /// Print what would change and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    #[cfg(feature = "dev")]
    /// Replace revisions 0001..NNNN with one baseline built from `pg_dump` of what they build,
    /// checked on scratch databases; databases past NNNN keep working
    Squash {
        /// The last revision to replace
        #[arg(long, value_name = "NNNN")]
        to: String,
        /// The baseline's slug
        #[arg(short, long, default_value = "baseline")]
        message: String,
        /// Check and print, write nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        desired: Desired,
    },
    /// Apply revisions: `head` (default), `+N`, or a revision number
    Upgrade {
        /// head, +N or NNNN
        #[arg(default_value = "head", allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        offline: Offline,
        /// Apply every revision of this run in one transaction (all or nothing)
        #[arg(long)]
        one_transaction: bool,
    },
    /// Undo revisions: `-1` (default), `-N`, a revision number to go down to, or `base`
    Downgrade {
        /// -N, NNNN or base
        #[arg(default_value = "-1", allow_hyphen_values = true)]
        target: String,
        #[command(flatten)]
        offline: Offline,
    },
    /// Show the revision the database is at
    Current {
        /// Exit 9 when the database is not at the code's head
        #[arg(long)]
        check: bool,
    },
    /// Show the newest revision the code knows
    Heads,
    /// List every revision, applied or pending, with when and how long
    History,
    /// Show one revision: its description, checksum and SQL
    Show {
        /// The revision number
        revision: String,
    },
    /// Record a revision as applied without running anything (adopting an existing database)
    Stamp {
        /// NNNN or base
        revision: String,
    },
    #[cfg(feature = "dev")]
    /// Convert another tool's migrations directory into revisions in the migrations directory
    /// (which must hold none yet), and report every decision in `carafe-import-report.txt` beside it
    Import {
        /// The tool the migrations were written for
        #[arg(long = "from", value_enum, value_name = "TOOL")]
        from: ImportFrom,
        /// The other tool's migrations directory
        #[arg(value_name = "DIR")]
        source: PathBuf,
    },
    #[cfg(feature = "dev")]
    /// Map another tool's history table in the database to revisions and print the mapping;
    /// with `--apply`, record them in carafe's history without running anything (the old table stays)
    Adopt {
        /// The tool whose history table the database has
        #[arg(long = "from", value_enum, value_name = "TOOL")]
        from: AdoptFrom,
        /// The other tool's history table [default: the one the tool creates]
        #[arg(long, value_name = "[SCHEMA.]NAME")]
        table: Option<String>,
        /// For alembic: the revision whose schema the alembic head has
        #[arg(long, value_name = "NNNN")]
        at: Option<String>,
        /// Stamp carafe's history (one transaction, under the migration lock); without it, a dry run
        #[arg(long)]
        apply: bool,
    },
    #[cfg(feature = "dev")]
    /// Manage the local development server (used when DATABASE_URL is not set)
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
}

/// Where the desired schema and the scratch databases are.
#[cfg(feature = "dev")]
#[derive(Debug, Args)]
pub(crate) struct Desired {
    /// The declared schema [default: `[workspace.metadata.carafe] schema` in Cargo.toml, else `schema.sql` beside `migrations/`]
    #[arg(long, env = "CARAFE_SCHEMA", value_name = "PATH")]
    pub(crate) schema: Option<PathBuf>,
    /// A column rename to use instead of a drop and an add, as TABLE.OLD:NEW or SCHEMA.TABLE.OLD:NEW
    #[arg(long = "rename", value_name = "TABLE.OLD:NEW")]
    pub(crate) renames: Vec<String>,
    /// The server for scratch databases [default: the database's server, else the local development server]
    #[arg(
        long,
        env = "CARAFE_SCRATCH_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) scratch_url: Option<String>,
}

/// Offline mode.
#[derive(Debug, Args)]
pub(crate) struct Offline {
    /// Print the SQL script instead of running it (no connection)
    #[arg(long)]
    pub(crate) sql: bool,
    /// With --sql: the revision the database is at [default: base for upgrade, head for downgrade]
    #[arg(long, requires = "sql", value_name = "REVISION")]
    pub(crate) from: Option<String>,
}

#[cfg(feature = "dev")]
#[derive(Debug, Subcommand)]
pub(crate) enum DbAction {
    /// Create (once) and start the local development server under target/carafe-pg
    Up,
    /// Stop the local development server
    Down,
    /// Print the development database's URL
    Url,
}

/// The tools `carafe import` reads.
#[cfg(feature = "dev")]
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ImportFrom {
    Sqlx,
    Diesel,
    Refinery,
    GolangMigrate,
    Dbmate,
    Goose,
    Flyway,
}

/// The tools whose history `carafe adopt` reads.
#[cfg(feature = "dev")]
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum AdoptFrom {
    Alembic,
    Sqlx,
    Refinery,
    Diesel,
    Flyway,
    GolangMigrate,
    Dbmate,
    Goose,
}

#[cfg(feature = "dev")]
impl From<ImportFrom> for carafe_import::Tool {
    fn from(tool: ImportFrom) -> carafe_import::Tool {
        use carafe_import::Tool;
        match tool {
            ImportFrom::Sqlx => Tool::Sqlx,
            ImportFrom::Diesel => Tool::Diesel,
            ImportFrom::Refinery => Tool::Refinery,
            ImportFrom::GolangMigrate => Tool::GolangMigrate,
            ImportFrom::Dbmate => Tool::Dbmate,
            ImportFrom::Goose => Tool::Goose,
            ImportFrom::Flyway => Tool::Flyway,
        }
    }
}

#[cfg(feature = "dev")]
impl From<AdoptFrom> for carafe_import::Tool {
    fn from(tool: AdoptFrom) -> carafe_import::Tool {
        use carafe_import::Tool;
        match tool {
            AdoptFrom::Alembic => Tool::Alembic,
            AdoptFrom::Sqlx => Tool::Sqlx,
            AdoptFrom::Refinery => Tool::Refinery,
            AdoptFrom::Diesel => Tool::Diesel,
            AdoptFrom::Flyway => Tool::Flyway,
            AdoptFrom::GolangMigrate => Tool::GolangMigrate,
            AdoptFrom::Dbmate => Tool::Dbmate,
            AdoptFrom::Goose => Tool::Goose,
        }
    }
}
