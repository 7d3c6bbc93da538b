//! `EmbeddedSet`: a migration set compiled into an app as the checked files themselves, read through
//! [`crate::load`] on first use — the same code that checked them at build time.
//!
//! Generating one Rust value per revision made rustc spend ~17 s on 10,000 migrations (const
//! evaluation of the literals); one embedded text costs it next to nothing.

use crate::{MigrationSet, SourceFile, load};
use std::ops::Deref;
use std::sync::OnceLock;

const HEADER: &[u8] = b"--- carafe file ";

/// The files of a migrations directory as one byte string: for each, `--- carafe file NAME LENGTH\n`,
/// then the file's bytes exactly as read (any bytes: a `carafe.sum` comment need not be UTF-8) and a
/// newline. Written by `carafe-build`, read by [`EmbeddedSet`] through [`unpack_files`].
pub fn pack_files(files: &[SourceFile]) -> Vec<u8> {
    let mut packed = Vec::with_capacity(files.iter().map(|file| file.bytes.len() + 64).sum());
    for file in files {
        packed.extend_from_slice(HEADER);
        packed.extend_from_slice(format!("{} {}\n", file.name, file.bytes.len()).as_bytes());
        packed.extend_from_slice(&file.bytes);
        packed.push(b'\n');
    }
    packed
}

/// The files packed by [`pack_files`]; `None` if the bytes are not such a pack.
pub fn unpack_files(packed: &[u8]) -> Option<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut rest = packed;
    while !rest.is_empty() {
        let end_of_header = rest.iter().position(|byte| *byte == b'\n')?;
        let header = std::str::from_utf8(rest[..end_of_header].strip_prefix(HEADER)?).ok()?;
        let (name, length) = header.rsplit_once(' ')?;
        let length: usize = length.parse().ok()?;
        let after = &rest[end_of_header + 1..];
        let bytes = after.get(..length)?;
        files.push(SourceFile::new(name, bytes));
        rest = after.get(length..)?.strip_prefix(b"\n")?;
    }
    Some(files)
}

/// A migration set embedded in an app by `carafe-build`; dereferences to the [`MigrationSet`].
pub struct EmbeddedSet {
    packed: &'static [u8],
    set: OnceLock<MigrationSet>,
}

impl EmbeddedSet {
    /// The set packed in `packed` (generated code calls this with `include_bytes!`).
    pub const fn new(packed: &'static [u8]) -> EmbeddedSet {
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
        assert_eq!(unpack_files(b"not a pack"), None);
        assert_eq!(unpack_files(b"--- carafe file a 99\nshort\n"), None);
    }

    /// The pack holds the files, so what their down says travels with them: `nothing` reads
    /// back as [`crate::Down::Nothing`], not as an empty or irreversible down.
    #[test]
    fn an_embedded_set_keeps_a_down_with_nothing_to_undo() {
        let text = "-- migrate:up\nupdate t set c = 0;\n-- migrate:down nothing\n";
        let sum = crate::SumFile::from_checksums([(
            "0001_backfill.sql".to_owned(),
            crate::Checksum::of(text.as_bytes()),
        )]);
        let files = vec![
            SourceFile::new("0001_backfill.sql", text),
            SourceFile::new("carafe.sum", sum.render()),
        ];
        let packed: &'static [u8] = Vec::leak(pack_files(&files));
        let embedded = EmbeddedSet::new(packed);
        assert_eq!(embedded.as_slice()[0].down, crate::Down::Nothing);
    }

    proptest::proptest! {
        /// Regression: the pack recorded byte lengths but held lossily converted text, so a
        /// non-UTF-8 byte in a `carafe.sum` comment built, then panicked on first use.
        #[test]
        fn any_bytes_round_trip_through_a_pack(
            contents in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..200), 0..5),
        ) {
            let files: Vec<SourceFile> = contents
                .iter()
                .enumerate()
                .map(|(index, bytes)| SourceFile::new(format!("{index:04}_file.sql"), bytes.as_slice()))
                .collect();
            proptest::prop_assert_eq!(unpack_files(&pack_files(&files)), Some(files));
        }
    }
}
