//! The file name grammar, `NNNN_slug.sql`, the near misses that must be reported rather than
//! skipped, and the editor and patch leftovers beside a migration that are never read.

use crate::Revision;

/// The name of the checksum file that lives beside the migrations.
pub const SUM_FILE_NAME: &str = "carafe.sum";

/// A well-formed migration file name: its revision and its slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileName {
    /// The number before the underscore.
    pub revision: Revision,
    /// The part between the underscore and `.sql`: lowercase ASCII letters, digits and underscores.
    pub slug: String,
}

/// What a directory entry is, judged by its name alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    /// A migration file with a well-formed name.
    Migration(FileName),
    /// Looks like it was meant to be a migration (ends in `.sql` or starts with a digit) but breaks the grammar.
    NearMiss {
        /// What is wrong with the name.
        reason: &'static str,
        /// A well-formed name to rename it to, when one can be guessed.
        suggestion: Option<String>,
    },
    /// An editor backup or a patch leftover of a migration (`0004_x.sql~`, `0004_x.sql.orig`):
    /// never read, never a problem, listed in [`crate::Loaded::ignored`].
    Ignored {
        /// What kind of leftover it is.
        reason: &'static str,
    },
    /// Anything else (`carafe.sum`, `README.md`, dotfiles): not carafe's business.
    Other,
}

/// A file in the migrations directory that [`crate::load`] left alone because its name says it is
/// an editor backup or a patch leftover, so a tool can mention it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoredFile {
    /// The file's name, e.g. `0004_add_index.sql~`.
    pub name: String,
    /// Why it is ignored: `editor backup`, `editor swap file`, `editor autosave`, `editor lock
    /// file`, `patch leftover`, `backup copy` or `temporary file`.
    pub reason: &'static str,
}

impl FileName {
    /// The file name this revision and slug give, e.g. `0003_add_price_index.sql`.
    pub fn render(revision: Revision, slug: &str) -> String {
        format!("{revision}_{slug}.sql")
    }

    /// Reads a well-formed name, or `None`.
    pub fn parse(name: &str) -> Option<FileName> {
        match classify(name) {
            Entry::Migration(file_name) => Some(file_name),
            Entry::NearMiss { .. } | Entry::Ignored { .. } | Entry::Other => None,
        }
    }
}

/// Sorts a directory entry into migration, near miss, or something else.
pub(crate) fn classify(name: &str) -> Entry {
    if let Some(reason) = leftover_reason(name) {
        return Entry::Ignored { reason };
    }
    let looks_like_sql = ends_with_sql_ignoring_case(name);
    let starts_with_digit = name.starts_with(|c: char| c.is_ascii_digit());
    if name == SUM_FILE_NAME || name.starts_with('.') || !(looks_like_sql || starts_with_digit) {
        return Entry::Other;
    }
    let near_miss = |reason| Entry::NearMiss {
        reason,
        suggestion: suggest(name),
    };
    let Some(stem) = name.strip_suffix(".sql") else {
        return near_miss("a migration file name ends in lowercase `.sql`");
    };
    let digits_end = stem
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(stem.len());
    let (digits, rest) = stem.split_at(digits_end);
    if digits.is_empty() {
        return near_miss("a migration file name starts with its number, e.g. `0003_`");
    }
    if digits.len() < 4 {
        return near_miss("the number must have at least 4 digits, zero-padded");
    }
    if digits.len() > 4 && digits.starts_with('0') {
        return near_miss("a number of more than 4 digits must not start with 0");
    }
    let Some(slug) = rest.strip_prefix('_') else {
        return near_miss("the number must be followed by `_` and a slug");
    };
    if slug.is_empty() {
        return near_miss("the slug after `_` must not be empty");
    }
    if !slug
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
    {
        return near_miss("the slug may hold only lowercase letters, digits and `_`");
    }
    let Ok(number) = digits.parse::<u32>() else {
        return near_miss("the number is too large");
    };
    if number == 0 {
        return near_miss("revisions are numbered from 0001; 0000 is `base`");
    }
    Entry::Migration(FileName {
        revision: Revision::new(number),
        slug: slug.to_owned(),
    })
}

