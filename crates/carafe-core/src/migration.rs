//! `Migration`: one revision as read from its file — number, slug, description, up and down SQL, checksum.
//!
//! Fields are public and hold [`Text`] (a `Cow<'static, str>`), so the same type is built from a file
//! at run time and written as `static` data by generated code.

use crate::{Checksum, FileName, Revision};
use std::borrow::Cow;

/// Text that is either compiled in (`&'static str`) or read at run time (`String`).
pub type Text = Cow<'static, str>;

/// Whether a section runs inside a transaction with its history write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transaction {
    /// The default: the section and its history write commit or roll back together.
    Wrapped,
    /// `transaction:false`, for statements PostgreSQL refuses inside a transaction
    /// (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD VALUE` before 12, `VACUUM`).
    Disabled,
}

/// The SQL of one direction, with where it starts in the file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Section {
    /// The statements, exactly as written between the markers (comments included).
    pub sql: Text,
    /// The 1-based line of the file where `sql` begins, to map a server error back to the file.
    pub line: u32,
    /// How the section runs.
    pub transaction: Transaction,
}

/// The down direction of a revision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Down {
    /// SQL that undoes the up section.
    Sql(Section),
    /// `-- migrate:down irreversible`: the revision says it cannot be undone.
    Irreversible,
    /// `-- migrate:down nothing`: the revision is reversible and its down has nothing to undo (a
    /// data backfill, a `COMMENT`, a grant the down keeps on purpose). Downgrading runs no SQL and
    /// removes the history row.
    Nothing,
}

/// What downgrading a [`Down::Nothing`] revision runs: no SQL, in a transaction with the history
/// row. Its `line` is 0, since it is written in no file.
static NOTHING_TO_UNDO: Section = Section {
    sql: Cow::Borrowed(""),
    line: 0,
    transaction: Transaction::Wrapped,
};

/// What a baseline revision (`carafe squash`) stands for: revisions 0001 up to its own number,
/// which databases made before the squash have applied one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Replaced {
    /// The last revision replaced: the baseline's own number.
    pub through: Revision,
    /// The `carafe.sum` chain value of the replaced revisions' names and checksums, as their
    /// history rows record them: an old database's rows 0001..`through` must give this value.
    pub chain: [u8; 32],
}

/// One revision.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Migration {
    /// Its number.
    pub revision: Revision,
    /// The part of the file name after the number, e.g. `add_vintage_column`.
    pub slug: Text,
    /// The comment lines above `-- migrate:up`, without their `--`.
    pub description: Text,
    /// What `upgrade` runs.
    pub up: Section,
    /// What `downgrade` runs.
    pub down: Down,
    /// The checksum of the whole file's normalised text.
    pub checksum: Checksum,
    /// For a baseline (`-- migrate:up replaces:0001-0012 chain:...`), the revisions it replaces.
    pub replaces: Option<Replaced>,
}

impl Migration {
    /// `0002_add_vintage_column`: the file name without `.sql`, and the name kept in the history table.
    pub fn name(&self) -> String {
        format!("{}_{}", self.revision, self.slug)
    }

    /// `0002_add_vintage_column.sql`.
    pub fn file_name(&self) -> String {
        FileName::render(self.revision, &self.slug)
    }

    /// The first line of the description, or the slug with spaces when there is none.
    pub fn summary(&self) -> String {
        match self
            .description
            .lines()
            .find(|line| !line.trim().is_empty())
        {
            Some(line) => line.trim().to_owned(),
            None => self.slug.replace('_', " "),
        }
    }

    /// The SQL `downgrade` runs: the down section, an empty section for [`Down::Nothing`], or
    /// `None` when the revision is irreversible.
    pub fn down_section(&self) -> Option<&Section> {
        match &self.down {
            Down::Sql(section) => Some(section),
            Down::Nothing => Some(&NOTHING_TO_UNDO),
            Down::Irreversible => None,
        }
    }
}
