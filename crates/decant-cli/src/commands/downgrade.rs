//! `decant downgrade [-N|NNNN|base] [--sql]`: undo revisions, or print the script that would.

use super::{parse_target, print_step, steps_json};
use crate::Failure;
use crate::args::Offline;
use crate::context::{Context, parse_revision};
use decant::{Database, Direction};

pub(crate) fn run(context: &Context<'_>, target: &str, offline: &Offline) -> Result<(), Failure> {
    let target = parse_target(target, Direction::Downgrade)?;
    let set = context.set()?;
    if offline.sql {
        let from = offline
            .from
            .as_deref()
            .map(parse_revision)
            .transpose()?
            .unwrap_or(set.head());
        let script = decant::offline::script(
            &set,
            &context.history_table()?,
            from,
            Direction::Downgrade,
            target,
            context.lock_timeout()?,
        )?;
        print!("{script}");
        return Ok(());
    }
    let json = context.global.json;
    let mut database = Database::connect(context.settings()?)?;
    let report = database.downgrade(&set, target, &mut |step| {
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
        println!("database is already at {}: nothing to do", report.to);
    } else {
        println!("database is at {}", report.to);
    }
    Ok(())
}
