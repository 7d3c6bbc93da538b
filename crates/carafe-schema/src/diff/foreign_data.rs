//! Foreign data: wrappers, servers and user mappings are created after extensions (one may provide
//! the wrapper) and dropped before them, mappings after their server and before it; their options,
//! a server's version and a wrapper's functions are altered in place. A server whose wrapper or type
//! changes cannot be altered into the new one: it is dropped with its mappings and foreign tables
//! and created again between the tables dropped and those created (the foreign tables come back
//! with the tables, [`table_replaced`]).
//!
//! Secret options are never written: a wrapper, server or mapping the declared schema gives one is
//! created without it, with a review that says which to set on each database, and a database's own
//! secrets are never dropped ([`crate::model::is_secret_option`]).

use super::Change;
use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::model::{quote_identifier, quote_literal};
use crate::{ForeignDataWrapper, ForeignOptions, ForeignServer, MappingFor, Schema, Table};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    // Dropped in this order in one phase: mappings, then their servers, then the wrappers.
    drop_mappings(from, to, steps);
    drop_gone(
        steps,
        "SERVER",
        "server",
        &from.foreign_servers,
        &to.foreign_servers,
    );
    drop_gone(
        steps,
        "FOREIGN DATA WRAPPER",
        "foreign-data wrapper",
        &from.foreign_data_wrappers,
        &to.foreign_data_wrappers,
    );
    wrappers(from, to, steps);
    servers(from, to, steps);
    create_mappings(from, to, steps);
}

/// `DROP keyword name` of each of `had` that `wanted` lacks, for review.
fn drop_gone<T>(
    steps: &mut Steps,
    keyword: &str,
    what: &str,
    had: &std::collections::BTreeMap<String, T>,
    wanted: &std::collections::BTreeMap<String, T>,
) {
    for name in had.keys().filter(|name| !wanted.contains_key(*name)) {
        steps.push_for_review(
            Phase::DropForeignData,
            format!("DROP {keyword} {};", quote_identifier(name)),
            format!("drops {what} {name}"),
        );
    }
}

/// Whether table `from` is dropped and created again as `to`: it becomes or stops being a foreign
/// table, or its server is another or is created anew (no statement moves a foreign table).
pub(super) fn table_replaced(
    from: &Schema,
    to: &Schema,
    from_table: &Table,
    to_table: &Table,
) -> bool {
    match (&from_table.foreign, &to_table.foreign) {
        (None, None) => false,
        (Some(old), Some(new)) => {
            old.server != new.server || server_replaced(from, to, &new.server)
        }
        _ => true,
    }
}

/// Whether server `name`, in both schemas, is dropped and created again: its wrapper or type
/// changes, which `ALTER SERVER` cannot do.
pub(super) fn server_replaced(from: &Schema, to: &Schema, name: &str) -> bool {
    match (from.foreign_servers.get(name), to.foreign_servers.get(name)) {
        (Some(old), Some(new)) => old.wrapper != new.wrapper || old.server_type != new.server_type,
        _ => false,
    }
}

/// ` OPTIONS (name 'value', ...)` of what is created, secrets left out; empty for none.
pub(super) fn options_clause(options: &ForeignOptions) -> String {
    if options.values.is_empty() {
        return String::new();
    }
    let items: Vec<String> = options
        .values
        .iter()
        .map(|(name, value)| format!("{} {}", quote_identifier(name), quote_literal(value)))
        .collect();
    format!(" OPTIONS ({})", items.join(", "))
}

/// The `OPTIONS (SET ..., ADD ..., DROP ...)` that turns options `had` into `wanted`, or `None`
/// when they agree. Secrets are neither set nor dropped.
pub(super) fn options_change(had: &ForeignOptions, wanted: &ForeignOptions) -> Option<String> {
    let mut items = Vec::new();
    for (name, value) in &wanted.values {
        let verb = match had.values.get(name) {
            Some(old) if old == value => continue,
            Some(_) => "SET",
            None => "ADD",
        };
        items.push(format!(
            "{verb} {} {}",
            quote_identifier(name),
            quote_literal(value)
        ));
    }
    for name in had
        .values
        .keys()
        .filter(|name| !wanted.values.contains_key(*name))
    {
        items.push(format!("DROP {}", quote_identifier(name)));
    }
    (!items.is_empty()).then(|| format!("OPTIONS ({})", items.join(", ")))
}

