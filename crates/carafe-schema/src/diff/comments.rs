//! Comments (`COMMENT ON ... IS`): set, changed or removed (`IS NULL`) after every object exists,
//! and set again on objects created anew (a recreated view, index, trigger or function loses its
//! comment).

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use super::{
    collations, domains, functions, indexes, policies, ranges, rules, sequences, triggers, views,
};
use crate::model::quote_identifier;
use crate::{Name, Sequence};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let mut comment = |target: String, had: Option<&str>, wanted: Option<&str>| {
        if had != wanted {
            steps.push(
                Phase::Comment,
                format!("COMMENT ON {target} IS {};", comment_value(wanted)),
            );
        }
    };
    for (schema, wanted) in &to.schema_comments {
        let had = from.schema_comments.get(schema).map(String::as_str);
        comment(
            format!("SCHEMA {}", quote_identifier(schema)),
            had,
            Some(wanted),
        );
    }
    for (schema, had) in &from.schema_comments {
        if to.schemas.contains(schema) && !to.schema_comments.contains_key(schema) {
            comment(
                format!("SCHEMA {}", quote_identifier(schema)),
                Some(had),
                None,
            );
        }
    }
    let renamed = sequences::renamed_sequences(matching);
    for (name, sequence) in &to.sequences {
        let old_name = renamed
            .iter()
            .find(|(_, new)| *new == name)
            .map_or(name, |(old, _)| *old);
        let had = from
            .sequences
            .get(old_name)
            .filter(|old| sequence_kept(matching, old))
            .and_then(|old| old.comment.as_deref());
        comment(
            format!("SEQUENCE {}", name.quoted()),
            had,
            sequence.comment.as_deref(),
        );
    }
    for (name, collation) in &to.collations {
        let had = from
            .collations
            .get(name)
            .filter(|old| collations::same_definition(old, collation))
            .and_then(|old| old.comment.as_deref());
        comment(
            format!("COLLATION {}", name.quoted()),
            had,
            collation.comment.as_deref(),
        );
    }
    for (name, enum_type) in &to.enums {
        let had = match matching.enum_replaced(name) {
            true => None,
            false => from.enums.get(name).and_then(|old| old.comment.as_deref()),
        };
        comment(
            format!("TYPE {}", name.quoted()),
            had,
            enum_type.comment.as_deref(),
        );
    }
    for (name, composite) in &to.composites {
        let had = from
            .composites
            .get(name)
            .and_then(|old| old.comment.as_deref());
        comment(
            format!("TYPE {}", name.quoted()),
            had,
            composite.comment.as_deref(),
        );
    }
    for (name, range) in &to.ranges {
        let had = from
            .ranges
            .get(name)
            .filter(|old| ranges::same_definition(old, range))
            .and_then(|old| old.comment.as_deref());
        comment(
            format!("TYPE {}", name.quoted()),
            had,
            range.comment.as_deref(),
        );
    }
    for (name, domain) in &to.domains {
        let had = match domains::created(matching, name) {
            true => None,
            false => from
                .domains
                .get(name)
                .and_then(|old| old.comment.as_deref()),
        };
        comment(
            format!("DOMAIN {}", name.quoted()),
            had,
            domain.comment.as_deref(),
        );
    }
    for (table_name, table) in &to.tables {
        let pair = matching.table(table_name);
        let had = pair.and_then(|pair| pair.from.comment.as_deref());
        let kind = match table.foreign {
            Some(_) => "FOREIGN TABLE",
            None => "TABLE",
        };
        comment(
            format!("{kind} {}", table_name.quoted()),
            had,
            table.comment.as_deref(),
        );
        for column in &table.columns {
            let had = pair
                .and_then(|pair| pair.kept_to(&column.name))
                .filter(|kept| !kept.replaced)
                .and_then(|kept| kept.from.comment.as_deref());
            comment(
                format!(
                    "COLUMN {}.{}",
                    table_name.quoted(),
                    quote_identifier(&column.name)
                ),
                had,
                column.comment.as_deref(),
            );
        }
        for (name, constraint) in &table.constraints {
            let had = match (pair, matching.constraint_added(table_name, name)) {
                (Some(pair), false) => pair
                    .from
                    .constraints
                    .get(name)
                    .and_then(|old| old.comment.as_deref()),
                _ => None,
            };
            comment(
                format!(
                    "CONSTRAINT {} ON {}",
                    quote_identifier(name),
                    table_name.quoted()
                ),
                had,
                constraint.comment.as_deref(),
            );
        }
        for (name, index) in &table.indexes {
            let had = match (pair, matching.index_created(table_name, name)) {
                (Some(pair), false) => pair
                    .from
                    .indexes
                    .get(name)
                    .and_then(|old| old.comment.as_deref()),
                _ => None,
            };
            let index_name = Name::new(table_name.schema.clone(), name.clone());
            comment(
                format!("INDEX {}", index_name.quoted()),
                had,
                index.comment.as_deref(),
            );
        }
    }
    let replaced = functions::replaced(matching);
    for (relation, relation_triggers) in triggers::with_triggers(to) {
        for (name, trigger) in relation_triggers {
            let had = match triggers::kept(matching, &replaced, relation, name) {
                true => triggers::with_triggers(from)
                    .find(|(old_relation, _)| *old_relation == relation)
                    .and_then(|(_, old)| old.get(name))
                    .and_then(|old| old.comment.as_deref()),
                false => None,
            };
            comment(
                format!(
                    "TRIGGER {} ON {}",
                    quote_identifier(name),
                    relation.quoted()
                ),
                had,
                trigger.comment.as_deref(),
            );
        }
    }
    for (table_name, table) in &to.tables {
        for (name, rule) in &table.rules {
            let had = match rules::kept(matching, table_name, name) {
                true => from
                    .tables
                    .get(table_name)
                    .and_then(|old| old.rules.get(name))
                    .and_then(|old| old.comment.as_deref()),
                false => None,
            };
            comment(
                format!("RULE {} ON {}", quote_identifier(name), table_name.quoted()),
                had,
                rule.comment.as_deref(),
            );
        }
        for (name, policy) in &table.policies {
            let had = match policies::kept(matching, table_name, name) {
                true => from
                    .tables
                    .get(table_name)
                    .and_then(|old| old.policies.get(name))
                    .and_then(|old| old.comment.as_deref()),
                false => None,
            };
            comment(
                format!(
                    "POLICY {} ON {}",
                    quote_identifier(name),
                    table_name.quoted()
                ),
                had,
                policy.comment.as_deref(),
            );
        }
    }
    for (signature, function) in &to.functions {
        let had = match functions::created(matching, &replaced, signature) {
            true => None,
            false => from
                .functions
                .get(signature)
                .and_then(|old| old.comment.as_deref()),
        };
        comment(
            functions::target(signature, function),
            had,
            function.comment.as_deref(),
        );
    }
    for (name, view) in &to.views {
        let had = match matching.view_created(name) {
            true => None,
            false => from.views.get(name).and_then(|old| old.comment.as_deref()),
        };
        comment(
            format!("{} {}", views::kind(view), name.quoted()),
            had,
            view.comment.as_deref(),
        );
        let old = from
            .views
            .get(name)
            .filter(|_| !matching.view_created(name));
        for (column, wanted) in &view.column_comments {
            let had = old.and_then(|old| old.column_comments.get(column));
            comment(
                format!("COLUMN {}.{}", name.quoted(), quote_identifier(column)),
                had.map(String::as_str),
                Some(wanted),
            );
        }
        for (column, had) in old.iter().flat_map(|old| &old.column_comments) {
            if !view.column_comments.contains_key(column) {
                comment(
                    format!("COLUMN {}.{}", name.quoted(), quote_identifier(column)),
                    Some(had),
                    None,
                );
            }
        }
        for (index_name, index) in &view.indexes {
            let had = match indexes::view_index_kept(matching, name, index_name) {
                true => old
                    .and_then(|old| old.indexes.get(index_name))
                    .and_then(|old| old.comment.as_deref()),
                false => None,
            };
            let qualified = Name::new(name.schema.clone(), index_name.clone());
            comment(
                format!("INDEX {}", qualified.quoted()),
                had,
                index.comment.as_deref(),
            );
        }
    }
}

/// Whether sequence `old` of `from` lives on: a serial column's sequence goes with its column when
/// the column is dropped or replaced, and the new one starts without a comment.
fn sequence_kept(matching: &Matching, old: &Sequence) -> bool {
    old.owned_by
        .as_ref()
        .is_none_or(|(table, column)| !matching.column_goes(table, column))
}
