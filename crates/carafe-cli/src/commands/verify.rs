//! `carafe verify`: each revision's down undoes its up, on a scratch database; exit 12 names the first
//! that does not.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe_desired::VerifyOutcome;

pub(crate) fn run(context: &Context<'_>, options: &Desired) -> Result<(), Failure> {
    let set = context.set()?;
    let server = context.scratch_server(options)?;
    let settings = context.scratch_settings(&server)?;
    let report =
        carafe_desired::verify(
            &settings,
            &set,
            &server,
            &mut |_, name, outcome| match outcome {
                VerifyOutcome::Reversible => say!("ok        {name}"),
                VerifyOutcome::Irreversible => say!("skipped   {name} (irreversible)"),
                VerifyOutcome::NothingToUndo => say!("skipped   {name} (down nothing)"),
                VerifyOutcome::DownIsNotInverse(_) | VerifyOutcome::UpIsNotRepeatable(_) => {
                    say!("FAILED    {name}")
                }
            },
        )?;
    match report.first_failure() {
        None => {
            let skipped = report
                .revisions
                .iter()
                .filter(|(_, _, outcome)| {
                    matches!(
                        outcome,
                        VerifyOutcome::Irreversible | VerifyOutcome::NothingToUndo
                    )
                })
                .count();
            let checked = report.revisions.len() - skipped;
            // Only what was checked is claimed: an irreversible revision has no down to check
            // (it said so for a set of baselines only, found by review).
            match (checked, skipped) {
                (0, _) => say!(
                    "nothing to verify: no revision has a down section to compare ({skipped} irreversible or down nothing)"
                ),
                (_, 0) => say!("every down section undoes its up section ({checked} revision(s))"),
                _ => say!(
                    "every down section undoes its up section ({checked} revision(s); {skipped} irreversible or down nothing skipped)"
                ),
            }
            Ok(())
        }
        Some((revision, name, outcome)) => {
            let (what, statements) = match outcome {
                VerifyOutcome::DownIsNotInverse(statements) => (
                    "its down section does not undo its up section; after up and down, these statements would restore the schema",
                    statements,
                ),
                VerifyOutcome::UpIsNotRepeatable(statements) => (
                    "up, down, up does not give the schema of the first up; the difference",
                    statements,
                ),
                _ => ("", &Vec::new()),
            };
            say!("{}", statements.join("\n"));
            Err(Failure::new(
                Exit::Differs,
                format_args!("revision {revision} (`{name}`): {what} (printed above)"),
            ))
        }
    }
}
