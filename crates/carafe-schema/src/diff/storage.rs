//! How tables and columns are stored: `UNLOGGED`, storage parameters (`WITH (fillfactor = 70)`),
//! replica identity, and each column's storage, compression, statistics target and options; a
//! foreign table's options and its columns'. A new
//! table is created unlogged and with its parameters; everything else is an `ALTER TABLE` once the
//! columns exist (the replica identity once its index does).

use super::foreign_data;
use super::matching::{ColumnPair, Matching};
use super::sql::{option_list, options_changed};
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Column, ColumnSettings, Name, ReplicaIdentity, Table};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    for (name, table) in &matching.to.tables {
        let pair = matching.table(name);
        if let Some(pair) = pair {
            if pair.from.unlogged != table.unlogged {
                let persistence = match table.unlogged {
                    true => "UNLOGGED",
                    false => "LOGGED",
                };
                steps.push_for_review(
                    Phase::Storage,
                    format!("ALTER TABLE {} SET {persistence};", name.quoted()),
                    format!("rewrites table {name} as {}", persistence.to_lowercase()),
                );
            }
            let (set, reset) = options_changed(&pair.from.options, &table.options);
            let target = format!("ALTER TABLE {}", name.quoted());
            alter_options(steps, &target, &set, &reset);
            if let (Some(had), Some(wanted)) = (&pair.from.foreign, &table.foreign)
                && let Some(change) = foreign_data::options_change(&had.options, &wanted.options)
            {
                steps.push(
                    Phase::Storage,
                    format!("ALTER FOREIGN TABLE {} {change};", name.quoted()),
                );
            }
        }
        // A partition's column too: `SET COMPRESSION` and options do not reach it from its parent.
        for column in &table.columns {
            let had = pair
                .and_then(|pair| pair.kept_to(&column.name))
                .filter(|kept| !kept.replaced)
                .map(settings_after_type_change)
                .unwrap_or_default();
            alter_column(steps, name, column, &had);
        }
        replica_identity(matching, steps, name, table);
    }
}

/// `UNLOGGED ` for a table created unlogged, or nothing.
pub(super) fn persistence(table: &Table) -> &'static str {
    match table.unlogged {
        true => "UNLOGGED ",
        false => "",
    }
}

/// ` WITH (...)` of a new table's storage parameters, or nothing.
pub(super) fn with_options(options: &[String]) -> String {
    match options.is_empty() {
        true => String::new(),
        false => format!(" WITH ({})", option_list(options.iter())),
    }
}

/// `SET (...)` of the options in `set` and `RESET (...)` of those in `reset`, on `target` (`ALTER
/// TABLE "t"`, `ALTER TABLE "t" ALTER COLUMN "c"`, `ALTER VIEW "v"`).
pub(super) fn alter_options(steps: &mut Steps, target: &str, set: &[&String], reset: &[String]) {
    if !set.is_empty() {
        steps.push(
            Phase::Storage,
            format!("{target} SET ({});", option_list(set.iter().copied())),
        );
    }
    if !reset.is_empty() {
        steps.push(
            Phase::Storage,
            format!("{target} RESET ({});", reset.join(", ")),
        );
    }
}

/// The settings a kept column has once its type is changed: `ALTER COLUMN ... TYPE` gives it the
/// new type's storage and the default compression.
fn settings_after_type_change(kept: &ColumnPair) -> ColumnSettings {
    let settings = kept.from.settings.clone();
    match kept.from.data_type == kept.to.data_type {
        true => settings,
        false => ColumnSettings {
            storage: None,
            compression: None,
            ..settings
        },
    }
}

/// `ALTER COLUMN ... SET STORAGE / COMPRESSION / STATISTICS / (options)` taking `column` from the
/// settings it `had`.
fn alter_column(steps: &mut Steps, table: &Name, column: &Column, had: &ColumnSettings) {
    let wanted = &column.settings;
    let target = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table.quoted(),
        quote_identifier(&column.name)
    );
    if had.storage != wanted.storage {
        let storage = match (&wanted.storage, &had.storage) {
            (Some(wanted), _) => Some(&wanted.chosen),
            (None, Some(had)) => Some(&had.type_default),
            (None, None) => None,
        };
        if let Some(storage) = storage {
            steps.push(Phase::Storage, format!("{target} SET STORAGE {storage};"));
        }
    }
    if had.compression != wanted.compression {
        let compression = wanted.compression.as_deref().unwrap_or("default");
        steps.push(
            Phase::Storage,
            format!("{target} SET COMPRESSION {compression};"),
        );
    }
    if had.statistics != wanted.statistics {
        let statistics = wanted.statistics.unwrap_or(-1);
        steps.push(
            Phase::Storage,
            format!("{target} SET STATISTICS {statistics};"),
        );
    }
    let (set, reset) = options_changed(&had.options, &wanted.options);
    alter_options(steps, &target, &set, &reset);
    if let Some(change) =
        foreign_data::options_change(&had.foreign_options, &wanted.foreign_options)
    {
        steps.push(Phase::Storage, format!("{target} {change};"));
    }
}

/// `REPLICA IDENTITY` of `table` when it changes, or when the index it names is created again.
fn replica_identity(matching: &Matching, steps: &mut Steps, name: &Name, table: &Table) {
    let had = matching.table(name).map(|pair| &pair.from.replica_identity);
    let recreated = match &table.replica_identity {
        ReplicaIdentity::Index(index) => match table.indexes.contains_key(index) {
            true => matching.index_created(name, index),
            false => matching.constraint_added(name, index),
        },
        _ => false,
    };
    if had.unwrap_or(&ReplicaIdentity::Default) == &table.replica_identity && !recreated {
        return;
    }
    let identity = match &table.replica_identity {
        ReplicaIdentity::Default => "DEFAULT".to_owned(),
        ReplicaIdentity::Nothing => "NOTHING".to_owned(),
        ReplicaIdentity::Full => "FULL".to_owned(),
        ReplicaIdentity::Index(index) => format!("USING INDEX {}", quote_identifier(index)),
    };
    steps.push(
        Phase::ReplicaIdentity,
        format!("ALTER TABLE {} REPLICA IDENTITY {identity};", name.quoted()),
    );
}
