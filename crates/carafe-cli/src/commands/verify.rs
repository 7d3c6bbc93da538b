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
                VerifyOutcome::DownIsNotInverse(_) | VerifyOutcome::UpIsNotRepeatable(_) => {
                    say!("FAILED    {name}")
                }
            },
        )?;
    match report.first_failure() {
        None => {
            say!(
                "every down section undoes its up section ({} revision(s))",
                report.revisions.len()
            );
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
