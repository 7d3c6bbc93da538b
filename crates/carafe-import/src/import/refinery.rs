//! refinery: `V{n}__{name}.sql` (versioned) and `U{n}__{name}.sql` (unversioned: applied even
//! when a later version already was) anywhere under the directory, `{n}` an `i32`, `{name}` word
//! characters; a comment line `-- refinery:noTransaction` runs the file outside a transaction;
//! `.rs` migrations are code and refused; refinery has no down scripts (refinery_core `util.rs`,
//! `migration.rs`).

use super::{Read, file_name, text, words};
use crate::error::Problems;
use crate::sql::SourceMode;
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;

const NO_TRANSACTION: &str = "refinery:noTransaction";

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    for file in files {
        let Some((prefix, version, name, extension)) = parse_name(file_name(&file.name)) else {
            read.ignored.push((
                file.name.clone(),
                "not named `V{n}__{name}.sql` or `U{n}__{name}.sql`".to_owned(),
            ));
            continue;
        };
        if extension == "rs" {
            problems.push(&file.name, "is a Rust migration, which carafe cannot convert: write its SQL as a `.sql` migration in the source first");
            continue;
        }
        let Ok(version) = version.parse::<i32>() else {
            problems.push(&file.name, format!("`{version}` is not a refinery version (an i32): refinery itself refuses this file; rename it"));
            continue;
        };
        let Some(sql) = text(file, problems) else {
            continue;
        };
        let mut notes = Vec::new();
        if prefix == 'U' {
            notes.push("unversioned (`U`): refinery applies it even after later versions; carafe places it by its number".to_owned());
        }
        let up_mode = match sql.lines().any(is_no_transaction_annotation) {
            true => SourceMode::NoTransaction {
                flag: NO_TRANSACTION,
            },
            false => SourceMode::Wrapped,
        };
        read.migrations.push(SourceMigration {
            version: version.to_string(),
            name: words(name),
            up: SourceScript {
                path: file.name.clone(),
                sql,
            },
            down: None,
            up_mode,
            down_mode: SourceMode::Wrapped,
            notes,
        });
    }
}

/// `V12__add_cars.sql` as `('V', "12", "add_cars", "sql")`.
fn parse_name(name: &str) -> Option<(char, &str, &str, &str)> {
    let prefix = name.chars().next().filter(|c| matches!(c, 'U' | 'V'))?;
    let (stem, extension) = name[1..].rsplit_once('.')?;
    if !matches!(extension, "sql" | "rs") {
        return None;
    }
    let (version, name) = stem.split_once("__")?;
    let numeric = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let version_ok = match version.split_once('.') {
        Some((whole, fraction)) => numeric(whole) && numeric(fraction),
        None => numeric(version),
    };
    let name_ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (version_ok && name_ok).then_some((prefix, version, name, extension))
}

/// `-- refinery:noTransaction` (two or more dashes, at most one space).
fn is_no_transaction_annotation(line: &str) -> bool {
    let line = line.trim_end();
    let rest = line.trim_start_matches('-');
    if line.len() - rest.len() < 2 {
        return false;
    }
    let rest = rest.strip_prefix([' ', '\t']).unwrap_or(rest);
    rest == NO_TRANSACTION
}
