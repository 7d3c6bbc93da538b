//! Temporary clusters for tests: a fresh directory, a free port, durability off, and a watchdog
//! so the server never outlives the process that started it.

use std::{
    env,
    ffi::OsString,
    fs,
    os::unix::fs::DirBuilderExt,
    path::{Path, PathBuf},
    process,
    sync::{
        Mutex, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::{
    Binaries, Error, abandoned,
    cluster::{Cluster, Durability, StopMode},
    privilege::{ServerUser, describe, last_lines, printed},
    url::database_url,
    watchdog::Watchdog,
};

/// A running throwaway cluster in a fresh temporary directory.
///
/// It listens on 127.0.0.1 on a free port, trusts local connections for the superuser `postgres`,
/// and runs with `fsync`, `synchronous_commit` and `full_page_writes` off for speed.
///
/// Dropping it stops the server and deletes the directory. It is also safe to keep one in a
/// `static` (which is never dropped), or to be killed: a watchdog process does the same cleanup
/// as soon as this process is gone.
#[derive(Debug)]
pub struct TempCluster {
    cluster: Cluster,
    port: u16,
    /// Stops the server and deletes the directory when dropped.
    _watchdog: Watchdog,
}

impl TempCluster {
    /// Creates a cluster in a new temporary directory and starts its server.
    pub fn start() -> Result<TempCluster, Error> {
        let binaries = Binaries::locate()?;
        let user = ServerUser::detect()?;
        let dir = create_temp_dir()?;
        let cluster = Cluster::new(dir, binaries, user, Durability::Throwaway);
        let watchdog = match Watchdog::spawn(cluster.dir(), cluster.stop_argv(StopMode::Immediate))
        {
            Ok(watchdog) => watchdog,
            Err(error) => {
                let _ = fs::remove_dir_all(cluster.dir());
                return Err(error);
            }
        };
        // From here on, an early return drops the watchdog, which deletes the directory.
        cluster.user().check_can_reach(cluster.dir())?;
        cluster.user().hand_over(cluster.dir())?;
        cluster.initialize()?;
        let port = cluster.start()?;
        Ok(TempCluster {
            cluster,
            port,
            _watchdog: watchdog,
        })
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

    /// The temporary cluster directory, deleted when the cluster is dropped.
    pub fn dir(&self) -> &Path {
        self.cluster.dir()
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, WAL not yet
    /// written is lost), for tests of what survives a crash. [`TempCluster::restart`] brings it back.
    pub fn crash(&self) -> Result<(), Error> {
        self.cluster.stop(StopMode::Immediate)
    }

    /// Starts the server again after [`TempCluster::crash`] (crash recovery runs), on the same port.
    pub fn restart(&self) -> Result<(), Error> {
        let port = self.cluster.start()?;
        match port == self.port {
            true => Ok(()),
            false => Err(Error::PortChanged {
                was: self.port,
                now: port,
            }),
        }
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.cluster.log_file()
    }

    /// The cluster of this process, started on first use and shared by every test of a test binary
    /// (each test then takes a database of its own with [`TempCluster::create_database`]).
    pub fn shared() -> Result<&'static TempCluster, Error> {
        static SHARED: OnceLock<TempCluster> = OnceLock::new();
        static STARTING: Mutex<()> = Mutex::new(());
        if let Some(cluster) = SHARED.get() {
            return Ok(cluster);
        }
        let _starting = STARTING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cluster) = SHARED.get() {
            return Ok(cluster);
        }
        let cluster = TempCluster::start()?;
        Ok(SHARED.get_or_init(|| cluster))
    }

    /// Creates a fresh, empty database named `prefix_PID_N` and returns its URL.
    pub fn create_database(&self, prefix: &str) -> Result<String, Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "{prefix}_{}_{}",
            process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let createdb = self.cluster.binaries().bindir().join("createdb");
        let program = createdb.display().to_string();
        let args: Vec<OsString> = [
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            &name,
        ]
        .into_iter()
        .map(OsString::from)
        .collect();
        let output = process::Command::new(&createdb)
            .args(&args)
            .output()
            .map_err(|source| Error::Spawn { program, source })?;
        if !output.status.success() {
            return Err(Error::CommandFailed {
                command: describe(&createdb, &args),
                status: output.status.to_string(),
                output: last_lines(&printed(&output), 10),
            });
        }
        Ok(self.url(&name))
    }
}

/// Creates `$TMPDIR/carafe-pg-PID-N`, readable only by its owner, and returns it absolute; first
/// deletes those that processes killed with their watchdogs left there.
fn create_temp_dir() -> Result<PathBuf, Error> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let parent = env::temp_dir();
    abandoned::sweep(&parent);
    loop {
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!("{}{}-{number}", abandoned::PREFIX, process::id()));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                return fs::canonicalize(&dir)
                    .map_err(|source| Error::io("could not read", &dir, source));
            }
            // Left behind by an earlier process with the same id: take the next number.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(Error::io("could not create", &dir, source)),
        }
    }
}
