//! The SQL carafe sends for each step, shared by the online runner and the offline script (`--sql`),
//! so what `--sql` prints is what a live run executes.
//!
//! [`units`] is the one assembly: a wrapped step (or, with `--one-transaction`, a run of them) is one
//! transaction — `BEGIN`, settings, each revision's SQL and history write, `COMMIT` — sent as one
//! [`Piece`] per statement of the revisions (a revision of one statement is one round trip), so a
//! failure names the statement that failed; a `transaction:false` step is its markers around its
//! statements.

use crate::{HistoryTable, RunMode};
use carafe_core::quote::literal;
use carafe_core::{Down, Migration, Revision, Step, Transaction, split_statements};
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
    /// `synchronous_commit = off`: used for every revision of a run but the last. The runner reports
    /// such a revision only after a WAL flush ([`FLUSH_WAL`], at most every 100 ms, at the end, and
    /// before it reports a failure), so what it prints survives a crash; a crash can lose revisions
    /// not yet reported, each whole, never half of one.
    Deferred,
}

/// Who runs the SQL: the live runner, or a person with `psql` (`--sql`). The statements are the
/// same; only what cannot be known offline differs (the measured execution time), and the live
/// runner defers the WAL flush of every commit but a run's last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Runner {
    /// [`crate::Database`].
    Live,
    /// [`crate::offline::script`].
    Offline,
}

/// What runs as one unit: a transaction that commits with its history rows, or a
/// `transaction:false` section whose statements run one by one between its markers.
pub(crate) enum Unit<'p, 'm> {
    /// One transaction: `BEGIN`, settings, each step's SQL and history write, `COMMIT`.
    Transaction {
        /// The steps it holds (one, or several in `--one-transaction` mode).
        steps: &'p [Step<'m>],
        /// The whole transaction's SQL: its pieces, in order.
        text: String,
        /// How `text` is sent: one round trip per piece.
        pieces: Vec<Piece>,
        /// Whether its commit waits for the WAL flush ([`Commit::Durable`]).
        durable: bool,
    },
    /// A `transaction:false` step; [`finish_outside`] writes what completes it.
    Outside {
        /// The step.
        step: &'p Step<'m>,
        /// The session reset and the history write before its statements (a `running` row, or
        /// `reverting`).
        marker: String,
    },
}

/// One round trip of a transaction: `text[previous piece's end..end]`. It holds one statement of a
/// step's SQL, `sql[sql_from..]` up to the next piece's (the first piece also opens the
/// transaction; the last of a step also writes its history row), so an error the server gives
/// without a position is that statement's, and one with a position maps into the step's SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Where the piece ends in the transaction's text, in bytes.
    pub(crate) end: usize,
    /// The index of its step in the unit's steps.
    pub(crate) step: usize,
    /// Where its statement starts in that step's own SQL, in bytes.
    pub(crate) statement: usize,
    /// Where its part of the step's SQL starts in the transaction's text, in bytes.
    pub(crate) sql_at: usize,
    /// Where that part starts in the step's SQL, in bytes.
    pub(crate) sql_from: usize,
    /// Where it ends there.
    pub(crate) sql_to: usize,
}

/// The units that carry out `steps`, in order: the one assembly of a step's SQL, used by the
/// live runner and by `--sql`.
pub(crate) fn units<'p, 'm>(
    steps: &'p [Step<'m>],
    table: &HistoryTable,
    options: ScriptOptions,
    mode: RunMode,
    runner: Runner,
) -> Vec<Unit<'p, 'm>> {
    let mut units = Vec::new();
    let mut index = 0;
    while index < steps.len() {
        let step = &steps[index];
        if step_transaction(step) == Transaction::Disabled {
            units.push(outside(step, table));
            index += 1;
            continue;
        }
        let end = match mode {
            RunMode::PerRevision => index + 1,
            RunMode::OneTransaction => steps[index..]
                .iter()
                .position(|step| step_transaction(step) == Transaction::Disabled)
                .map_or(steps.len(), |offset| index + offset),
        };
        let commit = match (runner, end == steps.len()) {
            (Runner::Live, false) => Commit::Deferred,
            _ => Commit::Durable,
        };
        let execution = match (runner, end - index) {
            (Runner::Live, 1) => ExecutionTime::SinceTransactionStart,
            _ => ExecutionTime::Unknown,
        };
        units.push(transaction(
            &steps[index..end],
            table,
            options,
            commit,
            execution,
        ));
        index = end;
    }
    units
}

