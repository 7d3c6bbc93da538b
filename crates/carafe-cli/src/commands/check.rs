//! `carafe check`: the CI gate. Fails (exit 12) when the migrations do not build `schema.sql`, and,
//! when a database is configured, when it has pending revisions or differs from what its migrations
//! build.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe::{Target, desired};
use carafe_schema::{Renames, diff};

pub(crate) fn run(context: &Context<'_>, options: &Desired) -> Result<(), Failure> {
    let set = context.set()?;
    let schema_path = context.schema_path(options)?;
    let server = context.scratch_server(options)?;
    let settings = context.settings()?;
    let built = desired::replayed(&settings, &set, &server, Target::Head)?;
    let declared = desired::declared(&schema_path, &server, &settings.history)?;
    let mut problems = Vec::new();
    let missing = diff(&built, &declared, &Renames::default());
    if !missing.changes.is_empty() {
        problems.push(format!(
            "the migrations do not build `{}`; a revision with this would (`carafe revision --autogenerate -m MESSAGE` writes it):\n{}",
            schema_path.display(),
            super::diff::statements(&missing)
        ));
    }
    match context.configured_database()? {
        None => println!(
            "no database configured (DATABASE_URL): checked the migrations against `{}` only",
            schema_path.display()
        ),
        Some(url) => {
            let mut live = settings.clone();
            live.url = url;
            let (current, drift) = desired::drift(&live, &set, &server)?;
            if current != set.head() {
                problems.push(format!("the database is at {current}, the code's head is {}: run `carafe upgrade head`", set.head()));
            }
            if !drift.changes.is_empty() {
                problems.push(format!(
                    "the database differs from what its migrations build (changed by hand?); these statements would make the migrated schema match it:\n{}",
                    super::diff::statements(&drift)
                ));
            }
        }
    }
    if problems.is_empty() {
        println!("ok: the migrations build `{}`", schema_path.display());
        return Ok(());
    }
    for problem in &problems {
        println!("{problem}");
    }
    Err(Failure::new(
        Exit::Differs,
        format_args!("check failed: {} problem(s) above", problems.len()),
    ))
}
