//! The source tools' layouts: one file per tool reads its directory into [`SourceMigration`]s
//! (version, name, up and down scripts, how the tool runs them); this module orders them by the
//! tool's own version rules and refuses two files of one version.

mod dbmate;
mod diesel;
mod flyway;
mod golang_migrate;
mod goose;
mod refinery;
mod sqlx;

use crate::error::Problems;
use crate::{ImportError, SourceMigration, Tool};
use carafe_core::SourceFile;

/// What a tool's reader found.
#[derive(Debug, Default)]
pub(crate) struct Read {
    /// The migrations, in the tool's order.
    pub(crate) migrations: Vec<SourceMigration>,
    /// Files that are not the tool's migrations, with the reason, for the report.
    pub(crate) ignored: Vec<(String, String)>,
}

/// Reads `files` as `tool` lays them out, in the tool's order.
pub(crate) fn read(tool: Tool, files: &[SourceFile]) -> Result<Read, ImportError> {
    let mut problems = Problems::default();
    let mut read = Read::default();
    let reader = match tool {
        Tool::Alembic => {
            return Err(ImportError::one(
                ".",
                "alembic migrations are Python code, which carafe cannot convert: write the schema as carafe revisions, then `carafe adopt --from alembic --at NNNN` maps the alembic head to one",
            ));
        }
        Tool::Sqlx => sqlx::read,
        Tool::Diesel => diesel::read,
        Tool::Refinery => refinery::read,
        Tool::GolangMigrate => golang_migrate::read,
        Tool::Dbmate => dbmate::read,
        Tool::Goose => goose::read,
        Tool::Flyway => flyway::read,
    };
    reader(files, &mut problems, &mut read);
    read.migrations.sort_by(|a, b| {
        tool.compare_versions(&a.version, &b.version)
            .then_with(|| a.up.path.cmp(&b.up.path))
    });
    for pair in read.migrations.windows(2) {
        if tool.same_version(&pair[0].version, &pair[1].version) {
            problems.push(
                &pair[1].up.path,
                format!(
                    "has version {} like `{}`: {tool} refuses two migrations of one version; renumber one of them in the source first",
                    pair[1].version, pair[0].up.path
                ),
            );
        }
    }
    read.ignored.sort();
    problems.into_result(read)
}

/// The file's text, or a problem when it is not UTF-8.
pub(super) fn text(file: &SourceFile, problems: &mut Problems) -> Option<String> {
    match String::from_utf8(file.bytes.clone()) {
        Ok(text) => Some(text),
        Err(_) => {
            problems.push(
                &file.name,
                "is not valid UTF-8: save it as UTF-8 and import again",
            );
            None
        }
    }
}

/// The last component of a `/`-separated path.
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Whether the path is directly in the imported directory (not in a subdirectory).
pub(super) fn at_top(path: &str) -> bool {
    !path.contains('/')
}

/// `create_users_table` as `create users table`.
pub(super) fn words(name: &str) -> String {
    name.replace(['_', '-'], " ").trim().to_owned()
}

/// Whether `text` is a non-empty run of ASCII digits.
pub(super) fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}
