//! Whole tables: created with their columns only (constraints, indexes and comments follow in their
//! own phases, so new and old tables take the same path), parents before their partitions and
//! children; dropped with their data, those pointing at others, and partitions and children, first.
//! A table that becomes or stops being a partition, or another table's child, is attached or
//! detached (`ATTACH PARTITION`, `INHERIT`). A foreign table is created on its server, and created
//! again when that changes.

use super::Change;
use super::matching::Matching;
use super::order::dependencies_first;
use super::sequences::identity_options;
use super::sql::column_definition;
use super::steps::{Phase, Steps};
use super::{columns, constraints, foreign_data, storage};
use crate::model::{quote_identifier, quote_literal};
use crate::{ConstraintKind, Name, PartitionOf, Schema, Table};
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
        let old = from
            .tables
            .get(name)
            .and_then(|table| table.foreign.as_ref());
        let new = to.tables.get(name).map(|table| table.foreign.as_ref());
        let mut sql = match old {
            Some(_) => format!("DROP FOREIGN TABLE {};", name.quoted()),
            None => format!("DROP TABLE {};", name.quoted()),
        };
        // A foreign key to a partitioned table holds on to each partition: the server refuses to
        // drop one it still has (`DETACH` checks no row points into it, and lets go).
        let kept_parent = from.tables.get(name).and_then(|table| {
            table
                .partition_of
                .as_ref()
                .filter(|of| !dropped.contains(&of.parent))
        });
        if let Some(of) = kept_parent.filter(|of| referenced_by_foreign_key(from, &of.parent)) {
            sql = format!(
                "ALTER TABLE {} DETACH PARTITION {};\n{sql}",
                of.parent.quoted(),
                name.quoted()
            );
        }
        let review = match (old, new) {
            (Some(_), None) => {
                format!("drops foreign table {name} (its rows stay where its server keeps them)")
            }
            (None, None) => format!("drops table {name} and its data"),
            (Some(old), Some(Some(new))) => format!(
                "drops foreign table {name} to create it again on server {} (a foreign table \
                 cannot change server; its rows stay where server {} keeps them): what reads it \
                 is created again with it",
                new.server, old.server
            ),
            (Some(old), Some(None)) => format!(
                "drops foreign table {name} to create it as a table, empty (its rows stay where \
                 server {} keeps them)",
                old.server
            ),
            (None, Some(Some(new))) => format!(
                "drops table {name} and its data, to create it as a foreign table on server {}",
                new.server
            ),
            (None, Some(None)) => format!("drops table {name} and its data, to create it again"),
        };
        steps.push_for_review(Phase::DropTable, sql, review);
    }
    let created: BTreeSet<Name> = to
        .tables
        .keys()
        .filter(|name| matching.table_created(name))
        .cloned()
        .collect();
    let (mut order, cyclic) = dependencies_first(&created, |name| {
        to.tables.get(name).map(parents).unwrap_or_default()
    });
    order.extend(cyclic);
    for name in &order {
        if let Some(table) = to.tables.get(name) {
            let sql = create(to, name, table);
            let mut reviews: Vec<String> = table
                .foreign
                .iter()
                .filter_map(|foreign| {
                    foreign_data::secrets_review(
                        &format!("foreign table {name}"),
                        &foreign.options,
                        &format!("ALTER FOREIGN TABLE {}", name.quoted()),
                    )
                })
                .collect();
            reviews.extend(table.columns.iter().filter_map(|column| {
                foreign_data::secrets_review(
                    &format!("column {} of foreign table {name}", column.name),
                    &column.settings.foreign_options,
                    &format!(
                        "ALTER FOREIGN TABLE {} ALTER COLUMN {}",
                        name.quoted(),
                        quote_identifier(&column.name)
                    ),
                )
            }));
            let review = (!reviews.is_empty()).then(|| reviews.join("; "));
            steps.push_change(Phase::CreateTable, Change { sql, review });
            for (column, wanted) in &table.not_null_constraints {
                // An inherited column's constraint comes with its parent's, named by it.
                if table.column(column).is_none_or(|column| column.inherited) {
                    continue;
                }
                let given = columns::default_not_null_name(&name.name, column);
                columns::rename_not_null(steps, name, &given, wanted);
            }
        }
    }
    for pair in &matching.tables {
        reparent(pair.name, pair.from, pair.to, steps);
        // The table declares an inherited column's NOT NULL too (the name stays the parent's: an
        // inherited constraint cannot be renamed, nor a declared one undeclared).
        let had: Vec<&String> = inherited_local_not_null(pair.from).collect();
        for column in inherited_local_not_null(pair.to).filter(|column| !had.contains(column)) {
            steps.push(
                Phase::AttachPartition,
                format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;",
                    pair.name.quoted(),
                    quote_identifier(column)
                ),
            );
        }
        if pair.from.partition_key != pair.to.partition_key {
            refuse_partition_key_change(pair.name, pair.from, pair.to, steps);
        }
    }
}

