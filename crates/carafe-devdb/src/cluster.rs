//! One cluster directory on disk, and the `initdb` and `pg_ctl` commands that act on it.
//!
//! A cluster directory `DIR` holds:
//! - `DIR/data`: the data directory. Its `carafe.conf`, included from `postgresql.conf`, holds
//!   the port, the listen address, the socket directory and the durability settings.
//! - `DIR/data.partial`: a data directory being created, renamed to `data` once complete, so an
//!   interrupted `initdb` never leaves a half-made cluster behind.
//! - `DIR/server.log`: the server's log.
//! - `DIR/.s.PGSQL.PORT`: the server's Unix socket, when that path is short enough.

use std::{
    ffi::OsString,
    fs,
    io::{Read, Seek, SeekFrom},
    path::{Path, PathBuf},
};

use crate::{
    Binaries, Error,
    port::{START_ATTEMPTS, free_port, log_says_port_taken},
    privilege::{ServerUser, describe, last_lines, printed},
    url::SUPERUSER,
};

/// The settings file carafe writes into the data directory.
const SETTINGS_FILE: &str = "carafe.conf";

/// The longest Unix socket path every platform accepts (`sun_path` is 104 bytes on macOS).
const MAX_SOCKET_PATH: usize = 103;

/// The server's log file, in the cluster directory.
pub(crate) const LOG_FILE: &str = "server.log";

/// How many lines of the server log a start failure shows.
const LOG_TAIL_LINES: usize = 20;

/// Whether commits must survive a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// The server's defaults: fsync on, so commit costs are real.
    Durable,
    /// fsync, synchronous commit and full page writes off: fast, and lost on a crash.
    Throwaway,
}

/// Whether a server runs on a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Running,
    Stopped,
}

/// How `pg_ctl stop` ends the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopMode {
    /// Roll back open transactions, checkpoint, exit.
    Fast,
    /// Exit at once; the next start recovers. For clusters about to be deleted.
    Immediate,
}

/// A cluster directory with the binaries and the user that run its server.
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    dir: PathBuf,
    binaries: Binaries,
    user: ServerUser,
    durability: Durability,
}

impl Cluster {
    /// A cluster in `dir`, which must be absolute and exist.
    pub(crate) fn new(
        dir: PathBuf,
        binaries: Binaries,
        user: ServerUser,
        durability: Durability,
    ) -> Cluster {
        Cluster {
            dir,
            binaries,
            user,
            durability,
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub(crate) fn log_file(&self) -> PathBuf {
        self.dir.join(LOG_FILE)
    }

    pub(crate) fn binaries(&self) -> &Binaries {
        &self.binaries
    }

    pub(crate) fn user(&self) -> &ServerUser {
        &self.user
    }

    pub(crate) fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file()
    }

    /// Creates the data directory with `initdb` and writes carafe's settings, with a free port.
    pub(crate) fn initialize(&self) -> Result<(), Error> {
        let partial = self.dir.join("data.partial");
        if partial.exists() {
            fs::remove_dir_all(&partial)
                .map_err(|source| Error::io("could not remove", &partial, source))?;
        }
        let mut args: Vec<OsString> = vec![
            "-D".into(),
            partial.clone().into(),
            "-U".into(),
            SUPERUSER.into(),
            "--auth=trust".into(),
            "-E".into(),
            "UTF8".into(),
            "--locale=C".into(),
        ];
        if self.durability == Durability::Throwaway {
            args.push("--no-sync".into());
        }
        self.user.run_checked(&self.binaries.initdb(), &args)?;
        self.write_settings(&partial, free_port()?)?;
        let main_conf = partial.join("postgresql.conf");
        let mut text = fs::read_to_string(&main_conf)
            .map_err(|source| Error::io("could not read", &main_conf, source))?;
        text.push_str(&format!(
            "\n# Port, listen address, socket directory and durability, set by carafe-devdb.\ninclude '{SETTINGS_FILE}'\n"
        ));
        fs::write(&main_conf, text)
            .map_err(|source| Error::io("could not write", &main_conf, source))?;
        let data_dir = self.data_dir();
        fs::rename(&partial, &data_dir)
            .map_err(|source| Error::io("could not rename to `data`", &partial, source))
    }

    /// The port the server listens on, from the settings file.
    pub(crate) fn port(&self) -> Result<u16, Error> {
        let path = self.data_dir().join(SETTINGS_FILE);
        let text = fs::read_to_string(&path)
            .map_err(|source| Error::io("could not read", &path, source))?;
        port_setting(&text).ok_or_else(|| Error::PortNotSet {
            path,
            cluster_dir: self.dir.clone(),
        })
    }

    /// Whether the server runs (`pg_ctl status`).
    pub(crate) fn status(&self) -> Result<Status, Error> {
        let args = self.pg_ctl_args("status", &[]);
        let output = self.user.run(&self.binaries.pg_ctl(), &args)?;
        match output.status.code() {
            Some(0) => Ok(Status::Running),
            Some(3) => Ok(Status::Stopped),
            _ => Err(Error::CommandFailed {
                command: describe(&self.binaries.pg_ctl(), &args),
                status: output.status.to_string(),
                output: last_lines(&printed(&output), 10),
            }),
        }
    }

    /// Starts the server and waits until it accepts connections; returns its port. When the port
    /// turns out to be taken, moves to another free port and tries again.
    pub(crate) fn start(&self) -> Result<u16, Error> {
        let log_file = self.log_file();
        let log_file_arg: OsString = log_file.clone().into();
        let args = self.pg_ctl_args("start", &["-l".into(), log_file_arg]);
        let mut attempt = 1;
        loop {
            let port = self.port()?;
            let log_start = fs::metadata(&log_file).map_or(0, |meta| meta.len());
            let output = self.user.run(&self.binaries.pg_ctl(), &args)?;
            if output.status.success() {
                return Ok(port);
            }
            let logged = read_from(&log_file, log_start);
            if log_says_port_taken(&logged) && attempt < START_ATTEMPTS {
                attempt += 1;
                self.write_settings(&self.data_dir(), free_port()?)?;
                continue;
            }
            let said = if logged.trim().is_empty() {
                printed(&output)
            } else {
                logged
            };
            return Err(Error::StartFailed {
                data_dir: self.data_dir(),
                log_file,
                log_tail: last_lines(&said, LOG_TAIL_LINES),
            });
        }
    }

    /// Stops the server and waits until it has exited.
    pub(crate) fn stop(&self, mode: StopMode) -> Result<(), Error> {
        let args = self.stop_args(mode);
        self.user.run_checked(&self.binaries.pg_ctl(), &args)?;
        Ok(())
    }

    /// The full command line that stops the server, as the right user.
    pub(crate) fn stop_argv(&self, mode: StopMode) -> Vec<OsString> {
        self.user
            .argv(&self.binaries.pg_ctl(), &self.stop_args(mode))
    }

    fn stop_args(&self, mode: StopMode) -> Vec<OsString> {
        let mode = match mode {
            StopMode::Fast => "fast",
            StopMode::Immediate => "immediate",
        };
        self.pg_ctl_args("stop", &["-m".into(), mode.into()])
    }

    /// `pg_ctl ACTION -w -D DATA EXTRA...`
    fn pg_ctl_args(&self, action: &str, extra: &[OsString]) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![action.into()];
        if action != "status" {
            args.push("-w".into());
        }
        args.extend(["-D".into(), self.data_dir().into()]);
        args.extend(extra.iter().cloned());
        args
    }

