//! One file per command; [`dispatch`] routes the parsed command line to it. Commands hold no
//! migration policy: every check lives in `carafe-core` or `carafe`.

#[cfg(feature = "dev")]
mod adopt;
mod apply;
#[cfg(feature = "dev")]
mod autogenerate;
#[cfg(feature = "dev")]
mod check;
mod current;
#[cfg(feature = "dev")]
mod db;
#[cfg(feature = "dev")]
mod diff;
mod downgrade;
mod heads;
mod history;
#[cfg(feature = "dev")]
mod import;
#[cfg(feature = "dev")]
mod init;
#[cfg(feature = "dev")]
mod rehash;
#[cfg(feature = "dev")]
mod renumber;
#[cfg(feature = "dev")]
mod revision;
mod show;
#[cfg(feature = "dev")]
mod squash;
mod stamp;
mod upgrade;
#[cfg(feature = "dev")]
mod verify;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::{Exit, Failure};
use carafe::{Direction, StepReport, Target};
use carafe_core::{Loaded, load_dir};
use std::path::Path;

pub(crate) fn dispatch(
    cli: &Cli,
    embedded: Option<&'static carafe::MigrationSet>,
    models: carafe::model::Models,
) -> Result<(), Failure> {
    let context = Context::new(&cli.global, embedded, models);
    match &cli.command {
        #[cfg(feature = "dev")]
        Command::Init { carafe_path } => init::run(carafe_path.as_deref()),
        #[cfg(feature = "dev")]
        Command::Revision {
            message,
            autogenerate: true,
            desired,
        } => autogenerate::run(&context, message, desired),
        #[cfg(feature = "dev")]
        Command::Revision { message, .. } => revision::run(&context.dir()?, message),
        #[cfg(feature = "dev")]
        Command::Check { desired } => check::run(&context, desired),
        #[cfg(feature = "dev")]
        Command::Verify { desired } => verify::run(&context, desired),
        #[cfg(feature = "dev")]
        Command::Diff { desired } => diff::run(&context, desired),
        #[cfg(feature = "dev")]
        Command::Rehash { force } => rehash::run(&context, *force),
        #[cfg(feature = "dev")]
        Command::Squash {
            to,
            message,
            dry_run,
            desired,
        } => squash::run(&context, to, message, *dry_run, desired),
        #[cfg(feature = "dev")]
        Command::Renumber { onto, dry_run } => renumber::run(&context, onto.as_deref(), *dry_run),
        Command::Upgrade {
            target,
            offline,
            one_transaction,
        } => upgrade::run(&context, target, offline, *one_transaction),
        Command::Downgrade { target, offline } => downgrade::run(&context, target, offline),
        Command::Current { check } => current::run(&context, *check),
        Command::Heads => heads::run(&context),
        Command::History => history::run(&context),
        Command::Show { revision } => show::run(&context, revision),
        Command::Stamp { revision } => stamp::run(&context, revision),
        #[cfg(feature = "dev")]
        Command::Import { from, source } => import::run(&context, (*from).into(), source),
        #[cfg(feature = "dev")]
        Command::Adopt {
            from,
            table,
            at,
            apply,
        } => adopt::run(
            &context,
            (*from).into(),
            table.as_deref(),
            at.as_deref(),
            *apply,
        ),
        #[cfg(feature = "dev")]
        Command::Db { action } => db::run(&context, action),
    }
}

/// Reads the migrations directory, failing only when it cannot be read at all; notes the editor
/// backups and patch leftovers it ignored.
pub(crate) fn read_dir(dir: &Path) -> Result<Loaded, Failure> {
    let loaded = load_dir(dir).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!(
                "cannot read migrations directory `{}`: {error}",
                dir.display()
            ),
        )
    })?;
    for file in &loaded.ignored {
        tell!(
            "note: ignored `{}` ({}): only `NNNN_slug.sql` files are migrations; delete it when you no longer need it",
            dir.join(&file.name).display(),
            file.reason
        );
    }
    Ok(loaded)
}

#[cfg(feature = "dev")]
/// Writes `carafe.sum` for what `loaded` read from `dir`.
pub(crate) fn write_sum(dir: &Path, loaded: &Loaded) -> Result<(), Failure> {
    let path = dir.join(carafe_core::SUM_FILE_NAME);
    std::fs::write(&path, loaded.sum_file().render()).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })
}

#[cfg(feature = "dev")]
/// The problems that are not about `carafe.sum`, one per line, for a refusal message.
pub(crate) fn file_problems(dir: &Path, loaded: &Loaded) -> Vec<String> {
    loaded
        .problems
        .iter()
        .filter(|problem| !problem.kind.is_about_sum())
        .map(|problem| problem.in_dir(dir).to_string())
        .collect()
}

/// Reads a target: `head`, `+N`/`-N` (the sign must match the direction), a revision, or `base`.
pub(crate) fn parse_target(text: &str, direction: Direction) -> Result<Target, Failure> {
    let (sign, verb) = match direction {
        Direction::Upgrade => ('+', "an upgrade"),
        Direction::Downgrade => ('-', "a downgrade"),
    };
    let usage = || {
        let forms = match direction {
            Direction::Upgrade => "`head`, `+N` or a revision number",
            Direction::Downgrade => "`-N`, a revision number or `base`",
        };
        Failure::new(
            Exit::Usage,
            format_args!("`{text}` is not {verb} target: use {forms}"),
        )
    };
    if text == "head" {
        return match direction {
            Direction::Upgrade => Ok(Target::Head),
            Direction::Downgrade => Err(usage()),
        };
    }
    if let Some(steps) = text.strip_prefix(sign) {
        return steps.parse::<u32>().map(Target::Steps).map_err(|_| usage());
    }
    text.parse().map(Target::Exactly).map_err(|_| usage())
}

/// One line per revision run, as it completes: `applied  0002_add_vintage_column  (1.2 ms)`.
pub(crate) fn print_step(step: &StepReport) {
    let verb = match step.direction {
        Direction::Upgrade => "applied ",
        Direction::Downgrade => "reverted",
    };
    match step.elapsed {
        Some(elapsed) => say!(
            "{verb} {}  ({:.1} ms)",
            step.name,
            elapsed.as_secs_f64() * 1000.0
        ),
        None => say!("{verb} {}", step.name),
    }
    for notice in &step.notices {
        say!("  {notice}");
    }
}

/// A run's steps as JSON.
pub(crate) fn steps_json(steps: &[StepReport]) -> serde_json::Value {
    steps
        .iter()
        .map(|step| {
            serde_json::json!({
                "revision": step.revision.to_string(),
                "name": step.name,
                "direction": match step.direction { Direction::Upgrade => "up", Direction::Downgrade => "down" },
                "ms": step.elapsed.map(|elapsed| elapsed.as_secs_f64() * 1000.0),
                "notices": step.notices.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Warns of each object of the declared schema that a `pg_catalog` name hides (`check` and
/// `revision --autogenerate`): where it is named unqualified, the built-in one is meant.
#[cfg(feature = "dev")]
pub(crate) fn warn_shadowed(
    declared: &carafe_desired::Declared,
    shadowed: &[carafe_schema::Shadowed],
) {
    for object in shadowed {
        tell!("warning: in {declared}, {object}");
    }
}
