//! `Error`: everything that can stop a run, worded for the user (one line, the fix included, no
//! password), with an [`ErrorKind`] a command line maps to exit codes.

use crate::url::UrlError;
use carafe_core::{PlanError, Revision};
use std::time::Duration;

/// The family of an [`Error`]; each has its own exit code in the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A revision's SQL failed.
    MigrationFailed,
    /// The history disagrees with the code, or a revision was interrupted outside a transaction.
    HistoryMismatch,
    /// The server cannot be reached.
    Unreachable,
    /// The server refused the login or the database does not exist.
    Login,
    /// A setting is invalid.
    Settings,
    /// Another run held the lock too long.
    LockTimeout,
    /// The target cannot be reached from here.
    BadTarget,
    /// Any other database error (bookkeeping, connection lost).
    Database,
}

/// Why a carafe operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed database URL.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// Another invalid setting.
    #[error("{0}")]
    Settings(String),
    /// The server is not there.
    #[error(
        "cannot reach the database at {url}: {reason}: check that the server is running and that the host and port in {setting} are right"
    )]
    Unreachable {
        /// The URL, password masked.
        url: String,
        /// The setting it came from.
        setting: String,
        /// What the client said, password scrubbed.
        reason: String,
    },
    /// The server refused the login.
    #[error("the database at {url} refused the login: {reason}: {hint}")]
    Login {
        /// The URL, password masked.
        url: String,
        /// What the server said.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// TLS could not be set up as `sslmode` asks.
    #[error(
        "TLS with the database at {url} failed: {reason}: check sslmode, sslrootcert, sslcert and sslkey in {setting} (verify-ca and verify-full need the server's CA: sslrootcert=/path/to/ca.crt)"
    )]
    Tls {
        /// The URL, password masked.
        url: String,
        /// The setting it came from.
        setting: String,
        /// What the client said.
        reason: String,
    },
    /// The plan was refused.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A `transaction:false` revision started and did not finish.
    #[error(
        "revision {revision} (`{name}`) was interrupted while {doing} outside a transaction: check what it left behind (an INVALID index, a half-done change), finish or undo it by hand, then run `carafe stamp {if_complete}` if its {section} section completed or `carafe stamp {if_not}` if it did not"
    )]
    Interrupted {
        /// The revision.
        revision: Revision,
        /// Its name.
        name: String,
        /// `applying` or `reverting`.
        doing: &'static str,
        /// `up` or `down`.
        section: &'static str,
        /// The revision to stamp if the section completed.
        if_complete: Revision,
        /// The revision to stamp if it did not.
        if_not: Revision,
    },
    /// The lock was held by another session past the wait.
    #[error(
        "the migration lock of `{table}` is held by {}: carafe waited {}s for it; wait for that run to finish, or raise `--lock-wait`; if the session is stuck, `SELECT pg_terminate_backend(PID)` ends it",
        .holder.as_deref().unwrap_or("another session (released just now)"),
        .waited.as_secs()
    )]
    LockTimeout {
        /// The history table whose lock it is.
        table: String,
        /// How long carafe waited.
        waited: Duration,
        /// Who held it when carafe gave up (see [`crate::lock::LockHolder`]).
        holder: Option<String>,
    },
    /// A revision's SQL failed; nothing of it was applied.
    #[error(
        "{location}: revision {revision} failed and was rolled back, the database is still at {at}: {message}"
    )]
    MigrationFailed {
        /// `file:line`, or the history table when the SQL came from there.
        location: String,
        /// The revision that failed.
        revision: Revision,
        /// Where the database is.
        at: Revision,
        /// The server's message, with its SQLSTATE, detail and hint.
        message: String,
    },
    /// A wrapped revision ended the transaction carafe runs it in (its own `COMMIT` or `ROLLBACK`,
    /// in a set the file check did not see): its history row was not written, and what it ran up
    /// to that point, or after it, may be committed.
    #[error(
        "{location}: revision {revision} ended the transaction carafe runs it in (a `COMMIT`, `ROLLBACK` or `END` in its SQL): carafe stopped before writing its history row, but what it ran before that statement, and statements after it, may be committed; compare the schema with the revision by hand, undo or finish it, then `carafe stamp` the revision the schema is at, and remove the transaction control from the file (carafe wraps each revision; use `transaction:false` for a section that must control transactions)"
    )]
    TransactionEnded {
        /// `file:line` of the statement where carafe noticed.
        location: String,
        /// The revision.
        revision: Revision,
    },
    /// A statement of a `transaction:false` revision failed; what ran before it stays.
    #[error(
        "{location}: revision {revision} failed outside a transaction after {done} of its {total} statement(s) ran: {message}; the revision is marked interrupted: fix what it left, then `carafe stamp` the revision the schema is at"
    )]
    OutsideTransactionFailed {
        /// `file:line` of the failing statement.
        location: String,
        /// The revision.
        revision: Revision,
        /// Statements that completed.
        done: usize,
        /// Statements in the section.
        total: usize,
        /// The server's message.
        message: String,
    },
    /// The history table is not one this build can read.
    #[error("{0}")]
    History(String),
    /// Any other database error.
    #[error("{context}: {message}")]
    Database {
        /// What carafe was doing.
        context: String,
        /// What the server or client said.
        message: String,
    },
}

impl Error {
    /// Its family.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Url(_) | Error::Settings(_) | Error::Tls { .. } => ErrorKind::Settings,
            Error::Unreachable { .. } => ErrorKind::Unreachable,
            Error::Login { .. } => ErrorKind::Login,
            Error::Plan(
                PlanError::ChecksumMismatch { .. }
                | PlanError::DatabaseAhead { .. }
                | PlanError::NameMismatch { .. }
                | PlanError::AnotherProject { .. }
                | PlanError::InsideSquash { .. }
                | PlanError::NotTheSquashedHistory { .. }
                | PlanError::HistoryGap { .. },
            )
            | Error::Interrupted { .. }
            | Error::TransactionEnded { .. }
            | Error::History(_) => ErrorKind::HistoryMismatch,
            Error::Plan(_) => ErrorKind::BadTarget,
            Error::LockTimeout { .. } => ErrorKind::LockTimeout,
            Error::MigrationFailed { .. } | Error::OutsideTransactionFailed { .. } => {
                ErrorKind::MigrationFailed
            }
            Error::Database { .. } => ErrorKind::Database,
        }
    }
}

/// A server error as one line: message, SQLSTATE, detail and hint.
pub fn describe(error: &postgres::Error) -> String {
    let text = match error.as_db_error() {
        Some(db) => {
            let mut text = format!(
                "{}: {} (SQLSTATE {})",
                db.severity(),
                db.message(),
                db.code().code()
            );
            if let Some(detail) = db.detail() {
                text.push_str(&format!("; detail: {detail}"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; hint: {hint}"));
            }
            text
        }
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                let cause = cause.to_string();
                if !text.contains(&cause) {
                    text.push_str(&format!(": {cause}"));
                }
                source = cause_source(source);
            }
            text
        }
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cause_source<'a>(
    error: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    error.and_then(std::error::Error::source)
}
