//! diesel: one directory per migration, `<VERSION>_<NAME>/` (`2024-01-31-120000_create_users/`,
//! `00000000000000_diesel_initial_setup/`), holding `up.sql`, an optional `down.sql` and an
//! optional `metadata.toml` whose `run_in_transaction = false` runs both outside a transaction;
//! the version is the digits of the part before the first `_` (diesel_migrations
//! `file_based_migrations.rs`).

use super::{Read, is_digits, text, words};
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
}

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    let mut directories: BTreeMap<String, Directory> = BTreeMap::new();
    for file in files {
        let parts: Vec<&str> = file.name.split('/').collect();
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
                match run_in_transaction(&toml) {
                    Ok(setting) => entry.in_transaction = setting,
                    Err(reason) => problems.push(&file.name, reason),
                }
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
        let version: String = prefix.chars().filter(char::is_ascii_digit).collect();
        if !is_digits(&version) {
            read.ignored.push((
                format!("{directory}/"),
                "its name has no version digits before `_`".to_owned(),
            ));
            continue;
        }
        let Some(up) = entry.up else {
            problems.push(format!("{directory}/"), "has no `up.sql`: diesel refuses a migration without one; add it or delete the directory");
            continue;
        };
        let mut notes = Vec::new();
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

/// The `run_in_transaction` setting of a `metadata.toml`; `Err` for anything else in it.
fn run_in_transaction(toml: &str) -> Result<Option<bool>, String> {
    let mut setting = None;
    for (index, line) in toml.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let value = line
            .split_once('=')
            .filter(|(key, _)| key.trim() == "run_in_transaction")
            .map(|(_, value)| value.trim());
        match value {
            Some("true") => setting = Some(true),
            Some("false") => setting = Some(false),
            _ => {
                return Err(format!(
                    "line {}: `{line}` is not a setting carafe can carry (only `run_in_transaction = true|false`): remove it or convert this migration by hand",
                    index + 1
                ));
            }
        }
    }
    Ok(setting)
}
