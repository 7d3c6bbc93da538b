//! Who runs the server-side commands: the current user, or the unprivileged `postgres` user when
//! running as root (PostgreSQL refuses to run as root).

use std::{
    ffi::OsString,
    fs,
    os::unix::fs::{MetadataExt, chown},
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use crate::{Error, binaries::find_on_path, binaries::is_executable};

/// The user that runs the server when carafe runs as root.
const SERVER_USER: &str = "postgres";

/// The user that runs `initdb`, `pg_ctl` and so the server.
#[derive(Debug, Clone)]
pub(crate) enum ServerUser {
    /// The current user, who is not root.
    Current,
    /// An unprivileged user, switched to from root.
    Switched {
        name: String,
        uid: u32,
        gid: u32,
        /// The argv prefix that runs the rest of a command line as this user.
        prefix: Vec<OsString>,
    },
}

impl ServerUser {
    /// The current user, unless that is root: then the unprivileged `postgres` user.
    pub(crate) fn detect() -> Result<ServerUser, Error> {
        if effective_uid()? != 0 {
            return Ok(ServerUser::Current);
        }
        let name = SERVER_USER.to_string();
        let (uid, gid) = match (id_of(&name, "-u")?, id_of(&name, "-g")?) {
            (Some(uid), Some(gid)) => (uid, gid),
            _ => return Err(Error::NoServerUser { user: name }),
        };
        let prefix: Vec<OsString> = if let Some(runuser) = find_tool("runuser") {
            vec![
                runuser.into(),
                "-u".into(),
                name.clone().into(),
                "--".into(),
            ]
        } else if let Some(setpriv) = find_tool("setpriv") {
            vec![
                setpriv.into(),
                format!("--reuid={uid}").into(),
                format!("--regid={gid}").into(),
                "--init-groups".into(),
                "--".into(),
            ]
        } else {
            return Err(Error::NoUserSwitchTool { user: name });
        };
        Ok(ServerUser::Switched {
            name,
            uid,
            gid,
            prefix,
        })
    }

    /// The full argv that runs `program` with `args` as this user.
    pub(crate) fn argv(&self, program: &Path, args: &[OsString]) -> Vec<OsString> {
        let mut argv = match self {
            ServerUser::Current => Vec::new(),
            ServerUser::Switched { prefix, .. } => prefix.clone(),
        };
        argv.push(program.into());
        argv.extend(args.iter().cloned());
        argv
    }

    /// Runs `program` with `args` as this user, from `/` (which every user can enter), and
    /// captures its output.
    pub(crate) fn run(&self, program: &Path, args: &[OsString]) -> Result<Output, Error> {
        let argv = self.argv(program, args);
        Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir("/")
            .env_remove("PGDATA")
            .stdin(Stdio::null())
            .output()
            .map_err(|source| Error::Spawn {
                program: program.display().to_string(),
                source,
            })
    }

    /// Like [`ServerUser::run`], but a non-zero exit is an error carrying the command's last lines.
    pub(crate) fn run_checked(&self, program: &Path, args: &[OsString]) -> Result<Output, Error> {
        let output = self.run(program, args)?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(Error::CommandFailed {
                command: describe(program, args),
                status: output.status.to_string(),
                output: last_lines(&printed(&output), 10),
            })
        }
    }

    /// Gives `path` (not recursively) to this user, so the server may write there.
    pub(crate) fn hand_over(&self, path: &Path) -> Result<(), Error> {
        match self {
            ServerUser::Current => Ok(()),
            ServerUser::Switched { uid, gid, .. } => chown(path, Some(*uid), Some(*gid))
                .map_err(|source| Error::io("could not change the owner of", path, source)),
        }
    }

    /// Checks that this user can reach `dir`: every ancestor must be searchable by it.
    pub(crate) fn check_can_reach(&self, dir: &Path) -> Result<(), Error> {
        let ServerUser::Switched { name, uid, gid, .. } = self else {
            return Ok(());
        };
        for ancestor in dir.ancestors().skip(1) {
            let meta = fs::metadata(ancestor)
                .map_err(|source| Error::io("could not read", ancestor, source))?;
            let mode = meta.mode();
            let searchable = mode & 0o001 != 0
                || (meta.uid() == *uid && mode & 0o100 != 0)
                || (meta.gid() == *gid && mode & 0o010 != 0);
            if !searchable {
                return Err(Error::NotSearchable {
                    path: ancestor.to_path_buf(),
                    user: name.clone(),
                });
            }
        }
        Ok(())
    }
}

/// The effective uid of this process: the owner of `/proc/self`, or `id -u` where there is no
/// `/proc`.
fn effective_uid() -> Result<u32, Error> {
    if let Ok(meta) = fs::metadata("/proc/self") {
        return Ok(meta.uid());
    }
    let output = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|source| Error::Spawn {
            program: "id".into(),
            source,
        })?;
    parse_id(&output).ok_or_else(|| Error::CommandFailed {
        command: "id -u".into(),
        status: output.status.to_string(),
        output: last_lines(&printed(&output), 10),
    })
}

/// `id FLAG user`: the user's uid (`-u`) or primary gid (`-g`), or `None` if there is no such user.
fn id_of(user: &str, flag: &str) -> Result<Option<u32>, Error> {
    let output = Command::new("id")
        .args([flag, user])
        .stderr(Stdio::null())
        .output()
        .map_err(|source| Error::Spawn {
            program: "id".into(),
            source,
        })?;
    Ok(parse_id(&output))
}

fn parse_id(output: &Output) -> Option<u32> {
    if !output.status.success() {
        return None;
    }
    std::str::from_utf8(&output.stdout)
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// `name` on `PATH`, or in the system directories that root's `PATH` usually holds.
fn find_tool(name: &str) -> Option<PathBuf> {
    find_on_path(name).or_else(|| {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
            .iter()
            .map(|dir| Path::new(dir).join(name))
            .find(|candidate| is_executable(candidate))
    })
}

/// A command line for messages: the program's file name and its arguments.
pub(crate) fn describe(program: &Path, args: &[OsString]) -> String {
    let name = program.file_name().unwrap_or(program.as_os_str());
    std::iter::once(name)
        .chain(args.iter().map(OsString::as_os_str))
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a command printed: its standard error, then its standard output.
pub(crate) fn printed(output: &Output) -> String {
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    text
}

/// The last `count` non-empty lines of `text`, joined by newlines.
pub(crate) fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_lines_keeps_the_tail_without_blank_lines() {
        assert_eq!(last_lines("a\n\nb\nc\n\n", 2), "b\nc");
        assert_eq!(last_lines("a\n", 5), "a");
        assert_eq!(last_lines("", 5), "");
    }

    #[test]
    fn describe_names_the_program_not_its_directory() {
        let args: Vec<OsString> = vec!["stop".into(), "-m".into(), "fast".into()];
        assert_eq!(
            describe(Path::new("/usr/lib/postgresql/15/bin/pg_ctl"), &args),
            "pg_ctl stop -m fast"
        );
    }

    #[test]
    fn the_current_user_runs_commands_directly() {
        let argv = ServerUser::Current.argv(Path::new("/bin/pg_ctl"), &["status".into()]);
        assert_eq!(argv, vec![OsString::from("/bin/pg_ctl"), "status".into()]);
    }
}
