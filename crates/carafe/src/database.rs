//! `Database`: a connection that reads the history and runs plans — upgrade, downgrade, stamp.
//!
//! A run reads the history once; when there is nothing to do it returns without taking the lock.
//! Otherwise it takes the migration lock on its own session (see [`crate::lock`]), reads the history
//! again (another deploy may have moved it), plans, and sends each transactional revision as one
//! transaction: a round trip per statement of its SQL, the last carrying the history write and the
//! `COMMIT` (a one-statement revision is one round trip). The server's notices are collected per
//! revision and handed over with it.

use crate::error::describe;
use crate::history::{History, ReadError, RowState, parse_rows};
use crate::notice::NoticeSink;
use crate::script::{self, Piece, Runner, ScriptOptions, Unit};
use crate::{Error, Notice, Settings, lock};
use carafe_core::{Direction, MigrationSet, Plan, Revision, Step, Target, plan, split_statements};
use postgres::error::SqlState;
use postgres::{Client, SimpleQueryMessage};
use std::time::{Duration, Instant};

/// One revision run (or recorded, for a stamp).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The revision.
    pub revision: Revision,
    /// Its name.
    pub name: String,
    /// Which way it ran.
    pub direction: Direction,
    /// How long it took, measured by the client; `None` when it shared a transaction with others.
    pub elapsed: Option<Duration>,
    /// The notices and warnings the server sent while its SQL ran.
    pub notices: Vec<Notice>,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    /// The revision before.
    pub from: Revision,
    /// The revision after.
    pub to: Revision,
    /// Each revision run, in order.
    pub steps: Vec<StepReport>,
}

/// A database being migrated.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let url = carafe_devdb::TempCluster::shared()?.create_database("doc")?;
/// # let files = [("0001_create_products.sql", "-- migrate:up\nCREATE TABLE products (sku text PRIMARY KEY);\n-- migrate:down\nDROP TABLE products;\n")];
/// # let mut sources: Vec<_> = files.iter().map(|(name, text)| carafe_core::SourceFile::new(*name, text.as_bytes())).collect();
/// # let sum = carafe_core::SumFile::from_checksums(files.iter().map(|(name, text)| ((*name).to_owned(), carafe::Checksum::of(text.as_bytes()))));
/// # sources.push(carafe_core::SourceFile::new("carafe.sum", sum.render()));
/// # let set = carafe_core::load(&sources).into_result().expect("a sound set");
/// use carafe::{Database, DatabaseUrl, Settings, Target};
///
/// // `set` is `migrations::MIGRATIONS` in an app that includes its typed migrations.
/// let settings = Settings::new(DatabaseUrl::parse(&url)?);
/// let mut database = Database::connect(settings)?;
/// let report = database.upgrade(&set, Target::Head, &mut |step| println!("applied {}", step.name))?;
/// assert_eq!(report.to, set.head());
/// assert_eq!(database.history()?.current(), set.head());
/// # Ok(())
/// # }
/// ```
pub struct Database {
    client: Client,
    settings: Settings,
    notices: NoticeSink,
}

impl Database {
    /// Connects.
    pub fn connect(settings: Settings) -> Result<Database, Error> {
        settings.history.check()?;
        let notices = NoticeSink::default();
        let client =
            crate::connect::connect_collecting(&settings.url, settings.connect_timeout, &notices)?;
        Ok(Database {
            client,
            settings,
            notices,
        })
    }

