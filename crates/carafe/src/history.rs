//! The history table: where it lives, its layout (versioned by a table comment), the one query that
//! reads it, and the rows it holds.

use crate::{Applied, Checksum, Revision, Transaction};
use carafe_core::quote::{identifier, literal};
use std::fmt;

/// The version of the history table's layout this build writes and reads.
pub const LAYOUT: u32 = 1;
const LAYOUT_COMMENT_PREFIX: &str = "carafe history, layout ";

/// Where the history table lives. Both names are always quoted in SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryTable {
    schema: String,
    table: String,
}

impl Default for HistoryTable {
    /// `public.carafe_history`.
    fn default() -> HistoryTable {
        HistoryTable::new("public", "carafe_history")
    }
}

impl HistoryTable {
    /// The table `table` in schema `schema`.
    pub fn new(schema: impl Into<String>, table: impl Into<String>) -> HistoryTable {
        HistoryTable {
            schema: schema.into(),
            table: table.into(),
        }
    }

    /// Refuses a schema or table name PostgreSQL would cut short (it keeps 63 bytes): two names
    /// that differ only past that are one table to the server but two migration locks to carafe.
    pub fn check(&self) -> Result<(), crate::Error> {
        for (what, name) in [("schema", &self.schema), ("table", &self.table)] {
            if name.len() > MAX_NAME_BYTES {
                let mut kept = MAX_NAME_BYTES;
                while !name.is_char_boundary(kept) {
                    kept -= 1;
                }
                return Err(crate::Error::Settings(format!(
                    "the history {what} name `{name}` is {} bytes long: PostgreSQL keeps {MAX_NAME_BYTES} and would read it as `{}`; pick a name of at most {MAX_NAME_BYTES} bytes",
                    name.len(),
                    &name[..kept]
                )));
            }
        }
        Ok(())
    }

    /// The schema.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// `"schema"."table"`.
    pub(crate) fn qualified(&self) -> String {
        format!("{}.{}", identifier(&self.schema), identifier(&self.table))
    }

    /// The advisory-lock key of this history table: every process migrating the same table takes the
    /// same key, and two tables in one database do not block each other.
    pub fn lock_key(&self) -> i64 {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("carafe lock {}", self.qualified()));
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }

    /// Creates the schema and the table if they are missing. The schema is created only when it
    /// does not exist: `CREATE SCHEMA IF NOT EXISTS` needs `CREATE` on the database even then, which
    /// a least-privilege role that owns its schema lacks.
    pub(crate) fn create_sql(&self) -> String {
        let table = self.qualified();
        format!(
            "DO $carafe$ BEGIN IF to_regnamespace({schema_literal}) IS NULL THEN CREATE SCHEMA {schema}; END IF; END $carafe$;\n\
             CREATE TABLE IF NOT EXISTS {table} (\n    \
             revision integer PRIMARY KEY,\n    \
             name text NOT NULL,\n    \
             checksum text NOT NULL,\n    \
             algorithm text NOT NULL,\n    \
             state text NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'running', 'reverting')),\n    \
             applied_at timestamptz NOT NULL DEFAULT now(),\n    \
             applied_by text NOT NULL DEFAULT current_user,\n    \
             execution_ms double precision,\n    \
             down_sql text,\n    \
             down_transaction boolean NOT NULL DEFAULT true,\n    \
             carafe_version text NOT NULL\n\
             );\n\
             COMMENT ON TABLE {table} IS {comment};\n",
            schema = identifier(&self.schema),
            schema_literal = literal(&identifier(&self.schema)),
            comment = literal(&format!("{LAYOUT_COMMENT_PREFIX}{LAYOUT}")),
        )
    }

    /// One query for everything a run needs to know: the layout and every row, oldest first.
    /// Fails with `undefined_table` when the table does not exist.
    pub(crate) fn read_sql(&self) -> String {
        format!(
            "SELECT obj_description({regclass}::regclass, 'pg_class'), h.revision, h.name, h.checksum, \
             h.algorithm, h.state, h.down_sql, h.down_transaction, \
             to_char(h.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), h.applied_by, h.execution_ms \
             FROM (SELECT 1) AS one LEFT JOIN {table} AS h ON true ORDER BY h.revision",
            regclass = literal(&self.qualified()),
            table = self.qualified(),
        )
    }
}

