//! Event triggers: dropped before anything else changes and created after everything else, as
//! pg_dump restores them, so the revision's own statements do not fire them. One whose event,
//! tags or function changes, or whose function is dropped and created again, is dropped and created
//! anew; one that only fires differently is switched (`ALTER EVENT TRIGGER ... DISABLE`).

use super::functions;
use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::model::{quote_identifier, quote_literal};
use crate::{EventTrigger, Firing, Signature};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = functions::replaced(matching);
    let kept = |name: &String| kept(matching, &replaced, name);
    for name in from.event_triggers.keys().filter(|name| !kept(name)) {
        let sql = format!("DROP EVENT TRIGGER {};", quote_identifier(name));
        match to.event_triggers.contains_key(name) {
            true => steps.push(Phase::DropEventTrigger, sql),
            false => steps.push_for_review(
                Phase::DropEventTrigger,
                sql,
                format!("drops event trigger {name}"),
            ),
        }
    }
    for (name, trigger) in &to.event_triggers {
        let (old_firing, old_comment) = match kept(name) {
            true => from
                .event_triggers
                .get(name)
                .map_or((Firing::Origin, None), |old| {
                    (old.firing, old.comment.as_deref())
                }),
            false => {
                steps.push(Phase::CreateEventTrigger, create(name, trigger));
                (Firing::Origin, None)
            }
        };
        if old_firing != trigger.firing {
            steps.push(
                Phase::CreateEventTrigger,
                format!(
                    "ALTER EVENT TRIGGER {} {};",
                    quote_identifier(name),
                    trigger.firing.keywords()
                ),
            );
        }
        if old_comment != trigger.comment.as_deref() {
            steps.push(
                Phase::CreateEventTrigger,
                format!(
                    "COMMENT ON EVENT TRIGGER {} IS {};",
                    quote_identifier(name),
                    comment_value(trigger.comment.as_deref())
                ),
            );
        }
    }
}

/// Whether event trigger `name` is in both schemas and stays (not dropped and created again);
/// `replaced` holds the functions dropped and created again ([`functions::replaced`]).
pub(super) fn kept(matching: &Matching, replaced: &BTreeSet<Signature>, name: &str) -> bool {
    match (
        matching.from.event_triggers.get(name),
        matching.to.event_triggers.get(name),
    ) {
        (Some(old), Some(new)) => same_definition(old, new) && !replaced.contains(&new.function),
        _ => false,
    }
}

/// Whether `to` runs what `from` runs, on the same event and tags (when it fires, and its comment,
/// aside).
fn same_definition(from: &EventTrigger, to: &EventTrigger) -> bool {
    from.event == to.event && from.tags == to.tags && from.function == to.function
}

fn create(name: &str, trigger: &EventTrigger) -> String {
    let when = match trigger.tags.is_empty() {
        true => String::new(),
        false => {
            let tags: Vec<String> = trigger.tags.iter().map(|tag| quote_literal(tag)).collect();
            format!(" WHEN TAG IN ({})", tags.join(", "))
        }
    };
    format!(
        "CREATE EVENT TRIGGER {} ON {}{when} EXECUTE FUNCTION {}();",
        quote_identifier(name),
        quote_identifier(&trigger.event),
        trigger.function.name.quoted()
    )
}
