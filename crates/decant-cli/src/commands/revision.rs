//! `decant revision -m MSG`: a new file with the next number, recorded in `decant.sum`.

use crate::{Exit, Failure};
use decant_core::{FileName, Revision, ident};
use std::path::Path;

pub(crate) fn run(dir: &Path, message: &str) -> Result<(), Failure> {
    let loaded = super::read_dir(dir)?;
    let problems = super::file_problems(dir, &loaded);
    if !problems.is_empty() {
        return Err(Failure::new(
            Exit::BadMigrations,
            format_args!(
                "fix the migrations directory before adding a revision: {}",
                problems.join("; ")
            ),
        ));
    }
    let next = loaded.set.head().next().unwrap_or(Revision::new(1));
    let file_name = FileName::render(next, &ident::slug(message));
    let path = dir.join(&file_name);
    std::fs::write(&path, template(message)).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })?;
    let loaded = super::read_dir(dir)?;
    super::write_sum(dir, &loaded)?;
    println!("{}", path.display());
    Ok(())
}

/// The text of a new revision: the message as its description, empty up and down sections to fill.
fn template(message: &str) -> String {
    let description: String = message
        .lines()
        .map(|line| format!("-- {}\n", line.trim_end()))
        .collect();
    format!("{description}\n-- migrate:up\n\n\n-- migrate:down\n\n")
}
