//! Whole tables: created with their columns only (constraints, indexes and comments follow in their
//! own phases, so new and old tables take the same path), dropped with their data, those pointing at
//! others first.

use super::matching::Matching;
use super::order::dependencies_first;
use super::sequences::identity_options;
use super::sql::column_definition;
use super::steps::{Phase, Steps};
use super::{columns, constraints, storage};
use crate::{ConstraintKind, Name, Schema, Table};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let dropped: BTreeSet<Name> = from
        .tables
        .keys()
        .filter(|name| matching.table_dropped(name))
        .cloned()
        .collect();
    let (order, cyclic) = dependencies_first(&dropped, |name| {
        from.tables
            .get(name)
            .map(referenced_tables)
            .unwrap_or_default()
    });
    for name in &cyclic {
        let Some(table) = from.tables.get(name) else {
            continue;
        };
        for (constraint, definition) in &table.constraints {
            let points_at_cycle = definition
                .references
                .as_ref()
                .is_some_and(|referenced| referenced != name && cyclic.contains(referenced));
            if definition.kind == ConstraintKind::ForeignKey && points_at_cycle {
                steps.push(Phase::DropForeignKey, constraints::drop(name, constraint));
            }
        }
    }
    // Tables left in a cycle (or pointing into one) may point at the ordered ones, never the reverse.
    for name in cyclic.iter().chain(order.iter().rev()) {
        steps.push_for_review(
            Phase::DropTable,
            format!("DROP TABLE {};", name.quoted()),
            format!("drops table {name} and its data"),
        );
    }
    for (name, table) in &to.tables {
        if matching.table_created(name) {
            steps.push(Phase::CreateTable, create(to, name, table));
            for (column, wanted) in &table.not_null_constraints {
                let given = columns::default_not_null_name(&name.name, column);
                columns::rename_not_null(steps, name, &given, wanted);
            }
        }
    }
}

fn referenced_tables(table: &Table) -> Vec<Name> {
    table
        .constraints
        .values()
        .filter_map(|constraint| constraint.references.clone())
        .collect()
}

fn create(schema: &Schema, name: &Name, table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let identity = identity_options(schema, name, &column.name);
            format!("    {}", column_definition(column, &identity))
        })
        .collect();
    let (persistence, options) = (
        storage::persistence(table),
        storage::with_options(&table.options),
    );
    match columns.is_empty() {
        true => format!("CREATE {persistence}TABLE {} (){options};", name.quoted()),
        false => format!(
            "CREATE {persistence}TABLE {} (\n{}\n){options};",
            name.quoted(),
            columns.join(",\n")
        ),
    }
}
