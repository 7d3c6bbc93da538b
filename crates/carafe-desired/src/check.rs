//! `check`: the CI gate. The migrations must build the declared schema; when a database is given, it
//! must be at head and hold what its migrations build (no drift).

use crate::{Comparison, Declared, Error, PgDump};
use carafe::{DatabaseUrl, MigrationSet, Revision, Settings};
use carafe_schema::{Diff, Renames, Shadowed, diff};

/// What [`check`] found.
#[derive(Clone, Debug)]
pub struct CheckReport {
    /// The changes a revision needs so the migrations build the declared schema (empty: none).
    pub missing: Diff,
    /// The live database's state, when one was checked.
    pub live: Option<LiveReport>,
    /// The code's head.
    pub head: Revision,
    /// When the model found no difference but `pg_dump` of the two databases differs (beyond
    /// column order): the first difference, which carafe's model does not see.
    pub not_compared: Option<String>,
    /// The declared objects a `pg_catalog` name hides where they are named unqualified.
    pub shadowed: Vec<Shadowed>,
}

/// A live database's position and drift.
#[derive(Clone, Debug)]
pub struct LiveReport {
    /// The revision it is at.
    pub current: Revision,
    /// What turns the schema its applied migrations build into what it holds (empty: no drift).
    pub drift: Diff,
    /// Behind head, yet already holding what head builds (a schema made without carafe, to
    /// `stamp`); false at head.
    pub holds_head: bool,
    /// Where its history disagrees with the code (a revision interrupted, edited after it was
    /// applied, renamed, missing), as `upgrade` would refuse it.
    pub history: Option<String>,
}

impl CheckReport {
    /// Whether everything agreed.
    pub fn passed(&self) -> bool {
        self.missing.changes.is_empty()
            && self.live.as_ref().is_none_or(|live| {
                live.current == self.head && live.drift.changes.is_empty() && live.history.is_none()
            })
    }
}

/// Checks `set` against `declared` (scratch databases on `server`) and,
/// when `live` is given, the database there against `set`.
pub fn check(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
    declared: &Declared,
    live: Option<&DatabaseUrl>,
    pg_dump: Option<&PgDump>,
) -> Result<CheckReport, Error> {
    let comparison = Comparison::load_judged(settings, set, server, declared, pg_dump)?;
    let missing = comparison.draft(&Renames::default()).up;
    let not_compared = match (&comparison.dumps, missing.changes.is_empty()) {
        (Some(dumps), true) => crate::pg_dump::schema_difference(&dumps.declared, &dumps.built),
        _ => None,
    };
    let live = match live {
        None => None,
        Some(url) => {
            let mut live_settings = settings.clone();
            live_settings.url = url.clone();
            let (recorded, drift, schema) =
                crate::snapshot::drift_and_live(&live_settings, set, server)?;
            let current = recorded.current();
            let holds_head = current != set.head()
                && diff(&comparison.built, &schema, &Renames::default())
                    .changes
                    .is_empty();
            let history = match recorded.refuse_interrupted() {
                Err(interrupted) => Some(interrupted.to_string()),
                Ok(()) => carafe_core::verify_history(&recorded.applied(), set)
                    .err()
                    .map(|problem| problem.to_string()),
            };
            Some(LiveReport {
                current,
                drift,
                holds_head,
                history,
            })
        }
    };
    Ok(CheckReport {
        missing,
        live,
        head: set.head(),
        not_compared,
        shadowed: comparison.shadowed,
    })
}
