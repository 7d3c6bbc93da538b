//! `verify`: every revision's down section is the inverse of its up section. On a scratch database,
//! for each revision: snapshot, upgrade, snapshot, downgrade, compare with the first snapshot, upgrade
//! again and compare with the second. A revision whose down is `irreversible` or `nothing` is
//! skipped: it has no down to compare (and `nothing`'s up may insert rows a second up would
//! collide with).

use super::{ScratchDatabase, snapshot};
use crate::Error;
use carafe::{Database, DatabaseUrl, Down, MigrationSet, Revision, Settings, Target};
use carafe_schema::{Renames, diff};

/// What verifying one revision found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// Down restored the schema before the revision, and up gave the same schema again.
    Reversible,
    /// The revision says it is irreversible; its down was not run.
    Irreversible,
    /// Its down is `nothing` (a backfill, a grant kept on purpose): there is nothing to compare,
    /// and its up, which may insert rows, is not run twice.
    NothingToUndo,
    /// After up then down, the schema differs from before: the SQL that would restore it.
    DownIsNotInverse(Vec<String>),
    /// After up, down, up, the schema differs from after the first up.
    UpIsNotRepeatable(Vec<String>),
}

/// The outcome of every revision checked, in order; checking stops at the first that fails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Each revision and what was found.
    pub revisions: Vec<(Revision, String, VerifyOutcome)>,
}

impl VerifyReport {
    /// The first revision whose down is not the inverse of its up.
    pub fn first_failure(&self) -> Option<&(Revision, String, VerifyOutcome)> {
        self.revisions.iter().find(|(_, _, outcome)| {
            matches!(
                outcome,
                VerifyOutcome::DownIsNotInverse(_) | VerifyOutcome::UpIsNotRepeatable(_)
            )
        })
    }
}

/// Verifies every revision of `set` on a scratch database on `server`; `on_revision` hears each
/// outcome as it is found.
pub fn verify(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
    on_revision: &mut dyn FnMut(Revision, &str, &VerifyOutcome),
) -> Result<VerifyReport, Error> {
    let scratch = ScratchDatabase::create(server, "verify")?;
    let mut scratch_settings = settings.clone();
    scratch_settings.url = scratch.url().clone();
    let history = settings.history.clone();
    let mut database = Database::connect(scratch_settings)?;
    let mut report = VerifyReport::default();
    let mut before = snapshot(scratch.url(), &history)?;
    for migration in set {
        database.upgrade(set, Target::Exactly(migration.revision), &mut |_| {})?;
        let after = snapshot(scratch.url(), &history)?;
        let outcome = if migration.down == Down::Nothing {
            VerifyOutcome::NothingToUndo
        } else if migration.down_section().is_none() {
            VerifyOutcome::Irreversible
        } else {
            database.downgrade(set, Target::Steps(1), &mut |_| {})?;
            // Two schemas differ when the diff has a change: the same rule as `check` and
            // `diff` (so a column that comes back last after a down is no difference).
            let undone = snapshot(scratch.url(), &history)?;
            let restore = statements(&undone, &before);
            if !restore.is_empty() {
                VerifyOutcome::DownIsNotInverse(restore)
            } else {
                database.upgrade(set, Target::Steps(1), &mut |_| {})?;
                let redone = snapshot(scratch.url(), &history)?;
                let repeat = statements(&redone, &after);
                match repeat.is_empty() {
                    true => VerifyOutcome::Reversible,
                    false => VerifyOutcome::UpIsNotRepeatable(repeat),
                }
            }
        };
        on_revision(migration.revision, &migration.name(), &outcome);
        let failed = matches!(
            outcome,
            VerifyOutcome::DownIsNotInverse(_) | VerifyOutcome::UpIsNotRepeatable(_)
        );
        report
            .revisions
            .push((migration.revision, migration.name(), outcome));
        if failed {
            break;
        }
        before = after;
    }
    Ok(report)
}

fn statements(from: &carafe_schema::Schema, to: &carafe_schema::Schema) -> Vec<String> {
    diff(from, to, &Renames::default())
        .changes
        .into_iter()
        .map(|change| change.sql)
        .collect()
}
