//! The persistent development cluster: created once under a directory the caller names (the CLI
//! uses `<workspace>/target/carafe-pg`), started on demand, durable.

use std::{
    fs::{self, File},
    path::{Path, PathBuf},
};

use crate::{
    Binaries, Error,
    cluster::{Cluster, Durability, LOG_FILE, Status, StopMode},
    privilege::ServerUser,
    url::database_url,
};

/// The lock file that serialises processes creating, starting or stopping the same cluster.
const LOCK_FILE: &str = "carafe.lock";

/// A running development cluster.
///
/// It listens on 127.0.0.1 only, on a port chosen when it was created and kept across restarts,
/// trusts local connections for the superuser `postgres`, and keeps fsync on so that commit costs
/// measured on it are real. Dropping a `DevCluster` leaves the server running; see
/// [`DevCluster::stop`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevCluster {
    dir: PathBuf,
    port: u16,
    started_now: bool,
}

/// What [`DevCluster::stop`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// A server was running and has stopped.
    Stopped,
    /// No server was running (or there is no cluster); nothing was done.
    WasNotRunning,
}

impl DevCluster {
    /// Makes sure a cluster exists in `dir` and its server runs: creates it with `initdb` if
    /// absent, starts it with `pg_ctl start` if stopped, and otherwise reuses the running server.
    /// Safe when several processes call it at once: they take turns on a lock file in `dir`.
    pub fn ensure_running(dir: impl AsRef<Path>) -> Result<DevCluster, Error> {
        let binaries = Binaries::locate()?;
        let user = ServerUser::detect()?;
        let dir = prepare_dir(dir.as_ref(), &user)?;
        let _lock = lock(&dir)?;
        let cluster = Cluster::new(dir.clone(), binaries, user, Durability::Durable);
        if !cluster.is_initialized() {
            cluster.initialize()?;
        }
        let (port, started_now) = match cluster.status()? {
            Status::Running => (cluster.port()?, false),
            Status::Stopped => (cluster.start()?, true),
        };
        Ok(DevCluster {
            dir,
            port,
            started_now,
        })
    }

    /// Stops the server of the cluster in `dir` (`pg_ctl stop -m fast`) if it runs. Keeps the
    /// cluster's data; a later [`DevCluster::ensure_running`] starts it again on the same port.
    pub fn stop(dir: impl AsRef<Path>) -> Result<StopOutcome, Error> {
        let dir = dir.as_ref();
        if !dir.join("data").join("PG_VERSION").is_file() {
            return Ok(StopOutcome::WasNotRunning);
        }
        let binaries = Binaries::locate()?;
        let user = ServerUser::detect()?;
        let dir =
            fs::canonicalize(dir).map_err(|source| Error::io("could not read", dir, source))?;
        let _lock = lock(&dir)?;
        let cluster = Cluster::new(dir, binaries, user, Durability::Durable);
        match cluster.status()? {
            Status::Running => {
                cluster.stop(StopMode::Fast)?;
                Ok(StopOutcome::Stopped)
            }
            Status::Stopped => Ok(StopOutcome::WasNotRunning),
        }
    }

    /// The URL of database `dbname` on this cluster:
    /// `postgresql://postgres@127.0.0.1:PORT/DBNAME`.
    pub fn url(&self, dbname: &str) -> String {
        database_url(self.port, dbname)
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether [`DevCluster::ensure_running`] started the server (it was stopped), rather than
    /// finding it running. Either way it keeps running after this process ends.
    pub fn started_now(&self) -> bool {
        self.started_now
    }

    /// The cluster directory, made absolute.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join(LOG_FILE)
    }
}

/// Creates `dir` if needed and returns it absolute; when the server runs as another user, checks
/// that user can reach it and gives it the directory.
fn prepare_dir(dir: &Path, user: &ServerUser) -> Result<PathBuf, Error> {
    fs::create_dir_all(dir).map_err(|source| Error::io("could not create", dir, source))?;
    let dir = fs::canonicalize(dir).map_err(|source| Error::io("could not read", dir, source))?;
    user.check_can_reach(&dir)?;
    user.hand_over(&dir)?;
    Ok(dir)
}

/// Takes the cluster's lock, waiting for any other holder; released when the file is dropped.
fn lock(dir: &Path) -> Result<File, Error> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::io("could not open", &path, source))?;
    file.lock()
        .map_err(|source| Error::io("could not lock", &path, source))?;
    Ok(file)
}