/// What a table must have before `ATTACH PARTITION` or `INHERIT` accept it: the `NOT NULL` of
/// each column its parent's makes so, and the parent's checks, by name (they merge into the
/// parent's when it is attached).
fn match_parent(name: &Name, from: &Table, to: &Table, steps: &mut Steps) {
    for column in to
        .columns
        .iter()
        .filter(|column| column.inherited && column.not_null)
    {
        let Some(old) = from.column(&column.name) else {
            continue;
        };
        if !old.not_null {
            steps.push(
                Phase::AttachPartition,
                format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;",
                    name.quoted(),
                    quote_identifier(&column.name)
                ),
            );
        }
        // PostgreSQL 18: the constraint keeps its name once attached, so it takes the one wanted
        // before.
        if let Some(wanted) = to.not_null_constraints.get(&column.name) {
            let current = match old.not_null {
                true => from.not_null_constraints.get(&column.name).cloned(),
                false => Some(columns::default_not_null_name(&name.name, &column.name)),
            };
            if let Some(current) = current
                && current != *wanted
            {
                steps.push(
                    Phase::AttachPartition,
                    format!(
                        "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                        name.quoted(),
                        quote_identifier(&current),
                        quote_identifier(wanted)
                    ),
                );
            }
        }
    }
    for (constraint, check) in &to.constraints {
        let inherited_check = check.inherited && check.kind == ConstraintKind::Check;
        if inherited_check && !from.constraints.contains_key(constraint) {
            steps.push(
                Phase::AttachPartition,
                format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {};",
                    name.quoted(),
                    quote_identifier(constraint),
                    check.definition
                ),
            );
        }
    }
}

/// No statement changes how a table is partitioned (or whether it is): the revision gets one that
/// stops it with that said, marked for review, for a person to replace with their own steps.
fn refuse_partition_key_change(name: &Name, from: &Table, to: &Table, steps: &mut Steps) {
    let key = |table: &Table| {
        table
            .partition_key
            .clone()
            .unwrap_or_else(|| "none".to_owned())
    };
    let message = format!(
        "carafe cannot change how {name} is partitioned ({} to {}): replace this statement with your own steps (create the new table, move the rows, swap the names)",
        key(from),
        key(to)
    );
    steps.push_for_review(
        Phase::DropTable,
        format!(
            "DO $carafe$ BEGIN RAISE EXCEPTION '%', {}; END $carafe$;",
            quote_literal(&message)
        ),
        message,
    );
}

/// The inherited columns whose `NOT NULL` `table` declares too (PostgreSQL 18); a column of its
/// own declares it in its definition.
fn inherited_local_not_null(table: &Table) -> impl Iterator<Item = &String> {
    table
        .local_not_null
        .iter()
        .filter(|column| table.column(column).is_some_and(|column| column.inherited))
}

/// What a table drops before: the tables it references, and its parents.
fn referenced_tables(table: &Table) -> Vec<Name> {
    let mut referenced: Vec<Name> = table
        .constraints
        .values()
        .filter_map(|constraint| constraint.references.clone())
        .collect();
    referenced.extend(parents(table));
    referenced
}

/// Whether a foreign key references partitioned table `table`, or a partitioned table it is a
/// partition of.
fn referenced_by_foreign_key(schema: &Schema, table: &Name) -> bool {
    let mut current = Some(table);
    while let Some(table) = current {
        let referenced = schema.tables.values().any(|other| {
            other.constraints.values().any(|constraint| {
                constraint.kind == ConstraintKind::ForeignKey
                    && constraint.references.as_ref() == Some(table)
            })
        });
        if referenced {
            return true;
        }
        current = schema
            .tables
            .get(table)
            .and_then(|table| table.partition_of.as_ref())
            .map(|of| &of.parent);
    }
    false
}

