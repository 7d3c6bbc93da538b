//! `convert`: a source directory's migrations, as the tool's reader under `import/` understood
//! them, to carafe revision files numbered 0001.. in the tool's own order — each written through
//! `carafe_core::RevisionFile`, checked by `carafe_core::load` (the one reader), with the
//! `carafe.sum` `carafe revision` would write for them.

use crate::error::Problems;
use crate::sql::{self, Place, Prepared, SourceMode};
use crate::{ImportError, ImportLine, Report, Tool};
use carafe_core::{
    DownText, Revision, RevisionFile, SUM_FILE_NAME, SectionText, SourceFile, Transaction, ident,
    load,
};

/// One script of a source migration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceScript {
    /// Its path, relative to the imported directory.
    pub path: String,
    /// Its text.
    pub sql: String,
}

/// A migration as the source tool sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMigration {
    /// The version, as the tool records it in its history table.
    pub version: String,
    /// The words of its name (`create users`), for the description and the slug.
    pub name: String,
    /// What it applies.
    pub up: SourceScript,
    /// What undoes it, when the source has a down script.
    pub down: Option<SourceScript>,
    /// How the tool runs the up script.
    pub up_mode: SourceMode,
    /// How the tool runs the down script.
    pub down_mode: SourceMode,
    /// What the reader decided about the files (an unversioned refinery migration, a diesel
    /// setting): printed in the report.
    pub notes: Vec<String>,
}

/// One written revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertedRevision {
    /// Its number.
    pub revision: Revision,
    /// `0001_create_users.sql`.
    pub file_name: String,
    /// The file's text.
    pub text: String,
    /// The source migration's up script, relative to the imported directory.
    pub source: String,
    /// The source version.
    pub version: String,
    /// Every decision taken for it, one sentence each.
    pub decisions: Vec<String>,
}

/// The converted directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// The tool it came from.
    pub tool: Tool,
    /// The revisions, in order.
    pub revisions: Vec<ConvertedRevision>,
    /// `carafe.sum` for them.
    pub sum: String,
    /// Every decision, per file, and the files left out.
    pub report: Report,
}

impl Conversion {
    /// The files to write into the migrations directory: the revisions and `carafe.sum`.
    pub fn files(&self) -> Vec<SourceFile> {
        let mut files: Vec<SourceFile> = self
            .revisions
            .iter()
            .map(|revision| SourceFile::new(revision.file_name.clone(), revision.text.clone()))
            .collect();
        files.push(SourceFile::new(SUM_FILE_NAME, self.sum.clone()));
        files
    }
}

/// Converts the files of a `tool` migrations directory (paths relative to it, `/`-separated),
/// or returns every file that cannot be converted faithfully.
pub fn convert(tool: Tool, files: &[SourceFile]) -> Result<Conversion, ImportError> {
    let read = crate::import::read(tool, files)?;
    if read.migrations.is_empty() {
        return Err(ImportError::one(
            ".",
            format!(
                "no {tool} migration found: check the directory and `--from` (files left out: {})",
                read.ignored.len()
            ),
        ));
    }
    let mut problems = Problems::default();
    let mut revisions = Vec::with_capacity(read.migrations.len());
    for (index, migration) in read.migrations.iter().enumerate() {
        let Ok(number) = u32::try_from(index + 1) else {
            problems.push(&migration.up.path, "too many migrations for one directory");
            break;
        };
        match revision_file(tool, Revision::new(number), migration) {
            Ok(revision) => revisions.push(revision),
            Err((path, reason)) => problems.push(path, reason),
        }
    }
    let revisions = problems.into_result(revisions)?;
    let sources: Vec<SourceFile> = revisions
        .iter()
        .map(|revision| SourceFile::new(revision.file_name.clone(), revision.text.clone()))
        .collect();
    let loaded = load(&sources);
    let mut problems = Problems::default();
    for problem in loaded
        .problems
        .iter()
        .filter(|problem| !problem.kind.is_about_sum())
    {
        let source = revisions
            .iter()
            .find(|revision| revision.file_name == problem.file)
            .map_or(problem.file.as_str(), |revision| revision.source.as_str());
        let line = problem
            .line
            .map(|line| format!(" (line {line} of the converted file)"))
            .unwrap_or_default();
        problems.push(source, format!("{}{line}", problem.kind));
    }
    let sum = loaded.sum_file().render();
    let revisions = problems.into_result(revisions)?;
    let report = Report::new(tool, &revisions, read.ignored);
    Ok(Conversion {
        tool,
        revisions,
        sum,
        report,
    })
}

/// The revision file for one source migration, or the script and the reason it cannot be converted.
fn revision_file(
    tool: Tool,
    revision: Revision,
    migration: &SourceMigration,
) -> Result<ConvertedRevision, (String, String)> {
    let mut decisions = migration.notes.clone();
    let place = |direction| match tool {
        Tool::Dbmate | Tool::Goose => Place::Section(direction),
        _ => Place::File,
    };
    let up = match sql::is_empty(&migration.up.sql) {
        true => {
            decisions.push(
                "up: the script holds no statement: wrote `SELECT;` so the revision has one"
                    .to_owned(),
            );
            Prepared {
                sql: "SELECT;\n".to_owned(),
                transaction: Transaction::Wrapped,
                decisions: Vec::new(),
            }
        }
        false => sql::prepare(tool, &migration.up.sql, migration.up_mode, place("up"))
            .map_err(|reason| (migration.up.path.clone(), reason))?,
    };
    decisions.extend(
        up.decisions
            .iter()
            .map(|decision| format!("up: {decision}")),
    );
    let down_prepared = match &migration.down {
        None => {
            decisions.push("down: none in the source: `-- migrate:down irreversible`".to_owned());
            None
        }
        Some(script) if sql::is_empty(&script.sql) => {
            decisions.push(format!(
                "down: `{}` holds no statement: `-- migrate:down nothing`",
                script.path
            ));
            None
        }
        Some(script) => {
            let prepared = sql::prepare(tool, &script.sql, migration.down_mode, place("down"))
                .map_err(|reason| (script.path.clone(), reason))?;
            decisions.extend(
                prepared
                    .decisions
                    .iter()
                    .map(|decision| format!("down: {decision}")),
            );
            Some(prepared)
        }
    };
    let down = match (&migration.down, &down_prepared) {
        (_, Some(prepared)) => DownText::Sql(SectionText {
            sql: &prepared.sql,
            transaction: prepared.transaction,
        }),
        (None, None) => DownText::Irreversible,
        (Some(_), None) => DownText::Nothing,
    };
    let mut description = String::new();
    if !migration.name.trim().is_empty() {
        description.push_str(migration.name.trim());
        description.push_str("\n\n");
    }
    description.push_str(
        &ImportLine {
            tool: tool.name().to_owned(),
            version: migration.version.clone(),
            path: migration.up.path.clone(),
        }
        .render(),
    );
    if let Some(down) = migration
        .down
        .as_ref()
        .filter(|down| down.path != migration.up.path)
    {
        description.push_str(&format!("\ndown from {}", down.path));
    }
    let text = RevisionFile {
        description: &description,
        up: SectionText {
            sql: &up.sql,
            transaction: up.transaction,
        },
        down,
    }
    .render();
    Ok(ConvertedRevision {
        revision,
        file_name: carafe_core::FileName::render(revision, &ident::slug(&migration.name)),
        text,
        source: migration.up.path.clone(),
        version: migration.version.clone(),
        decisions,
    })
}
