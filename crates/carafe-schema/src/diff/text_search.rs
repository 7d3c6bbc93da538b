//! Text search dictionaries and configurations: created early (dictionaries, then the
//! configurations that map tokens to them), before the columns, indexes and views whose
//! expressions name a configuration; dropped late, once those are gone. A dictionary's options
//! and a configuration's mappings change in place; a dictionary whose template changes is dropped
//! and created again (the mappings to it dropped first and added again after), and so is a
//! configuration whose parser changes, marked for review.

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Name, Schema, TextSearchConfiguration, TextSearchDictionary};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced_dictionaries = replaced_dictionaries(from, to);
    let replaced_configurations = replaced_configurations(from, to);
    for (name, old) in &from.text_search_configurations {
        let sql = format!("DROP TEXT SEARCH CONFIGURATION {};", name.quoted());
        match to.text_search_configurations.get(name) {
            None => steps.push_for_review(
                Phase::DropTextSearch,
                sql,
                format!("drops text search configuration {name}"),
            ),
            Some(_) if replaced_configurations.contains(name) => {
                let review = format!(
                    "text search configuration {name} changes its parser, which ALTER cannot do: \
                     it is dropped and created again, so what names it (columns, indexes, views) \
                     must go first"
                );
                steps.push_for_review(Phase::CreateTextSearch, sql, review);
            }
            Some(_) => {
                // Its mappings to a dictionary created again go first, and come back after it.
                let unmapped = unmapped(old, &replaced_dictionaries);
                if !unmapped.is_empty() {
                    steps.push(
                        Phase::CreateTextSearch,
                        format!(
                            "ALTER TEXT SEARCH CONFIGURATION {} DROP MAPPING FOR {};",
                            name.quoted(),
                            tokens(&unmapped)
                        ),
                    );
                }
            }
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
            Some(old) => {
                let unmapped = unmapped(old, &replaced_dictionaries);
                old.mappings
                    .iter()
                    .filter(|(token, _)| !unmapped.contains(&token.as_str()))
                    .map(|(token, dictionaries)| (token.clone(), dictionaries.clone()))
                    .collect()
            }
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

/// The configurations in both schemas whose parser changes.
pub(super) fn replaced_configurations(from: &Schema, to: &Schema) -> BTreeSet<Name> {
    from.text_search_configurations
        .iter()
        .filter(|(name, old)| {
            to.text_search_configurations
                .get(*name)
                .is_some_and(|new| new.parser != old.parser)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The token types of configuration `old` mapped to a dictionary created again: their mappings
/// are dropped before it and added again after (the dictionary cannot be dropped while mapped, and
/// the configuration need not go with it: what names it stays).
fn unmapped<'c>(
    old: &'c TextSearchConfiguration,
    replaced_dictionaries: &BTreeSet<Name>,
) -> Vec<&'c str> {
    let names: BTreeSet<String> = replaced_dictionaries
        .iter()
        .flat_map(|name| [name.quoted(), format!("{}.{}", name.schema, name.name)])
        .collect();
    old.mappings
        .iter()
        .filter(|(_, dictionaries)| dictionaries.iter().any(|used| names.contains(used)))
        .map(|(token, _)| token.as_str())
        .collect()
}

/// Token types as a mapping names them.
fn tokens(tokens: &[&str]) -> String {
    let quoted: Vec<String> = tokens.iter().map(|token| quote_identifier(token)).collect();
    quoted.join(", ")
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
