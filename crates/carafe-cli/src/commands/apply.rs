//! The body `upgrade` and `downgrade` share: move the database one way, or print the script (`--sql`).

use super::{parse_target, print_step, steps_json};
use crate::Failure;
use crate::args::Offline;
use crate::context::{Context, parse_revision};
use carafe::{Database, Direction, Revision, RunMode};

pub(crate) fn run(
    context: &Context<'_>,
    direction: Direction,
    target: &str,
    offline: &Offline,
    mode: RunMode,
) -> Result<(), Failure> {
    let target = parse_target(target, direction)?;
    let set = context.set()?;
    if offline.sql {
        let assumed = match direction {
            Direction::Upgrade => Revision::BASE,
            Direction::Downgrade => set.head(),
        };
        let from = offline
            .from
            .as_deref()
            .map(parse_revision)
            .transpose()?
            .unwrap_or(assumed);
        let table = context.history_table()?;
        say_raw!(
            "{}",
            carafe::offline::script(
                &set,
                &table,
                from,
                direction,
                target,
                context.lock_timeout()?,
                mode,
            )?
        );
        return Ok(());
    }
    let mut settings = context.settings()?;
    settings.mode = mode;
    let json = context.global.json;
    let mut database = Database::connect(settings)?;
    let mut report_step = |step: &carafe::StepReport| {
        if !json {
            print_step(step);
        }
    };
    let report = match direction {
        Direction::Upgrade => database.upgrade(&set, target, &mut report_step)?,
        Direction::Downgrade => database.downgrade(&set, target, &mut report_step)?,
    };
    let at_head = if report.to == set.head() {
        " (head)"
    } else {
        ""
    };
    if json {
        let summary = serde_json::json!({ "from": report.from.to_string(), "to": report.to.to_string(), "head": set.head().to_string(), "steps": steps_json(&report.steps) });
        say!("{summary}");
    } else if report.steps.is_empty() {
        say!(
            "database is already at {}{at_head}: nothing to do",
            report.to
        );
    } else {
        say!("database is at {}{at_head}", report.to);
    }
    // Below a baseline but above base, this build has no revision to go up by (found by review:
    // the downgrade said nothing, the next upgrade refused).
    if let Some((baseline, _)) = set.baseline()
        && !report.steps.is_empty()
        && !report.to.is_base()
        && report.to < baseline.revision
    {
        tell!(
            "warning: the database is now inside the revisions `{}` replaced (`carafe squash`): this build cannot upgrade it again; upgrade it to {} with a build from before the squash, or downgrade it to base",
            baseline.file_name(),
            baseline.revision
        );
    }
    Ok(())
}
