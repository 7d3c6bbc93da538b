//! `Tool`: the migration tools carafe imports from and adopts histories of, their names as on the
//! command line, how each compares its versions, and the `imported from` line that ties a carafe
//! revision to the version it came from.

use std::cmp::Ordering;
use std::fmt;

/// Another migration tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// Alembic (Python): adopt only, its migrations are Python code.
    Alembic,
    /// sqlx (`sqlx migrate`).
    Sqlx,
    /// diesel (`diesel migration`).
    Diesel,
    /// refinery.
    Refinery,
    /// golang-migrate (`migrate`).
    GolangMigrate,
    /// dbmate.
    Dbmate,
    /// goose.
    Goose,
    /// Flyway.
    Flyway,
}

impl Tool {
    /// Every tool, in the order the help lists them.
    pub const ALL: [Tool; 8] = [
        Tool::Alembic,
        Tool::Sqlx,
        Tool::Diesel,
        Tool::Refinery,
        Tool::GolangMigrate,
        Tool::Dbmate,
        Tool::Goose,
        Tool::Flyway,
    ];

    /// The name as written on the command line and in the `imported from` line.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Alembic => "alembic",
            Tool::Sqlx => "sqlx",
            Tool::Diesel => "diesel",
            Tool::Refinery => "refinery",
            Tool::GolangMigrate => "golang-migrate",
            Tool::Dbmate => "dbmate",
            Tool::Goose => "goose",
            Tool::Flyway => "flyway",
        }
    }

    /// The tool named `name` (as [`Tool::name`] spells it).
    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|tool| tool.name() == name)
    }

    /// The history table the tool creates by default.
    pub fn default_table(self) -> &'static str {
        match self {
            Tool::Alembic => "alembic_version",
            Tool::Sqlx => "_sqlx_migrations",
            Tool::Diesel => "__diesel_schema_migrations",
            Tool::Refinery => "refinery_schema_history",
            Tool::GolangMigrate | Tool::Dbmate => "schema_migrations",
            Tool::Goose => "goose_db_version",
            Tool::Flyway => "flyway_schema_history",
        }
    }

    /// Orders two versions as the tool does: numbers numerically (sqlx, refinery, golang-migrate,
    /// goose: integers; diesel and dbmate: the digits of the name), Flyway part by part (`1.2` <
    /// `1.10`, and `1.0` equals `1`).
    pub fn compare_versions(self, a: &str, b: &str) -> Ordering {
        match (version_parts(a), version_parts(b)) {
            (Some(a_parts), Some(b_parts)) => {
                let trim = |parts: &[u128]| -> usize {
                    parts
                        .iter()
                        .rposition(|part| *part != 0)
                        .map_or(0, |last| last + 1)
                };
                let (a_parts, b_parts) = match self {
                    Tool::Flyway => (&a_parts[..trim(&a_parts)], &b_parts[..trim(&b_parts)]),
                    _ => (&a_parts[..], &b_parts[..]),
                };
                a_parts.cmp(b_parts)
            }
            _ => a.cmp(b),
        }
    }

    /// Whether the tool would record `a` and `b` as the same version.
    pub fn same_version(self, a: &str, b: &str) -> bool {
        self.version_key(a) == self.version_key(b)
    }

    /// One spelling per version, to look versions up by: the text itself where the tool keeps
    /// versions as text (diesel, dbmate, alembic: `001` is not `1`), the number without leading
    /// zeros where it keeps a number, and for Flyway the parts without trailing zero parts
    /// (`1.0` is `1`).
    pub fn version_key(self, version: &str) -> String {
        let parts = match self {
            Tool::Diesel | Tool::Dbmate | Tool::Alembic => None,
            _ => version_parts(version),
        };
        let Some(mut parts) = parts else {
            return version.to_owned();
        };
        if self == Tool::Flyway {
            while parts.len() > 1 && parts.last() == Some(&0) {
                parts.pop();
            }
        }
        parts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `1.2.10` as `[1, 2, 10]`; `None` when a part is not a number.
fn version_parts(version: &str) -> Option<Vec<u128>> {
    version
        .split('.')
        .map(
            |part| match part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                true => None,
                false => part.parse::<u128>().ok(),
            },
        )
        .collect()
}

/// What the `imported from <tool> version <V>: <path>` line of a description says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportLine {
    /// The tool's name as written (see [`Tool::from_name`]).
    pub tool: String,
    /// The version as the tool records it in its history table.
    pub version: String,
    /// The source file's path, relative to the directory that was imported.
    pub path: String,
}

impl ImportLine {
    /// The line, as every converted file's description carries it.
    pub fn render(&self) -> String {
        format!(
            "imported from {} version {}: {}",
            self.tool, self.version, self.path
        )
    }
}

/// The `imported from` line of a revision's description, if it has one.
pub fn imported_from(description: &str) -> Option<ImportLine> {
    description.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("imported from ")?;
        let (tool, rest) = rest.split_once(" version ")?;
        let (version, path) = rest.split_once(": ")?;
        (!tool.is_empty() && !version.is_empty() && !tool.contains(' ')).then(|| ImportLine {
            tool: tool.to_owned(),
            version: version.to_owned(),
            path: path.to_owned(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flyway_compares_versions_part_by_part() {
        assert_eq!(Tool::Flyway.compare_versions("1.2", "1.10"), Ordering::Less);
        assert!(Tool::Flyway.same_version("1.0", "1"));
        assert!(Tool::Flyway.same_version("1.01", "1.1"));
        assert_eq!(Tool::Sqlx.compare_versions("9", "10"), Ordering::Less);
        assert!(!Tool::Dbmate.same_version("001", "1"));
    }

    #[test]
    fn the_import_line_reads_back() {
        let line = ImportLine {
            tool: "golang-migrate".to_owned(),
            version: "3".to_owned(),
            path: "000003_add_index.up.sql".to_owned(),
        };
        let description = format!("add index\n\n{}", line.render());
        assert_eq!(imported_from(&description), Some(line));
        assert_eq!(imported_from("add index"), None);
    }
}
