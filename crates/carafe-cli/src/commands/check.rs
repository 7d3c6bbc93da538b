//! `carafe check`: the CI gate. Fails (exit 12) when the migrations do not build `schema.sql`, and,
//! when a database is configured, when it has pending revisions or differs from what its migrations
//! build.

use crate::args::Desired;
use crate::context::Context;
use crate::{Exit, Failure};
use carafe_desired::statements;

pub(crate) fn run(context: &Context<'_>, options: &Desired) -> Result<(), Failure> {
    let set = context.set()?;
    let declared = context.declared(options)?;
    let server = context.scratch_server(options)?;
    let settings = context.scratch_settings(&server)?;
    let live = context.configured_url()?;
    let pg_dump = match carafe_devdb::Binaries::locate() {
        Ok(binaries) => Some(carafe_desired::PgDump::new(
            binaries.bindir().join("pg_dump"),
        )),
        Err(error) => {
            tell!("note: pg_dump not found ({error}): compared through carafe's schema model only");
            None
        }
    };
    let report = carafe_desired::check(
        &settings,
        &set,
        &server,
        &declared,
        live.as_ref(),
        pg_dump.as_ref(),
    )?;
    super::warn_shadowed(&declared, &report.shadowed);
    if let Some(difference) = &report.not_compared {
        tell!(
            "warning: not compared by carafe: pg_dump of {} (expected) and of what the migrations build (found) differ where carafe's schema model sees no difference ({difference}); carafe cannot write a revision for it: write one by hand",
            declared
        );
    }
    let mut problems = Vec::new();
    if !report.missing.changes.is_empty() {
        problems.push(format!(
            "the migrations do not build {}; a revision with this would (`carafe revision --autogenerate -m MESSAGE` writes it):\n{}",
            declared,
            statements(&report.missing)
        ));
        let only_owners_back = report.missing.changes.iter().all(|change| {
            change
                .sql
                .lines()
                .all(|line| line.starts_with("ALTER ") && line.ends_with(" OWNER TO CURRENT_USER;"))
        });
        if only_owners_back {
            // What a `pg_dump --no-owner` of the database gives (found by review).
            tell!(
                "note: the difference is only owners the declared schema does not give (a `pg_dump --no-owner` file leaves them out): give them in {declared} (`ALTER ... OWNER TO role`, as `pg_dump` without `--no-owner` writes), or take them back in a revision"
            );
        }
    }
    if let Some(problem) = report.live.as_ref().and_then(|live| live.history.as_ref()) {
        problems.push(format!(
            "the database's history disagrees with the code: {problem}"
        ));
    }
    match &report.live {
        None => say!(
            "no database configured (DATABASE_URL): checked the migrations against {} only",
            declared
        ),
        Some(live) if live.holds_head => problems.push(format!(
            "the database is at {} but already holds what the migrations build at {} (its schema was made without carafe?): `carafe stamp {}` records that, running nothing; `upgrade` would fail on what exists",
            live.current, report.head, report.head
        )),
        Some(live) => {
            if live.current != report.head {
                problems.push(format!(
                    "the database is at {}, the code's head is {}: run `carafe upgrade head`",
                    live.current, report.head
                ));
            }
            if !live.drift.changes.is_empty() {
                problems.push(format!(
                    "the database differs from what its migrations build (changed by hand?); these statements would make the migrated schema match it:\n{}",
                    statements(&live.drift)
                ));
            }
        }
    }
    if problems.is_empty() {
        say!("ok: the migrations build {declared}");
        return Ok(());
    }
    for problem in &problems {
        say!("{problem}");
    }
    Err(Failure::new(
        Exit::Differs,
        format_args!("check failed: {} problem(s) above", problems.len()),
    ))
}
