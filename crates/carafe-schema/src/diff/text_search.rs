//! Text search dictionaries and configurations: created early (dictionaries, then the
//! configurations that map tokens to them), before the columns, indexes and views whose
//! expressions name a configuration; dropped late, once those are gone. A dictionary's options
//! and a configuration's mappings change in place; a dictionary whose template changes, or a
//! configuration whose parser changes (or that maps to such a dictionary), is dropped and created
//! again, marked for review.

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Name, Schema, TextSearchDictionary};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced_dictionaries = replaced_dictionaries(from, to);
    let replaced_configurations = replaced_configurations(from, to, &replaced_dictionaries);
    for (name, old) in &from.text_search_configurations {
        let sql = format!("DROP TEXT SEARCH CONFIGURATION {};", name.quoted());
        match to.text_search_configurations.get(name) {
            None => steps.push_for_review(
                Phase::DropTextSearch,
                sql,
                format!("drops text search configuration {name}"),
            ),
            Some(new) if replaced_configurations.contains(name) => {
                let review = match old.parser != new.parser {
                    true => format!(
                        "text search configuration {name} changes its parser, which ALTER cannot \
                         do: it is dropped and created again, so what names it (columns, indexes, \
                         views) must go first"
                    ),
                    false => format!(
                        "text search configuration {name} is dropped and created again with a \
                         dictionary it maps to"
                    ),
                };
                steps.push_for_review(Phase::CreateTextSearch, sql, review);
            }
            Some(_) => {}
        }
    }
    for (name, old) in &from.text_search_dictionaries {
        let sql = format!("DROP TEXT SEARCH DICTIONARY {};", name.quoted());
        match to.text_search_dictionaries.get(name) {
            None => steps.push_for_review(
                Phase::DropTextSearch,
                sql,
                format!("drops text search dictionary {name}"),
            ),
            Some(new) if replaced_dictionaries.contains(name) => steps.push_for_review(
                Phase::CreateTextSearch,
                sql,
                format!(
                    "text search dictionary {name} changes its template from {} to {}, which \
                     ALTER cannot do: it is dropped and created again",
                    old.template, new.template
                ),
            ),
            Some(_) => {}
        }
    }
    for (name, dictionary) in &to.text_search_dictionaries {
        let target = format!("TEXT SEARCH DICTIONARY {}", name.quoted());
        let old = from
            .text_search_dictionaries
            .get(name)
            .filter(|_| !replaced_dictionaries.contains(name));
        match old {
            None => steps.push(Phase::CreateTextSearch, create_dictionary(name, dictionary)),
            Some(old) => {
                if let Some(change) = options_change(&old.options, &dictionary.options) {
                    steps.push(
                        Phase::CreateTextSearch,
                        format!("ALTER {target} ({change});"),
                    );
                }
            }
        }
        comment(
            steps,
            &target,
            old.and_then(|old| old.comment.as_deref()),
            dictionary.comment.as_deref(),
        );
    }
    for (name, configuration) in &to.text_search_configurations {
        let target = format!("TEXT SEARCH CONFIGURATION {}", name.quoted());
        let old = from
            .text_search_configurations
            .get(name)
            .filter(|_| !replaced_configurations.contains(name));
        let had = match old {
            None => {
                steps.push(
                    Phase::CreateTextSearch,
                    format!(
                        "CREATE {target} (PARSER = {});",
                        configuration.parser.quoted()
                    ),
                );
                BTreeMap::new()
            }
            Some(old) => old.mappings.clone(),
        };
        for statement in mapping_changes(&target, &had, &configuration.mappings) {
            steps.push(Phase::CreateTextSearch, statement);
        }
        comment(
            steps,
            &target,
            old.and_then(|old| old.comment.as_deref()),
            configuration.comment.as_deref(),
        );
    }
}

