//! Schemas and extensions: created first, dropped last.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for schema in to.schemas.difference(&from.schemas) {
        steps.push(
            Phase::CreateSchema,
            format!("CREATE SCHEMA {};", quote_identifier(schema)),
        );
    }
    for schema in from.schemas.difference(&to.schemas) {
        steps.push_for_review(
            Phase::DropSchema,
            format!("DROP SCHEMA {};", quote_identifier(schema)),
            format!("drops schema {schema}"),
        );
    }
    for (name, extension) in &to.extensions {
        match from.extensions.get(name) {
            None => steps.push(
                Phase::CreateExtension,
                format!(
                    "CREATE EXTENSION {} WITH SCHEMA {};",
                    quote_identifier(name),
                    quote_identifier(&extension.schema)
                ),
            ),
            Some(old) if old.schema != extension.schema => steps.push(
                Phase::CreateExtension,
                format!(
                    "ALTER EXTENSION {} SET SCHEMA {};",
                    quote_identifier(name),
                    quote_identifier(&extension.schema)
                ),
            ),
            Some(_) => {}
        }
    }
    for name in from.extensions.keys() {
        if !to.extensions.contains_key(name) {
            steps.push_for_review(
                Phase::DropExtension,
                format!("DROP EXTENSION {};", quote_identifier(name)),
                format!("drops extension {name} and every object it provides"),
            );
        }
    }
}
