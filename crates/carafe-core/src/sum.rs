//! `carafe.sum`: every revision's checksum, one line each, chained so that a hand edit or a merge of
//! two branches that both added revisions shows up (in git as a conflict, at build time as an error).
//!
//! ```text
//! # carafe.sum: ...
//! 0001_create_products.sql sha256:<64 hex> chain:<64 hex>
//! ```
//! A line's chain value is SHA-256 over the previous line's chain value (32 zero bytes for the first),
//! the file name, a NUL byte and the checksum's digest.

use crate::{Checksum, ProblemKind};
use sha2::{Digest, Sha256};

const HEADER: &str = "# carafe.sum: the checksum of every migration, each line chained to the one above.\n# Written by `carafe revision` and `carafe rehash`; do not edit. Commit it with the migrations.\n";

/// One line of `carafe.sum`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumEntry {
    /// The migration's file name.
    pub file: String,
    /// Its checksum when it was recorded.
    pub checksum: Checksum,
    /// The chain value written on the line.
    pub chain: [u8; 32],
    /// The 1-based line it was read from (0 for an entry that was computed, not read).
    pub line: u32,
}

/// The contents of `carafe.sum`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SumFile {
    entries: Vec<SumEntry>,
}

impl SumFile {
    /// The sum of these files and checksums, in the order given, with fresh chain values.
    pub fn from_checksums(files: impl IntoIterator<Item = (String, Checksum)>) -> SumFile {
        let mut previous = [0u8; 32];
        let entries = files
            .into_iter()
            .map(|(file, checksum)| {
                previous = chain_value(&previous, &file, &checksum);
                SumEntry {
                    file,
                    checksum,
                    chain: previous,
                    line: 0,
                }
            })
            .collect();
        SumFile { entries }
    }

    /// The chain value of the last of these files, as [`SumFile::from_checksums`] would write it
    /// (32 zero bytes for none): what a baseline records of the revisions it replaces.
    pub fn chain_of(files: impl IntoIterator<Item = (String, Checksum)>) -> [u8; 32] {
        files
            .into_iter()
            .fold([0u8; 32], |previous, (file, checksum)| {
                chain_value(&previous, &file, &checksum)
            })
    }

    /// Its entries, in file order.
    pub fn entries(&self) -> &[SumEntry] {
        &self.entries
    }

    /// The entry recorded for `file`.
    pub fn entry(&self, file: &str) -> Option<&SumEntry> {
        self.entries.iter().find(|entry| entry.file == file)
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut text = String::from(HEADER);
        for entry in &self.entries {
            text.push_str(&format!(
                "{} {} chain:{}\n",
                entry.file,
                entry.checksum,
                hex(&entry.chain)
            ));
        }
        text
    }

    /// Reads the file's text. Never fails: returns what it could read and the problems, by line.
    /// A chain value that does not follow from the lines above is reported once, at the first such line.
    pub fn parse(text: &str) -> (SumFile, Vec<(u32, ProblemKind)>) {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        let mut previous = [0u8; 32];
        let mut chain_reported = false;
        for (index, raw_line) in text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let trimmed = raw_line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
                .iter()
                .any(|marker| trimmed.starts_with(marker))
            {
                if !problems
                    .iter()
                    .any(|(_, kind)| *kind == ProblemKind::SumConflict)
                {
                    problems.push((line, ProblemKind::SumConflict));
                }
                continue;
            }
            let Some(entry) = parse_entry(trimmed, line) else {
                problems.push((line, ProblemKind::SumMalformed));
                continue;
            };
            let expected = chain_value(&previous, &entry.file, &entry.checksum);
            if expected != entry.chain && !chain_reported {
                problems.push((line, ProblemKind::SumChainBroken));
                chain_reported = true;
            }
            previous = entry.chain;
            entries.push(entry);
        }
        (SumFile { entries }, problems)
    }
}

