//! Table constraints: dropped before the columns and tables they rest on change (foreign keys
//! first, as they rest on the keys of other tables), added once their columns exist (foreign keys
//! last, once the table and key they point at exist; checks that call functions after the views,
//! as checking the rows runs them). A changed constraint is dropped and added again.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Constraint, ConstraintKind, Dependent, Name, Referenced};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    for pair in &matching.tables {
        for (name, constraint) in sorted(&pair.from.constraints) {
            if !matching.constraint_dropped(pair.name, name) {
                continue;
            }
            let sql = drop(pair.name, name);
            let phase = match constraint.kind {
                ConstraintKind::ForeignKey => Phase::DropForeignKey,
                _ => Phase::DropConstraint,
            };
            match pair.to.constraints.contains_key(name) {
                true => steps.push(phase, sql),
                false => steps.push_for_review(
                    phase,
                    sql,
                    format!("drops constraint {} of {}", name, pair.name),
                ),
            }
        }
    }
    // A table that goes takes its foreign keys with it, but one resting on a key that goes too
    // must go first: the key cannot be dropped while it holds the table's foreign key.
    for (table_name, table) in &matching.from.tables {
        if !matching.table_dropped(table_name) {
            continue;
        }
        for (name, constraint) in sorted(&table.constraints) {
            let rests_on_dropped_key = constraint.kind == ConstraintKind::ForeignKey
                && !constraint.inherited
                && constraint.references.as_ref().is_some_and(|referenced| {
                    referenced != table_name && matching.keys_dropped(referenced)
                });
            if rests_on_dropped_key {
                steps.push(Phase::DropForeignKey, drop(table_name, name));
            }
        }
    }
    for (table_name, table) in &matching.to.tables {
        for (name, constraint) in sorted(&table.constraints) {
            if !matching.constraint_added(table_name, name) {
                continue;
            }
            let phase = match constraint.kind {
                ConstraintKind::ForeignKey => Phase::AddForeignKey,
                ConstraintKind::Check if calls_function(matching, table_name, name) => {
                    Phase::AddCheckCallingFunction
                }
                _ => Phase::AddConstraint,
            };
            steps.push(
                phase,
                format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {};",
                    table_name.quoted(),
                    quote_identifier(name),
                    constraint.definition
                ),
            );
        }
    }
}

/// Whether constraint `name` of `to`'s table `table` calls a function: checking the rows runs it,
/// and its quoted body may read anything, so it is added once views and functions all exist.
fn calls_function(matching: &Matching, table: &Name, name: &str) -> bool {
    let dependent = Dependent::Constraint(table.clone(), name.to_owned());
    matching.to.dependencies.iter().any(|dependency| {
        dependency.dependent == dependent && matches!(dependency.on, Referenced::Function(_))
    })
}

/// `ALTER TABLE ... DROP CONSTRAINT ...;`.
pub(super) fn drop(table: &Name, constraint: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {};",
        table.quoted(),
        quote_identifier(constraint)
    )
}

/// A table's constraints, primary key first, then unique, check, foreign key, exclusion.
fn sorted(
    constraints: &std::collections::BTreeMap<String, Constraint>,
) -> Vec<(&String, &Constraint)> {
    let mut sorted: Vec<_> = constraints.iter().collect();
    sorted.sort_by_key(|(name, constraint)| (constraint.kind, *name));
    sorted
}