/// What kind of leftover `name` is, when it decorates a name that looks like a migration: an
/// editor's backup (`~`, Emacs `#...#` and `.#...`, Vim `.swp`/`.swo`/`.swx`), a patch tool's
/// `.orig`/`.rej`, or a `.bak`/`.tmp` copy.
fn leftover_reason(name: &str) -> Option<&'static str> {
    let (reason, base) = if let Some(base) = name
        .strip_prefix('#')
        .and_then(|rest| rest.strip_suffix('#'))
    {
        ("editor autosave", base)
    } else if let Some(base) = name.strip_prefix(".#") {
        ("editor lock file", base)
    } else if let Some(base) = name.strip_suffix('~') {
        ("editor backup", base)
    } else {
        const SUFFIXES: [(&str, &str); 7] = [
            (".orig", "patch leftover"),
            (".rej", "patch leftover"),
            (".swp", "editor swap file"),
            (".swo", "editor swap file"),
            (".swx", "editor swap file"),
            (".bak", "backup copy"),
            (".tmp", "temporary file"),
        ];
        let (base, reason) = SUFFIXES.iter().find_map(|(suffix, reason)| {
            let base = name.strip_suffix(suffix)?;
            // Vim names the swap file of `0004_x.sql` `.0004_x.sql.swp`.
            let base = match reason.ends_with("swap file") {
                true => base.strip_prefix('.').unwrap_or(base),
                false => base,
            };
            Some((base, *reason))
        })?;
        (reason, base)
    };
    let looks_like_migration =
        ends_with_sql_ignoring_case(base) || base.starts_with(|c: char| c.is_ascii_digit());
    looks_like_migration.then_some(reason)
}

/// Whether `name` ends in `.sql` in any case. Compares bytes, so a multi-byte character before the
/// extension cannot split a slice (found by the property test).
fn ends_with_sql_ignoring_case(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() >= 4 && bytes[bytes.len() - 4..].eq_ignore_ascii_case(b".sql")
}

/// A well-formed name close to `name`, when the number and a slug can be recovered from it.
fn suggest(name: &str) -> Option<String> {
    let stem = match ends_with_sql_ignoring_case(name) {
        true => &name[..name.len() - 4],
        false => name.split('.').next().unwrap_or(name),
    };
    let digits_end = stem.find(|c: char| !c.is_ascii_digit())?;
    let number: u32 = stem[..digits_end].parse().ok().filter(|&n| n > 0)?;
    let slug = crate::ident::slug(&stem[digits_end..]);
    Some(FileName::render(Revision::new(number), &slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expected: &str) {
        let actual = match classify(name) {
            Entry::Migration(file_name) => {
                format!("migration {} {}", file_name.revision, file_name.slug)
            }
            Entry::NearMiss { reason, suggestion } => {
                format!(
                    "near miss: {reason} -> {}",
                    suggestion.as_deref().unwrap_or("?")
                )
            }
            Entry::Ignored { reason } => format!("ignored: {reason}"),
            Entry::Other => "other".to_owned(),
        };
        assert_eq!(actual, expected, "{name}");
    }

    #[test]
    fn well_formed_names() {
        check("0001_create_products.sql", "migration 0001 create_products");
        check("0042_2fa.sql", "migration 0042 2fa");
        check("12345_big.sql", "migration 12345 big");
    }

    #[test]
    fn near_misses_are_reported_with_a_suggestion() {
        check(
            "3_add.sql",
            "near miss: the number must have at least 4 digits, zero-padded -> 0003_add.sql",
        );
        check(
            "0003-add.sql",
            "near miss: the number must be followed by `_` and a slug -> 0003_add.sql",
        );
        check(
            "0003_Add.sql",
            "near miss: the slug may hold only lowercase letters, digits and `_` -> 0003_add.sql",
        );
        check(
            "0003_add.SQL",
            "near miss: a migration file name ends in lowercase `.sql` -> 0003_add.sql",
        );
        check(
            "00003_add.sql",
            "near miss: a number of more than 4 digits must not start with 0 -> 0003_add.sql",
        );
        check(
            "0003_.sql",
            "near miss: the slug after `_` must not be empty -> 0003_revision.sql",
        );
        check(
            "0000_init.sql",
            "near miss: revisions are numbered from 0001; 0000 is `base` -> ?",
        );
        check(
            "add.sql",
            "near miss: a migration file name starts with its number, e.g. `0003_` -> ?",
        );
    }

    #[test]
    fn editor_and_patch_leftovers_are_ignored() {
        check("0004_x.sql~", "ignored: editor backup");
        check("0004_x.sql.orig", "ignored: patch leftover");
        check("0004_x.sql.rej", "ignored: patch leftover");
        check("0004_x.sql.swp", "ignored: editor swap file");
        check(".0004_x.sql.swp", "ignored: editor swap file");
        check(".0004_x.sql.swo", "ignored: editor swap file");
        check("0003_add.sql.bak", "ignored: backup copy");
        check("0004_x.sql.tmp", "ignored: temporary file");
        check("#0004_x.sql#", "ignored: editor autosave");
        check(".#0004_x.sql", "ignored: editor lock file");
        check("add_prices.sql~", "ignored: editor backup");
        // Leftovers of files that are no migrations stay someone else's business.
        check("README.md~", "other");
        check(".notes.swp", "other");
        check(
            "0004_x.sql.old",
            "near miss: a migration file name ends in lowercase `.sql` -> 0004_x.sql",
        );
    }

    #[test]
    fn other_files_are_left_alone() {
        check("carafe.sum", "other");
        check("README.md", "other");
        check(".gitkeep", "other");
        check(".0001_hidden.sql", "other");
    }
}
