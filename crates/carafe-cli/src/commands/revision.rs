//! `carafe revision -m MSG`: a new file with the next number, recorded in `carafe.sum`.

use crate::{Exit, Failure};
use carafe_core::{DownText, FileName, Revision, RevisionFile, SectionText, ident};
use std::path::{Path, PathBuf};

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
    let path = write_next(dir, loaded.set.head(), message, &template(message))?;
    say!("{}", path.display());
    tell!("{}", EDIT_HINT);
    Ok(())
}

/// What to do after writing a revision, on stderr (stdout is the path alone, for scripts).
pub(crate) const EDIT_HINT: &str = "edit the file, then run `carafe rehash` to record its new checksum in `carafe.sum` (a build refuses an edited file until then)";

/// Writes `text` as the revision after `head`, named from `message`, and records it in `carafe.sum`;
/// returns its path. Shared by `revision` and `revision --autogenerate`.
pub(crate) fn write_next(
    dir: &Path,
    head: Revision,
    message: &str,
    text: &str,
) -> Result<PathBuf, Failure> {
    let next = head.next().unwrap_or(Revision::new(1));
    let path = dir.join(FileName::render(next, &ident::slug(message)));
    std::fs::write(&path, text).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })?;
    super::write_sum(dir, &super::read_dir(dir)?)?;
    Ok(path)
}

/// The text of a new revision: the message as its description, empty up and down sections to fill.
fn template(message: &str) -> String {
    RevisionFile {
        description: message,
        up: SectionText::wrapped("\n"),
        down: DownText::Sql(SectionText::wrapped("\n")),
    }
    .render()
}
