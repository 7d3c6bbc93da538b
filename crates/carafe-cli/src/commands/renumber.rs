//! `carafe renumber`: after merging (or rebasing onto) a branch that also added revisions, move this
//! branch's new revisions after the other side's, rewrite `carafe.sum` (conflict markers and all),
//! and update the typed references (`m0005_slug`) in the workspace's Rust code.
//!
//! The other side is a git revision: `--onto REF`, else `MERGE_HEAD` during a merge, else `HEAD`
//! during a rebase or cherry-pick (there, `HEAD` is the branch being built on). The decision itself
//! is `carafe_core::renumber`; this file reads git and the disk, checks the database, and renames.

use crate::context::Context;
use crate::{Exit, Failure};
use carafe_core::{Renaming, SUM_FILE_NAME, ident::module_name};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn run(context: &Context<'_>, onto: Option<&str>, dry_run: bool) -> Result<(), Failure> {
    let dir = context.dir()?;
    let loaded = super::read_dir(&dir)?;
    let git = Git::around(&dir)?;
    let (reference, why) = git.other_side(onto)?;
    let other_side = git.migration_files_in(&reference, &dir)?;
    let sum_path = dir.join(SUM_FILE_NAME);
    let sum_text = match std::fs::read(&sum_path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&carafe_core::normalize(&bytes)).into_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io_failure("read", &sum_path, &error)),
    };
    let renumbering = carafe_core::renumber(&loaded.checksums, &other_side, sum_text.as_deref())
        .map_err(|error| Failure::new(Exit::BadMigrations, error))?;
    say!(
        "the other side is `{reference}` ({why}): its {} revision(s) keep their numbers",
        renumbering.other_head.number()
    );
    if renumbering.renamings.is_empty() {
        say!(
            "this branch's revisions already follow {}: nothing to rename",
            renumbering.other_head
        );
    }
    refuse_applied(context, &renumbering.renamings, &git)?;

    let kept: BTreeSet<String> = other_side
        .iter()
        .filter_map(|file| carafe_core::FileName::parse(file))
        .map(|name| module_name(name.revision, &name.slug))
        .collect();
    let references = find_references(&git.root, &renumbering.renamings, &kept)?;

    for renaming in &renumbering.renamings {
        say!("renamed  {} -> {}", renaming.from, renaming.to);
    }
    for edit in &references.edits {
        say!(
            "updated  {} ({} reference(s))",
            relative(&git.root, &edit.path),
            edit.count
        );
    }
    for (path, line, text, reason) in &references.unresolved {
        say!(
            "check    {}:{line}: {reason}: {}",
            relative(&git.root, path),
            text.trim()
        );
    }
    if dry_run {
        say!("dry run: nothing was changed");
        return Ok(());
    }
    rename_all(&dir, &renumbering.renamings)?;
    for edit in &references.edits {
        std::fs::write(&edit.path, &edit.text)
            .map_err(|error| io_failure("write", &edit.path, &error))?;
    }
    std::fs::write(&sum_path, renumbering.sum.render())
        .map_err(|error| io_failure("write", &sum_path, &error))?;
    say!(
        "recorded {} revision(s) in `{}`",
        renumbering.sum.entries().len(),
        sum_path.display()
    );
    let next = match why {
        Why::Merge => {
            "`git add -A` the migrations and the updated files, then `git merge --continue`"
        }
        Why::Rebase => {
            "`git add -A` the migrations and the updated files, then `git rebase --continue`"
        }
        Why::CherryPick => {
            "`git add -A` the migrations and the updated files, then `git cherry-pick --continue`"
        }
        Why::Flag => "`git add -A` the migrations and the updated files, and commit",
    };
    say!("next: {next}; `cargo build` checks the new order");
    Ok(())
}

/// Refuses when the database (configured, or the development server if it exists) applied a
/// revision that would be renamed: its history would then disagree with the files.
fn refuse_applied(context: &Context<'_>, renamings: &[Renaming], git: &Git) -> Result<(), Failure> {
    if renamings.is_empty() {
        return Ok(());
    }
    let Some(settings) = context.existing_database_settings()? else {
        tell!(
            "note: no database is configured and there is no development server: nothing to check for applied revisions"
        );
        return Ok(());
    };
    let url = settings.url.clone();
    let history = carafe::Database::connect(settings)
        .and_then(|mut database| database.history())
        .map_err(|error| {
            Failure::new(
                Exit::from(error.kind()),
                format_args!(
                    "cannot check which revisions {url} applied, so nothing was renamed ({error}): start the database, or unset DATABASE_URL if it is not this branch's"
                ),
            )
        })?;
    let rows = history.applied();
    let applied: BTreeSet<&str> = rows.iter().map(|row| row.name.as_str()).collect();
    let Some(first) = renamings
        .iter()
        .filter(|renaming| applied.contains(renaming.from.trim_end_matches(".sql")))
        .min_by_key(|renaming| renaming.old)
    else {
        return Ok(());
    };
    let abort = git.abort_command();
    let below = carafe::Revision::new(first.old.number() - 1);
    Err(Failure::new(
        Exit::HistoryMismatch,
        format_args!(
            "`{}` is applied to the database at {url}, so it cannot become `{}`: the database's history would disagree with the files; undo it there first ({abort}`carafe downgrade {below}`), then merge again and run `carafe renumber`; nothing was renamed",
            first.from, first.to
        ),
    ))
}

