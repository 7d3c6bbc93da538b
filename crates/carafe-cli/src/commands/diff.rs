//! `carafe diff`: how the database differs from what its applied migrations build — drift made by
//! hand. Exit 12 when it does.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe_desired::statements;

pub(crate) fn run(context: &Context<'_>, options: &Desired) -> Result<(), Failure> {
    let set = context.set()?;
    let server = context.scratch_server(options)?;
    let settings = context.settings()?;
    let (current, drift) = carafe_desired::drift(&settings, &set, &server)?;
    if drift.changes.is_empty() {
        say!("no drift: the database is what its migrations ({current}) build");
        return Ok(());
    }
    say!("{}", statements(&drift));
    Err(Failure::new(
        Exit::Differs,
        format_args!(
            "the database differs from what its migrations ({current}) build: the statements above would turn the migrated schema into it; capture them in a revision or undo the change"
        ),
    ))
}
