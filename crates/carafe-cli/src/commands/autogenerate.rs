//! `carafe revision --autogenerate -m MSG`: the revision that turns what the migrations build into
//! what the models and `schema.sql` declare, with its down, written as the next file.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe_desired::Comparison;
use carafe_schema::Renames;
use std::io::{BufRead, IsTerminal, Write};

pub(crate) fn run(context: &Context<'_>, message: &str, options: &Desired) -> Result<(), Failure> {
    let dir = context.dir()?;
    let set = context.set()?;
    let declared = context.declared(options)?;
    let mut renames = context.renames(options)?;
    let server = context.scratch_server(options)?;
    let settings = context.scratch_settings(&server)?;
    let comparison = Comparison::load(&settings, &set, &server, &declared)?;
    super::warn_shadowed(&declared, &comparison.shadowed);
    let mut draft = comparison.draft(&renames);
    if !draft.rename_candidates().is_empty() && std::io::stdin().is_terminal() {
        ask_about_renames(draft.rename_candidates(), &mut renames)?;
        draft = comparison.draft(&renames);
    }
    for candidate in draft.rename_candidates() {
        tell!(
            "warning: in `{}`, `{}` is dropped and `{}` added with the same type: if it is a rename, run again with --rename {}.{}:{}",
            candidate.table,
            candidate.dropped,
            candidate.added,
            candidate.table,
            candidate.dropped,
            candidate.added
        );
    }
    let text = draft.revision_text(message)?;
    let path = super::revision::write_next(&dir, set.head(), message, &text)?;
    say!("{}", path.display());
    let reviews = draft.reviews();
    if reviews > 0 {
        say!("{reviews} change(s) marked `-- review:` in the file: read them before applying");
    }
    tell!("if you {}", super::revision::EDIT_HINT);
    Ok(())
}

/// On a terminal: asks about each possible rename; never guesses.
fn ask_about_renames(
    candidates: &[carafe_schema::RenameCandidate],
    renames: &mut Renames,
) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    for candidate in candidates {
        tell_raw!(
            "in `{}`, is `{}` renamed to `{}`? [y/N] ",
            candidate.table,
            candidate.dropped,
            candidate.added
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
