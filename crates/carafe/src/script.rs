//! The SQL carafe sends for each step, shared by the online runner and the offline script (`--sql`),
//! so what `--sql` prints is what a live run executes.
//!
//! A wrapped step is one batch — `BEGIN`, settings, the revision's SQL, the history write, `COMMIT` —
//! sent as a single simple query: one round trip per revision.

use crate::HistoryTable;
use carafe_core::quote::literal;
use carafe_core::{Down, Migration, Revision, Transaction};
use std::time::Duration;

/// The version of carafe written into every history row.
pub(crate) const CARAFE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Per-run options that shape the SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScriptOptions {
    /// `SET LOCAL lock_timeout` for each revision; `None` leaves the server's setting.
    pub(crate) lock_timeout: Option<Duration>,
}

/// Whether a wrapped step's commit waits for the WAL flush.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Commit {
    /// The default: the commit is durable when it returns.
    Durable,
    /// `synchronous_commit = off`: used for every revision of a run but the last, whose durable commit
    /// flushes the WAL of those before it. A server crash mid-run can lose the newest revisions, each
    /// whole (its SQL and its history row commit together), never half of one.
    Deferred,
}

/// A batch of SQL, and where the revision's own SQL starts in it (in characters, as PostgreSQL counts
/// error positions).
pub(crate) struct Batch {
    pub(crate) text: String,
    pub(crate) sql_start_chars: usize,
}

/// `SET LOCAL` lines that open a transaction's batch.
pub(crate) fn transaction_settings(options: ScriptOptions, commit: Commit) -> String {
    let mut text = String::new();
    if let Some(timeout) = options.lock_timeout {
        text.push_str(&format!(
            "SET LOCAL lock_timeout = '{}ms';\n",
            timeout.as_millis()
        ));
    }
    if commit == Commit::Deferred {
        text.push_str("SET LOCAL synchronous_commit = off;\n");
    }
    text
}

fn wrapped(prefix: String, sql: &str, bookkeeping: &str) -> Batch {
    let sql_start_chars = prefix.chars().count();
    let mut text = prefix;
    text.push_str(sql);
    text.push_str("\n;\n");
    text.push_str(bookkeeping);
    text.push_str("COMMIT;\n");
    Batch {
        text,
        sql_start_chars,
    }
}

/// The batch that applies a wrapped revision and records it.
pub(crate) fn upgrade_batch(
    table: &HistoryTable,
    migration: &Migration,
    options: ScriptOptions,
    commit: Commit,
    execution: ExecutionTime,
) -> Batch {
    let prefix = format!("BEGIN;\n{}", transaction_settings(options, commit));
    let record = insert_row(table, migration, "applied", execution);
    wrapped(prefix, &migration.up.sql, &record)
}

/// The batch that undoes a wrapped revision and forgets it.
pub(crate) fn downgrade_batch(
    table: &HistoryTable,
    revision: Revision,
    sql: &str,
    options: ScriptOptions,
    commit: Commit,
) -> Batch {
    let prefix = format!("BEGIN;\n{}", transaction_settings(options, commit));
    wrapped(prefix, sql, &delete_row(table, revision))
}

/// How a row's execution time is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExecutionTime {
    /// Computed by the server: time since the batch arrived (it holds the revision's SQL).
    SinceStatementStart,
    /// Not known yet (an in-progress marker) or not measured (an offline script, a stamp).
    Unknown,
}

/// `INSERT` of a history row for `migration` in `state`.
pub(crate) fn insert_row(
    table: &HistoryTable,
    migration: &Migration,
    state: &str,
    execution: ExecutionTime,
) -> String {
    let (down_sql, down_transaction) = match &migration.down {
        Down::Sql(section) => (
            literal(&section.sql),
            section.transaction == Transaction::Wrapped,
        ),
        Down::Irreversible => ("NULL".to_owned(), true),
    };
    let execution_ms = match execution {
        ExecutionTime::SinceStatementStart => {
            "extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000"
        }
        ExecutionTime::Unknown => "NULL",
    };
    format!(
        "INSERT INTO {table} (revision, name, checksum, algorithm, state, execution_ms, down_sql, down_transaction, carafe_version) \
         VALUES ({revision}, {name}, {checksum}, {algorithm}, {state}, {execution_ms}, {down_sql}, {down_transaction}, {version});\n",
        table = table.qualified(),
        revision = migration.revision.number(),
        name = literal(&migration.name()),
        checksum = literal(&migration.checksum.hex()),
        algorithm = literal(migration.checksum.algorithm().name()),
        state = literal(state),
        version = literal(CARAFE_VERSION),
    )
}

/// Marks an in-progress row applied, with the time measured by the client when known.
pub(crate) fn mark_applied(
    table: &HistoryTable,
    revision: Revision,
    execution_ms: Option<f64>,
) -> String {
    let execution_ms = execution_ms.map_or("NULL".to_owned(), |ms| format!("{ms:.3}"));
    format!(
        "UPDATE {table} SET state = 'applied', execution_ms = {execution_ms} WHERE revision = {revision};\n",
        table = table.qualified(),
        revision = revision.number(),
    )
}

/// Marks a row as being reverted outside a transaction.
pub(crate) fn mark_reverting(table: &HistoryTable, revision: Revision) -> String {
    format!(
        "UPDATE {table} SET state = 'reverting' WHERE revision = {revision};\n",
        table = table.qualified(),
        revision = revision.number(),
    )
}

/// Deletes a revision's row.
pub(crate) fn delete_row(table: &HistoryTable, revision: Revision) -> String {
    format!(
        "DELETE FROM {table} WHERE revision = {revision};\n",
        table = table.qualified(),
        revision = revision.number(),
    )
}
