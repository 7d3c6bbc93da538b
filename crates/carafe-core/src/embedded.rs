//! `EmbeddedSet`: a migration set compiled into an app as the checked files themselves, read through
//! [`crate::load`] on first use — the same code that checked them at build time.
//!
//! Generating one Rust value per revision made rustc spend ~17 s on 10,000 migrations (const
//! evaluation of the literals); one embedded text costs it next to nothing.

use crate::{MigrationSet, SourceFile, load};
use std::ops::Deref;
use std::sync::OnceLock;

const HEADER: &str = "--- carafe file ";

/// The files of a migrations directory as one text: for each, `--- carafe file NAME LENGTH\n`, then
/// the file's text and a newline. Written by `carafe-build`, read by [`EmbeddedSet`].
pub fn pack_files(files: &[SourceFile]) -> String {
    let mut packed = String::with_capacity(files.iter().map(|file| file.bytes.len() + 64).sum());
    for file in files {
        packed.push_str(&format!("{HEADER}{} {}\n", file.name, file.bytes.len()));
        packed.push_str(&String::from_utf8_lossy(&file.bytes));
        packed.push('\n');
    }
    packed
}

/// The files packed by [`pack_files`]; `None` if the text is not such a pack.
pub fn unpack_files(packed: &str) -> Option<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut rest = packed;
    while !rest.is_empty() {
        let (header, after) = rest.split_once('\n')?;
        let (name, length) = header.strip_prefix(HEADER)?.rsplit_once(' ')?;
        let length: usize = length.parse().ok()?;
        let text = after.get(..length)?;
        files.push(SourceFile::new(name, text.as_bytes()));
        rest = after.get(length..)?.strip_prefix('\n')?;
    }
    Some(files)
}

/// A migration set embedded in an app by `carafe-build`; dereferences to the [`MigrationSet`].
pub struct EmbeddedSet {
    packed: &'static str,
    set: OnceLock<MigrationSet>,
}

impl EmbeddedSet {
    /// The set packed in `packed` (generated code calls this with `include_str!`).
    pub const fn new(packed: &'static str) -> EmbeddedSet {
        EmbeddedSet {
            packed,
            set: OnceLock::new(),
        }
    }
}

impl Deref for EmbeddedSet {
    type Target = MigrationSet;

    /// Reads the files on first use.
    ///
    /// # Panics
    /// If the embedded files do not load cleanly — impossible for files `carafe-build` packed, since it
    /// refused to build unless the same `load` found no problem.
    fn deref(&self) -> &MigrationSet {
        self.set.get_or_init(|| {
            let files =
                unpack_files(self.packed).expect("carafe-build packs the migrations it embeds");
            match load(&files).into_result() {
                Ok(set) => set,
                Err(problems) => panic!(
                    "embedded migrations that carafe-build checked no longer load: {problems:?}"
                ),
            }
        })
    }
}

impl std::fmt::Debug for EmbeddedSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_through_a_pack() {
        let files = vec![
            SourceFile::new(
                "0001_a.sql",
                "-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n",
            ),
            SourceFile::new("carafe.sum", "--- carafe file lookalike 3\nabc\n"),
            SourceFile::new("0002_empty.sql", ""),
        ];
        assert_eq!(unpack_files(&pack_files(&files)), Some(files));
        assert_eq!(unpack_files("not a pack"), None);
        assert_eq!(unpack_files("--- carafe file a 99\nshort\n"), None);
    }
}