/// The review of creating `what` (a wrapper, server, mapping or foreign table) without the secret
/// options the declared schema gives it, or `None` when it gives none.
pub(super) fn secrets_review(what: &str, options: &ForeignOptions, alter: &str) -> Option<String> {
    if options.secrets.is_empty() {
        return None;
    }
    let names: Vec<&str> = options.secrets.iter().map(String::as_str).collect();
    let example: Vec<String> = options
        .secrets
        .iter()
        .map(|name| format!("ADD {} '...'", quote_identifier(name)))
        .collect();
    Some(format!(
        "{what} is created without its secret options ({}): carafe never writes a secret into a \
         migration; set them on each database with {alter} OPTIONS ({})",
        names.join(", "),
        example.join(", ")
    ))
}

fn wrappers(from: &Schema, to: &Schema, steps: &mut Steps) {
    for (name, wrapper) in &to.foreign_data_wrappers {
        let target = format!("FOREIGN DATA WRAPPER {}", quote_identifier(name));
        let Some(old) = from.foreign_data_wrappers.get(name) else {
            let sql = format!(
                "CREATE {target}{}{}{};",
                function_clause("HANDLER", wrapper.handler.as_deref()),
                function_clause("VALIDATOR", wrapper.validator.as_deref()),
                options_clause(&wrapper.options)
            );
            let review = secrets_review(
                &format!("foreign-data wrapper {name}"),
                &wrapper.options,
                &format!("ALTER {target}"),
            );
            steps.push_change(Phase::CreateForeignData, Change { sql, review });
            comment(steps, &target, None, wrapper.comment.as_deref());
            continue;
        };
        alter_wrapper(steps, &target, old, wrapper);
    }
}

/// ` HANDLER f` or ` NO HANDLER` (`keyword` `VALIDATOR` likewise); empty for none when creating.
fn function_clause(keyword: &str, function: Option<&str>) -> String {
    function.map_or_else(String::new, |function| format!(" {keyword} {function}"))
}

fn alter_wrapper(
    steps: &mut Steps,
    target: &str,
    old: &ForeignDataWrapper,
    new: &ForeignDataWrapper,
) {
    let mut clauses = Vec::new();
    for (keyword, had, wanted) in [
        ("HANDLER", &old.handler, &new.handler),
        ("VALIDATOR", &old.validator, &new.validator),
    ] {
        if had != wanted {
            clauses.push(match wanted {
                Some(function) => format!("{keyword} {function}"),
                None => format!("NO {keyword}"),
            });
        }
    }
    clauses.extend(options_change(&old.options, &new.options));
    alter(
        steps,
        target,
        &clauses,
        old.comment.as_deref(),
        new.comment.as_deref(),
    );
}

/// `ALTER target clauses` when there are any, and the comment when it changes.
fn alter(
    steps: &mut Steps,
    target: &str,
    clauses: &[String],
    had: Option<&str>,
    wanted: Option<&str>,
) {
    if !clauses.is_empty() {
        steps.push(
            Phase::CreateForeignData,
            format!("ALTER {target} {};", clauses.join(" ")),
        );
    }
    comment(steps, target, had, wanted);
}

fn servers(from: &Schema, to: &Schema, steps: &mut Steps) {
    for (name, server) in &to.foreign_servers {
        let target = format!("SERVER {}", quote_identifier(name));
        match from.foreign_servers.get(name) {
            None => create_server(steps, Phase::CreateForeignData, name, server),
            Some(_) if server_replaced(from, to, name) => {
                let sql = format!("DROP SERVER {};", quote_identifier(name));
                let review = format!(
                    "server {name} changes its wrapper or type, which ALTER SERVER cannot do: it is \
                     dropped with its user mappings and foreign tables and created again"
                );
                steps.push_for_review(Phase::ReplaceServer, sql, review);
                create_server(steps, Phase::ReplaceServer, name, server);
            }
            Some(old) => {
                let mut clauses = Vec::new();
                if old.version != server.version {
                    clauses.push(match &server.version {
                        Some(version) => format!("VERSION {}", quote_literal(version)),
                        None => "VERSION NULL".to_owned(),
                    });
                }
                clauses.extend(options_change(&old.options, &server.options));
                alter(
                    steps,
                    &target,
                    &clauses,
                    old.comment.as_deref(),
                    server.comment.as_deref(),
                );
            }
        }
    }
}

