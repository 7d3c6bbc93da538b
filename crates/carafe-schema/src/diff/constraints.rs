//! Table constraints: dropped before the columns and tables they rest on change (foreign keys
//! first, as they rest on the keys of other tables), added once their columns exist (foreign keys
//! last, once the table and key they point at exist). A changed constraint is dropped and added
//! again.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Constraint, ConstraintKind, Name};

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
    for (table_name, table) in &matching.to.tables {
        for (name, constraint) in sorted(&table.constraints) {
            if !matching.constraint_added(table_name, name) {
                continue;
            }
            let phase = match constraint.kind {
                ConstraintKind::ForeignKey => Phase::AddForeignKey,
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
