//! `carafe revision --autogenerate -m MSG`: the revision that turns what the migrations build into
//! what `schema.sql` declares, with its down, written as the next file.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe::{Target, desired};
use carafe_schema::{Renames, diff, render_revision};
use std::io::{BufRead, IsTerminal, Write};

pub(crate) fn run(context: &Context<'_>, message: &str, options: &Desired) -> Result<(), Failure> {
    let dir = context.dir()?;
    let set = context.set()?;
    let schema_path = context.schema_path(options)?;
    let mut renames = context.renames(options)?;
    let server = context.scratch_server(options)?;
    let settings = context.settings()?;
    let built = desired::replayed(&settings, &set, &server, Target::Head)?;
    let declared = desired::declared(&schema_path, &server, &settings.history)?;
    let mut up = diff(&built, &declared, &renames);
    if !up.rename_candidates.is_empty() && std::io::stdin().is_terminal() {
        ask_about_renames(&up.rename_candidates, &mut renames)?;
        up = diff(&built, &declared, &renames);
    }
    for candidate in &up.rename_candidates {
        eprintln!(
            "warning: in `{}`, `{}` is dropped and `{}` added with the same type: if it is a rename, run again with --rename {}.{}:{}",
            candidate.table,
            candidate.dropped,
            candidate.added,
            candidate.table,
            candidate.dropped,
            candidate.added
        );
    }
    if up.changes.is_empty() {
        return Err(Failure::new(
            Exit::NoChanges,
            format_args!(
                "no changes detected: the migrations already build `{}`; no revision written",
                schema_path.display()
            ),
        ));
    }
    let down = diff(&declared, &built, &renames.reversed());
    let path = super::revision::write_next(
        &dir,
        set.head(),
        message,
        &render_revision(message, &up, &down),
    )?;
    let reviews = up
        .changes
        .iter()
        .chain(&down.changes)
        .filter(|change| change.review.is_some())
        .count();
    println!("{}", path.display());
    if reviews > 0 {
        println!("{reviews} change(s) marked `-- review:` in the file: read them before applying");
    }
    eprintln!("if you {}", super::revision::EDIT_HINT);
    Ok(())
}

/// On a terminal: asks about each possible rename; never guesses.
fn ask_about_renames(
    candidates: &[carafe_schema::RenameCandidate],
    renames: &mut Renames,
) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    for candidate in candidates {
        eprint!(
            "in `{}`, is `{}` renamed to `{}`? [y/N] ",
            candidate.table, candidate.dropped, candidate.added
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer).map_err(|error| {
            Failure::new(
                Exit::Environment,
                format_args!("cannot read the answer: {error}"),
            )
        })?;
        if matches!(answer.trim(), "y" | "Y" | "yes") {
            renames.columns.push((
                candidate.table.clone(),
                candidate.dropped.clone(),
                candidate.added.clone(),
            ));
        }
    }
    Ok(())
}
