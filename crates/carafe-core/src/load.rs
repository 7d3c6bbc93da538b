//! `load`: from the files of a migrations directory to a [`MigrationSet`] and every problem found.
//!
//! This is the one code path that reads migrations: `carafe-build` calls it at build time, the CLI at
//! run time. [`load_dir`] is its thin shell over the file system.

use crate::file_name::{Entry, IgnoredFile, classify};
use crate::parse::parse;
use crate::{
    Checksum, Migration, MigrationSet, Problem, ProblemKind, Revision, SUM_FILE_NAME, SourceFile,
    SumFile, normalize,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;

/// The result of reading a migrations directory: what could be read, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// Every migration that parsed, by revision.
    pub set: MigrationSet,
    /// Every problem, ordered by file and line. Empty when the directory is sound.
    pub problems: Vec<Problem>,
    /// The checksum of every well-named migration file, parsed or not, by revision: what
    /// `carafe.sum` records.
    pub checksums: Vec<(String, Checksum)>,
    /// Editor backups and patch leftovers (`0004_x.sql~`, `0004_x.sql.orig`, `#0004_x.sql#`),
    /// by name: never read as migrations, never a problem, not in `checksums`.
    pub ignored: Vec<IgnoredFile>,
}

impl Loaded {
    /// The `carafe.sum` these files should have.
    pub fn sum_file(&self) -> crate::SumFile {
        crate::SumFile::from_checksums(self.checksums.iter().cloned())
    }

    /// Whether `carafe.sum` is all that is wrong (or nothing is).
    pub fn only_sum_problems(&self) -> bool {
        self.problems
            .iter()
            .all(|problem| problem.kind.is_about_sum())
    }

    /// The set when there is no problem, the problems otherwise.
    pub fn into_result(self) -> Result<MigrationSet, Vec<Problem>> {
        match self.problems.is_empty() {
            true => Ok(self.set),
            false => Err(self.problems),
        }
    }
}

/// Reads every regular file of `dir` (not its subdirectories) and [`load`]s them.
pub fn load_dir(dir: &Path) -> io::Result<Loaded> {
    Ok(load(&read_sources(dir)?))
}

