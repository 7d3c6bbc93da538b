//! `Problem`: one thing wrong with a migrations directory, with the file, the line and the fix.
//!
//! Messages are lowercase, without a trailing period, name files in backticks, and end with what to do.

use crate::{Checksum, Revision};
use std::fmt;
use std::path::Path;

/// One problem found in a migrations directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file it is in (a name inside the directory, e.g. `0003_add.sql` or `carafe.sum`).
    pub file: String,
    /// The 1-based line, where the problem has one.
    pub line: Option<u32>,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong. Each variant's message says how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    /// A file that looks like a migration but whose name breaks the grammar.
    #[error("`{name}` is not a valid migration file name ({reason}): {}", rename_hint(.suggestion.as_deref()))]
    BadFileName {
        /// The name as found.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
        /// A well-formed name to use instead.
        suggestion: Option<String>,
    },
    /// A near miss whose well-formed name is already taken: a copy of that migration.
    #[error(
        "`{name}` is not a valid migration file name ({reason}) and looks like a copy of `{original}`: delete it, or move it out of the migrations directory"
    )]
    CopyOfMigration {
        /// The name as found.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
        /// The migration beside it whose name it would take.
        original: String,
    },
    /// The file's bytes are not UTF-8.
    #[error("not valid UTF-8 (first bad byte on this line): save the file as UTF-8")]
    NotUtf8,
    /// No `-- migrate:up` line.
    #[error(
        "no `-- migrate:up` section: put a `-- migrate:up` line above the SQL that applies this revision"
    )]
    MissingUp,
    /// No `-- migrate:down` line.
    #[error(
        "no `-- migrate:down` section: add one with the SQL that undoes the up section, or write `-- migrate:down nothing` if there is nothing to undo, or `-- migrate:down irreversible` if it cannot be undone"
    )]
    MissingDown,
    /// The up section has no SQL.
    #[error("the `-- migrate:up` section is empty: write the SQL this revision applies below it")]
    EmptyUp,
    /// The down section has no SQL and is marked neither `nothing` nor `irreversible`.
    #[error(
        "the `-- migrate:down` section is empty: write the SQL that undoes the up section, or write `-- migrate:down nothing` if there is nothing to undo, or `-- migrate:down irreversible` if it cannot be undone"
    )]
    EmptyDown,
    /// `irreversible` with SQL below it.
    #[error(
        "`-- migrate:down irreversible` is followed by SQL: remove the SQL, or remove `irreversible` to make the revision reversible"
    )]
    IrreversibleWithSql,
    /// `nothing` with SQL below it.
    #[error(
        "`-- migrate:down nothing` is followed by SQL: remove the SQL, or remove `nothing` to run it on downgrade"
    )]
    NothingWithSql,
    /// `nothing` and `irreversible` on one down marker.
    #[error(
        "`-- migrate:down` says both `nothing` and `irreversible`: keep `nothing` if downgrading has nothing to undo, or `irreversible` if the revision cannot be undone"
    )]
    NothingAndIrreversible,
    /// `nothing` on the up marker.
    #[error("`nothing` belongs on the `-- migrate:down` line, not on `-- migrate:up`: move it")]
    NothingUp,
    /// `irreversible` on the up marker.
    #[error(
        "`irreversible` belongs on the `-- migrate:down` line, not on `-- migrate:up`: move it"
    )]
    IrreversibleUp,
    /// An option carafe does not know on a marker line.
    #[error(
        "unknown option `{option}` on `{marker}`: the options are `transaction:false` and, on `-- migrate:down`, `irreversible` or `nothing`"
    )]
    UnknownOption {
        /// The marker it is on.
        marker: &'static str,
        /// The option as written.
        option: String,
    },
    /// A baseline marker with only one of its two options.
    #[error(
        "a baseline's `-- migrate:up` needs both `replaces:0001-NNNN` and `chain:HEX` (as `carafe squash` writes them): restore the file `carafe squash` wrote"
    )]
    BaselineIncomplete,
    /// `replaces:` or `chain:` on the down marker.
    #[error(
        "`replaces:` and `chain:` belong on `-- migrate:up`, not `-- migrate:down`: restore the file `carafe squash` wrote"
    )]
    BaselineOnDown,
    /// A `replaces:` or `chain:` option that cannot be read.
    #[error(
        "`{option}` cannot be read: a baseline says `replaces:0001-NNNN` (its own number) and `chain:` with 64 hex digits; restore the file `carafe squash` wrote"
    )]
    BadBaselineOption {
        /// The option as written.
        option: String,
    },
    /// A baseline whose range does not end at its own number.
    #[error(
        "`{file}` says it replaces 0001 to {through}, but it is revision {revision}: a baseline replaces the revisions up to its own number; restore the file `carafe squash` wrote"
    )]
    BaselineRange {
        /// The file.
        file: String,
        /// The end of the range written.
        through: Revision,
        /// The file's own number.
        revision: Revision,
    },
    /// A baseline that is not the first revision.
    #[error(
        "`{file}` is a baseline (`replaces:`), but `{first}` comes before it: only the first revision of a directory may be a baseline; delete the files it replaced"
    )]
    BaselineNotFirst {
        /// The baseline.
        file: String,
        /// The first file.
        first: String,
    },
    /// A `-- migrate:` line that is neither up nor down.
    #[error(
        "unknown marker `{text}`: the markers are `-- migrate:up` and `-- migrate:down`, in lowercase"
    )]
    UnknownMarker {
        /// The line as written.
        text: String,
    },
    /// The same marker twice in one file.
    #[error(
        "second `{marker}` (the first is on line {first_line}): one file holds one revision; move this part into a new revision"
    )]
    DuplicateMarker {
        /// The marker repeated.
        marker: &'static str,
        /// Where it first appears.
        first_line: u32,
    },
    /// `-- migrate:down` before `-- migrate:up`.
    #[error("`-- migrate:down` comes before `-- migrate:up`: put the up section first")]
    DownBeforeUp,
    /// SQL above the up marker.
    #[error(
        "SQL before `-- migrate:up`: only comments (the description) may stand above the up marker; move the SQL below it"
    )]
    SqlBeforeUp,
    /// A transaction control statement (`BEGIN`, `COMMIT`, `ROLLBACK`, ...) at the top level of a
    /// section that carafe runs in its own transaction.
    #[error(
        "`{statement}` inside a transactional section: carafe already runs each revision in one transaction with its history row, and {}; remove the `BEGIN`/`COMMIT` lines, or mark the section `{marker} transaction:false` if it must control transactions itself",
        transaction_effect(.statement)
    )]
    TransactionControl {
        /// The command, in capitals: `BEGIN`, `START TRANSACTION`, `COMMIT PREPARED`, ...
        statement: String,
        /// The section's marker, `-- migrate:up` or `-- migrate:down`.
        marker: &'static str,
    },
    /// A psql meta-command line (`\connect`, `\i`, `\set`, pg_dump's `\restrict`).
    #[error("{}", meta_command_message(.command))]
    MetaCommand {
        /// The command as written, with its backslash: `\connect`.
        command: String,
    },
    /// `COPY ... FROM STDIN`, whose rows would have to come from the client.
    #[error(
        "`COPY ... FROM STDIN` reads its rows from the client, and carafe sends none: turn the rows into `INSERT` statements (`pg_dump --inserts`), or load the data outside the migration"
    )]
    CopyFromStdin,
    /// Two files with the same number; names both.
    #[error(
        "revision {revision} is used by both `{first}` and `{second}`: after a merge, `carafe renumber` moves this branch's new revisions after the other branch's; otherwise rename the one never applied to {next_free} (the next free number) and run `carafe rehash`"
    )]
    DuplicateRevision {
        /// The number used twice.
        revision: Revision,
        /// The file that keeps it.
        first: String,
        /// The other one.
        second: String,
        /// The number to move to.
        next_free: Revision,
    },
    /// Numbers missing between two files (or before the first).
    #[error("{}", gap_message(*.first_missing, *.last_missing, .before.as_deref(), .after))]
    Gap {
        /// The first missing number.
        first_missing: Revision,
        /// The last missing number.
        last_missing: Revision,
        /// The file before the gap, if any.
        before: Option<String>,
        /// The file after the gap.
        after: String,
    },
    /// There are migrations but no `carafe.sum`.
    #[error(
        "`carafe.sum` is missing: run `carafe rehash` to record the checksums of the migrations (and commit it)"
    )]
    SumMissing,
    /// A line of `carafe.sum` that cannot be read.
    #[error("malformed line in `carafe.sum`: run `carafe rehash` to rewrite it")]
    SumMalformed,
    /// Git conflict markers in `carafe.sum`.
    #[error(
        "`carafe.sum` has merge conflict markers: two branches added revisions; run `carafe renumber` to move this branch's new revisions after the other branch's and rewrite `carafe.sum`"
    )]
    SumConflict,
    /// A chain value that does not follow from the lines above it.
    #[error(
        "the chain value on this line of `carafe.sum` does not follow from the lines above: it was edited by hand; run `carafe rehash`"
    )]
    SumChainBroken,
    /// A file that `carafe.sum` does not record.
    #[error(
        "`{file}` is not recorded in `carafe.sum`: create revisions with `carafe revision`, or run `carafe rehash` to record it"
    )]
    NotInSum {
        /// The file.
        file: String,
    },
    /// A file whose checksum differs from the one recorded.
    #[error(
        "`{file}` was edited after it was recorded in `carafe.sum` (recorded {}, now {}): undo the edit and put the change in a new revision (`carafe revision -m ...`), or run `carafe rehash` if this revision was never applied to any database",
        .recorded.short(), .actual.short()
    )]
    EditedAfterRecorded {
        /// The file.
        file: String,
        /// The checksum in `carafe.sum`.
        recorded: Checksum,
        /// The checksum of the file now.
        actual: Checksum,
    },
    /// A `carafe.sum` line whose file is gone.
    #[error(
        "`carafe.sum` records `{file}`, which is not in the directory: restore the file, or run `carafe rehash` if it was never applied to any database"
    )]
    MissingFromDirectory {
        /// The file recorded.
        file: String,
    },
}