/// The dictionaries in both schemas whose template changes.
pub(super) fn replaced_dictionaries(from: &Schema, to: &Schema) -> BTreeSet<Name> {
    from.text_search_dictionaries
        .iter()
        .filter(|(name, old)| {
            to.text_search_dictionaries
                .get(*name)
                .is_some_and(|new| new.template != old.template)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The configurations in both schemas whose parser changes, or that map to a dictionary
/// created again (it cannot be dropped while they use it).
pub(super) fn replaced_configurations(
    from: &Schema,
    to: &Schema,
    replaced_dictionaries: &BTreeSet<Name>,
) -> BTreeSet<Name> {
    let quoted: BTreeSet<String> = replaced_dictionaries.iter().map(Name::quoted).collect();
    let unquoted: BTreeSet<String> = replaced_dictionaries
        .iter()
        .map(|name| format!("{}.{}", name.schema, name.name))
        .collect();
    from.text_search_configurations
        .iter()
        .filter(|(name, old)| {
            let Some(new) = to.text_search_configurations.get(*name) else {
                return false;
            };
            new.parser != old.parser
                || old
                    .mappings
                    .values()
                    .flatten()
                    .any(|dictionary| quoted.contains(dictionary) || unquoted.contains(dictionary))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

fn create_dictionary(name: &Name, dictionary: &TextSearchDictionary) -> String {
    let options = match dictionary.options.is_empty() {
        true => String::new(),
        false => format!(", {}", dictionary.options),
    };
    format!(
        "CREATE TEXT SEARCH DICTIONARY {} (TEMPLATE = {}{options});",
        name.quoted(),
        dictionary.template.quoted()
    )
}

/// The `option = value, option` list of `ALTER TEXT SEARCH DICTIONARY` that turns options `had`
/// into `wanted` (an option named alone is removed), or `None` when they agree.
fn options_change(had: &str, wanted: &str) -> Option<String> {
    let had = options(had);
    let wanted = options(wanted);
    let mut items: Vec<String> = wanted
        .iter()
        .filter(|(name, value)| had.get(*name) != Some(*value))
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    items.extend(
        had.keys()
            .filter(|name| !wanted.contains_key(*name))
            .map(|name| (*name).to_owned()),
    );
    (!items.is_empty()).then(|| items.join(", "))
}

/// `name = value` items of a dictionary's options as the server keeps them (values quoted, so
/// a comma inside one does not split it).
fn options(text: &str) -> BTreeMap<&str, &str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (at, character) in text.char_indices() {
        match character {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .filter_map(|item| item.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect()
}

/// `ALTER ... ADD / ALTER / DROP MAPPING FOR` that take mappings `had` to `wanted`, token types
/// that go to the same dictionaries grouped in one statement.
fn mapping_changes(
    target: &str,
    had: &BTreeMap<String, Vec<String>>,
    wanted: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut added: BTreeMap<&[String], Vec<&str>> = BTreeMap::new();
    let mut altered: BTreeMap<&[String], Vec<&str>> = BTreeMap::new();
    for (token, dictionaries) in wanted {
        match had.get(token) {
            None => added.entry(dictionaries).or_default().push(token),
            Some(old) if old != dictionaries => {
                altered.entry(dictionaries).or_default().push(token);
            }
            Some(_) => {}
        }
    }
    let dropped: Vec<&str> = had
        .keys()
        .filter(|token| !wanted.contains_key(*token))
        .map(String::as_str)
        .collect();
    let tokens = |tokens: &[&str]| {
        let quoted: Vec<String> = tokens.iter().map(|token| quote_identifier(token)).collect();
        quoted.join(", ")
    };
    let mut statements = Vec::new();
    if !dropped.is_empty() {
        statements.push(format!(
            "ALTER {target} DROP MAPPING FOR {};",
            tokens(&dropped)
        ));
    }
    for (verb, groups) in [("ALTER", &altered), ("ADD", &added)] {
        for (dictionaries, group) in groups {
            statements.push(format!(
                "ALTER {target} {verb} MAPPING FOR {} WITH {};",
                tokens(group),
                dictionaries.join(", ")
            ));
        }
    }
    statements
}

fn comment(steps: &mut Steps, target: &str, had: Option<&str>, wanted: Option<&str>) {
    if had != wanted {
        steps.push(
            Phase::CreateTextSearch,
            format!("COMMENT ON {target} IS {};", comment_value(wanted)),
        );
    }
}
