//! `decant upgrade [head|+N|NNNN] [--sql]`: apply revisions, or print the script that would.

use super::{parse_target, print_step, steps_json};
use crate::Failure;
use crate::args::Offline;
use crate::context::{Context, parse_revision};
use decant::{Database, Direction, Revision, RunMode};

pub(crate) fn run(
    context: &Context<'_>,
    target: &str,
    offline: &Offline,
    one_transaction: bool,
) -> Result<(), Failure> {
    let target = parse_target(target, Direction::Upgrade)?;
    let set = context.set()?;
    if offline.sql {
        let from = offline
            .from
            .as_deref()
            .map(parse_revision)
            .transpose()?
            .unwrap_or(Revision::BASE);
        let script = decant::offline::script(
            &set,
            &context.history_table()?,
            from,
            Direction::Upgrade,
            target,
            context.lock_timeout()?,
        )?;
        print!("{script}");
        return Ok(());
    }
    let mut settings = context.settings()?;
    if one_transaction {
        settings.mode = RunMode::OneTransaction;
    }
    let json = context.global.json;
    let mut database = Database::connect(settings)?;
    let report = database.upgrade(&set, target, &mut |step| {
        if !json {
            print_step(step);
        }
    })?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "from": report.from.to_string(), "to": report.to.to_string(), "head": set.head().to_string(), "steps": steps_json(&report.steps) })
        );
    } else if report.steps.is_empty() {
        println!(
            "database is already at {}{}: nothing to do",
            report.to,
            head_note(report.to, set.head())
        );
    } else {
        println!(
            "database is at {}{}",
            report.to,
            head_note(report.to, set.head())
        );
    }
    Ok(())
}

pub(crate) fn head_note(at: Revision, head: Revision) -> &'static str {
    if at == head { " (head)" } else { "" }
}
