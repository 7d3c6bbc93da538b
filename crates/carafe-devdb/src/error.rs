//! The one error type of `carafe-devdb`; each variant names the path or command it concerns.

use std::{io, path::PathBuf};

/// Everything that can go wrong while finding, creating, starting or stopping a local cluster.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No directory holding `initdb` and `pg_ctl` was found.
    #[error(
        "no PostgreSQL server binaries (`initdb`, `pg_ctl`) in {searched}: install the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@16), or set CARAFE_PG_BINDIR"
    )]
    BinariesNotFound {
        /// Where the search looked, in words (e.g. "`CARAFE_PG_BINDIR` (`/opt/pg`)").
        searched: String,
    },

    /// Running as root, and the unprivileged user that must run the server does not exist.
    #[error(
        "running as root, and there is no `{user}` user to run the PostgreSQL server as: create it (`useradd --system --user-group {user}`) or run as an ordinary user"
    )]
    NoServerUser {
        /// The missing user's name.
        user: String,
    },

    /// Running as root, and no tool to run a command as another user was found.
    #[error(
        "running as root, and neither `runuser` nor `setpriv` is on PATH to run the PostgreSQL server as `{user}`: install util-linux or run as an ordinary user"
    )]
    NoUserSwitchTool {
        /// The user the server would have run as.
        user: String,
    },

    /// Running as root, and the server's user cannot reach the cluster directory.
    #[error(
        "`{path}` is not searchable by the `{user}` user that runs the PostgreSQL server: put the cluster directory elsewhere, or run `chmod o+x {path}`"
    )]
    NotSearchable {
        /// The ancestor directory that blocks the way.
        path: PathBuf,
        /// The user that runs the server.
        user: String,
    },

    /// A file system operation failed.
    #[error("{action} `{path}`: {source}")]
    Io {
        /// What was being done, e.g. "could not create directory".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },

    /// The system would not give out a free TCP port on 127.0.0.1.
    #[error("could not find a free port on 127.0.0.1: {source}")]
    NoFreePort {
        /// The underlying error.
        source: io::Error,
    },

    /// A program could not be started at all.
    #[error("could not run `{program}`: {source}")]
    Spawn {
        /// The program, as it was named.
        program: String,
        /// The underlying error.
        source: io::Error,
    },

    /// A program ran and failed.
    #[error("`{command}` failed ({status}): {output}")]
    CommandFailed {
        /// The command line, without any user-switching prefix.
        command: String,
        /// How it ended, e.g. "exit status: 1".
        status: String,
        /// The last lines it printed.
        output: String,
    },

    /// `pg_ctl start` could not start the server.
    #[error("the PostgreSQL server in `{data_dir}` did not start (log `{log_file}`):\n{log_tail}")]
    StartFailed {
        /// The cluster's data directory.
        data_dir: PathBuf,
        /// The server's log file.
        log_file: PathBuf,
        /// The last lines the server logged while trying to start.
        log_tail: String,
    },

    /// The cluster's settings file does not say which port the server listens on.
    #[error(
        "`{path}` does not set the server's `port`: stop the cluster and delete `{cluster_dir}` to recreate it"
    )]
    PortNotSet {
        /// The settings file.
        path: PathBuf,
        /// The cluster directory to delete.
        cluster_dir: PathBuf,
    },
    /// A restarted throwaway server came back on another port (its own was taken meanwhile).
    #[error(
        "the restarted server listens on port {now}, not {was}: its port was taken while it was down"
    )]
    PortChanged {
        /// The port before.
        was: u16,
        /// The port now.
        now: u16,
    },
}

impl Error {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
