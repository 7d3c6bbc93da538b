//! Comparing two schemas: the changes that turn one into the other, in dependency order.
//! PLACEHOLDER: the contract only; the implementation replaces this file.

use crate::{Name, Schema};

/// Column renames the user confirmed (`--rename table.old:new`); without one, a dropped and an added
/// column of the same type stay a drop and an add, and are offered as a [`RenameCandidate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renames {
    /// `(table, old column, new column)`.
    pub columns: Vec<(Name, String, String)>,
}

/// One step of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The statements, each ending in `;`.
    pub sql: String,
    /// Why a person must review it (a drop, a rewrite, a removed enum value), written as a
    /// `-- review:` comment above it.
    pub review: Option<String>,
}

/// A dropped and an added column of the same type in one table: maybe a rename.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameCandidate {
    /// The table.
    pub table: Name,
    /// The column that disappears.
    pub dropped: String,
    /// The column that appears.
    pub added: String,
}

/// What turns one schema into another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes, in the order they must run.
    pub changes: Vec<Change>,
    /// Possible renames the user has not decided on.
    pub rename_candidates: Vec<RenameCandidate>,
}

/// The changes that turn `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, renames: &Renames) -> Diff {
    let _ = (from, to, renames);
    unimplemented!("placeholder: the diff is being written")
}
