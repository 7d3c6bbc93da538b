//! `Exit`: the documented exit codes of `carafe`, one per kind of failure, so scripts can tell them apart.

use std::process::ExitCode;

/// Why `carafe` stopped. The numbers are part of the interface: keep them stable (README lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 1: SQL failed: a migration's (the database is at the last revision that succeeded), or the
    /// declared schema's (`schema.sql`, loaded on a scratch database).
    MigrationFailed = 1,
    /// 2: the command line is wrong (clap's own code).
    Usage = 2,
    /// 3: the migrations directory has problems (bad name, gap, malformed file, `carafe.sum`).
    BadMigrations = 3,
    /// 4: the database's history disagrees with the code (edited, ahead, renumbered, interrupted).
    HistoryMismatch = 4,
    /// 5: the database server cannot be reached.
    Unreachable = 5,
    /// 6: the server refused the login (wrong user or password, no such database).
    Login = 6,
    /// 7: a setting is invalid (malformed `DATABASE_URL`, bad flag value).
    Settings = 7,
    /// 8: another deploy held the migration lock past `--lock-wait`.
    LockTimeout = 8,
    /// 9: `current --check` found the database not at the code's head.
    NotAtHead = 9,
    /// 10: the target cannot be reached (unknown revision, irreversible step, wrong direction).
    BadTarget = 10,
    /// 11: any other failure: a file could not be read or written, the development server could not
    /// start, the connection was lost.
    Environment = 11,
    /// 12: `check`, `verify` or `diff` found a difference.
    Differs = 12,
    /// 13: `revision --autogenerate` found no change, and wrote nothing.
    NoChanges = 13,
}

impl Exit {
    /// Every code, in order: the table the README and the `--help` texts must agree with.
    pub const ALL: [Exit; 13] = [
        Exit::MigrationFailed,
        Exit::Usage,
        Exit::BadMigrations,
        Exit::HistoryMismatch,
        Exit::Unreachable,
        Exit::Login,
        Exit::Settings,
        Exit::LockTimeout,
        Exit::NotAtHead,
        Exit::BadTarget,
        Exit::Environment,
        Exit::Differs,
        Exit::NoChanges,
    ];

    /// The name `--json` errors give it: `migration_failed`, `unreachable`, ...
    pub fn name(self) -> &'static str {
        match self {
            Exit::MigrationFailed => "migration_failed",
            Exit::Usage => "usage",
            Exit::BadMigrations => "bad_migrations",
            Exit::HistoryMismatch => "history_mismatch",
            Exit::Unreachable => "unreachable",
            Exit::Login => "login",
            Exit::Settings => "settings",
            Exit::LockTimeout => "lock_timeout",
            Exit::NotAtHead => "not_at_head",
            Exit::BadTarget => "bad_target",
            Exit::Environment => "environment",
            Exit::Differs => "differs",
            Exit::NoChanges => "no_changes",
        }
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

impl From<carafe::ErrorKind> for Exit {
    fn from(kind: carafe::ErrorKind) -> Exit {
        match kind {
            carafe::ErrorKind::MigrationFailed => Exit::MigrationFailed,
            carafe::ErrorKind::HistoryMismatch => Exit::HistoryMismatch,
            carafe::ErrorKind::Unreachable => Exit::Unreachable,
            carafe::ErrorKind::Login => Exit::Login,
            carafe::ErrorKind::Settings => Exit::Settings,
            carafe::ErrorKind::LockTimeout => Exit::LockTimeout,
            carafe::ErrorKind::BadTarget => Exit::BadTarget,
            carafe::ErrorKind::Database => Exit::Environment,
        }
    }
}
