//! `renumber`: after a merge or a rebase, the pure decision of how this branch's new revisions move
//! after the other side's, and the `carafe.sum` that results.
//!
//! The other side's revisions keep their numbers (they may be applied on shared databases); this
//! branch's, in their own order, take the numbers after the other side's head. The checksums come
//! from `carafe.sum`, both sides of a conflicted one: a file whose contents neither side recorded
//! was edited and is refused, since renumbering must not hide an edit.

use crate::{Checksum, FileName, Revision, SumFile};
use std::collections::BTreeSet;

/// One file to rename.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renaming {
    /// The file name now, e.g. `0005_add_alcohol.sql`.
    pub from: String,
    /// The file name after, e.g. `0007_add_alcohol.sql`.
    pub to: String,
    /// The revision number now.
    pub old: Revision,
    /// The revision number after.
    pub new: Revision,
    /// The slug both names share.
    pub slug: String,
}

/// What renumbering does: the renamings (in the order that never overwrites a file: highest new
/// number first) and the `carafe.sum` of the directory afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renumbering {
    /// The files to rename; empty when every file already follows the other side's.
    pub renamings: Vec<Renaming>,
    /// The sum file to write afterwards.
    pub sum: SumFile,
    /// The other side's head: this branch's revisions follow it.
    pub other_head: Revision,
}

/// Why the files cannot be renumbered; each message names the file and the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenumberError {
    /// The other side's revisions are not 0001..N themselves.
    #[error(
        "the other side's revisions are not contiguous: `{file}` should be revision {expected}; fix the other branch first (its own build fails the same way)"
    )]
    OtherSideNotContiguous {
        /// The first file out of place.
        file: String,
        /// The number it should have.
        expected: Revision,
    },
    /// Neither side of `carafe.sum` records this file.
    #[error(
        "`{file}` is not recorded in `carafe.sum` (on either side of the conflict): create revisions with `carafe revision`, or record it with `carafe rehash` before the merge"
    )]
    NotRecorded {
        /// The file.
        file: String,
    },
    /// The file's contents differ from every checksum `carafe.sum` records for it.
    #[error(
        "`{file}` differs from what `carafe.sum` records for it ({}, now {}): it was edited; undo the edit (or resolve its merge conflict to one side) before renumbering",
        .recorded.short(), .actual.short()
    )]
    Edited {
        /// The file.
        file: String,
        /// A checksum recorded for it.
        recorded: Checksum,
        /// Its checksum now.
        actual: Checksum,
    },
    /// There is no `carafe.sum` to take the checksums from.
    #[error(
        "`carafe.sum` is missing: restore it from git (`git checkout --merge -- migrations/carafe.sum`) before renumbering"
    )]
    SumMissing,
}

