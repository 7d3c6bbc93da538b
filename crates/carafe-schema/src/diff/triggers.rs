//! Triggers: dropped before the columns and functions they use change, created once everything
//! they use exists. A changed trigger, or one whose function is dropped and created again, is
//! dropped and created anew; those of a dropped table go with it.

use super::functions;
use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Name, Schema, Signature, Trigger};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = functions::replaced(matching);
    for (table_name, table) in &from.tables {
        if matching.table_dropped(table_name) {
            continue;
        }
        for name in table.triggers.keys() {
            if kept(matching, &replaced, table_name, name) {
                continue;
            }
            let sql = format!(
                "DROP TRIGGER {} ON {};",
                quote_identifier(name),
                table_name.quoted()
            );
            let still_wanted = to
                .tables
                .get(table_name)
                .is_some_and(|new| new.triggers.contains_key(name));
            match still_wanted {
                true => steps.push(Phase::DropTrigger, sql),
                false => steps.push_for_review(
                    Phase::DropTrigger,
                    sql,
                    format!("drops trigger {name} on {table_name}"),
                ),
            }
        }
    }
    for (table_name, table) in &to.tables {
        for (name, trigger) in &table.triggers {
            if !kept(matching, &replaced, table_name, name) {
                steps.push(
                    Phase::CreateTrigger,
                    format!("{};", trigger.definition.trim_end()),
                );
            }
        }
    }
}

/// Whether trigger `name` of `table` stays as it is: in both schemas, the same, calling a function
/// that is not dropped and created again.
pub(super) fn kept(
    matching: &Matching,
    replaced: &BTreeSet<Signature>,
    table: &Name,
    name: &str,
) -> bool {
    match (
        trigger(matching.from, table, name),
        trigger(matching.to, table, name),
    ) {
        (Some(old), Some(new)) => {
            old.definition == new.definition
                && old.function == new.function
                && !replaced.contains(&new.function)
        }
        _ => false,
    }
}

fn trigger<'s>(schema: &'s Schema, table: &Name, name: &str) -> Option<&'s Trigger> {
    schema.tables.get(table)?.triggers.get(name)
}