fn rename_hint(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(name) => format!("rename it to `{name}`"),
        None => "name it `NNNN_slug.sql` (e.g. `0003_add_price_index.sql`), or move it out of the migrations directory".to_owned(),
    }
}

fn transaction_effect(statement: &str) -> String {
    match statement {
        "BEGIN" | "START TRANSACTION" => format!(
            "an inner `{statement}` starts nothing (PostgreSQL only warns), while the `COMMIT` after it would commit part of it"
        ),
        "COMMIT" | "END" => format!("an inner `{statement}` would commit part of it"),
        "ROLLBACK" | "ABORT" => format!(
            "an inner `{statement}` would undo part of it and leave the rest to run outside any transaction"
        ),
        "PREPARE TRANSACTION" => {
            "an inner `PREPARE TRANSACTION` would hand part of it to a prepared transaction"
                .to_owned()
        }
        _ => format!("PostgreSQL refuses `{statement}` inside a transaction block"),
    }
}

fn meta_command_message(command: &str) -> String {
    let fix = match command {
        "\\restrict" | "\\unrestrict" => {
            "delete the line (pg_dump 17.6 and later writes `\\restrict` and `\\unrestrict` around a dump; the SQL needs neither)"
        }
        _ => "remove the line",
    };
    format!(
        "`{command}` is a psql meta-command, and carafe sends SQL to the server, not through psql: {fix}"
    )
}