fn create_server(steps: &mut Steps, phase: Phase, name: &str, server: &ForeignServer) {
    let target = format!("SERVER {}", quote_identifier(name));
    let server_type = server
        .server_type
        .as_ref()
        .map_or_else(String::new, |server_type| {
            format!(" TYPE {}", quote_literal(server_type))
        });
    let version = server.version.as_ref().map_or_else(String::new, |version| {
        format!(" VERSION {}", quote_literal(version))
    });
    let sql = format!(
        "CREATE {target}{server_type}{version} FOREIGN DATA WRAPPER {}{};",
        quote_identifier(&server.wrapper),
        options_clause(&server.options)
    );
    let review = secrets_review(
        &format!("server {name}"),
        &server.options,
        &format!("ALTER {target}"),
    );
    steps.push_change(phase, Change { sql, review });
    if server.comment.is_some() {
        let sql = format!(
            "COMMENT ON {target} IS {};",
            comment_value(server.comment.as_deref())
        );
        steps.push(phase, sql);
    }
}

/// Drops the mappings gone, and those of a server created again (before it; they come back after).
fn drop_mappings(from: &Schema, to: &Schema, steps: &mut Steps) {
    let replaced = |mapping: &MappingFor| server_replaced(from, to, &mapping.server);
    for (mapping, old) in &from.user_mappings {
        let drop = format!("DROP USER MAPPING FOR {};", mapping_target(mapping));
        let lost = match old.options.secrets.is_empty() {
            true => String::new(),
            false => format!(
                "; the secret options the database gave it ({}) go with it",
                old.options
                    .secrets
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        if replaced(mapping) && to.user_mappings.contains_key(mapping) {
            steps.push_for_review(
                Phase::DropReplacedMapping,
                drop,
                format!(
                    "drops {} with its server, to create both again{lost}",
                    mapping_what(mapping)
                ),
            );
        } else if !to.user_mappings.contains_key(mapping) {
            let phase = match replaced(mapping) {
                true => Phase::DropReplacedMapping,
                false => Phase::DropForeignData,
            };
            steps.push_for_review(
                phase,
                drop,
                format!("drops {}{lost}", mapping_what(mapping)),
            );
        }
    }
}

/// Creates the mappings new (or whose server is created again) and alters the options of the rest.
fn create_mappings(from: &Schema, to: &Schema, steps: &mut Steps) {
    let replaced = |mapping: &MappingFor| server_replaced(from, to, &mapping.server);
    for (mapping, wanted) in &to.user_mappings {
        let old = match replaced(mapping) {
            true => None,
            false => from.user_mappings.get(mapping),
        };
        let target = format!("USER MAPPING FOR {}", mapping_target(mapping));
        match old {
            Some(old) => {
                if let Some(change) = options_change(&old.options, &wanted.options) {
                    steps.push(
                        Phase::CreateForeignData,
                        format!("ALTER {target} {change};"),
                    );
                }
            }
            None => {
                let phase = match replaced(mapping) {
                    true => Phase::ReplaceServer,
                    false => Phase::CreateForeignData,
                };
                let sql = format!("CREATE {target}{};", options_clause(&wanted.options));
                let review = secrets_review(
                    &mapping_what(mapping),
                    &wanted.options,
                    &format!("ALTER {target}"),
                );
                steps.push_change(phase, Change { sql, review });
            }
        }
    }
}

/// `role SERVER server` (or `PUBLIC SERVER server`), as `USER MAPPING FOR` takes it.
fn mapping_target(mapping: &MappingFor) -> String {
    let role = mapping
        .role
        .as_deref()
        .map_or_else(|| "PUBLIC".to_owned(), quote_identifier);
    format!("{role} SERVER {}", quote_identifier(&mapping.server))
}

/// `the user mapping for role on server s`, for reviews.
fn mapping_what(mapping: &MappingFor) -> String {
    format!(
        "the user mapping for {} on server {}",
        mapping.role.as_deref().unwrap_or("PUBLIC"),
        mapping.server
    )
}

/// `COMMENT ON target IS ...` when the comment changes.
fn comment(steps: &mut Steps, target: &str, had: Option<&str>, wanted: Option<&str>) {
    if had != wanted {
        steps.push(
            Phase::Comment,
            format!("COMMENT ON {target} IS {};", comment_value(wanted)),
        );
    }
}
