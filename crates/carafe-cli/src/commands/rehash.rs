//! `carafe rehash`: record the checksums of the files as they are now in `carafe.sum` — unless the
//! configured database applied one of them with another checksum: re-recording it would let an
//! edited, applied migration past `cargo build` (`--force` does it anyway, and says so).

use crate::context::Context;
use crate::{Exit, Failure};
use carafe::{Database, Settings};
use carafe_core::Loaded;

pub(crate) fn run(context: &Context<'_>, force: bool) -> Result<(), Failure> {
    let dir = context.dir()?;
    let loaded = super::read_dir(&dir)?;
    let edited = applied_elsewhere(context, &loaded, force)?;
    for (file, applied, now) in &edited {
        tell!(
            "warning: `{file}` is applied to the configured database with checksum {} and now has {}: recorded anyway (--force); that database keeps the old version",
            applied.short(),
            now.short()
        );
    }
    super::write_sum(&dir, &loaded)?;
    say!(
        "recorded {} revision(s) in `{}`",
        loaded.checksums.len(),
        dir.join(carafe_core::SUM_FILE_NAME).display()
    );
    for problem in super::file_problems(&dir, &loaded) {
        tell!("warning: {problem}");
    }
    Ok(())
}

/// The files the configured database (if one is) applied with another checksum than they have
/// now; an error naming the first unless `force`.
fn applied_elsewhere(
    context: &Context<'_>,
    loaded: &Loaded,
    force: bool,
) -> Result<Vec<(String, carafe::Checksum, carafe::Checksum)>, Failure> {
    let Some(url) = context.configured_url()? else {
        return Ok(Vec::new());
    };
    let mut settings = Settings::new(url);
    settings.history = context.history_table()?;
    let history = match Database::connect(settings.clone()).and_then(|mut db| db.history()) {
        Ok(history) => history,
        Err(error) if force => {
            tell!(
                "warning: cannot check which revisions {} applied ({error}): recorded anyway (--force)",
                settings.url
            );
            return Ok(Vec::new());
        }
        Err(error) => {
            return Err(Failure::new(
                Exit::from(error.kind()),
                format_args!(
                    "cannot check which revisions {} applied, so `carafe.sum` was not rewritten ({error}): start the database, or pass `--force` if it did not apply the edited files",
                    settings.url
                ),
            ));
        }
    };
    let mut edited = Vec::new();
    for applied in history.applied() {
        let file = format!("{}.sql", applied.name);
        let now = loaded
            .checksums
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, checksum)| *checksum);
        if let Some(now) = now
            && now != applied.checksum
        {
            edited.push((file, applied.checksum, now));
        }
    }
    match edited.first() {
        Some((file, applied, now)) if !force => Err(Failure::new(
            Exit::HistoryMismatch,
            format_args!(
                "`{file}` was edited after the database at {} applied it (it has {}, the file has {}): `carafe.sum` was not rewritten, since recording the edit would hide it from `cargo build` while that database keeps the old version; undo the edit and put the change in a new revision, or `carafe downgrade` below it first (`--force` records it anyway)",
                settings.url,
                applied.short(),
                now.short()
            ),
        )),
        _ => Ok(edited),
    }
}