/// The table a partition belongs to, or those a table inherits from.
fn parents(table: &Table) -> Vec<Name> {
    let mut parents = table.inherits.clone();
    parents.extend(table.partition_of.iter().map(|of| of.parent.clone()));
    parents
}

/// `DETACH PARTITION` / `ATTACH PARTITION` and `NO INHERIT` / `INHERIT` of a table both schemas
/// have, when its parent or bound changes.
fn reparent(name: &Name, from: &Table, to: &Table, steps: &mut Steps) {
    if from.partition_of != to.partition_of {
        if let Some(old) = &from.partition_of {
            steps.push_for_review(
                Phase::DetachPartition,
                format!(
                    "ALTER TABLE {} DETACH PARTITION {};",
                    old.parent.quoted(),
                    name.quoted()
                ),
                format!("{name} leaves partitioned table {}", old.parent),
            );
        }
        if let Some(new) = &to.partition_of {
            match_parent(name, from, to, steps);
            steps.push(
                Phase::AttachPartition,
                format!(
                    "ALTER TABLE {} ATTACH PARTITION {} {};",
                    new.parent.quoted(),
                    name.quoted(),
                    new.bound
                ),
            );
        }
    }
    for parent in from
        .inherits
        .iter()
        .filter(|parent| !to.inherits.contains(parent))
    {
        steps.push(
            Phase::DetachPartition,
            format!(
                "ALTER TABLE {} NO INHERIT {};",
                name.quoted(),
                parent.quoted()
            ),
        );
    }
    let gained: Vec<&Name> = to
        .inherits
        .iter()
        .filter(|parent| !from.inherits.contains(parent))
        .collect();
    if !gained.is_empty() {
        match_parent(name, from, to, steps);
    }
    for parent in gained {
        steps.push(
            Phase::AttachPartition,
            format!("ALTER TABLE {} INHERIT {};", name.quoted(), parent.quoted()),
        );
    }
}

fn create(schema: &Schema, name: &Name, table: &Table) -> String {
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .filter(|column| !column.inherited)
        .map(|column| {
            let identity = identity_options(schema, name, &column.name);
            format!("    {}", column_definition(column, &identity))
        })
        .collect();
    // PostgreSQL 18: an inherited column's NOT NULL the table declares too, under its own name.
    for column in inherited_local_not_null(table) {
        if let Some(constraint) = table.not_null_constraints.get(column) {
            columns.push(format!(
                "    CONSTRAINT {} NOT NULL {}",
                quote_identifier(constraint),
                quote_identifier(column)
            ));
        }
    }
    let (persistence, options) = (
        storage::persistence(table),
        storage::with_options(&table.options),
    );
    let partitioned = match &table.partition_key {
        Some(key) => format!(" PARTITION BY {key}"),
        None => String::new(),
    };
    // A foreign table has its server and options where an ordinary one has its storage.
    let (kind, options) = match &table.foreign {
        Some(foreign) => (
            "FOREIGN TABLE",
            format!(
                " SERVER {}{}",
                quote_identifier(&foreign.server),
                foreign_data::options_clause(&foreign.options)
            ),
        ),
        None => ("TABLE", options),
    };
    if let Some(PartitionOf { parent, bound }) = &table.partition_of {
        return format!(
            "CREATE {persistence}{kind} {} PARTITION OF {} {bound}{partitioned}{options};",
            name.quoted(),
            parent.quoted()
        );
    }
    let inherits = match table.inherits.is_empty() {
        true => String::new(),
        false => {
            let parents: Vec<String> = table.inherits.iter().map(Name::quoted).collect();
            format!(" INHERITS ({})", parents.join(", "))
        }
    };
    let body = match columns.is_empty() {
        true => "()".to_owned(),
        false => format!("(\n{}\n)", columns.join(",\n")),
    };
    format!(
        "CREATE {persistence}{kind} {} {body}{inherits}{partitioned}{options};",
        name.quoted()
    )
}