/// How a step's section runs.
pub(crate) fn step_transaction(step: &Step<'_>) -> Transaction {
    match step {
        Step::Upgrade(migration) => migration.up.transaction,
        Step::Downgrade { transaction, .. } => *transaction,
    }
}

fn transaction<'p, 'm>(
    steps: &'p [Step<'m>],
    table: &HistoryTable,
    options: ScriptOptions,
    commit: Commit,
    execution: ExecutionTime,
) -> Unit<'p, 'm> {
    let mut text = String::from("BEGIN;\n");
    let mut pieces = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        if index > 0 {
            text.push_str(STILL_IN_TRANSACTION);
        }
        text.push_str(SESSION_RESET);
        text.push_str(&transaction_settings(options, commit));
        text.push_str(OPEN_GUARD);
        let (sql, bookkeeping) = match step {
            Step::Upgrade(migration) => (
                migration.up.sql.as_ref(),
                insert_row(table, migration, "applied", execution),
            ),
            Step::Downgrade { revision, sql, .. } => (*sql, delete_row(table, *revision)),
        };
        let statements = split_statements(sql);
        let mut cuts: Vec<usize> = statements.iter().skip(1).map(|next| next.offset).collect();
        cuts.push(sql.len());
        let mut from = 0;
        let mut statement = statements.first().map_or(0, |first| first.offset);
        for (number, &cut) in cuts.iter().enumerate() {
            if number > 0 {
                text.push_str(STILL_IN_TRANSACTION);
            }
            let sql_at = text.len();
            text.push_str(&sql[from..cut]);
            let last = number + 1 == cuts.len();
            if last {
                text.push_str("\n;\n");
                text.push_str(CLOSE_GUARD);
                text.push_str(BOOKKEEPING_ROLE);
                text.push_str(&bookkeeping);
                if index + 1 == steps.len() {
                    text.push_str("COMMIT;\n");
                }
            }
            pieces.push(Piece {
                end: text.len(),
                step: index,
                statement,
                sql_at,
                sql_from: from,
                sql_to: cut,
            });
            from = cut;
            statement = cut;
        }
    }
    Unit::Transaction {
        steps,
        text,
        pieces,
        durable: commit == Commit::Durable,
    }
}

/// Opens a step's SQL: a savepoint that only the transaction carafe opened holds. If the revision
/// ends that transaction itself (a `COMMIT` or `ROLLBACK` the file check did not see),
/// [`CLOSE_GUARD`] fails, so its history row is never written into another transaction.
const OPEN_GUARD: &str = "SAVEPOINT carafe_revision;\n";

/// Closes a step's SQL; fails with `savepoint "carafe_revision" does not exist` (or, outside any
/// transaction block, `RELEASE SAVEPOINT can only be used in transaction blocks`) when the
/// revision ended carafe's transaction.
const CLOSE_GUARD: &str = "RELEASE SAVEPOINT carafe_revision;\n";

/// Opens every piece after the first: fails unless the piece runs inside carafe's transaction, so a
/// revision that ended it cannot go on committing statement by statement. A savepoint made and
/// released at once leaves the revision's own savepoints alone.
const STILL_IN_TRANSACTION: &str =
    "SAVEPOINT carafe_in_transaction;\nRELEASE SAVEPOINT carafe_in_transaction;\n";

/// Whether a server error is one of the guards finding that a revision ended carafe's transaction.
pub(crate) fn is_guard_error(error: &postgres::error::DbError) -> bool {
    let code = error.code();
    let message = error.message();
    (*code == postgres::error::SqlState::S_E_INVALID_SPECIFICATION
        && (message.contains("carafe_revision") || message.contains("carafe_in_transaction")))
        || (*code == postgres::error::SqlState::NO_ACTIVE_SQL_TRANSACTION
            && (message.starts_with("SAVEPOINT") || message.starts_with("RELEASE SAVEPOINT")))
}