    /// The connection, for an app or a test that wants to query the migrated database.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The settings it runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Reads the history table in one query (an absent table is an empty history).
    pub fn history(&mut self) -> Result<History, Error> {
        let sql = self.settings.history.read_sql();
        let messages = match self.client.simple_query(&sql) {
            Ok(messages) => messages,
            Err(error) if error.code() == Some(&SqlState::UNDEFINED_TABLE) => {
                return Ok(History::default());
            }
            // Found by review: "permission denied for table carafe_history" exited 11, no fix.
            Err(error) if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                return Err(Error::Settings(format!(
                    "the role in {} may not read the history table `{}` ({}): connect as the role that runs the migrations, or grant it `SELECT, INSERT, UPDATE, DELETE` on the table",
                    self.settings.url.setting(),
                    self.settings.history,
                    self.settings.url.scrub(&describe(&error))
                )));
            }
            Err(error) if error.code() == Some(&SqlState::UNDEFINED_COLUMN) => {
                return Err(Error::History(format!(
                    "`{}` exists but is not a carafe history table (its columns are not carafe's): pick another table with `--history-table`",
                    self.settings.history
                )));
            }
            Err(error) => return Err(self.database_error("cannot read the history table", &error)),
        };
        let rows: Vec<_> = messages
            .into_iter()
            .filter_map(|message| match message {
                SimpleQueryMessage::Row(row) => Some(row),
                _ => None,
            })
            .collect();
        let table = &self.settings.history;
        parse_rows(&rows).map_err(|error| match error {
            ReadError::Layout(Some(found)) => Error::History(format!(
                "`{table}` has layout `{found}`, which this carafe (layout {}) cannot read: upgrade carafe, or pick another table with `--history-table`",
                crate::history::LAYOUT
            )),
            ReadError::Layout(None) => Error::History(format!(
                "`{table}` exists but is not a carafe history table (it has no layout comment): pick another table with `--history-table`"
            )),
            ReadError::Row(detail) => Error::History(format!(
                "`{table}` has a malformed row ({detail}): fix it by hand or `carafe stamp` the revision the schema is at"
            )),
        })
    }

    /// Applies revisions up to `target`, reporting each as it completes.
    pub fn upgrade(
        &mut self,
        set: &MigrationSet,
        target: Target,
        on_step: &mut dyn FnMut(&StepReport),
    ) -> Result<RunReport, Error> {
        self.run(set, Direction::Upgrade, target, on_step)
    }

    /// Undoes revisions down to `target`, reporting each as it completes.
    pub fn downgrade(
        &mut self,
        set: &MigrationSet,
        target: Target,
        on_step: &mut dyn FnMut(&StepReport),
    ) -> Result<RunReport, Error> {
        self.run(set, Direction::Downgrade, target, on_step)
    }

    fn run(
        &mut self,
        set: &MigrationSet,
        direction: Direction,
        target: Target,
        on_step: &mut dyn FnMut(&StepReport),
    ) -> Result<RunReport, Error> {
        let history = self.history()?;
        let applied = history.applied();
        let first_look = plan(&applied, set, direction, target)?;
        // An interrupted marker read without the lock may be a live run's: only the lock holder judges it.
        if first_look.steps.is_empty() && history.interrupted().is_none() {
            return Ok(RunReport {
                from: first_look.from,
                to: first_look.to,
                steps: Vec::new(),
            });
        }
        self.locked(|database| {
            if !history.exists {
                database.ensure_history_table()?;
            }
            let history = database.history()?;
            history.refuse_interrupted()?;
            let applied = history.applied();
            let plan = plan(&applied, set, direction, target)?;
            database.execute(&plan, on_step)
        })
    }

    /// Runs `work` holding the migration lock on this session, and gives the lock back on every path
    /// (a panic or a dead connection ends the session, which frees it too).
    fn locked<T>(
        &mut self,
        work: impl FnOnce(&mut Database) -> Result<T, Error>,
    ) -> Result<T, Error> {
        lock::take(&mut self.client, &self.settings)?;
        let result = work(self);
        lock::give_back(&mut self.client, self.settings.history.lock_key());
        result
    }

    fn ensure_history_table(&mut self) -> Result<(), Error> {
        let sql = self.settings.history.create_sql();
        self.client.batch_execute(&sql).map_err(|error| {
            self.database_error(
                &format!(
                    "cannot create the history table `{}`",
                    self.settings.history
                ),
                &error,
            )
        })
    }

    fn execute(
        &mut self,
        plan: &Plan<'_>,
        on_step: &mut dyn FnMut(&StepReport),
    ) -> Result<RunReport, Error> {
        let mut report = RunReport {
            from: plan.from,
            to: plan.from,
            steps: Vec::with_capacity(plan.steps.len()),
        };
        let units = script::units(
            &plan.steps,
            &self.settings.history,
            self.options(),
            self.settings.mode,
            Runner::Live,
        );
        // Steps committed but not yet known to be durable: reported only after a WAL flush, so
        // what the caller prints about the database's position survives a crash.
        let mut unconfirmed: Vec<StepReport> = Vec::new();
        let mut durable_to = plan.from;
        let mut confirmed_at = Instant::now();
        for unit in &units {
            let outcome = match unit {
                Unit::Transaction {
                    steps,
                    text,
                    pieces,
                    ..
                } => self.run_transaction(steps, text, pieces, report.to),
                Unit::Outside { step, marker } => self
                    .run_outside_transaction(step, marker, report.to)
                    .map(|done| vec![done]),
            };
            let done = match outcome {
                Ok(done) => done,
                Err(error) => {
                    if !unconfirmed.is_empty() {
                        if let Err(flush) = self.client.batch_execute(script::FLUSH_WAL) {
                            return Err(self.unconfirmed(durable_to, report.to, &flush));
                        }
                        deliver(&mut unconfirmed, &mut report, on_step);
                    }
                    return Err(error);
                }
            };
            for step_report in done {
                report.to = match step_report.direction {
                    Direction::Upgrade => step_report.revision,
                    Direction::Downgrade => Revision::new(step_report.revision.number() - 1),
                };
                unconfirmed.push(step_report);
            }
            let durable = match unit {
                Unit::Transaction { durable, .. } => *durable,
                Unit::Outside { .. } => true,
            };
            if durable || confirmed_at.elapsed() >= CONFIRM_EVERY {
                if !durable && let Err(flush) = self.client.batch_execute(script::FLUSH_WAL) {
                    return Err(self.unconfirmed(durable_to, report.to, &flush));
                }
                deliver(&mut unconfirmed, &mut report, on_step);
                durable_to = report.to;
                confirmed_at = Instant::now();
            }
        }
        deliver(&mut unconfirmed, &mut report, on_step);
        Ok(report)
    }

    /// The connection failed while revisions up to `committed_to` were committed but not yet
    /// known to be durable: only `durable_to` is certain.
    fn unconfirmed(
        &self,
        durable_to: Revision,
        committed_to: Revision,
        error: &postgres::Error,
    ) -> Error {
        self.database_error(
            &format!(
                "lost the connection while confirming revisions up to {committed_to}: the database is at {durable_to} or past it, up to {committed_to} (a server crash may have lost the ones after {durable_to}); run `carafe current` once the server is back"
            ),
            error,
        )
    }

    fn options(&self) -> ScriptOptions {
        ScriptOptions {
            lock_timeout: self.settings.lock_timeout,
        }
    }

    /// One transaction: a revision, or with `--one-transaction` a run of them, a round trip per
    /// statement.
    fn run_transaction(
        &mut self,
        steps: &[Step<'_>],
        text: &str,
        pieces: &[Piece],
        at: Revision,
    ) -> Result<Vec<StepReport>, Error> {
        let started = Instant::now();
        self.notices.take();
        let mut notices: Vec<Vec<Notice>> = vec![Vec::new(); steps.len()];
        let mut from = 0;
        for piece in pieces {
            let sent = &text[from..piece.end];
            let outcome = self.client.batch_execute(sent);
            notices[piece.step].extend(self.notices.take());
            if let Err(error) = outcome {
                let _ = self.client.batch_execute("ROLLBACK");
                self.notices.take();
                let step = &steps[piece.step];
                let offset = sql_offset(&error, sent, from, piece);
                let said = std::mem::take(&mut notices[piece.step]);
                return Err(self.step_failed(step, &error, offset, at, &said));
            }
            from = piece.end;
        }
        let elapsed = (steps.len() == 1).then(|| started.elapsed());
        Ok(steps
            .iter()
            .zip(notices)
            .map(|(step, notices)| StepReport {
                notices,
                ..step_report(step, elapsed)
            })
            .collect())
    }

    /// A `transaction:false` section: marker row, each statement on its own, then the bookkeeping.
    fn run_outside_transaction(
        &mut self,
        step: &Step<'_>,
        marker: &str,
        at: Revision,
    ) -> Result<StepReport, Error> {
        let table = self.settings.history.clone();
        let sql = script::step_sql(step);
        self.client.batch_execute(marker).map_err(|error| {
            self.database_error(
                &format!("cannot record revision {} as in progress", step.revision()),
                &error,
            )
        })?;
        let started = Instant::now();
        self.notices.take();
        let statements = split_statements(sql);
        for (done, statement) in statements.iter().enumerate() {
            if let Err(error) = self.client.batch_execute(statement.sql) {
                return Err(Error::OutsideTransactionFailed {
                    location: location(step, statement.offset, &table),
                    revision: step.revision(),
                    done,
                    total: statements.len(),
                    message: self.settings.url.scrub(&describe(&error)),
                });
            }
        }
        let elapsed = started.elapsed();
        let notices = self.notices.take();
        if self.left_transaction_open() {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(Error::OutsideTransactionFailed {
                location: location(step, 0, &table),
                revision: step.revision(),
                done: statements.len(),
                total: statements.len(),
                message: "its SQL left a transaction open (a `BEGIN` without `COMMIT`), which carafe rolled back: end every transaction the section starts".to_owned(),
            });
        }
        let finish = script::finish_outside(&table, step, Some(elapsed.as_secs_f64() * 1000.0));
        self.client.batch_execute(&finish).map_err(|error| {
            self.database_error(&format!("revision {} ran but its history row could not be updated (the database is past {at})", step.revision()), &error)
        })?;
        Ok(StepReport {
            notices,
            ..step_report(step, Some(elapsed))
        })
    }

    /// Whether the session is inside a transaction block: there, `now()` is when the block began;
    /// outside, this statement's own implicit transaction began with it. A failed check counts as
    /// open, so the history write never joins a transaction it does not know.
    fn left_transaction_open(&mut self) -> bool {
        match self
            .client
            .simple_query("SELECT now() = statement_timestamp()")
        {
            Ok(messages) => !messages.iter().any(|message| {
                matches!(message, SimpleQueryMessage::Row(row) if row.get(0) == Some("t"))
            }),
            Err(_) => true,
        }
    }

    /// Records `revision` as the database's state without running anything: rows past it are deleted,
    /// missing rows up to it are inserted from the code, and interrupted markers are resolved.
    pub fn stamp(&mut self, set: &MigrationSet, revision: Revision) -> Result<RunReport, Error> {
        if revision > set.head() {
            return Err(Error::Plan(carafe_core::PlanError::NoSuchRevision {
                revision,
                head: set.head(),
            }));
        }
        if let Some(refusal) = carafe_core::squashed(set, revision) {
            return Err(Error::Plan(refusal));
        }
        self.locked(|database| database.stamp_locked(set, revision))
    }

    fn stamp_locked(&mut self, set: &MigrationSet, revision: Revision) -> Result<RunReport, Error> {
        self.ensure_history_table()?;
        let history = self.history()?;
        let from = history.current();
        let table = self.settings.history.clone();
        let mut sql = format!(
            "BEGIN;\nDELETE FROM {t} WHERE revision > {n} OR state <> 'applied';\n",
            t = table.qualified(),
            n = revision.number()
        );
        let mut steps = Vec::new();
        for migration in set
            .iter()
            .take_while(|migration| migration.revision <= revision)
        {
            let recorded = history.rows.iter().any(|row| {
                row.applied.revision == migration.revision && row.state == RowState::Applied
            });
            if !recorded {
                sql.push_str(&script::insert_row(
                    &table,
                    migration,
                    "applied",
                    script::ExecutionTime::Unknown,
                ));
                steps.push(step_report(&Step::Upgrade(migration), None));
            }
        }
        for row in history
            .rows
            .iter()
            .filter(|row| row.applied.revision > revision)
        {
            steps.push(StepReport {
                revision: row.applied.revision,
                name: row.applied.name.clone(),
                direction: Direction::Downgrade,
                elapsed: None,
                notices: Vec::new(),
            });
        }
        sql.push_str("COMMIT;\n");
        if let Err(error) = self.client.batch_execute(&sql) {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(self.database_error(&format!("cannot stamp {revision}"), &error));
        }
        Ok(RunReport {
            from,
            to: revision,
            steps,
        })
    }

    /// The error for a step whose SQL failed at `offset` (bytes into the step's SQL), after the
    /// server said `notices`.
    fn step_failed(
        &self,
        step: &Step<'_>,
        error: &postgres::Error,
        offset: usize,
        at: Revision,
        notices: &[Notice],
    ) -> Error {
        let Some(db_error) = error.as_db_error() else {
            return self.database_error(
                &format!(
                    "lost the connection while running revision {} (the database is at {at} or {})",
                    step.revision(),
                    step.revision()
                ),
                error,
            );
        };
        let location = location(step, offset, &self.settings.history);
        if script::is_guard_error(db_error) {
            return Error::TransactionEnded {
                location,
                revision: step.revision(),
            };
        }
        let mut message = self.settings.url.scrub(&describe(error));
        if !notices.is_empty() {
            let said: Vec<String> = notices.iter().map(ToString::to_string).collect();
            message.push_str(&format!(
                " (before it the server said: {})",
                said.join("; ")
            ));
        }
        // The down that failed is the one recorded when the revision was applied, which no edit
        // of the file changes (found by review: nothing said how to get past a wrong one).
        if let Step::Downgrade { revision, .. } = step {
            let before = Revision::new(revision.number().saturating_sub(1));
            message.push_str(&format!(
                "; if this recorded down is wrong, undo the revision by hand (in a transaction), then `stamp {before}` records it, running nothing"
            ));
        }
        if at == Revision::BASE
            && matches!(step, Step::Upgrade(_))
            && ALREADY_EXISTS.contains(db_error.code())
        {
            message.push_str(ADOPT_HINT);
        }
        Error::MigrationFailed {
            location,
            revision: step.revision(),
            at,
            message,
        }
    }

    fn database_error(&self, context: &str, error: &postgres::Error) -> Error {
        Error::Database {
            context: context.to_owned(),
            message: self.settings.url.scrub(&describe(error)),
        }
    }
}

