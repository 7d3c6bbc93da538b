//! Enum types: created, given new values with `ADD VALUE` (placed with `BEFORE`/`AFTER` to keep the
//! order), dropped. An enum that loses or reorders values (PostgreSQL cannot drop a value), or gains
//! one this same revision uses (PostgreSQL cannot use a value added in the same transaction), is
//! created anew: renamed aside, created, its columns converted through `text`, the old one dropped.

use super::matching::{ColumnPair, Matching, TablePair, added_labels_in_use};
use super::steps::{Phase, Steps};
use super::types::{conversion, type_refers_to};
use crate::model::{quote_identifier, quote_literal};
use crate::{EnumType, Name};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, enum_type) in &to.enums {
        match from.enums.get(name) {
            None => steps.push(Phase::CreateEnum, create(name, enum_type)),
            Some(_) if matching.enum_replaced(name) => {}
            Some(old) => add_values(name, &old.labels, &enum_type.labels, steps),
        }
    }
    for name in matching.replaced_enums() {
        if let (Some(old), Some(new)) = (from.enums.get(name), to.enums.get(name)) {
            replace(matching, name, old, new, steps);
        }
    }
    for name in from.enums.keys() {
        if !to.enums.contains_key(name) {
            steps.push_for_review(
                Phase::DropEnum,
                format!("DROP TYPE {};", name.quoted()),
                format!("drops type {name}"),
            );
        }
    }
}

/// The name an enum takes while its replacement is built.
fn old_name(name: &Name) -> Name {
    Name::new(name.schema.clone(), format!("{}__old", name.name))
}

fn create(name: &Name, enum_type: &EnumType) -> String {
    let labels: Vec<String> = enum_type
        .labels
        .iter()
        .map(|label| quote_literal(label))
        .collect();
    format!(
        "CREATE TYPE {} AS ENUM ({});",
        name.quoted(),
        labels.join(", ")
    )
}

/// `ADD VALUE` for each label of `new` missing from `old` (which `new` holds in the same order):
/// before the first old label when it comes before it, at the end when it comes after the last
/// one, else right after the label before it (old, or added just before).
fn add_values(name: &Name, old: &[String], new: &[String], steps: &mut Steps) {
    let first_old = new.iter().position(|label| old.contains(label));
    let last_old = new.iter().rposition(|label| old.contains(label));
    for (position, label) in new.iter().enumerate() {
        if old.contains(label) {
            continue;
        }
        let place = match (first_old, last_old) {
            (Some(first), _) if position < first => {
                format!(" BEFORE {}", quote_literal(&new[first]))
            }
            (_, Some(last)) if position < last => {
                format!(" AFTER {}", quote_literal(&new[position - 1]))
            }
            _ => String::new(),
        };
        steps.push(
            Phase::CreateEnum,
            format!(
                "ALTER TYPE {} ADD VALUE {}{place};",
                name.quoted(),
                quote_literal(label)
            ),
        );
    }
}

/// The columns that hold enum `name` before and after, which its replacement must convert.
fn converted_columns<'m, 'a>(
    matching: &'m Matching<'a>,
    name: &'m Name,
) -> impl Iterator<Item = (&'m TablePair<'a>, &'m ColumnPair<'a>)> + 'm {
    matching.tables.iter().flat_map(move |table| {
        table
            .kept
            .iter()
            .filter(move |column| is_converted(name, column))
            .map(move |column| (table, column))
    })
}

fn is_converted(name: &Name, column: &ColumnPair) -> bool {
    !column.replaced
        && column.from.generated.is_none()
        && type_refers_to(&column.from.data_type, name)
        && column.from.data_type == column.to.data_type
}

/// Whether the replacement of an enum converts this column (and sets its default).
pub(super) fn converts_column(matching: &Matching, column: &ColumnPair) -> bool {
    matching
        .replaced_enums()
        .any(|name| is_converted(name, column))
}

fn replace(matching: &Matching, name: &Name, old: &EnumType, new: &EnumType, steps: &mut Steps) {
    let old_name = old_name(name);
    let mut sql = vec![
        format!(
            "ALTER TYPE {} RENAME TO {};",
            name.quoted(),
            quote_identifier(&old_name.name)
        ),
        create(name, new),
    ];
    // A partition's or child's column changes type with its parent's (the server refuses it alone),
    // but its default, which the conversion cannot cast, goes first and comes back after.
    let columns: Vec<(String, &ColumnPair)> = converted_columns(matching, name)
        .map(|(table, column)| {
            let alter = format!(
                "ALTER TABLE {} ALTER COLUMN {}",
                table.name.quoted(),
                quote_identifier(&column.from.name)
            );
            (alter, column)
        })
        .collect();
    let inherited = |column: &ColumnPair| column.from.inherited && column.to.inherited;
    for (alter, column) in &columns {
        if column.from.default.is_some() {
            sql.push(format!("{alter} DROP DEFAULT;"));
        }
    }
    for (alter, column) in columns.iter().filter(|(_, column)| !inherited(column)) {
        sql.push(format!(
            "{alter} TYPE {} USING {};",
            column.to.data_type,
            conversion(&column.from.name, &column.to.data_type, true)
        ));
    }
    let (children, parents): (Vec<_>, Vec<_>) =
        columns.iter().partition(|(_, column)| inherited(column));
    for (alter, column) in parents.into_iter().chain(children) {
        if let Some(default) = &column.to.default {
            sql.push(format!("{alter} SET DEFAULT {default};"));
        }
    }
    let removed: Vec<String> = old
        .labels
        .iter()
        .filter(|label| !new.labels.contains(label))
        .map(|label| quote_literal(label))
        .collect();
    let used = added_labels_in_use(matching.to, name, &old.labels, &new.labels);
    let used: Vec<String> = used.iter().map(|label| quote_literal(label)).collect();
    let review = match removed.as_slice() {
        [] if !used.is_empty() => format!(
            "enum {name} gains {} and this revision uses it; PostgreSQL cannot use a value added in the same transaction, so the type is created anew, which rewrites every column of that type",
            used.join(", ")
        ),
        [] => format!("reordering the values of enum {name} rewrites every column of that type"),
        [label] => format!(
            "removing enum value {label} rewrites every column of type {name}; rows holding {label} make it fail"
        ),
        labels => format!(
            "removing enum values {} rewrites every column of type {name}; rows holding them make it fail",
            labels.join(", ")
        ),
    };
    steps.push_for_review(Phase::ReplaceEnum, sql.join("\n"), review);
    steps.push(Phase::DropEnum, format!("DROP TYPE {};", old_name.quoted()));
}
