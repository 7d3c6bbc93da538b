//! Composite types: created before the tables and functions that use them, their attributes added,
//! dropped or retyped in place with `ALTER TYPE` (an attribute added goes last, as a column does),
//! dropped once nothing uses them. Dropping or retyping an attribute touches every value stored in
//! a column of the type, so it is marked for review.

use super::matching::Matching;
use super::sql::collation;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Attribute, CompositeType, Name};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, composite) in &to.composites {
        match from.composites.get(name) {
            None => steps.push(Phase::CreateComposite, create(name, composite)),
            Some(old) => alter(name, old, composite, steps),
        }
    }
    for name in from.composites.keys() {
        if !to.composites.contains_key(name) {
            steps.push_for_review(
                Phase::DropComposite,
                format!("DROP TYPE {};", name.quoted()),
                format!("drops type {name}"),
            );
        }
    }
}

/// `"name" type [COLLATE collation]`.
fn attribute(attribute: &Attribute) -> String {
    let mut text = format!(
        "{} {}",
        quote_identifier(&attribute.name),
        attribute.data_type
    );
    if let Some(name) = &attribute.collation {
        text.push_str(&format!(" COLLATE {}", collation(name)));
    }
    text
}

fn create(name: &Name, composite: &CompositeType) -> String {
    let attributes: Vec<String> = composite
        .attributes
        .iter()
        .map(|each| format!("    {}", attribute(each)))
        .collect();
    match attributes.is_empty() {
        true => format!("CREATE TYPE {} AS ();", name.quoted()),
        false => format!(
            "CREATE TYPE {} AS (\n{}\n);",
            name.quoted(),
            attributes.join(",\n")
        ),
    }
}

fn alter(name: &Name, old: &CompositeType, new: &CompositeType, steps: &mut Steps) {
    let alter = format!("ALTER TYPE {}", name.quoted());
    let find = |composite: &'_ CompositeType, wanted: &str| {
        composite
            .attributes
            .iter()
            .position(|each| each.name == wanted)
    };
    for gone in &old.attributes {
        if find(new, &gone.name).is_none() {
            steps.push_for_review(
                Phase::AlterComposite,
                format!("{alter} DROP ATTRIBUTE {};", quote_identifier(&gone.name)),
                format!(
                    "drops attribute {} of type {name}, and its values",
                    gone.name
                ),
            );
        }
    }
    for wanted in &new.attributes {
        let Some(index) = find(old, &wanted.name) else {
            steps.push(
                Phase::AlterComposite,
                format!("{alter} ADD ATTRIBUTE {};", attribute(wanted)),
            );
            continue;
        };
        let had = &old.attributes[index];
        if had.data_type != wanted.data_type || had.collation != wanted.collation {
            let mut sql = format!(
                "{alter} ALTER ATTRIBUTE {} SET DATA TYPE {}",
                quote_identifier(&wanted.name),
                wanted.data_type
            );
            if let Some(name) = &wanted.collation {
                sql.push_str(&format!(" COLLATE {}", collation(name)));
            }
            sql.push(';');
            steps.push_for_review(
                Phase::AlterComposite,
                sql,
                format!(
                    "changes the type of attribute {} of type {name} from {} to {}",
                    wanted.name, had.data_type, wanted.data_type
                ),
            );
        }
    }
}