/// How to renumber `files` (every well-named migration file of the directory, with its checksum)
/// so that `other_side` (the file names the other branch has) keep their numbers and the rest
/// follow, in their own order. `sum_text` is `carafe.sum` as it is now, conflict markers and all.
pub fn renumber(
    files: &[(String, Checksum)],
    other_side: &BTreeSet<String>,
    sum_text: Option<&str>,
) -> Result<Renumbering, RenumberError> {
    let sum_text = sum_text.ok_or(RenumberError::SumMissing)?;
    let recorded = SumFile::entries_on_every_side(sum_text);
    for (file, actual) in files {
        let mut checksums = recorded.iter().filter(|entry| entry.file == *file);
        let Some(first) = checksums.next() else {
            return Err(RenumberError::NotRecorded { file: file.clone() });
        };
        if first.checksum != *actual && checksums.all(|entry| entry.checksum != *actual) {
            return Err(RenumberError::Edited {
                file: file.clone(),
                recorded: first.checksum,
                actual: *actual,
            });
        }
    }

    let mut theirs = Vec::new();
    let mut ours = Vec::new();
    for (file, checksum) in files {
        let Some(name) = FileName::parse(file) else {
            continue;
        };
        match other_side.contains(file) {
            true => theirs.push((name, file.clone(), *checksum)),
            false => ours.push((name, file.clone(), *checksum)),
        }
    }
    theirs.sort_by(|a, b| (a.0.revision, &a.1).cmp(&(b.0.revision, &b.1)));
    ours.sort_by(|a, b| (a.0.revision, &a.1).cmp(&(b.0.revision, &b.1)));

    let mut expected = Revision::new(1);
    for (name, file, _) in &theirs {
        if name.revision != expected {
            return Err(RenumberError::OtherSideNotContiguous {
                file: file.clone(),
                expected,
            });
        }
        expected = Revision::new(expected.number() + 1);
    }
    let other_head = Revision::new(expected.number() - 1);

    let mut renamings = Vec::new();
    let mut order = Vec::new();
    for (name, file, checksum) in &theirs {
        order.push((file.clone(), *checksum));
        debug_assert_eq!(FileName::render(name.revision, &name.slug), *file);
    }
    for (offset, (name, file, checksum)) in ours.iter().enumerate() {
        let new = Revision::new(other_head.number() + 1 + offset as u32);
        let to = FileName::render(new, &name.slug);
        if to != *file {
            renamings.push(Renaming {
                from: file.clone(),
                to: to.clone(),
                old: name.revision,
                new,
                slug: name.slug.clone(),
            });
        }
        order.push((to, *checksum));
    }
    renamings.sort_by_key(|renaming| std::cmp::Reverse(renaming.new));
    Ok(Renumbering {
        renamings,
        sum: SumFile::from_checksums(order),
        other_head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(String, Checksum)> {
        names
            .iter()
            .map(|name| ((*name).to_owned(), Checksum::of(name.as_bytes())))
            .collect()
    }

    fn side(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    /// A conflicted `carafe.sum`: the common lines, then each side's own.
    fn conflicted_sum(common: &[&str], ours: &[&str], theirs: &[&str]) -> String {
        let render = |names: Vec<&str>| {
            SumFile::from_checksums(
                names
                    .iter()
                    .map(|name| ((*name).to_owned(), Checksum::of(name.as_bytes()))),
            )
            .render()
        };
        let ours_text = render(common.iter().chain(ours).copied().collect());
        let theirs_text = render(common.iter().chain(theirs).copied().collect());
        let common_lines = 2 + common.len();
        let tail = |text: &str| -> String {
            text.lines()
                .skip(common_lines)
                .map(|line| format!("{line}\n"))
                .collect()
        };
        let head: String = ours_text
            .lines()
            .take(common_lines)
            .map(|line| format!("{line}\n"))
            .collect();
        format!(
            "{head}<<<<<<< HEAD\n{}=======\n{}>>>>>>> main\n",
            tail(&ours_text),
            tail(&theirs_text)
        )
    }

    #[test]
    fn this_branchs_revisions_move_after_the_other_sides_in_their_own_order() {
        let all = files(&[
            "0001_a.sql",
            "0002_b.sql",
            "0003_ours_first.sql",
            "0003_theirs.sql",
            "0004_ours_second.sql",
        ]);
        let sum = conflicted_sum(
            &["0001_a.sql", "0002_b.sql"],
            &["0003_ours_first.sql", "0004_ours_second.sql"],
            &["0003_theirs.sql"],
        );
        let result = renumber(
            &all,
            &side(&["0001_a.sql", "0002_b.sql", "0003_theirs.sql"]),
            Some(&sum),
        )
        .expect("renumbers");
        let moves: Vec<_> = result
            .renamings
            .iter()
            .map(|r| format!("{} -> {}", r.from, r.to))
            .collect();
        assert_eq!(
            moves,
            [
                "0004_ours_second.sql -> 0005_ours_second.sql",
                "0003_ours_first.sql -> 0004_ours_first.sql"
            ]
        );
        assert_eq!(result.other_head, Revision::new(3));
        let recorded: Vec<_> = result
            .sum
            .entries()
            .iter()
            .map(|e| e.file.as_str())
            .collect();
        assert_eq!(
            recorded,
            [
                "0001_a.sql",
                "0002_b.sql",
                "0003_theirs.sql",
                "0004_ours_first.sql",
                "0005_ours_second.sql"
            ]
        );
        let (_, problems) = SumFile::parse(&result.sum.render());
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn nothing_moves_when_this_branch_already_follows() {
        let all = files(&["0001_a.sql", "0002_b.sql"]);
        let sum = SumFile::from_checksums(all.clone()).render();
        let result = renumber(&all, &side(&["0001_a.sql"]), Some(&sum)).expect("renumbers");
        assert!(result.renamings.is_empty());
    }

    #[test]
    fn an_edited_file_is_refused_even_in_a_conflict() {
        let mut all = files(&["0001_a.sql", "0002_ours.sql", "0002_theirs.sql"]);
        let sum = conflicted_sum(&["0001_a.sql"], &["0002_ours.sql"], &["0002_theirs.sql"]);
        all[1].1 = Checksum::of(b"edited");
        let error = renumber(&all, &side(&["0001_a.sql", "0002_theirs.sql"]), Some(&sum))
            .expect_err("refused");
        assert!(
            matches!(&error, RenumberError::Edited { file, .. } if file == "0002_ours.sql"),
            "{error}"
        );
    }

    #[test]
    fn a_file_neither_side_recorded_is_refused() {
        let all = files(&["0001_a.sql", "0002_new.sql"]);
        let sum = SumFile::from_checksums(all[..1].to_vec()).render();
        let error = renumber(&all, &side(&["0001_a.sql"]), Some(&sum)).expect_err("refused");
        assert_eq!(error.to_string().split(' ').next(), Some("`0002_new.sql`"));
    }

    #[test]
    fn a_hole_on_the_other_side_is_refused() {
        let all = files(&["0001_a.sql", "0003_c.sql", "0002_ours.sql"]);
        let sum = SumFile::from_checksums(all.clone()).render();
        let error =
            renumber(&all, &side(&["0001_a.sql", "0003_c.sql"]), Some(&sum)).expect_err("refused");
        assert!(matches!(
            error,
            RenumberError::OtherSideNotContiguous { .. }
        ));
    }
}
