//! Finding the PostgreSQL server binaries (`initdb`, `pg_ctl`) installed on this machine.

use std::{
    env,
    ffi::OsStr,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use crate::Error;

/// The environment variable that names the directory holding `initdb` and `pg_ctl`.
pub const BINDIR_VAR: &str = "CARAFE_PG_BINDIR";

/// Where package managers put versioned server installations: (parent, directory prefix, subdirectory).
/// The part of the directory name after the prefix is the version, e.g. `/usr/lib/postgresql/16/bin`.
const VERSIONED_INSTALLS: &[(&str, &str, &str)] = &[
    ("/usr/lib/postgresql", "", "bin"),          // Debian, Ubuntu
    ("/usr", "pgsql-", "bin"),                   // RHEL, Fedora (PGDG packages)
    ("/opt/homebrew/opt", "postgresql@", "bin"), // Homebrew on Apple silicon
    ("/usr/local/opt", "postgresql@", "bin"),    // Homebrew on Intel
];

/// A directory holding the PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binaries {
    bindir: PathBuf,
}

impl Binaries {
    /// Finds the server binaries: the directory in `CARAFE_PG_BINDIR` if set; else the directory of
    /// `initdb` on `PATH`; else `pg_config --bindir` if it holds `initdb`; else the newest
    /// versioned installation (`/usr/lib/postgresql/*/bin`, `/usr/pgsql-*/bin`, Homebrew's
    /// `postgresql@*`).
    pub fn locate() -> Result<Binaries, Error> {
        if let Some(bindir) = env::var_os(BINDIR_VAR).filter(|value| !value.is_empty()) {
            let bindir = PathBuf::from(bindir);
            return Binaries::in_dir(&bindir).ok_or_else(|| Error::BinariesNotFound {
                searched: format!("`{BINDIR_VAR}` (`{}`)", bindir.display()),
            });
        }
        find_on_path("initdb")
            .and_then(|initdb| fs::canonicalize(initdb).ok())
            .and_then(|initdb| initdb.parent().and_then(Binaries::in_dir))
            .or_else(|| pg_config_bindir().and_then(|bindir| Binaries::in_dir(&bindir)))
            .or_else(newest_versioned_install)
            .ok_or_else(|| Error::BinariesNotFound {
                searched: "`PATH`, `pg_config --bindir` or the usual install directories".into(),
            })
    }

    /// The binaries in `bindir`, if it holds both `initdb` and `pg_ctl`.
    pub fn in_dir(bindir: &Path) -> Option<Binaries> {
        let found = bindir.join("initdb").is_file() && bindir.join("pg_ctl").is_file();
        found.then(|| Binaries {
            bindir: bindir.to_path_buf(),
        })
    }

    /// The directory holding the programs.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// The path of `initdb`.
    pub fn initdb(&self) -> PathBuf {
        self.bindir.join("initdb")
    }

    /// The path of `pg_ctl`.
    pub fn pg_ctl(&self) -> PathBuf {
        self.bindir.join("pg_ctl")
    }
}

/// The first executable file called `name` in the directories of `PATH`.
pub(crate) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

pub(crate) fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

fn pg_config_bindir() -> Option<PathBuf> {
    let pg_config = find_on_path("pg_config")?;
    let output = Command::new(pg_config).arg("--bindir").output().ok()?;
    let bindir = String::from_utf8(output.stdout).ok()?;
    let bindir = bindir.trim();
    (output.status.success() && !bindir.is_empty()).then(|| PathBuf::from(bindir))
}

fn newest_versioned_install() -> Option<Binaries> {
    let mut installs: Vec<(Vec<u32>, PathBuf)> = Vec::new();
    for &(parent, prefix, subdir) in VERSIONED_INSTALLS {
        let Ok(entries) = fs::read_dir(parent) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Some(version) = install_version(&entry.file_name(), prefix) {
                installs.push((version, entry.path().join(subdir)));
            }
        }
    }
    installs.sort();
    installs
        .iter()
        .rev()
        .find_map(|(_, bindir)| Binaries::in_dir(bindir))
}

/// The version in an install directory's name (`16` -> `[16]`, `postgresql@9.6` -> `[9, 6]`).
fn install_version(dir_name: &OsStr, prefix: &str) -> Option<Vec<u32>> {
    let version = dir_name.to_str()?.strip_prefix(prefix)?;
    version.split('.').map(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_version_reads_the_number_after_the_prefix() {
        let check = |name: &str, prefix: &str, expected: Option<Vec<u32>>| {
            assert_eq!(
                install_version(OsStr::new(name), prefix),
                expected,
                "{name}"
            );
        };
        check("16", "", Some(vec![16]));
        check("9.6", "", Some(vec![9, 6]));
        check("postgresql@17", "postgresql@", Some(vec![17]));
        check("pgsql-15", "pgsql-", Some(vec![15]));
        check("postgresql", "postgresql@", None);
        check("common", "", None);
        check("pgsql-", "pgsql-", None);
    }

    #[test]
    fn versions_compare_numerically() {
        let version = |name: &str| install_version(OsStr::new(name), "");
        assert!(version("10") > version("9.6"));
        assert!(version("16") > version("15"));
    }

    #[test]
    fn in_dir_needs_initdb_and_pg_ctl() {
        assert_eq!(Binaries::in_dir(Path::new("/nonexistent/bin")), None);
    }
}