/// Where the branch being merged in is, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    Merge,
    Rebase,
    CherryPick,
    Flag,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Why::Merge => "the branch being merged in",
            Why::Rebase => "the branch being rebased onto",
            Why::CherryPick => "the branch being cherry-picked onto",
            Why::Flag => "from `--onto`",
        })
    }
}

/// The git repository around the migrations directory.
struct Git {
    root: PathBuf,
    state: Option<Why>,
}

impl Git {
    fn around(dir: &Path) -> Result<Git, Failure> {
        let root = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|message| {
            Failure::new(
                Exit::Environment,
                format_args!(
                    "`carafe renumber` reads git to know which revisions are the other branch's, and `{}` is not in a git repository ({message}): rename this branch's new files after the other branch's by hand and run `carafe rehash`",
                    dir.display()
                ),
            )
        })?;
        let root = PathBuf::from(root.trim());
        let has = |name: &str| git(dir, &["rev-parse", "-q", "--verify", name]).is_ok();
        let state = if has("MERGE_HEAD") {
            Some(Why::Merge)
        } else if has("REBASE_HEAD") {
            Some(Why::Rebase)
        } else if has("CHERRY_PICK_HEAD") {
            Some(Why::CherryPick)
        } else {
            None
        };
        Ok(Git { root, state })
    }

    /// The git revision whose migrations keep their numbers.
    fn other_side(&self, onto: Option<&str>) -> Result<(String, Why), Failure> {
        if let Some(reference) = onto {
            return Ok((reference.to_owned(), Why::Flag));
        }
        match self.state {
            Some(Why::Merge) => Ok(("MERGE_HEAD".to_owned(), Why::Merge)),
            Some(why) => Ok(("HEAD".to_owned(), why)),
            None => Err(Failure::new(
                Exit::Usage,
                "no merge, rebase or cherry-pick is in progress, so carafe cannot tell which revisions are the other branch's: pass `--onto REF`, the branch whose revisions keep their numbers (e.g. `--onto origin/main`)",
            )),
        }
    }

    /// The migration file names the migrations directory has at `reference`.
    fn migration_files_in(&self, reference: &str, dir: &Path) -> Result<BTreeSet<String>, Failure> {
        let prefix = git(dir, &["rev-parse", "--show-prefix"])
            .map_err(|message| Failure::new(Exit::Environment, message))?;
        let prefix = prefix.trim();
        let listing = git(
            dir,
            &[
                "ls-tree",
                "--full-tree",
                "--name-only",
                "-z",
                reference,
                "--",
                prefix,
            ],
        )
        .map_err(|message| {
            Failure::new(
                Exit::Usage,
                format_args!("cannot list the migrations of `{reference}` ({message}): pass `--onto` a branch or commit that exists"),
            )
        })?;
        Ok(listing
            .split('\0')
            .filter_map(|path| path.strip_prefix(prefix))
            .filter(|name| carafe_core::FileName::parse(name).is_some())
            .map(str::to_owned)
            .collect())
    }

    /// What undoes the merge in progress, as the start of a sentence.
    fn abort_command(&self) -> &'static str {
        match self.state {
            Some(Why::Merge) => "`git merge --abort`, ",
            Some(Why::Rebase) => "`git rebase --abort`, ",
            Some(Why::CherryPick) => "`git cherry-pick --abort`, ",
            Some(Why::Flag) | None => "on this branch before the merge: ",
        }
    }
}

/// Runs git in `dir`; its stdout, or its stderr's first line.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    match output.status.success() {
        true => Ok(String::from_utf8_lossy(&output.stdout).into_owned()),
        false => Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .next()
            .unwrap_or("git failed")
            .to_owned()),
    }
}

