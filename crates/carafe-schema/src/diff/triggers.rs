//! Triggers on tables and views: dropped before the columns and functions they use change, created
//! once everything they use exists. A changed trigger, or one whose function is dropped and created
//! again, is dropped and created anew; those of a dropped table or view go with it (a view dropped
//! to be created again gets its triggers back). One that only fires differently is switched
//! (`ALTER TABLE ... DISABLE TRIGGER`, `ENABLE REPLICA TRIGGER`, ...).

use super::functions;
use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Firing, Name, Schema, Signature, Trigger};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = functions::replaced(matching);
    for (relation, triggers) in with_triggers(from) {
        let goes = match from.tables.contains_key(relation) {
            true => matching.table_dropped(relation),
            false => matching.view_dropped(relation),
        };
        if goes {
            continue;
        }
        for name in triggers.keys() {
            if kept(matching, &replaced, relation, name) {
                continue;
            }
            let sql = format!(
                "DROP TRIGGER {} ON {};",
                quote_identifier(name),
                relation.quoted()
            );
            match trigger(to, relation, name).is_some() {
                true => steps.push(Phase::DropTrigger, sql),
                false => steps.push_for_review(
                    Phase::DropTrigger,
                    sql,
                    format!("drops trigger {name} on {relation}"),
                ),
            }
        }
    }
    for (relation, triggers) in with_triggers(to) {
        for (name, trigger) in triggers {
            let old_firing = match kept(matching, &replaced, relation, name) {
                true => self::trigger(from, relation, name).map(|old| old.firing),
                false => {
                    steps.push(
                        Phase::CreateTrigger,
                        format!("{};", trigger.definition.trim_end()),
                    );
                    Some(Firing::Origin)
                }
            };
            if old_firing != Some(trigger.firing) {
                steps.push(
                    Phase::CreateTrigger,
                    format!(
                        "ALTER TABLE {} {} TRIGGER {};",
                        relation.quoted(),
                        trigger.firing.keywords(),
                        quote_identifier(name)
                    ),
                );
            }
        }
    }
}

/// Every table and view of `schema` with its triggers.
pub(super) fn with_triggers(
    schema: &Schema,
) -> impl Iterator<Item = (&Name, &BTreeMap<String, Trigger>)> {
    let tables = schema
        .tables
        .iter()
        .map(|(name, table)| (name, &table.triggers));
    let views = schema
        .views
        .iter()
        .map(|(name, view)| (name, &view.triggers));
    tables.chain(views)
}

/// Whether trigger `name` of table or view `relation` stays as it is: in both schemas, the same,
/// calling a function that is not dropped and created again, on a view that is not created anew
/// (it may fire differently).
pub(super) fn kept(
    matching: &Matching,
    replaced: &BTreeSet<Signature>,
    relation: &Name,
    name: &str,
) -> bool {
    match (
        trigger(matching.from, relation, name),
        trigger(matching.to, relation, name),
    ) {
        (Some(old), Some(new)) => {
            old.definition == new.definition
                && old.function == new.function
                && !replaced.contains(&new.function)
                && !matching.view_dropped(relation)
                // A table dropped and created again (a foreign table moved) loses its triggers.
                && !(matching.from.tables.contains_key(relation) && matching.table_dropped(relation))
        }
        _ => false,
    }
}

fn trigger<'s>(schema: &'s Schema, relation: &Name, name: &str) -> Option<&'s Trigger> {
    match schema.tables.get(relation) {
        Some(table) => table.triggers.get(name),
        None => schema.views.get(relation)?.triggers.get(name),
    }
}