fn outside<'p, 'm>(step: &'p Step<'m>, table: &HistoryTable) -> Unit<'p, 'm> {
    let marker = match step {
        Step::Upgrade(migration) => insert_row(table, migration, "running", ExecutionTime::Unknown),
        Step::Downgrade { revision, .. } => mark_reverting(table, *revision),
    };
    Unit::Outside {
        step,
        marker: format!("{SESSION_RESET}{marker}"),
    }
}

/// The history write that completes a `transaction:false` step, with the time it took when known.
pub(crate) fn finish_outside(
    table: &HistoryTable,
    step: &Step<'_>,
    execution_ms: Option<f64>,
) -> String {
    let write = match step {
        Step::Upgrade(migration) => mark_applied(table, migration.revision, execution_ms),
        Step::Downgrade { revision, .. } => delete_row(table, *revision),
    };
    format!("{BOOKKEEPING_ROLE}BEGIN;\nSET LOCAL synchronous_commit = on;\n{write}COMMIT;\n")
}

/// Makes every commit before it durable: a transaction that writes WAL and commits synchronously
/// flushes the WAL up to its commit record, which covers the asynchronous commits before it (one
/// flush, whatever their number). It must write WAL: PostgreSQL commits a transaction that wrote
/// none asynchronously whatever `synchronous_commit` says, which is why `txid_current()` alone
/// does not do (the server-crash test found it). A transactional logical message is the smallest
/// WAL record any role may write; logical decoding consumers see it with the prefix `carafe`.
pub(crate) const FLUSH_WAL: &str = "BEGIN;\nSET LOCAL synchronous_commit = on;\nSELECT pg_logical_emit_message(true, 'carafe', 'confirm');\nCOMMIT;\n";

/// What every revision starts from: the session's settings as the connection opened them
/// (`SET`, `set_config(..., false)`), its own role, and no temporary objects, whatever the revisions
/// before it in the same run did. `DISCARD ALL` would also drop the migration lock.
pub(crate) const SESSION_RESET: &str = "RESET ALL;\nRESET ROLE;\nDISCARD TEMP;\n";

/// History rows are written as the migrating role, even after a revision's `SET ROLE`.
const BOOKKEEPING_ROLE: &str = "RESET ROLE;\n";

/// `SET LOCAL` lines that open a transaction's batch.
fn transaction_settings(options: ScriptOptions, commit: Commit) -> String {
    let mut text = String::new();
    if let Some(timeout) = options.lock_timeout {
        text.push_str(&format!(
            "SET LOCAL lock_timeout = '{}ms';\n",
            timeout.as_millis()
        ));
    }
    // Explicit both ways: a server configured with `synchronous_commit = off` must not make a
    // commit that carafe reports as durable an asynchronous one.
    text.push_str(match commit {
        Commit::Durable => "SET LOCAL synchronous_commit = on;\n",
        Commit::Deferred => "SET LOCAL synchronous_commit = off;\n",
    });
    text
}

/// A step's own SQL.
pub(crate) fn step_sql<'m>(step: &Step<'m>) -> &'m str {
    match step {
        Step::Upgrade(migration) => migration.up.sql.as_ref(),
        Step::Downgrade { sql, .. } => sql,
    }
}

/// How a row's execution time is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExecutionTime {
    /// Computed by the server: time since the revision's transaction began.
    SinceTransactionStart,
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
        Down::Nothing => (literal(""), true),
        Down::Irreversible => ("NULL".to_owned(), true),
    };
    let execution_ms = match execution {
        ExecutionTime::SinceTransactionStart => {
            "extract(epoch FROM clock_timestamp() - transaction_timestamp()) * 1000"
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
fn mark_applied(table: &HistoryTable, revision: Revision, execution_ms: Option<f64>) -> String {
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