/// The bytes of a name PostgreSQL keeps (`NAMEDATALEN` − 1); it cuts longer ones silently.
const MAX_NAME_BYTES: usize = 63;

impl fmt::Display for HistoryTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.table)
    }
}

/// The state of a history row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// The revision is applied.
    Applied,
    /// A `transaction:false` up section started and did not finish.
    Running,
    /// A `transaction:false` down section started and did not finish.
    Reverting,
}

/// A row of the history table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    /// The revision as the planner sees it.
    pub applied: Applied,
    /// Its state.
    pub state: RowState,
    /// When it was applied, ISO 8601 in UTC.
    pub applied_at: String,
    /// The database role that applied it.
    pub applied_by: String,
    /// How long its SQL took, when known.
    pub execution_ms: Option<f64>,
}

/// What the history table says, read in one query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Whether the table exists.
    pub exists: bool,
    /// Every row, oldest first.
    pub rows: Vec<HistoryRow>,
}

impl History {
    /// The revisions applied, oldest first (rows in another state excluded).
    pub fn applied(&self) -> Vec<Applied> {
        self.rows
            .iter()
            .filter(|row| row.state == RowState::Applied)
            .map(|row| row.applied.clone())
            .collect()
    }

    /// The revision the database is at.
    pub fn current(&self) -> Revision {
        carafe_core::current(&self.applied())
    }

    /// A `transaction:false` revision that started and did not finish.
    pub fn interrupted(&self) -> Option<&HistoryRow> {
        self.rows.iter().find(|row| row.state != RowState::Applied)
    }

    /// [`crate::Error::Interrupted`] while a revision is interrupted, which every run refuses
    /// until it is stamped.
    pub fn refuse_interrupted(&self) -> Result<(), crate::Error> {
        let Some(row) = self.interrupted() else {
            return Ok(());
        };
        let revision = row.applied.revision;
        let before = Revision::new(revision.number().saturating_sub(1));
        let (doing, section, if_complete, if_not) = match row.state {
            RowState::Reverting => ("reverting", "down", before, revision),
            RowState::Running | RowState::Applied => ("applying", "up", revision, before),
        };
        Err(crate::Error::Interrupted {
            revision,
            name: row.applied.name.clone(),
            doing,
            section,
            if_complete,
            if_not,
        })
    }
}

/// Why the rows could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The table exists but is not a carafe history table, or has a layout this build does not know.
    Layout(Option<String>),
    /// A value that does not parse.
    Row(String),
}

/// Reads the rows of [`HistoryTable::read_sql`].
pub(crate) fn parse_rows(rows: &[postgres::SimpleQueryRow]) -> Result<History, ReadError> {
    let mut history = History {
        exists: true,
        rows: Vec::with_capacity(rows.len()),
    };
    for row in rows {
        let layout = row.get(0);
        if layout != Some(format!("{LAYOUT_COMMENT_PREFIX}{LAYOUT}").as_str()) {
            return Err(ReadError::Layout(layout.map(str::to_owned)));
        }
        let Some(revision) = row.get(1) else {
            continue;
        };
        let text = |index: usize| row.get(index).unwrap_or_default().to_owned();
        let bad = |what: &str| ReadError::Row(format!("revision {revision}: {what}"));
        let revision: Revision = revision.parse().map_err(|_| bad("bad revision number"))?;
        let checksum = Checksum::parse(&text(4), &text(3))
            .ok_or_else(|| bad("unknown checksum algorithm or malformed checksum"))?;
        let state = match row.get(5) {
            Some("applied") => RowState::Applied,
            Some("running") => RowState::Running,
            Some("reverting") => RowState::Reverting,
            _ => return Err(bad("unknown state")),
        };
        let down_transaction = match row.get(7) {
            Some("f") => Transaction::Disabled,
            _ => Transaction::Wrapped,
        };
        history.rows.push(HistoryRow {
            applied: Applied {
                revision,
                name: text(2),
                checksum,
                down_sql: row.get(6).map(str::to_owned),
                down_transaction,
            },
            state,
            applied_at: text(8),
            applied_by: text(9),
            execution_ms: row.get(10).and_then(|ms| ms.parse().ok()),
        });
    }
    Ok(history)
}