/// The errors of creating what already exists: a schema, a relation, another object (a type, an
/// extension, a constraint...), a function.
const ALREADY_EXISTS: [SqlState; 4] = [
    SqlState::DUPLICATE_SCHEMA,
    SqlState::DUPLICATE_TABLE,
    SqlState::DUPLICATE_OBJECT,
    SqlState::DUPLICATE_FUNCTION,
];

/// Said when the first revision fails on a database with no history because what it creates is
/// already there: most often a database made before carafe, which wants `stamp`, not `upgrade`.
const ADOPT_HINT: &str = "; the database has no history but already holds what the revision creates: if its schema was made before carafe (or by another tool), record the revisions it already has with `stamp NNNN`, which runs nothing (`check` shows whether the schema matches)";

/// How often, at most, a run waits for a WAL flush to report the revisions committed since.
const CONFIRM_EVERY: Duration = Duration::from_millis(100);

/// Hands the confirmed steps to the caller and to the run's report, in order.
fn deliver(
    confirmed: &mut Vec<StepReport>,
    report: &mut RunReport,
    on_step: &mut dyn FnMut(&StepReport),
) {
    for step in confirmed.drain(..) {
        on_step(&step);
        report.steps.push(step);
    }
}

fn step_report(step: &Step<'_>, elapsed: Option<Duration>) -> StepReport {
    match step {
        Step::Upgrade(migration) => StepReport {
            revision: migration.revision,
            name: migration.name(),
            direction: Direction::Upgrade,
            elapsed,
            notices: Vec::new(),
        },
        Step::Downgrade { revision, name, .. } => StepReport {
            revision: *revision,
            name: (*name).to_owned(),
            direction: Direction::Downgrade,
            elapsed,
            notices: Vec::new(),
        },
    }
}

