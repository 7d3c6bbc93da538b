//! Schemas and extensions: created first, dropped last. An extension is moved, or installed anew
//! when it cannot move, and updated to the version wanted.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::{quote_identifier, quote_literal};

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
        let create = format!(
            "CREATE EXTENSION {} WITH SCHEMA {} VERSION {};",
            quote_identifier(name),
            quote_identifier(&extension.schema),
            quote_literal(&extension.version)
        );
        let Some(old) = from.extensions.get(name) else {
            steps.push(Phase::CreateExtension, create);
            continue;
        };
        if old.schema != extension.schema && !old.relocatable {
            steps.push_for_review(
                Phase::CreateExtension,
                format!("DROP EXTENSION {};", quote_identifier(name)),
                format!(
                    "extension {name} cannot move to schema {}: it is dropped with every object it \
                     provides and installed there anew, which fails while something uses them",
                    extension.schema
                ),
            );
            steps.push(Phase::CreateExtension, create);
            continue;
        }
        if old.schema != extension.schema {
            steps.push(
                Phase::CreateExtension,
                format!(
                    "ALTER EXTENSION {} SET SCHEMA {};",
                    quote_identifier(name),
                    quote_identifier(&extension.schema)
                ),
            );
        }
        if old.version != extension.version {
            steps.push_for_review(
                Phase::CreateExtension,
                format!(
                    "ALTER EXTENSION {} UPDATE TO {};",
                    quote_identifier(name),
                    quote_literal(&extension.version)
                ),
                format!(
                    "updates extension {name} from {} to {}: the server needs the extension's \
                     script between those versions",
                    old.version, extension.version
                ),
            );
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