/// Renames through temporary names, so that no rename overwrites a file another one still needs.
fn rename_all(dir: &Path, renamings: &[Renaming]) -> Result<(), Failure> {
    let temporary = |renaming: &Renaming| dir.join(format!(".carafe-renumber-{}", renaming.from));
    for renaming in renamings {
        let from = dir.join(&renaming.from);
        std::fs::rename(&from, temporary(renaming))
            .map_err(|error| io_failure("rename", &from, &error))?;
    }
    for renaming in renamings {
        let to = dir.join(&renaming.to);
        std::fs::rename(temporary(renaming), &to)
            .map_err(|error| io_failure("rename to", &to, &error))?;
    }
    Ok(())
}

/// The edits to the workspace's Rust files, and the mentions carafe leaves to the user.
struct References {
    edits: Vec<Edit>,
    unresolved: Vec<(PathBuf, usize, String, &'static str)>,
}

struct Edit {
    path: PathBuf,
    text: String,
    count: usize,
}

/// Finds `m0005_slug` in every `.rs` file under `root` (not `target/` or hidden directories) and
/// rewrites it to the new number; lists the mentions it cannot rewrite: a module name the other
/// side also uses, and the old file name (`0005_slug`) in Rust, Markdown, TOML and justfiles.
fn find_references(
    root: &Path,
    renamings: &[Renaming],
    kept: &BTreeSet<String>,
) -> Result<References, Failure> {
    let mut references = References {
        edits: Vec::new(),
        unresolved: Vec::new(),
    };
    if renamings.is_empty() {
        return Ok(references);
    }
    let modules: Vec<(String, String)> = renamings
        .iter()
        .map(|r| (module_name(r.old, &r.slug), module_name(r.new, &r.slug)))
        .collect();
    for path in source_files(root)? {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let is_rust = path.extension().is_some_and(|extension| extension == "rs");
        let mut rewritten = String::with_capacity(text.len());
        let mut count = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let mut line = line.to_owned();
            if is_rust {
                for (old, new) in &modules {
                    if kept.contains(old) {
                        if contains_word(&line, old) {
                            references.unresolved.push((
                                path.clone(),
                                index + 1,
                                line.clone(),
                                "both branches name this module; tell them apart by hand",
                            ));
                        }
                        continue;
                    }
                    let (replaced, n) = replace_word(&line, old, new);
                    line = replaced;
                    count += n;
                }
            }
            for renaming in renamings {
                let stem = renaming.from.trim_end_matches(".sql");
                if line.contains(stem) {
                    references.unresolved.push((
                        path.clone(),
                        index + 1,
                        line.clone(),
                        "names the old file, not rewritten",
                    ));
                }
            }
            rewritten.push_str(&line);
        }
        if count > 0 {
            references.edits.push(Edit {
                path,
                text: rewritten,
                count,
            });
        }
    }
    Ok(references)
}

/// Files that may name a revision: Rust, Markdown, TOML and justfiles, outside `target/` and hidden
/// directories, in path order.
fn source_files(root: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|error| io_failure("read", &dir, &error))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "migrations" {
                    pending.push(path);
                }
            } else if kind.is_file()
                && (name.ends_with(".rs")
                    || name.ends_with(".md")
                    || name.ends_with(".toml")
                    || name.eq_ignore_ascii_case("justfile"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `word` at identifier boundaries in `line`.
fn word_positions(line: &str, word: &str) -> Vec<usize> {
    line.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = line[..at].chars().next_back();
            let after = line[at + word.len()..].chars().next();
            !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
        })
        .collect()
}

fn contains_word(line: &str, word: &str) -> bool {
    !word_positions(line, word).is_empty()
}

fn replace_word(line: &str, old: &str, new: &str) -> (String, usize) {
    let positions = word_positions(line, old);
    let mut result = String::with_capacity(line.len());
    let mut last = 0;
    for &at in &positions {
        result.push_str(&line[last..at]);
        result.push_str(new);
        last = at + old.len();
    }
    result.push_str(&line[last..]);
    (result, positions.len())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn io_failure(verb: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure::new(
        Exit::Environment,
        format_args!("cannot {verb} `{}`: {error}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_are_replaced_only_as_whole_identifiers() {
        let (line, count) = replace_word(
            "use migrations::m0005_add_x; m0005_add_x_more; xm0005_add_x; m0005_add_x::REVISION",
            "m0005_add_x",
            "m0006_add_x",
        );
        assert_eq!(
            line,
            "use migrations::m0006_add_x; m0005_add_x_more; xm0005_add_x; m0006_add_x::REVISION"
        );
        assert_eq!(count, 2);
    }
}