/// The files of `dir` that [`load`] looks at (migrations, near misses, editor and patch leftovers,
/// which it lists as ignored, and `carafe.sum`), sorted by name.
pub fn read_sources(dir: &Path) -> io::Result<Vec<SourceFile>> {
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if matches!(classify(&name), Entry::Other) && name != SUM_FILE_NAME {
            continue;
        }
        sources.push(SourceFile::new(name, std::fs::read(entry.path())?));
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// Validates the files of a migrations directory (migrations, `carafe.sum`, and anything else, which is
/// ignored unless its name is a near miss) and returns the set with every problem at once.
pub fn load(sources: &[SourceFile]) -> Loaded {
    let mut problems = Vec::new();
    let mut migrations = Vec::new();
    let mut named: BTreeMap<Revision, Vec<String>> = BTreeMap::new();
    let mut checksums = Vec::new();
    let mut sum_text = None;
    let mut ignored = Vec::new();
    let mut baselines: Vec<(Revision, String)> = Vec::new();
    let names: HashSet<&str> = sources.iter().map(|source| source.name.as_str()).collect();

    for source in sources {
        if source.name == SUM_FILE_NAME {
            sum_text = Some(source);
            continue;
        }
        let file_name = match classify(&source.name) {
            Entry::Migration(file_name) => file_name,
            Entry::NearMiss { reason, suggestion } => {
                let kind = match suggestion {
                    Some(original) if names.contains(original.as_str()) => {
                        ProblemKind::CopyOfMigration {
                            name: source.name.clone(),
                            reason,
                            original,
                        }
                    }
                    suggestion => ProblemKind::BadFileName {
                        name: source.name.clone(),
                        reason,
                        suggestion,
                    },
                };
                problems.push(Problem::in_file(&source.name, kind));
                continue;
            }
            Entry::Ignored { reason } => {
                ignored.push(IgnoredFile {
                    name: source.name.clone(),
                    reason,
                });
                continue;
            }
            Entry::Other => continue,
        };
        named
            .entry(file_name.revision)
            .or_default()
            .push(source.name.clone());
        let normalized = normalize(&source.bytes);
        let checksum = Checksum::sha256_of_normalized(&normalized);
        checksums.push((source.name.clone(), checksum));
        let text = match String::from_utf8(normalized) {
            Ok(text) => text,
            Err(error) => {
                let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
                let line = u32::try_from(line).unwrap_or(u32::MAX);
                problems.push(Problem::at_line(&source.name, line, ProblemKind::NotUtf8));
                continue;
            }
        };
        let (parsed, mut file_problems) = parse(&text);
        if let Some((through, _)) = parsed.replaces
            && through != file_name.revision
        {
            file_problems.push((
                1,
                ProblemKind::BaselineRange {
                    file: source.name.clone(),
                    through,
                    revision: file_name.revision,
                },
            ));
        }
        if parsed.replaces.is_some() {
            baselines.push((file_name.revision, source.name.clone()));
        }
        let had_problems = !file_problems.is_empty();
        problems.extend(
            file_problems
                .into_iter()
                .map(|(line, kind)| Problem::at_line(&source.name, line, kind)),
        );
        if let (false, Some(up), Some(down)) = (had_problems, parsed.up, parsed.down) {
            migrations.push(Migration {
                revision: file_name.revision,
                slug: file_name.slug.into(),
                description: parsed.description.into(),
                up,
                down,
                checksum,
                replaces: parsed
                    .replaces
                    .map(|(through, chain)| crate::Replaced { through, chain }),
            });
        }
    }

    let first = named
        .iter()
        .next()
        .map(|(revision, files)| (*revision, files));
    let mut numbered_from = Revision::new(1);
    for (revision, file) in &baselines {
        match first {
            Some((first_revision, files)) if first_revision == *revision && files.len() == 1 => {
                numbered_from = *revision;
            }
            Some((_, files)) => problems.push(Problem::in_file(
                file.as_str(),
                ProblemKind::BaselineNotFirst {
                    file: file.clone(),
                    first: files.iter().min().cloned().unwrap_or_default(),
                },
            )),
            None => {}
        }
    }
    problems.extend(numbering_problems(&named, numbered_from));
    problems.extend(sum_problems(sum_text, &checksums));
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    ignored.sort_by(|a, b| a.name.cmp(&b.name));
    migrations.sort_by_key(|migration| migration.revision);
    migrations.dedup_by_key(|migration| migration.revision);
    checksums.sort_by_cached_key(|(file, _)| {
        (
            crate::FileName::parse(file).map(|name| name.revision),
            file.clone(),
        )
    });
    Loaded {
        set: MigrationSet::from_migrations(migrations),
        problems,
        checksums,
        ignored,
    }
}

/// Gaps and duplicate numbers, over every well-named file (parsed or not), from `numbered_from`
/// (0001, or a baseline's number).
fn numbering_problems(
    named: &BTreeMap<Revision, Vec<String>>,
    numbered_from: Revision,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let next_free = named
        .keys()
        .next_back()
        .and_then(|last| last.next())
        .unwrap_or(Revision::new(1));
    let mut expected = numbered_from;
    let mut before: Option<&String> = None;
    for (&revision, files) in named {
        let mut files_sorted: Vec<&String> = files.iter().collect();
        files_sorted.sort();
        let first = files_sorted[0];
        if revision > expected {
            problems.push(Problem::in_file(
                first.as_str(),
                ProblemKind::Gap {
                    first_missing: expected,
                    last_missing: Revision::new(revision.number() - 1),
                    before: before.cloned(),
                    after: first.clone(),
                },
            ));
        }
        for second in &files_sorted[1..] {
            problems.push(Problem::in_file(
                second.as_str(),
                ProblemKind::DuplicateRevision {
                    revision,
                    first: first.clone(),
                    second: (*second).clone(),
                    next_free,
                },
            ));
        }
        expected = revision.next().unwrap_or(revision);
        before = Some(files_sorted[files_sorted.len() - 1]);
    }
    problems
}

/// Compares the files' checksums with `carafe.sum`.
fn sum_problems(sum_source: Option<&SourceFile>, checksums: &[(String, Checksum)]) -> Vec<Problem> {
    let Some(sum_source) = sum_source else {
        return match checksums.is_empty() {
            true => Vec::new(),
            false => vec![Problem::in_file(SUM_FILE_NAME, ProblemKind::SumMissing)],
        };
    };
    let text = String::from_utf8_lossy(&normalize(&sum_source.bytes)).into_owned();
    let (sum, sum_problems) = SumFile::parse(&text);
    let mut problems: Vec<Problem> = sum_problems
        .into_iter()
        .map(|(line, kind)| Problem::at_line(SUM_FILE_NAME, line, kind))
        .collect();
    let recorded: HashMap<&str, &crate::SumEntry> = sum
        .entries()
        .iter()
        .map(|entry| (entry.file.as_str(), entry))
        .collect();
    for (file, actual) in checksums {
        match recorded.get(file.as_str()) {
            None => problems.push(Problem::in_file(
                file.as_str(),
                ProblemKind::NotInSum { file: file.clone() },
            )),
            Some(entry) if entry.checksum != *actual => problems.push(Problem::in_file(
                file.as_str(),
                ProblemKind::EditedAfterRecorded {
                    file: file.clone(),
                    recorded: entry.checksum,
                    actual: *actual,
                },
            )),
            Some(_) => {}
        }
    }
    let present: HashSet<&str> = checksums.iter().map(|(file, _)| file.as_str()).collect();
    for entry in sum.entries() {
        if !present.contains(entry.file.as_str()) {
            problems.push(Problem::at_line(
                SUM_FILE_NAME,
                entry.line,
                ProblemKind::MissingFromDirectory {
                    file: entry.file.clone(),
                },
            ));
        }
    }
    problems
}