fn gap_message(first: Revision, last: Revision, before: Option<&str>, after: &str) -> String {
    let (missing, them) = match first == last {
        true => (format!("revision {first} is missing"), "it"),
        false => (format!("revisions {first} to {last} are missing"), "them"),
    };
    let place = match before {
        Some(before) => format!("between `{before}` and `{after}`"),
        None => format!("before `{after}`"),
    };
    let renumbered = crate::FileName::parse(after)
        .map(|name| crate::FileName::render(first, &name.slug))
        .unwrap_or_default();
    format!(
        "{missing} {place}: restore {them}, or renumber `{after}` to `{renumbered}` (and the files after it) if it was never applied to any database"
    )
}

impl ProblemKind {
    /// Whether `carafe rehash` fixes it (the files are fine, `carafe.sum` disagrees with them).
    pub fn is_about_sum(&self) -> bool {
        matches!(
            self,
            ProblemKind::SumMissing
                | ProblemKind::SumMalformed
                | ProblemKind::SumConflict
                | ProblemKind::SumChainBroken
                | ProblemKind::NotInSum { .. }
                | ProblemKind::EditedAfterRecorded { .. }
                | ProblemKind::MissingFromDirectory { .. }
        )
    }
}

impl Problem {
    /// A problem with no particular line.
    pub fn in_file(file: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem {
            file: file.into(),
            line: None,
            kind,
        }
    }

    /// A problem at a line.
    pub fn at_line(file: impl Into<String>, line: u32, kind: ProblemKind) -> Problem {
        Problem {
            file: file.into(),
            line: Some(line),
            kind,
        }
    }

    /// Shows the problem with its file as a path inside `dir`: `migrations/0003_add.sql:4: ...`.
    pub fn in_dir<'a>(&'a self, dir: &'a Path) -> impl fmt::Display + 'a {
        InDir { problem: self, dir }
    }
}

struct InDir<'a> {
    problem: &'a Problem,
    dir: &'a Path,
}

impl fmt::Display for InDir<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.dir.join(&self.problem.file);
        write!(f, "{}", path.display())?;
        if let Some(line) = self.problem.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.problem.kind)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.kind)
    }
}
