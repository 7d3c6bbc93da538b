//! Rules on tables: dropped before the columns they use change (with the triggers), created once
//! everything they use exists (with the triggers). A changed rule is dropped and created anew;
//! one that only fires differently is switched (`ALTER TABLE ... DISABLE RULE`, `ENABLE ALWAYS
//! RULE`, ...). Those of a dropped table go with it.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Dependent, Firing, Name, Rule, Schema};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (table_name, table) in &from.tables {
        if matching.table_dropped(table_name) {
            continue;
        }
        for name in table.rules.keys() {
            if kept(matching, table_name, name) {
                continue;
            }
            let sql = format!(
                "DROP RULE {} ON {};",
                quote_identifier(name),
                table_name.quoted()
            );
            let still_wanted = to
                .tables
                .get(table_name)
                .is_some_and(|new| new.rules.contains_key(name));
            match still_wanted {
                true => steps.push(Phase::DropTrigger, sql),
                false => steps.push_for_review(
                    Phase::DropTrigger,
                    sql,
                    format!(
                        "drops rule {name} on {table_name}: what it rewrote now runs as written"
                    ),
                ),
            }
        }
    }
    for (table_name, table) in &to.tables {
        for (name, rule) in &table.rules {
            let old_firing = match kept(matching, table_name, name) {
                true => rule_of(from, table_name, name).map(|old| old.firing),
                false => {
                    steps.push(Phase::CreateTrigger, rule.definition.trim_end().to_owned());
                    Some(Firing::Origin)
                }
            };
            if old_firing != Some(rule.firing) {
                steps.push(
                    Phase::CreateTrigger,
                    format!(
                        "ALTER TABLE {} {} RULE {};",
                        table_name.quoted(),
                        rule.firing.keywords(),
                        quote_identifier(name)
                    ),
                );
            }
        }
    }
}

/// Whether rule `name` of `table` stays: in both schemas with the same definition (it may fire
/// differently).
pub(super) fn kept(matching: &Matching, table: &Name, name: &str) -> bool {
    match (
        rule_of(matching.from, table, name),
        rule_of(matching.to, table, name),
    ) {
        (Some(old), Some(new)) => {
            old.definition == new.definition
                && !matching.table_dropped(table)
                && !matching.recreated(&Dependent::Rule(table.clone(), name.to_owned()))
        }
        _ => false,
    }
}

fn rule_of<'s>(schema: &'s Schema, table: &Name, name: &str) -> Option<&'s Rule> {
    schema.tables.get(table)?.rules.get(name)
}
