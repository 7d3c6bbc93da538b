//! `carafe stamp NNNN|base`: record the database as being at a revision without running anything.

use crate::Failure;
use crate::context::{Context, parse_revision};
use carafe::{Database, Direction};

pub(crate) fn run(context: &Context<'_>, revision: &str) -> Result<(), Failure> {
    let revision = parse_revision(revision)?;
    let set = context.set()?;
    let mut database = Database::connect(context.settings()?)?;
    let report = database.stamp(&set, revision)?;
    if context.global.json {
        say!(
            "{}",
            serde_json::json!({ "from": report.from.to_string(), "to": report.to.to_string(), "steps": super::steps_json(&report.steps) })
        );
        return Ok(());
    }
    for step in &report.steps {
        let verb = match step.direction {
            Direction::Upgrade => "recorded",
            Direction::Downgrade => "forgot  ",
        };
        say!("{verb} {}", step.name);
    }
    say!("database is stamped at {revision} (nothing was run)");
    Ok(())
}
