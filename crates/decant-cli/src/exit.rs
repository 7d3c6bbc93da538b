//! `Exit`: the documented exit codes of `decant`, one per kind of failure, so scripts can tell them apart.

use std::process::ExitCode;

/// Why `decant` stopped. The numbers are part of the interface: keep them stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 1: a migration's SQL failed; the database is at the last revision that succeeded.
    MigrationFailed = 1,
    /// 2: the command line is wrong (clap's own code).
    Usage = 2,
    /// 3: the migrations directory has problems (bad name, gap, malformed file, `decant.sum`).
    BadMigrations = 3,
    /// 4: the database's history disagrees with the code (edited, ahead, renumbered, interrupted).
    HistoryMismatch = 4,
    /// 5: the database cannot be reached or refused the login.
    Connection = 5,
    /// 6: a setting is invalid (malformed `DATABASE_URL`, bad flag value).
    Settings = 6,
    /// 7: another deploy held the migration lock past the lock timeout.
    LockTimeout = 7,
    /// 8: `--check` found the database not at the code's head.
    NotAtHead = 8,
    /// 9: the target cannot be reached (unknown revision, irreversible step, wrong direction).
    BadTarget = 9,
    /// 10: reading or writing a file failed, or the local development server could not start.
    Environment = 10,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