impl SumFile {
    /// Every entry on any line of a `carafe.sum` that may hold git conflict markers: the common
    /// lines and both sides of each conflict (and a merge base, for `diff3` markers). Chain values
    /// are not checked, since the sides chain separately; lines that are not entries are skipped.
    pub fn entries_on_every_side(text: &str) -> Vec<SumEntry> {
        text.lines()
            .enumerate()
            .filter_map(|(index, line)| {
                parse_entry(line.trim(), u32::try_from(index + 1).unwrap_or(u32::MAX))
            })
            .collect()
    }
}

fn parse_entry(line: &str, line_number: u32) -> Option<SumEntry> {
    let mut words = line.split_whitespace();
    let file = words.next()?.to_owned();
    let checksum = Checksum::parse_prefixed(words.next()?)?;
    let chain_hex = words.next()?.strip_prefix("chain:")?;
    let chain = *Checksum::parse("sha256", chain_hex)?.digest();
    if words.next().is_some() {
        return None;
    }
    Some(SumEntry {
        file,
        checksum,
        chain,
        line: line_number,
    })
}

fn chain_value(previous: &[u8; 32], file: &str, checksum: &Checksum) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(file.as_bytes());
    hasher.update([0]);
    hasher.update(checksum.algorithm().name().as_bytes());
    hasher.update(checksum.digest());
    hasher.finalize().into()
}

fn hex(bytes: &[u8; 32]) -> String {
    Checksum::sha256_hex_of_digest(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SumFile {
        SumFile::from_checksums([
            ("0001_a.sql".to_owned(), Checksum::of(b"a")),
            ("0002_b.sql".to_owned(), Checksum::of(b"b")),
        ])
    }

    #[test]
    fn render_then_parse_round_trips() {
        let sum = sample();
        let (parsed, problems) = SumFile::parse(&sum.render());
        assert!(problems.is_empty(), "{problems:?}");
        let files: Vec<_> = parsed
            .entries()
            .iter()
            .map(|e| (&e.file, e.checksum, e.chain))
            .collect();
        let expected: Vec<_> = sum
            .entries()
            .iter()
            .map(|e| (&e.file, e.checksum, e.chain))
            .collect();
        assert_eq!(files, expected);
    }

    #[test]
    fn a_hand_edited_checksum_breaks_the_chain() {
        let text = sample()
            .render()
            .replace(&Checksum::of(b"a").hex(), &Checksum::of(b"z").hex());
        let (_, problems) = SumFile::parse(&text);
        assert_eq!(problems, vec![(3, ProblemKind::SumChainBroken)]);
    }

    #[test]
    fn conflict_markers_and_garbage_are_reported() {
        let text = format!(
            "{}<<<<<<< HEAD\nnot a line\n=======\n>>>>>>> branch\n",
            sample().render()
        );
        let (_, problems) = SumFile::parse(&text);
        assert_eq!(
            problems,
            vec![
                (5, ProblemKind::SumConflict),
                (6, ProblemKind::SumMalformed)
            ]
        );
    }

    proptest::proptest! {
        /// Any migration file names (as `FileName` allows them) and any contents: the written sum
        /// reads back with no problem, the same entries and the same chain.
        #[test]
        fn any_sum_round_trips_through_the_reader(
            files in proptest::collection::vec(
                ("[a-z0-9_]{1,30}", proptest::collection::vec(proptest::num::u8::ANY, 0..64)),
                0..20,
            ),
        ) {
            let sum = SumFile::from_checksums(files.iter().enumerate().map(|(index, (slug, bytes))| {
                (format!("{:04}_{slug}.sql", index + 1), Checksum::of(bytes))
            }));
            let (parsed, problems) = SumFile::parse(&sum.render());
            proptest::prop_assert!(problems.is_empty(), "{:?}", problems);
            let read: Vec<_> = parsed.entries().iter().map(|e| (&e.file, e.checksum, e.chain)).collect();
            let written: Vec<_> = sum.entries().iter().map(|e| (&e.file, e.checksum, e.chain)).collect();
            proptest::prop_assert_eq!(read, written);
        }
    }
}
