//! `carafe squash --to NNNN`: replace revisions 0001..NNNN with one baseline revision whose up is
//! `pg_dump --schema-only` of what they build. `carafe_desired::squash` checks it on scratch
//! databases before anything is written; this file checks the configured database and writes.

use crate::args::Desired;
use crate::context::{Context, parse_revision};
use crate::{Exit, Failure};
use carafe::{Revision, Settings};
use std::path::Path;

pub(crate) fn run(
    context: &Context<'_>,
    to: &str,
    message: &str,
    dry_run: bool,
    desired: &Desired,
) -> Result<(), Failure> {
    let through = parse_revision(to)?;
    let dir = context.dir()?;
    let set = context.set()?;
    let slug = carafe_core::ident::slug(message);
    refuse_database_inside(context, through)?;
    let server = context.scratch_server(desired)?;
    let settings = context.scratch_settings(&server)?;
    let binaries = carafe_devdb::Binaries::locate().map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("squash compares with pg_dump, which it cannot find: {error}"),
        )
    })?;
    let pg_dump = carafe_desired::PgDump::new(binaries.bindir().join("pg_dump"));
    let squash = carafe_desired::squash(&settings, &set, &server, through, &slug, &pg_dump)?;
    for statement in &squash.dropped {
        tell!("note: {statement}: changes nothing a schema holds, so the baseline leaves it out");
    }
    say!(
        "checked: `{}` builds what 0001 to {through} built (pg_dump and the schema model agree), and a database made before the squash ends at head like a new one",
        squash.file_name
    );
    if dry_run {
        say!("{}", squash.text);
        say!("dry run: nothing was written");
        return Ok(());
    }
    write(&dir, &squash)?;
    say!(
        "squashed {} revision(s) into `{}`; databases at {through} or later keep working, new databases apply the baseline",
        squash.replaced.len(),
        squash.file_name
    );
    say!(
        "next: review the file, `cargo build`, and commit; typed references to the replaced revisions (`m0001_...`) no longer compile"
    );
    Ok(())
}

/// Refuses when the configured database stopped inside the range: the squashed set could not
/// move it on.
fn refuse_database_inside(context: &Context<'_>, through: Revision) -> Result<(), Failure> {
    let Some(url) = context.configured_url()? else {
        return Ok(());
    };
    let mut settings = Settings::new(url.clone());
    settings.history = context.history_table()?;
    let current = match carafe::Database::connect(settings).and_then(|mut db| db.history()) {
        Ok(history) => history.current(),
        Err(error) => {
            tell!("note: cannot read the position of {url} ({error}): not checked");
            return Ok(());
        }
    };
    if !current.is_base() && current < through {
        return Err(Failure::new(
            Exit::HistoryMismatch,
            format_args!(
                "the database at {url} is at {current}, inside the range to squash: after the squash it could not move on; `carafe upgrade {through}` it first, or squash to {current}"
            ),
        ));
    }
    Ok(())
}

/// Writes the baseline, removes the files it replaces, and rewrites `carafe.sum`.
fn write(dir: &Path, squash: &carafe_desired::Squash) -> Result<(), Failure> {
    let failure = |verb: &str, path: &Path, error: std::io::Error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot {verb} `{}`: {error}", path.display()),
        )
    };
    let temporary = dir.join(format!(".carafe-squash-{}", squash.file_name));
    std::fs::write(&temporary, &squash.text)
        .map_err(|error| failure("write", &temporary, error))?;
    for file in &squash.replaced {
        let path = dir.join(file);
        std::fs::remove_file(&path).map_err(|error| failure("remove", &path, error))?;
    }
    let path = dir.join(&squash.file_name);
    std::fs::rename(&temporary, &path).map_err(|error| failure("write", &path, error))?;
    let loaded = super::read_dir(dir)?;
    super::write_sum(dir, &loaded)
}
