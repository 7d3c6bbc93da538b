//! Column renames: the ones the user confirmed ([`Renames`], read from `--rename table.old:new`), and
//! the ones the diff only suspects ([`RenameCandidate`]s, never applied without confirmation).

use super::{RenameCandidate, Renames};
use crate::Name;

/// A `--rename` that is not `TABLE.OLD:NEW` nor `SCHEMA.TABLE.OLD:NEW`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid rename `{spec}`: expected `TABLE.OLD:NEW` or `SCHEMA.TABLE.OLD:NEW` (a table outside `public` needs its schema)"
)]
pub struct InvalidRename {
    /// The text as given.
    pub spec: String,
}

impl Renames {
    /// Reads `--rename` values, `TABLE.OLD:NEW` (in schema `public`) or `SCHEMA.TABLE.OLD:NEW`, and
    /// reports every one that does not read.
    pub fn parse<S: AsRef<str>>(
        specs: impl IntoIterator<Item = S>,
    ) -> Result<Renames, Vec<InvalidRename>> {
        let mut renames = Renames::default();
        let mut invalid = Vec::new();
        for spec in specs {
            let spec = spec.as_ref();
            match parse_one(spec) {
                Some((table, old, new)) => renames = renames.with_column(table, old, new),
                None => invalid.push(InvalidRename {
                    spec: spec.to_owned(),
                }),
            }
        }
        match invalid.is_empty() {
            true => Ok(renames),
            false => Err(invalid),
        }
    }

    /// These renames and column `old` of `table` renamed to `new`.
    pub fn with_column(
        mut self,
        table: Name,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Renames {
        self.columns.push((table, old.into(), new.into()));
        self
    }

    /// The same renames undone (`new` back to `old`), for the down direction of a revision.
    pub fn reversed(&self) -> Renames {
        Renames {
            columns: self
                .columns
                .iter()
                .map(|(table, old, new)| (table.clone(), new.clone(), old.clone()))
                .collect(),
        }
    }

    /// Whether there is no rename.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The new name of column `old` of `table`, when the user confirmed a rename.
    pub(super) fn new_name(&self, table: &Name, old: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(renamed_table, renamed_old, _)| renamed_table == table && renamed_old == old)
            .map(|(_, _, new)| new.as_str())
    }
}

impl RenameCandidate {
    /// The `--rename` value that confirms it: `schema.table.dropped:added`.
    pub fn flag_value(&self) -> String {
        format!("{}.{}:{}", self.table, self.dropped, self.added)
    }
}

fn parse_one(spec: &str) -> Option<(Name, String, String)> {
    let (left, new) = spec.split_once(':')?;
    let (table, old) = left.rsplit_once('.')?;
    let table = match table.split_once('.') {
        Some((schema, table)) => Name::new(schema, table),
        None => Name::new("public", table),
    };
    let parts = [table.schema.as_str(), table.name.as_str(), old, new];
    if parts
        .iter()
        .any(|part| part.is_empty() || part.contains('.'))
    {
        return None;
    }
    Some((table, old.to_owned(), new.to_owned()))
}