/// Where a failed piece's error is in its step's SQL, in bytes: where the server's position points,
/// when it points into the step's SQL, else the start of the piece's statement (an error raised
/// while the statement ran has no position).
fn sql_offset(error: &postgres::Error, sent: &str, sent_from: usize, piece: &Piece) -> usize {
    let Some(position) = error_position(error) else {
        return piece.statement;
    };
    // Positions count characters from 1; counting them only on failure keeps building linear.
    let Some((in_piece, _)) = sent.char_indices().nth(position.saturating_sub(1)) else {
        return piece.statement;
    };
    let Some(into_sql) = (sent_from + in_piece).checked_sub(piece.sql_at) else {
        return piece.statement;
    };
    match piece.sql_from + into_sql < piece.sql_to {
        true => piece.sql_from + into_sql,
        false => piece.statement,
    }
}

/// The 1-based character position PostgreSQL gives for an error in the query text.
fn error_position(error: &postgres::Error) -> Option<usize> {
    match error.as_db_error()?.position()? {
        postgres::error::ErrorPosition::Original(position) => usize::try_from(*position).ok(),
        postgres::error::ErrorPosition::Internal { .. } => None,
    }
}

fn lines_before(sql: &str, byte_offset: usize) -> u32 {
    let count = sql.as_bytes()[..byte_offset.min(sql.len())]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// `file:line` of the statement at byte `offset` of a step's SQL; the history table when the SQL
/// came from there (a down the code no longer knows).
fn location(step: &Step<'_>, offset: usize, table: &crate::HistoryTable) -> String {
    let (file, line) = match step {
        Step::Upgrade(migration) => (Some(migration.file_name()), Some(migration.up.line)),
        Step::Downgrade { source, .. } => (
            source.as_ref().map(|(file, _)| file.clone()),
            source.as_ref().map(|(_, line)| *line),
        ),
    };
    let line = line.map(|line| line + lines_before(script::step_sql(step), offset));
    match (file, line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file,
        _ => format!("the down SQL stored in `{table}`"),
    }
}
