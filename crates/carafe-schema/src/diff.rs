//! Comparing two schemas: the changes that turn one into the other, in dependency order.
//!
//! [`diff`] pairs the objects of both schemas ([`matching`]), lets each kind of object add its
//! statements to the [`steps::Phase`] where they must run, and returns them in phase order. The down
//! direction of a revision is the same function the other way round:
//! `diff(to, from, &renames.reversed())`, so every change here has its inverse here too.
//!
//! The phases, in order ([`steps::Phase`] documents each): set `check_function_bodies` off when
//! functions are created; drop event triggers (before anything they would fire on); create schemas,
//! then default privileges (before the objects they apply to); extensions (moved, updated or
//! installed anew), foreign-data wrappers, servers and user mappings, collations, enums (and add enum values), the functions range types name, range
//! types, domains and composite types (and alter them), sequences; release sequences from the
//! columns that owned them; drop the policies, triggers and rules that change (nothing depends on
//! them), the functions gone whose `BEGIN ATOMIC` body reads a view that goes, the views that read
//! anything changing; detach partitions and children; drop foreign keys, then other constraints,
//! then indexes; drop the defaults that call a function created anew; drop the functions to be
//! created anew (and those gone that use a table that goes), create or replace the functions that
//! need no new table; recreate enums that lose values; drop tables; drop and create again the servers whose wrapper
//! changes, with their user mappings; create tables (parents first);
//! drop, rename, alter and add columns; storage settings; attach partitions and children; create or
//! replace the functions that use new tables or columns; add domain checks that call functions; add
//! constraints; create indexes; set replica identities; add foreign keys; give sequences their
//! owners; create views and the functions that read them, in one order by what each reads, then
//! materialised views' indexes; add the checks that call functions; create triggers and rules;
//! switch row-level security; create policies; comments; grants and revokes; and last drop
//! functions, composite types, domains, range types, enums, the functions dropped domains and
//! ranges called, collations, sequences, user mappings, servers, foreign-data wrappers, extensions and schemas no longer wanted, and create event
//! triggers.
//!
//! Functions are placed by the server's dependencies ([`crate::Dependency`], from `pg_depend`),
//! not by language: what a function's signature or `BEGIN ATOMIC` body uses must exist before it,
//! and what calls a function that is dropped and created again goes and comes back with it.

mod casts;
mod collations;
mod columns;
mod comments;
mod composites;
mod constraints;
mod domains;
mod enums;
mod event_triggers;
mod foreign_data;
mod functions;
mod indexes;
mod matching;
mod operators;
mod order;
mod owners;
mod policies;
mod privileges;
mod ranges;
mod renames;
mod rules;
mod schemas;
mod sequences;
mod sql;
mod statistics;
mod steps;
mod storage;
mod tables;
mod text_search;
mod triggers;
mod types;
mod views;

use crate::{Name, Schema};
use matching::Matching;
pub use renames::InvalidRename;
use steps::Steps;

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

impl Diff {
    /// Whether the two schemas already agree.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The review comments of every change that has one, in order.
    pub fn reviews(&self) -> impl Iterator<Item = &str> {
        self.changes
            .iter()
            .filter_map(|change| change.review.as_deref())
    }

    /// Every statement, one change after the other, as one script.
    pub fn script(&self) -> String {
        let mut script = String::new();
        for change in &self.changes {
            script.push_str(&change.sql);
            script.push('\n');
        }
        script
    }
}

/// The changes that turn `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, renames: &Renames) -> Diff {
    let matching = Matching::new(from, to, renames);
    let mut steps = Steps::default();
    schemas::plan(&matching, &mut steps);
    foreign_data::plan(&matching, &mut steps);
    collations::plan(&matching, &mut steps);
    text_search::plan(&matching, &mut steps);
    enums::plan(&matching, &mut steps);
    domains::plan(&matching, &mut steps);
    composites::plan(&matching, &mut steps);
    ranges::plan(&matching, &mut steps);
    sequences::plan(&matching, &mut steps);
    views::plan(&matching, &mut steps);
    constraints::plan(&matching, &mut steps);
    indexes::plan(&matching, &mut steps);
    statistics::plan(&matching, &mut steps);
    tables::plan(&matching, &mut steps);
    columns::plan(&matching, &mut steps);
    functions::plan(&matching, &mut steps);
    casts::plan(&matching, &mut steps);
    operators::plan(&matching, &mut steps);
    triggers::plan(&matching, &mut steps);
    rules::plan(&matching, &mut steps);
    policies::plan(&matching, &mut steps);
    comments::plan(&matching, &mut steps);
    storage::plan(&matching, &mut steps);
    privileges::plan(&matching, &mut steps);
    event_triggers::plan(&matching, &mut steps);
    owners::plan(&matching, &mut steps);
    Diff {
        changes: steps.into_changes(),
        rename_candidates: matching.rename_candidates(),
    }
}
