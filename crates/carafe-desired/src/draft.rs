//! `Comparison` and `Draft`: what autogenerate compares (the schema the migrations build, the schema
//! declared) and the revision between them, up and down. Renames are asked, never guessed: a draft
//! lists its rename candidates, and the caller drafts again with the renames it confirmed.

use crate::snapshot::{declared_dumped, replayed_dumped};
use crate::{Declared, Error, PgDump};
use carafe::{DatabaseUrl, MigrationSet, Settings, Target};
use carafe_schema::{Diff, RenameCandidate, Renames, Schema, Shadowed, diff, render_revision};

/// The schema the migrations build (replayed to head) and the schema declared.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// What the migrations build.
    pub built: Schema,
    /// What the declared sources build.
    pub declared: Schema,
    /// The declared schema's sources.
    pub source: Declared,
    /// `pg_dump` of both databases, when the comparison was also judged by it.
    pub dumps: Option<Dumps>,
    /// The declared objects a `pg_catalog` name hides where they are named unqualified.
    pub shadowed: Vec<Shadowed>,
}

/// `pg_dump --schema-only` of what the migrations build and of what the file declares.
#[derive(Clone, Debug)]
pub struct Dumps {
    /// Of the replayed database.
    pub built: String,
    /// Of the declared database.
    pub declared: String,
}

impl Comparison {
    /// Replays `set` and loads `declared`, each into a scratch database on `server`.
    pub fn load(
        settings: &Settings,
        set: &MigrationSet,
        server: &DatabaseUrl,
        declared: &Declared,
    ) -> Result<Comparison, Error> {
        Comparison::load_judged(settings, set, server, declared, None)
    }

    /// [`Comparison::load`], and `pg_dump` of both scratch databases when `pg_dump` is given.
    pub fn load_judged(
        settings: &Settings,
        set: &MigrationSet,
        server: &DatabaseUrl,
        declared: &Declared,
        pg_dump: Option<&PgDump>,
    ) -> Result<Comparison, Error> {
        let (built, built_dump) = replayed_dumped(settings, set, server, Target::Head, pg_dump)?;
        let read = declared_dumped(declared, server, &settings.history, pg_dump)?;
        Ok(Comparison {
            built,
            declared: read.schema,
            source: declared.clone(),
            dumps: built_dump
                .zip(read.dump)
                .map(|(built, declared)| Dumps { built, declared }),
            shadowed: read.shadowed,
        })
    }

    /// The revision from what the migrations build to what is declared, with `renames` applied.
    pub fn draft(&self, renames: &Renames) -> Draft {
        Draft {
            up: diff(&self.built, &self.declared, renames),
            down: diff(&self.declared, &self.built, &renames.reversed()),
            source: self.source.clone(),
        }
    }
}

/// A revision to write: its up and down changes.
#[derive(Clone, Debug)]
pub struct Draft {
    /// From what the migrations build to what is declared.
    pub up: Diff,
    /// Back again.
    pub down: Diff,
    source: Declared,
}

impl Draft {
    /// Column pairs that may be a rename: a drop and an add of the same type in one table.
    pub fn rename_candidates(&self) -> &[RenameCandidate] {
        &self.up.rename_candidates
    }

    /// How many changes, up and down, carry a `-- review:` note.
    pub fn reviews(&self) -> usize {
        self.up
            .changes
            .iter()
            .chain(&self.down.changes)
            .filter(|change| change.review.is_some())
            .count()
    }

    /// The revision file's text, `message` as its description; [`Error::NoChanges`] when the
    /// migrations already build the declared schema (an empty revision is never written).
    pub fn revision_text(&self, message: &str) -> Result<String, Error> {
        if self.up.changes.is_empty() {
            return Err(Error::NoChanges {
                declared: self.source.to_string(),
            });
        }
        Ok(render_revision(message, &self.up, &self.down))
    }
}

/// A diff's statements, each under its `-- review:` note, for printing.
pub fn statements(diff: &Diff) -> String {
    diff.changes
        .iter()
        .map(|change| match &change.review {
            Some(review) => format!("-- review: {review}\n{}", change.sql),
            None => change.sql.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
