//! The watchdog: a small shell process that stops a temporary server and deletes its directory
//! once the process that started it is gone, however it went (returned, exited, or was killed).
//!
//! The watchdog blocks reading a pipe whose only write end this process holds. When the write end
//! closes (on drop, or because the kernel closed it at exit) the read returns and the watchdog
//! cleans up. It runs in its own process group, so a Ctrl-C aimed at the tests does not kill it
//! first, and its output goes to /dev/null, so it never holds `cargo test`'s pipes open.

use std::{
    ffi::OsString,
    fs,
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
};

use crate::Error;

/// `sh -c SCRIPT NAME DIR STOP-COMMAND...`: wait for end of input, stop the server, delete DIR.
const SCRIPT: &str = r#"trap '' HUP INT; read -r line; dir=$1; shift; "$@"; rm -rf -- "$dir""#;

/// A running watchdog for one cluster directory. Dropping it stops the server and deletes the
/// directory, and returns once both are done.
#[derive(Debug)]
pub(crate) struct Watchdog {
    child: Child,
    dir: PathBuf,
    stop_argv: Vec<OsString>,
}

impl Watchdog {
    /// Starts a watchdog that, when this process lets go of it, runs `stop_argv` and then deletes
    /// `dir`.
    pub(crate) fn spawn(dir: &Path, stop_argv: Vec<OsString>) -> Result<Watchdog, Error> {
        let child = Command::new("/bin/sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("carafe-devdb-watchdog")
            .arg(dir)
            .args(&stop_argv)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|source| Error::Spawn {
                program: "/bin/sh".into(),
                source,
            })?;
        Ok(Watchdog {
            child,
            dir: dir.to_path_buf(),
            stop_argv,
        })
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
        // Only if the watchdog itself was killed: clean up from here.
        if self.dir.exists() {
            if let Some((program, args)) = self.stop_argv.split_first() {
                let _ = Command::new(program)
                    .args(args)
                    .current_dir("/")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
