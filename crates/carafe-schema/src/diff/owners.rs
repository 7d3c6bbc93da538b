//! Owners: `ALTER ... OWNER TO` an object whose owner changes, and to one created anew (which
//! starts owned by the role the revision runs as) that the new schema gives to another role;
//! `OWNER TO CURRENT_USER` to one that comes back to that role. They change once every object
//! exists, before privileges (an access list follows its owner), but an event trigger's, which
//! comes after it is created, last.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use super::{collations, event_triggers, functions, operators, privileges, text_search};
use crate::model::quote_identifier;
use crate::{Owned, Schema, Securable};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = functions::replaced(matching);
    let dictionaries = text_search::replaced_dictionaries(from, to);
    let owned: BTreeSet<&Owned> = from.owners.keys().chain(to.owners.keys()).collect();
    for object in owned {
        let Some(target) = target(to, object) else {
            continue; // not in the new schema: goes, with whatever owner it had
        };
        let created = match object {
            Owned::Collation(name) => match (from.collations.get(name), to.collations.get(name)) {
                (Some(old), Some(new)) => !collations::same_definition(old, new),
                _ => true,
            },
            Owned::EventTrigger(name) => !event_triggers::kept(matching, &replaced, name),
            Owned::Statistics(name) => matching.statistics_created(name),
            Owned::Operator(signature) => operators::created(matching, signature),
            Owned::TextSearchDictionary(name) => {
                !from.text_search_dictionaries.contains_key(name) || dictionaries.contains(name)
            }
            Owned::TextSearchConfiguration(name) => {
                !from.text_search_configurations.contains_key(name)
                    || text_search::replaced_configurations(from, to).contains(name)
            }
            _ => {
                securable(object).is_some_and(|securable| privileges::created(matching, &securable))
            }
        };
        let had = match created {
            true => None,
            false => from.owners.get(object),
        };
        let wanted = to.owners.get(object);
        if had == wanted {
            continue;
        }
        let role = wanted.map_or("CURRENT_USER", String::as_str);
        let phase = match object {
            Owned::EventTrigger(_) => Phase::CreateEventTrigger,
            _ => Phase::Owners,
        };
        steps.push(phase, format!("ALTER {target} OWNER TO {role};"));
    }
}

/// The role (quoted, or `CURRENT_USER`) that kept object `securable` (a column: its relation)
/// passes to, when the diff changes its owner: the server hands the old owner's entries in its
/// access lists to the new one, so its privileges change from there.
pub(super) fn changed_owner(matching: &Matching, securable: &Securable) -> Option<String> {
    let object = match securable {
        Securable::Schema(name) => Owned::Schema(name.clone()),
        Securable::Relation(name) | Securable::Column(name, _) => Owned::Relation(name.clone()),
        Securable::Sequence(name) => Owned::Sequence(name.clone()),
        Securable::Function(signature) => Owned::Function(signature.clone()),
        Securable::Type(name) => Owned::Type(name.clone()),
        Securable::ForeignDataWrapper(name) => Owned::ForeignDataWrapper(name.clone()),
        Securable::ForeignServer(name) => Owned::ForeignServer(name.clone()),
    };
    let wanted = matching.to.owners.get(&object);
    (matching.from.owners.get(&object) != wanted)
        .then(|| wanted.map_or_else(|| "CURRENT_USER".to_owned(), Clone::clone))
}

/// The privileges' name of `object`, to ask whether the diff creates it.
fn securable(object: &Owned) -> Option<Securable> {
    Some(match object {
        Owned::Schema(name) => Securable::Schema(name.clone()),
        Owned::Relation(name) => Securable::Relation(name.clone()),
        Owned::Sequence(name) => Securable::Sequence(name.clone()),
        Owned::Function(signature) => Securable::Function(signature.clone()),
        Owned::Type(name) => Securable::Type(name.clone()),
        Owned::ForeignDataWrapper(name) => Securable::ForeignDataWrapper(name.clone()),
        Owned::ForeignServer(name) => Securable::ForeignServer(name.clone()),
        Owned::Collation(_)
        | Owned::Operator(_)
        | Owned::Statistics(_)
        | Owned::TextSearchDictionary(_)
        | Owned::TextSearchConfiguration(_)
        | Owned::EventTrigger(_) => return None,
    })
}

/// What `ALTER` names `object` by in `schema` (`TABLE "public"."products"`), or `None` when
/// `schema` has no such object.
fn target(schema: &Schema, object: &Owned) -> Option<String> {
    Some(match object {
        Owned::Schema(name) => {
            schema.schemas.contains(name).then_some(())?;
            format!("SCHEMA {}", quote_identifier(name))
        }
        Owned::Relation(name) => {
            let keyword = match (schema.tables.get(name), schema.views.get(name)) {
                (Some(table), _) if table.foreign.is_some() => "FOREIGN TABLE",
                (Some(_), _) => "TABLE",
                (None, Some(view)) if view.materialized => "MATERIALIZED VIEW",
                (None, Some(_)) => "VIEW",
                (None, None) => return None,
            };
            format!("{keyword} {}", name.quoted())
        }
        Owned::Sequence(name) => {
            schema.sequences.contains_key(name).then_some(())?;
            format!("SEQUENCE {}", name.quoted())
        }
        Owned::Function(signature) => {
            functions::target(signature, schema.functions.get(signature)?)
        }
        Owned::Type(name) => {
            let keyword = match schema.domains.contains_key(name) {
                true => "DOMAIN",
                false => "TYPE",
            };
            privileges::exists(schema, &Securable::Type(name.clone())).then_some(())?;
            format!("{keyword} {}", name.quoted())
        }
        Owned::Collation(name) => {
            schema.collations.contains_key(name).then_some(())?;
            format!("COLLATION {}", name.quoted())
        }
        Owned::Operator(signature) => {
            schema.operators.contains_key(signature).then_some(())?;
            format!("OPERATOR {}", signature.target())
        }
        Owned::Statistics(name) => {
            schema.statistics.contains_key(name).then_some(())?;
            format!("STATISTICS {}", name.quoted())
        }
        Owned::TextSearchDictionary(name) => {
            schema
                .text_search_dictionaries
                .contains_key(name)
                .then_some(())?;
            format!("TEXT SEARCH DICTIONARY {}", name.quoted())
        }
        Owned::TextSearchConfiguration(name) => {
            schema
                .text_search_configurations
                .contains_key(name)
                .then_some(())?;
            format!("TEXT SEARCH CONFIGURATION {}", name.quoted())
        }
        Owned::ForeignDataWrapper(name) => {
            schema
                .foreign_data_wrappers
                .contains_key(name)
                .then_some(())?;
            format!("FOREIGN DATA WRAPPER {}", quote_identifier(name))
        }
        Owned::ForeignServer(name) => {
            schema.foreign_servers.contains_key(name).then_some(())?;
            format!("SERVER {}", quote_identifier(name))
        }
        Owned::EventTrigger(name) => {
            schema.event_triggers.contains_key(name).then_some(())?;
            format!("EVENT TRIGGER {}", quote_identifier(name))
        }
    })
}
