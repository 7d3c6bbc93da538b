//! Flyway: `V{version}__{description}.sql` anywhere under the directory, `{version}` parts
//! separated by `.` or `_` (`V1_2__x.sql` is version 1.2) compared numerically part by part;
//! `U{version}__` undo scripts are the down of that version; a script configuration file
//! `V1__x.sql.conf` with `executeInTransaction=false` runs it outside a transaction. Refused:
//! `R__` repeatable migrations (rerun whenever they change), Java migrations (`.java`, `.class`)
//! and `${placeholder}`s, which Flyway fills in at run time (Flyway documentation: "Migrations",
//! "Script Configuration", "Placeholders").

use super::{Read, file_name, text, words};
use crate::error::Problems;
use crate::sql::SourceMode;
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;
use std::collections::BTreeMap;

const NO_TRANSACTION: &str = "executeInTransaction=false";

struct Script {
    version: String,
    description: String,
    script: SourceScript,
}

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    let mut configs: BTreeMap<String, bool> = BTreeMap::new();
    for file in files.iter().filter(|file| file.name.ends_with(".sql.conf")) {
        let Some(text) = text(file, problems) else {
            continue;
        };
        match execute_in_transaction(&text) {
            Ok(setting) => {
                configs.insert(file.name.trim_end_matches(".conf").to_owned(), setting);
            }
            Err(reason) => problems.push(&file.name, reason),
        }
    }
    let mut versioned: Vec<Script> = Vec::new();
    let mut undo: Vec<Script> = Vec::new();
    for file in files
        .iter()
        .filter(|file| !file.name.ends_with(".sql.conf"))
    {
        let name = file_name(&file.name);
        let looks_like_migration = name.starts_with(['V', 'U', 'R', 'B']) && name.contains("__");
        if looks_like_migration && (name.ends_with(".java") || name.ends_with(".class")) {
            problems.push(&file.name, "is a Java migration, which carafe cannot convert: write its SQL as a `.sql` migration in the source first");
            continue;
        }
        let Some(stem) = name.strip_suffix(".sql").filter(|_| looks_like_migration) else {
            read.ignored.push((
                file.name.clone(),
                "not a Flyway SQL migration (`V{version}__{description}.sql`)".to_owned(),
            ));
            continue;
        };
        let (prefix, rest) = stem.split_at(1);
        let Some((version, description)) = rest.split_once("__") else {
            continue;
        };
        match prefix {
            "R" => {
                problems.push(&file.name, "is a repeatable migration, which Flyway reruns whenever it changes: carafe has none; make it a versioned migration (`V{next}__...`) in the source, or keep it out of the directory");
                continue;
            }
            "B" => {
                problems.push(&file.name, "is a baseline migration: carafe imports the versioned migrations; remove it from the directory (its versions stay in `V` files)");
                continue;
            }
            _ => {}
        }
        let parts: Vec<&str> = version.split(['.', '_']).collect();
        if parts.iter().any(|part| !super::is_digits(part)) {
            problems.push(&file.name, format!("`{version}` is not a Flyway version (numbers separated by `.` or `_`): rename it"));
            continue;
        }
        let Some(sql) = text(file, problems) else {
            continue;
        };
        if let Some(line) = placeholder_line(&sql) {
            problems.push(&file.name, format!("line {line}: Flyway replaces `${{...}}` placeholders at run time, which a carafe revision cannot: write the value into the SQL (or escape it in the source), then import"));
            continue;
        }
        let script = Script {
            version: parts.join("."),
            description: words(description),
            script: SourceScript {
                path: file.name.clone(),
                sql,
            },
        };
        match prefix {
            "V" => versioned.push(script),
            _ => undo.push(script),
        }
    }
    let mode = |path: &str| match configs.get(path) {
        Some(false) => SourceMode::NoTransaction {
            flag: NO_TRANSACTION,
        },
        _ => SourceMode::Wrapped,
    };
    let key = |version: &str| crate::Tool::Flyway.version_key(version);
    let versions: std::collections::HashSet<String> = versioned
        .iter()
        .map(|script| key(&script.version))
        .collect();
    let mut undo_by_version: BTreeMap<String, Script> = BTreeMap::new();
    for script in undo {
        if !versions.contains(&key(&script.version)) {
            problems.push(&script.script.path, format!("undoes version {}, which no `V` script has: delete it or add the versioned script", script.version));
            continue;
        }
        if let Some(other) = undo_by_version.get(&key(&script.version)) {
            problems.push(
                &script.script.path,
                format!(
                    "undoes version {} like `{}`: keep one undo script per version",
                    script.version, other.script.path
                ),
            );
            continue;
        }
        undo_by_version.insert(key(&script.version), script);
    }
    for script in versioned {
        let down = undo_by_version.remove(&key(&script.version));
        let mut notes = Vec::new();
        if configs.get(&script.script.path) == Some(&true) {
            notes.push("`executeInTransaction=true` is Flyway's default".to_owned());
        }
        let up_mode = mode(&script.script.path);
        let down_mode = down
            .as_ref()
            .map_or(SourceMode::Wrapped, |down| mode(&down.script.path));
        read.migrations.push(SourceMigration {
            version: script.version,
            name: script.description,
            up: script.script,
            down: down.map(|down| down.script),
            up_mode,
            down_mode,
            notes,
        });
    }
}

/// The `executeInTransaction` setting of a script configuration file; `Err` for another setting.
fn execute_in_transaction(text: &str) -> Result<bool, String> {
    let mut setting = true;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .map_or((line, ""), |(key, value)| (key.trim(), value.trim()));
        match (key, value) {
            ("executeInTransaction", "false") => setting = false,
            ("executeInTransaction", "true") => setting = true,
            ("encoding", encoding) if encoding.eq_ignore_ascii_case("UTF-8") => {}
            _ => {
                return Err(format!(
                    "line {}: `{line}` is not a setting carafe can carry (only `executeInTransaction` and `encoding=UTF-8`): remove it or convert this script by hand",
                    index + 1
                ));
            }
        }
    }
    Ok(setting)
}

/// The line of the first `${` in the script (Flyway replaces placeholders anywhere in the text).
fn placeholder_line(sql: &str) -> Option<usize> {
    sql.lines()
        .position(|line| line.contains("${"))
        .map(|index| index + 1)
}
