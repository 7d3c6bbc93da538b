//! Temporary cluster directories left behind by a process that is gone: when something kills the
//! tests and their watchdogs together (a CI runner ending every process of a job, `kill -9` on a
//! process group), nothing is left to delete them. The next temporary cluster deletes them first.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// The prefix of every temporary cluster directory: `carafe-pg-PID-N`.
pub(crate) const PREFIX: &str = "carafe-pg-";

/// Deletes every `carafe-pg-PID-N` directory in `parent` whose process PID is gone and whose
/// server (the pid in `data/postmaster.pid`) is not running; returns those deleted. A directory
/// whose process or server lives is left alone, as is everything on a system without `/proc`
/// (where whether a process lives cannot be read without a dependency). Errors are ignored: a
/// directory that cannot be deleted now is tried again by the next cluster.
pub(crate) fn sweep(parent: &Path) -> Vec<PathBuf> {
    if !Path::new("/proc/self").exists() {
        return Vec::new();
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut deleted = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(creator) else {
            continue;
        };
        let dir = entry.path();
        let server_runs = server_pid(&dir).is_some_and(lives);
        // This process's own directories too: it lives.
        if lives(pid) || server_runs {
            continue;
        }
        if fs::remove_dir_all(&dir).is_ok() {
            deleted.push(dir);
        }
    }
    deleted
}

/// The PID in a directory name `carafe-pg-PID-N`, or `None` for any other name.
fn creator(name: &str) -> Option<u32> {
    let (pid, number) = name.strip_prefix(PREFIX)?.split_once('-')?;
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    match digits(pid) && digits(number) {
        true => pid.parse().ok(),
        false => None,
    }
}

/// The postmaster's pid, the first line of `data/postmaster.pid`, when the file is there.
fn server_pid(dir: &Path) -> Option<u32> {
    let text = fs::read_to_string(dir.join("data").join("postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

/// Whether process `pid` exists.
fn lives(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// The pid of a process that has ended (and, within the test's few milliseconds, was not
    /// reused).
    fn ended_pid() -> u32 {
        let mut child = Command::new("true").spawn().expect("true runs");
        let pid = child.id();
        child.wait().expect("true ends");
        pid
    }

    #[test]
    fn only_directories_of_ended_processes_without_a_running_server_go() {
        let parent = tempfile::tempdir().expect("a directory");
        let gone = ended_pid();
        let make = |name: &str| {
            let dir = parent.path().join(name);
            fs::create_dir_all(dir.join("data")).expect("a cluster directory");
            dir
        };
        let abandoned = make(&format!("carafe-pg-{gone}-0"));
        fs::write(abandoned.join("data").join("PG_VERSION"), "15\n").expect("a file");
        let ours = make(&format!("carafe-pg-{}-7", std::process::id()));
        let init = make("carafe-pg-1-0");
        let server_lives = make(&format!("carafe-pg-{gone}-1"));
        fs::write(
            server_lives.join("data").join("postmaster.pid"),
            format!("{}\n/data\n", std::process::id()),
        )
        .expect("a pid file");
        let stale_pid_file = make(&format!("carafe-pg-{gone}-2"));
        fs::write(
            stale_pid_file.join("data").join("postmaster.pid"),
            format!("{gone}\n/data\n"),
        )
        .expect("a pid file");
        let other = make(&format!("carafe-pg-{gone}-x"));
        let mut deleted = sweep(parent.path());
        deleted.sort();
        assert_eq!(deleted, [abandoned.clone(), stale_pid_file.clone()]);
        assert!(!abandoned.exists() && !stale_pid_file.exists());
        for kept in [ours, init, server_lives, other] {
            assert!(kept.exists(), "{} was deleted", kept.display());
        }
    }

    #[test]
    fn only_cluster_directory_names_are_read() {
        assert_eq!(creator("carafe-pg-123-4"), Some(123));
        assert_eq!(creator("carafe-pg-123-"), None);
        assert_eq!(creator("carafe-pg--4"), None);
        assert_eq!(creator("carafe-pg-12a-4"), None);
        assert_eq!(creator("carafe-pg"), None);
        assert_eq!(creator("other-123-4"), None);
    }
}