    /// Writes `carafe.conf` into `data_dir` for `port`, and gives it to the server's user.
    fn write_settings(&self, data_dir: &Path, port: u16) -> Result<(), Error> {
        let path = data_dir.join(SETTINGS_FILE);
        let text = settings_text(port, self.socket_dir(port), self.durability);
        fs::write(&path, text).map_err(|source| Error::io("could not write", &path, source))?;
        self.user.hand_over(&path)
    }

    /// The cluster directory, if a socket in it stays within the platform's path limit and its
    /// name needs no quoting in `unix_socket_directories`; else none (TCP only).
    fn socket_dir(&self, port: u16) -> Option<&Path> {
        let socket = self.dir.join(format!(".s.PGSQL.{port}"));
        let text = self.dir.to_str()?;
        let fits = socket.as_os_str().len() <= MAX_SOCKET_PATH;
        (fits && !text.contains([',', '"'])).then_some(self.dir.as_path())
    }
}

/// The text of `carafe.conf`.
fn settings_text(port: u16, socket_dir: Option<&Path>, durability: Durability) -> String {
    let socket_dirs = socket_dir.map_or(String::new(), |dir| dir.display().to_string());
    let mut text = format!(
        "# Written by carafe-devdb; rewritten when the port is taken.\n\
         listen_addresses = '127.0.0.1'\n\
         port = {port}\n\
         unix_socket_directories = {}\n",
        quote(&socket_dirs)
    );
    if durability == Durability::Throwaway {
        text.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
    }
    text
}

/// A `postgresql.conf` string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}

/// The value of the `port = N` line.
fn port_setting(settings: &str) -> Option<u16> {
    settings.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        if name.trim() != "port" {
            return None;
        }
        value.trim().parse().ok()
    })
}

/// What was appended to `path` after byte `offset` (empty if unreadable).
fn read_from(path: &Path, offset: u64) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut file) = fs::File::open(path) {
        let _ = file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_to_end(&mut bytes));
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durable_settings_leave_fsync_alone() {
        let text = settings_text(
            5433,
            Some(Path::new("/w/target/carafe-pg")),
            Durability::Durable,
        );
        assert_eq!(
            text,
            "# Written by carafe-devdb; rewritten when the port is taken.\n\
             listen_addresses = '127.0.0.1'\n\
             port = 5433\n\
             unix_socket_directories = '/w/target/carafe-pg'\n"
        );
    }

    #[test]
    fn throwaway_settings_turn_durability_off() {
        let text = settings_text(5433, None, Durability::Throwaway);
        assert!(text.contains("unix_socket_directories = ''\n"));
        assert!(text.ends_with("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"));
    }

    #[test]
    fn the_port_is_read_back_from_the_settings() {
        let text = settings_text(61234, None, Durability::Throwaway);
        assert_eq!(port_setting(&text), Some(61234));
        assert_eq!(port_setting("listen_addresses = '127.0.0.1'\n"), None);
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(r"/tmp/it's\here"), r"'/tmp/it''s\\here'");
    }
}
