//! `carafe import --from TOOL DIR`: another tool's migrations into the migrations directory. The
//! conversion is `carafe_import::convert` (pure); this reads the source tree, writes the files into
//! a staging directory beside the target, records `carafe.sum` as `carafe revision` does, checks
//! the result loads with no problem, and only then moves it into place, so nothing is half-written.

use crate::context::Context;
use crate::{Exit, Failure};
use carafe_core::SourceFile;
use carafe_import::Tool;
use std::path::{Path, PathBuf};

/// The report's file name, written beside the migrations directory.
pub(crate) const REPORT_FILE_NAME: &str = "carafe-import-report.txt";

/// How deep a source tree is read (Flyway and refinery look in subdirectories).
const MAX_DEPTH: usize = 8;

pub(crate) fn run(context: &Context<'_>, tool: Tool, source: &Path) -> Result<(), Failure> {
    let target = target_dir(context)?;
    if !source.is_dir() {
        return Err(Failure::new(
            Exit::Environment,
            format_args!(
                "`{}` is not a directory: pass the {tool} migrations directory",
                source.display()
            ),
        ));
    }
    if same_dir(source, &target) {
        return Err(Failure::new(
            Exit::Usage,
            format_args!(
                "`{}` is both the {tool} directory and carafe's migrations directory: move the {tool} migrations aside first (`git mv {} {tool}-migrations`), then import from there",
                source.display(),
                source.display()
            ),
        ));
    }
    refuse_existing_revisions(&target)?;
    let mut files = Vec::new();
    read_tree(source, "", 0, &mut files)?;
    let conversion = carafe_import::convert(tool, &files).map_err(|error| {
        let lines: Vec<String> = error
            .problems
            .iter()
            .map(|problem| {
                let path = match problem.path.as_str() {
                    "." => source.to_owned(),
                    relative => source.join(relative),
                };
                format!("`{}`: {}", path.display(), problem.reason)
            })
            .collect();
        Failure::new(Exit::BadMigrations, lines.join("\nerror: "))
    })?;
    let staging = Staging::create(&target)?;
    for file in conversion
        .files()
        .iter()
        .filter(|file| file.name != carafe_core::SUM_FILE_NAME)
    {
        write(&staging.path.join(&file.name), &file.bytes)?;
    }
    super::write_sum(&staging.path, &super::read_dir(&staging.path)?)?;
    let loaded = super::read_dir(&staging.path)?;
    if !loaded.problems.is_empty() {
        let lines: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
        return Err(Failure::new(
            Exit::BadMigrations,
            format_args!(
                "the converted files do not load (a bug in carafe import; nothing was written): {}",
                lines.join("; ")
            ),
        ));
    }
    staging.move_into(&target)?;
    let report = conversion.report.render();
    let report_path = parent_of(&target).join(REPORT_FILE_NAME);
    write(&report_path, report.as_bytes())?;
    say_raw!("{report}");
    say!(
        "wrote {} revision(s) and `{}` to `{}`; the report is in `{}`",
        conversion.revisions.len(),
        carafe_core::SUM_FILE_NAME,
        target.display(),
        report_path.display()
    );
    Ok(())
}

/// Where the revisions go: `--dir`, else the nearest `migrations/` above the current directory,
/// else `migrations/` in it (created).
fn target_dir(context: &Context<'_>) -> Result<PathBuf, Failure> {
    if let Some(dir) = &context.global.dir {
        return Ok(dir.clone());
    }
    if let Ok(dir) = context.dir() {
        return Ok(dir);
    }
    let current = std::env::current_dir().map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read the current directory: {error}"),
        )
    })?;
    Ok(current.join("migrations"))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Refuses a target that already holds revisions, near misses or `carafe.sum`.
fn refuse_existing_revisions(target: &Path) -> Result<(), Failure> {
    if !target.exists() {
        return Ok(());
    }
    let sources = carafe_core::read_sources(target).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read `{}`: {error}", target.display()),
        )
    })?;
    match sources.first() {
        None => Ok(()),
        Some(file) => Err(Failure::new(
            Exit::BadMigrations,
            format_args!(
                "`{}` already holds migration files (`{}`): import into a new or empty migrations directory (`--dir`), or move these files away first",
                target.display(),
                file.name
            ),
        )),
    }
}

/// Every file under `dir`, with its path relative to the source root (`/`-separated).
fn read_tree(
    dir: &Path,
    prefix: &str,
    depth: usize,
    files: &mut Vec<SourceFile>,
) -> Result<(), Failure> {
    let cannot_read = |path: &Path, error: std::io::Error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot read `{}`: {error}", path.display()),
        )
    };
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|error| cannot_read(dir, error))?
        .collect::<Result<_, _>>()
        .map_err(|error| cannot_read(dir, error))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let relative = match prefix.is_empty() {
            true => name.clone(),
            false => format!("{prefix}/{name}"),
        };
        let file_type = entry
            .file_type()
            .map_err(|error| cannot_read(&path, error))?;
        if file_type.is_dir() {
            if depth < MAX_DEPTH && name != ".git" {
                read_tree(&path, &relative, depth + 1, files)?;
            }
        } else if path.is_file() {
            let bytes = std::fs::read(&path).map_err(|error| cannot_read(&path, error))?;
            files.push(SourceFile::new(relative, bytes));
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|error| {
        Failure::new(
            Exit::Environment,
            format_args!("cannot write `{}`: {error}", path.display()),
        )
    })
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A directory beside the target that holds the converted files until they are complete; removed
/// on every path.
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn create(target: &Path) -> Result<Staging, Failure> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).map_err(|error| {
            Failure::new(
                Exit::Environment,
                format_args!("cannot create `{}`: {error}", parent.display()),
            )
        })?;
        let path = parent.join(format!(".carafe-import-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).map_err(|error| {
            Failure::new(
                Exit::Environment,
                format_args!("cannot create `{}`: {error}", path.display()),
            )
        })?;
        Ok(Staging { path })
    }

    /// Renames the staging directory to `target`, or (when `target` exists, holding no revision)
    /// moves each file into it.
    fn move_into(&self, target: &Path) -> Result<(), Failure> {
        let failed = |error: std::io::Error| {
            Failure::new(
                Exit::Environment,
                format_args!(
                    "cannot move the converted files into `{}`: {error}",
                    target.display()
                ),
            )
        };
        if !target.exists() {
            return std::fs::rename(&self.path, target).map_err(failed);
        }
        for entry in std::fs::read_dir(&self.path).map_err(failed)? {
            let entry = entry.map_err(failed)?;
            std::fs::rename(entry.path(), target.join(entry.file_name())).map_err(failed)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
