//! goose: `{version}_{name}.sql` in the directory itself, `{version}` the `i64` (above 0) before
//! the first `_`; annotations on `--` lines: `+goose Up` and `+goose Down` open the sections,
//! `+goose StatementBegin`/`StatementEnd` bracket a statement with semicolons inside (carafe's
//! splitter finds its end itself, so they are removed), `+goose NO TRANSACTION` runs both sections
//! outside a transaction, `+goose ENVSUBST ON` substitutes environment variables (refused: the
//! SQL would depend on the environment); `.go` migrations are code and refused (goose
//! `internal/sqlparser/parser.go`).

use super::{Read, at_top, is_digits, text, words};
use crate::error::Problems;
use crate::sql::{self, SourceMode};
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;

const NO_TRANSACTION: &str = "-- +goose NO TRANSACTION";

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    for file in files {
        let parsed = at_top(&file.name)
            .then(|| file.name.split_once('_'))
            .flatten()
            .filter(|(version, _)| is_digits(version));
        let Some((version, rest)) = parsed else {
            read.ignored.push((
                file.name.clone(),
                "not named `{version}_{name}.sql` in the directory itself".to_owned(),
            ));
            continue;
        };
        if rest.ends_with(".go") {
            problems.push(&file.name, "is a Go migration, which carafe cannot convert: write its SQL as a `.sql` migration in the source first");
            continue;
        }
        let Some(name) = rest.strip_suffix(".sql") else {
            read.ignored
                .push((file.name.clone(), "not a `.sql` migration".to_owned()));
            continue;
        };
        let version = match version.parse::<i64>() {
            Ok(version) if version > 0 => version,
            _ => {
                problems.push(
                    &file.name,
                    format!("`{version}` is not a goose version (a whole number above 0, read as an i64): goose itself refuses this file; rename it"),
                );
                continue;
            }
        };
        let Some(text) = text(file, problems) else {
            continue;
        };
        match sections(&text) {
            Ok(parsed) => {
                let mode = match parsed.no_transaction {
                    true => SourceMode::NoTransaction {
                        flag: NO_TRANSACTION,
                    },
                    false => SourceMode::Wrapped,
                };
                let mut notes = Vec::new();
                if parsed.statement_blocks > 0 {
                    notes.push(format!("removed {} `StatementBegin`/`StatementEnd` pair(s): carafe finds where each statement ends itself", parsed.statement_blocks));
                }
                read.migrations.push(SourceMigration {
                    version: version.to_string(),
                    name: words(name),
                    up: SourceScript {
                        path: file.name.clone(),
                        sql: parsed.up,
                    },
                    down: parsed.down.map(|sql| SourceScript {
                        path: file.name.clone(),
                        sql,
                    }),
                    up_mode: mode,
                    down_mode: mode,
                    notes,
                });
            }
            Err(reason) => problems.push(&file.name, reason),
        }
    }
}

struct Parsed {
    up: String,
    down: Option<String>,
    no_transaction: bool,
    statement_blocks: usize,
}

#[derive(PartialEq)]
enum Part {
    Start,
    Up,
    Down,
}

fn sections(text: &str) -> Result<Parsed, String> {
    let mut parsed = Parsed {
        up: String::new(),
        down: None,
        no_transaction: false,
        statement_blocks: 0,
    };
    let mut part = Part::Start;
    let mut before = String::new();
    let mut open_block: Option<usize> = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let annotation = line.strip_prefix("--").map(str::trim);
        match annotation {
            Some("+goose Up") => {
                if part != Part::Start {
                    return Err(format!(
                        "line {number}: a second `-- +goose Up`: goose refuses it too"
                    ));
                }
                part = Part::Up;
                continue;
            }
            Some("+goose Down") => {
                if part != Part::Up || open_block.is_some() {
                    return Err(format!(
                        "line {number}: `-- +goose Down` must follow the up section, outside a StatementBegin block"
                    ));
                }
                part = Part::Down;
                parsed.down = Some(String::new());
                continue;
            }
            Some("+goose StatementBegin") => {
                if part == Part::Start || open_block.is_some() {
                    return Err(format!(
                        "line {number}: `-- +goose StatementBegin` outside a section or inside another block"
                    ));
                }
                open_block = Some(number);
                continue;
            }
            Some("+goose StatementEnd") => {
                if open_block.take().is_none() {
                    return Err(format!(
                        "line {number}: `-- +goose StatementEnd` without `StatementBegin`"
                    ));
                }
                parsed.statement_blocks += 1;
                continue;
            }
            Some("+goose NO TRANSACTION") => {
                parsed.no_transaction = true;
                continue;
            }
            Some("+goose ENVSUBST ON") => {
                return Err(format!(
                    "line {number}: `-- +goose ENVSUBST ON` fills `${{VAR}}` placeholders from the environment at run time, which a carafe revision cannot: write the values into the SQL, then import"
                ));
            }
            Some("+goose ENVSUBST OFF") => continue,
            _ => {}
        }
        match part {
            Part::Start => before.push_str(line),
            Part::Up => parsed.up.push_str(line),
            Part::Down => {
                if let Some(down) = parsed.down.as_mut() {
                    down.push_str(line);
                }
            }
        }
    }
    if let Some(line) = open_block {
        return Err(format!(
            "line {line}: `-- +goose StatementBegin` is never closed by `StatementEnd`"
        ));
    }
    if part == Part::Start {
        return Err("has no `-- +goose Up` line: goose refuses such a file too".to_owned());
    }
    if !sql::is_empty(&before) {
        return Err(
            "holds SQL above `-- +goose Up`, which goose refuses: move it into a section"
                .to_owned(),
        );
    }
    Ok(parsed)
}
