//! diesel: one directory per migration, `<VERSION>_<NAME>/` (`2024-01-31-120000_create_users/`,
//! `00000000000000_diesel_initial_setup/`), holding `up.sql`, an optional `down.sql` and an
//! optional `metadata.toml`; the version is the part before the first `_` without its `-`
//! (`migrations_internals::version_from_string`), dot-directories and dot-files are skipped. In
//! `metadata.toml`, `run_in_transaction = false` runs both scripts outside a transaction; diesel
//! reads a file without the key as `false` (`#[serde(default)]`) and one it cannot parse as the
//! default, `true`; other keys are extra fields it does not act on (diesel_migrations
//! `file_based_migrations.rs`, `migrations_internals/src/lib.rs`).

use super::{Read, text, words};
use crate::error::Problems;
use crate::sql::SourceMode;
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;
use std::collections::BTreeMap;

const NO_TRANSACTION: &str = "run_in_transaction = false";

#[derive(Default)]
struct Directory {
    up: Option<SourceScript>,
    down: Option<SourceScript>,
    in_transaction: Option<bool>,
    notes: Vec<String>,
}

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    let mut directories: BTreeMap<String, Directory> = BTreeMap::new();
    for file in files {
        let parts: Vec<&str> = file.name.split('/').collect();
        if parts.iter().any(|part| part.starts_with('.')) {
            read.ignored.push((
                file.name.clone(),
                "diesel skips dot-files and dot-directories".to_owned(),
            ));
            continue;
        }
        let [directory, inner] = parts.as_slice() else {
            read.ignored.push((
                file.name.clone(),
                "diesel reads `<VERSION>_<NAME>/up.sql`, `down.sql` and `metadata.toml` only"
                    .to_owned(),
            ));
            continue;
        };
        let entry = directories.entry((*directory).to_owned()).or_default();
        match *inner {
            "up.sql" | "down.sql" => {
                let Some(sql) = text(file, problems) else {
                    continue;
                };
                let script = Some(SourceScript {
                    path: file.name.clone(),
                    sql,
                });
                match *inner == "up.sql" {
                    true => entry.up = script,
                    false => entry.down = script,
                }
            }
            "metadata.toml" => {
                let Some(toml) = text(file, problems) else {
                    continue;
                };
                let (setting, notes) = run_in_transaction(&toml);
                entry.in_transaction = Some(setting);
                entry.notes.extend(notes);
            }
            _ => read.ignored.push((
                file.name.clone(),
                "not a file diesel reads in a migration directory".to_owned(),
            )),
        }
    }
    for (directory, entry) in directories {
        let Some((prefix, name)) = directory.split_once('_') else {
            read.ignored.push((
                format!("{directory}/"),
                "not named `<VERSION>_<NAME>`".to_owned(),
            ));
            continue;
        };
        let version = prefix.replace('-', "");
        let Some(up) = entry.up else {
            problems.push(format!("{directory}/"), "has no `up.sql`: diesel refuses a migration without one; add it or delete the directory");
            continue;
        };
        let mut notes = entry.notes;
        let mode = match entry.in_transaction {
            Some(false) => SourceMode::NoTransaction {
                flag: NO_TRANSACTION,
            },
            Some(true) => {
                notes.push(
                    "metadata.toml: `run_in_transaction = true` is diesel's default".to_owned(),
                );
                SourceMode::Wrapped
            }
            None => SourceMode::Wrapped,
        };
        read.migrations.push(SourceMigration {
            version,
            name: words(name),
            up,
            down: entry.down,
            up_mode: mode,
            down_mode: mode,
            notes,
        });
    }
}

/// The `run_in_transaction` diesel reads from a `metadata.toml`, and what the report should say
/// about the rest of the file.
fn run_in_transaction(toml: &str) -> (bool, Vec<String>) {
    let mut setting = None;
    let mut extra = Vec::new();
    let mut in_table = false;
    for line in toml.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            in_table = true;
            extra.push(line.to_owned());
            continue;
        }
        let pair = line
            .split_once('=')
            .map(|(key, value)| (key.trim(), value.trim()));
        match (in_table, pair) {
            (false, Some(("run_in_transaction", "true"))) => setting = Some(true),
            (false, Some(("run_in_transaction", "false"))) => setting = Some(false),
            (false, Some(("run_in_transaction", value))) => {
                return (
                    true,
                    vec![format!(
                        "metadata.toml: diesel cannot read `run_in_transaction = {value}` and falls back to its default, a transaction"
                    )],
                );
            }
            (_, Some((key, _))) => extra.push(format!("`{key}`")),
            (_, None) => extra.push(format!("`{line}`")),
        }
    }
    let mut notes = Vec::new();
    if !extra.is_empty() {
        notes.push(format!(
            "metadata.toml: left out {}, which diesel keeps as extra fields and does not act on",
            extra.join(", ")
        ));
    }
    match setting {
        Some(setting) => (setting, notes),
        None => {
            notes.push("metadata.toml has no `run_in_transaction`, which diesel reads as `false`: runs outside a transaction".to_owned());
            (false, notes)
        }
    }
}
