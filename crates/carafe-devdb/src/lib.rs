//! carafe-devdb: a local PostgreSQL cluster for development and tests, started from the system's
//! server binaries, so `carafe` and `cargo test` need no server running beforehand.
//!
//! - [`Binaries`] finds `initdb` and `pg_ctl` (`CARAFE_PG_BINDIR`, `PATH`, `pg_config`, or the
//!   usual install directories).
//! - [`DevCluster`] is the persistent, durable development cluster under a directory the caller
//!   names (the CLI uses `target/carafe-pg`): created once, started on demand, stopped on request.
//! - [`TempCluster`] is a throwaway cluster for tests, with durability off, that never outlives
//!   the process that started it.
//!
//! Both listen on 127.0.0.1 only, on a free port, and trust local connections for the superuser
//! `postgres`. When running as root, which PostgreSQL refuses, the server runs as the unprivileged
//! `postgres` user (via `runuser` or `setpriv`) and owns its cluster directory.
//! Errors are returned as [`Error`]; the library never prints.

mod abandoned;
mod binaries;
mod cluster;
mod dev;
mod error;
mod port;
mod privilege;
mod temp;
mod url;
mod watchdog;

pub use binaries::{BINDIR_VAR, Binaries};
pub use dev::{DevCluster, StopOutcome};
pub use error::Error;
pub use temp::TempCluster;
