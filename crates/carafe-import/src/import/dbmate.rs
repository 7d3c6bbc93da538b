//! dbmate: `{version}_{name}.sql` in the directory itself, `{version}` the leading digits, kept
//! as text; the file holds a `-- migrate:up` section and an optional `-- migrate:down` section,
//! each marker line may carry `transaction:false`; other options are read past, as dbmate does
//! (dbmate `pkg/dbmate/migration.go`).

use super::{Read, at_top, is_digits, text, words};
use crate::error::Problems;
use crate::sql::{self, SourceMode};
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;

const NO_TRANSACTION: &str = "transaction:false";

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    for file in files {
        let digits_end = file
            .name
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(file.name.len());
        let (version, rest) = file.name.split_at(digits_end);
        if !at_top(&file.name) || !is_digits(version) || !rest.ends_with(".sql") {
            read.ignored.push((
                file.name.clone(),
                "not named `{version}_{name}.sql` in the directory itself".to_owned(),
            ));
            continue;
        }
        let name = rest.trim_end_matches(".sql").trim_start_matches('_');
        let Some(text) = text(file, problems) else {
            continue;
        };
        match sections(&text) {
            Ok(sections) => read.migrations.push(SourceMigration {
                version: version.to_owned(),
                name: words(name),
                up: SourceScript {
                    path: file.name.clone(),
                    sql: sections.up,
                },
                down: sections.down.map(|sql| SourceScript {
                    path: file.name.clone(),
                    sql,
                }),
                up_mode: sections.up_mode,
                down_mode: sections.down_mode,
                notes: sections.notes,
            }),
            Err(reason) => problems.push(&file.name, reason),
        }
    }
}

struct Sections {
    up: String,
    down: Option<String>,
    up_mode: SourceMode,
    down_mode: SourceMode,
    notes: Vec<String>,
}

/// The two sections of a dbmate file.
fn sections(text: &str) -> Result<Sections, String> {
    let mut before = String::new();
    let mut notes = Vec::new();
    let mut up: Option<(String, SourceMode)> = None;
    let mut down: Option<(String, SourceMode)> = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some((direction, options)) = marker(line) {
            let (mode, ignored) = options_mode(options);
            notes.extend(ignored);
            match (direction, &up, &down) {
                ("up", None, None) => up = Some((String::new(), mode)),
                ("down", Some(_), None) => down = Some((String::new(), mode)),
                ("up", _, _) => {
                    return Err(format!(
                        "line {}: a second `-- migrate:up`: dbmate reads one up section per file",
                        index + 1
                    ));
                }
                _ => {
                    return Err(format!(
                        "line {}: `-- migrate:down` must follow the `-- migrate:up` section (and appear once)",
                        index + 1
                    ));
                }
            }
            continue;
        }
        match (&mut up, &mut down) {
            (_, Some((sql, _))) | (Some((sql, _)), None) => sql.push_str(line),
            (None, None) => before.push_str(line),
        }
    }
    let Some((up, up_mode)) = up else {
        return Err(
            "has no `-- migrate:up` line: dbmate refuses such a file too; add one above the SQL"
                .to_owned(),
        );
    };
    if !sql::is_empty(&before) {
        return Err("holds SQL above `-- migrate:up`, which dbmate does not run: move it into a section or delete it".to_owned());
    }
    let (down, down_mode) = match down {
        Some((sql, mode)) => (Some(sql), mode),
        None => (None, SourceMode::Wrapped),
    };
    Ok(Sections {
        up,
        down,
        up_mode,
        down_mode,
        notes,
    })
}

/// As dbmate's `^--\s*migrate:up(\s*$|\s+\S+)`: the word ends at a space or the line's end.
fn marker(line: &str) -> Option<(&'static str, &str)> {
    let rest = line.trim_end().strip_prefix("--")?.trim_start();
    let ends_word = |options: &str| options.is_empty() || options.starts_with(char::is_whitespace);
    if let Some(options) = rest.strip_prefix("migrate:up").filter(|o| ends_word(o)) {
        return Some(("up", options));
    }
    rest.strip_prefix("migrate:down")
        .filter(|o| ends_word(o))
        .map(|options| ("down", options))
}

/// The transaction mode an options string sets, and the options dbmate reads past (it only looks
/// at `transaction`), for the report.
fn options_mode(options: &str) -> (SourceMode, Vec<String>) {
    let mut mode = SourceMode::Wrapped;
    let mut ignored = Vec::new();
    for option in options.split_whitespace() {
        match option {
            NO_TRANSACTION => {
                mode = SourceMode::NoTransaction {
                    flag: NO_TRANSACTION,
                }
            }
            "transaction:true" => mode = SourceMode::Wrapped,
            other => ignored.push(format!(
                "left out the option `{other}`, which dbmate does not read either (it reads `transaction` only)"
            )),
        }
    }
    (mode, ignored)
}
