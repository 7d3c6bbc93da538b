//! `CompiledRevision`: what `carafe-build` generates for each revision, so an app can name
//! `migrations::m0002_add_vintage_column::REVISION`, `::NAME` and `::CHECKSUM` in `const` code.
//!
//! Each revision is a type alias, `CompiledRevision<Records, (D0, D0, D0, D2)>`: the generated
//! `Records` type holds one table of every revision's name and checksum, and the revision number is
//! spelled as digit types. Everything here is shaped by what rustc spends on 10,000 revisions (see
//! `crates/carafe-build/benches/build_time.rs`):
//! - a `const` item per revision costs it over 1 s; constants of a generic type are evaluated only
//!   where an app names them;
//! - a const generic argument (`CompiledRevision<Records, 2>`) costs ~30 µs a revision, a type path
//!   a tenth of that, hence the digits;
//! - the table is a byte string, which rustc does not validate as it does a `&str`.

use crate::checksum::SHA256_HEX_LEN;
use crate::{Checksum, Revision};
use std::marker::PhantomData;

/// A table of revisions, written by `carafe-build`: one record per revision, oldest first, starting
/// at [`CompiledSet::FIRST`] with no gaps (as `load` requires).
pub trait CompiledSet {
    /// The first revision's number: 1, or a baseline's (`carafe squash`).
    const FIRST: u32 = 1;
    /// The width of the name column: the longest file name, without `.sql`.
    const NAME_WIDTH: usize;
    /// The records: each is the file name (`0002_add_vintage_column`) padded with spaces to
    /// [`CompiledSet::NAME_WIDTH`], one space, and the 64 hex digits of its SHA-256 checksum.
    const RECORDS: &'static [u8];
}

/// A revision compiled into an app: [`REVISION`](CompiledRevision::REVISION),
/// [`NAME`](CompiledRevision::NAME) and [`CHECKSUM`](CompiledRevision::CHECKSUM) of the revision
/// whose number `N` spells in digits, in the set `S`. Never constructed; generated code names it
/// through a type alias per revision.
pub struct CompiledRevision<S, N> {
    types: PhantomData<fn() -> (S, N)>,
}

impl<S: CompiledSet, N: Number> CompiledRevision<S, N> {
    /// The revision's number.
    pub const REVISION: Revision = Revision(N::VALUE);

    /// The revision's file name without `.sql`, e.g. `0002_add_vintage_column`.
    pub const NAME: &'static str = match record_name(S::RECORDS, S::NAME_WIDTH, S::FIRST, N::VALUE)
    {
        Some(name) => name,
        None => panic!("carafe: the compiled record of this revision does not name it"),
    };

    /// The SHA-256 checksum of the file, as recorded in `carafe.sum`.
    pub const CHECKSUM: Checksum =
        match record_checksum(S::RECORDS, S::NAME_WIDTH, S::FIRST, N::VALUE) {
            Some(checksum) => checksum,
            None => panic!("carafe: the compiled record of this revision has no checksum"),
        };
}

/// A decimal digit as a type: `D0` to `D9`.
pub trait Digit {
    /// The digit's value.
    const VALUE: u32;
}

/// A number spelled as a tuple of 4 to 10 [`Digit`]s, most significant first: `(D0, D0, D0, D2)`.
pub trait Number {
    /// The number's value; a number past `u32::MAX` does not compile.
    const VALUE: u32;
}

macro_rules! digits {
    ($($digit:ident = $value:literal),*) => {$(
        #[doc = concat!("The digit ", $value, ".")]
        pub enum $digit {}

        impl Digit for $digit {
            const VALUE: u32 = $value;
        }
    )*};
}

digits!(
    D0 = 0,
    D1 = 1,
    D2 = 2,
    D3 = 3,
    D4 = 4,
    D5 = 5,
    D6 = 6,
    D7 = 7,
    D8 = 8,
    D9 = 9
);

macro_rules! numbers {
    ($($first:ident $(, $rest:ident)*;)*) => {$(
        impl<$first: Digit $(, $rest: Digit)*> Number for ($first, $($rest),*) {
            const VALUE: u32 = {
                let value: u32 = $first::VALUE;
                $(let value = value * 10 + $rest::VALUE;)*
                value
            };
        }
    )*};
}

numbers! {
    A, B, C, D;
    A, B, C, D, E;
    A, B, C, D, E, F;
    A, B, C, D, E, F, G;
    A, B, C, D, E, F, G, H;
    A, B, C, D, E, F, G, H, I;
    A, B, C, D, E, F, G, H, I, J;
}

/// The digit types that spell `revision` as its file name does (at least four digits), e.g.
/// `(D0, D0, D0, D2)`; what `carafe-build` writes.
pub fn number_type(revision: Revision) -> String {
    let digits: Vec<String> = format!("{:04}", revision.number())
        .chars()
        .map(|digit| format!("D{digit}"))
        .collect();
    format!("({})", digits.join(", "))
}

/// The name in revision `revision`'s record (the table starting at revision `first`), if the
/// record exists and starts with that number.
pub const fn record_name(
    records: &[u8],
    name_width: usize,
    first: u32,
    revision: u32,
) -> Option<&str> {
    let Some(record) = record(records, name_width, first, revision) else {
        return None;
    };
    let mut end = name_width;
    while end > 0 && record[end - 1] == b' ' {
        end -= 1;
    }
    let (name, _) = record.split_at(end);
    if !starts_with_number(name, revision) {
        return None;
    }
    match std::str::from_utf8(name) {
        Ok(name) => Some(name),
        Err(_) => None,
    }
}

/// The checksum in revision `revision`'s record (the table starting at revision `first`), if the
/// record exists and its digits are hex.
pub const fn record_checksum(
    records: &[u8],
    name_width: usize,
    first: u32,
    revision: u32,
) -> Option<Checksum> {
    let Some(record) = record(records, name_width, first, revision) else {
        return None;
    };
    let (_, hex) = record.split_at(name_width + 1);
    Checksum::sha256_hex_bytes(hex)
}

/// Revision `revision`'s record (revision `first` is the first).
const fn record(records: &[u8], name_width: usize, first: u32, revision: u32) -> Option<&[u8]> {
    let width = name_width + 1 + SHA256_HEX_LEN;
    if revision == 0 || revision < first {
        return None;
    }
    let start = (revision - first) as usize * width;
    if start + width > records.len() {
        return None;
    }
    let (_, rest) = records.split_at(start);
    let (record, _) = rest.split_at(width);
    if record[name_width] != b' ' {
        return None;
    }
    Some(record)
}

/// Whether `name` is `revision`'s digits (at least four, as in file names) followed by `_`.
const fn starts_with_number(name: &[u8], revision: u32) -> bool {
    let mut digits = 0;
    let mut value: u64 = 0;
    while digits < name.len() && name[digits].is_ascii_digit() {
        value = value * 10 + (name[digits] - b'0') as u64;
        digits += 1;
        if digits > 10 {
            return false;
        }
    }
    digits >= 4 && digits < name.len() && name[digits] == b'_' && value == revision as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX_A: &str = "a4eb9a06fe8696a971f407f331dfe41448db361b88b7989eb38d7f3ffa4de980";
    const HEX_B: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    enum Sommelier {}

    impl CompiledSet for Sommelier {
        const NAME_WIDTH: usize = 23;
        const RECORDS: &'static [u8] = b"\
0001_create_products    a4eb9a06fe8696a971f407f331dfe41448db361b88b7989eb38d7f3ffa4de980\
0002_add_vintage_column 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    }

    type M0002 = CompiledRevision<Sommelier, (D0, D0, D0, D2)>;
    type M0001 = CompiledRevision<Sommelier, (D0, D0, D0, D1)>;

    #[test]
    fn a_compiled_revision_reads_its_record() {
        const NAME: &str = M0002::NAME;
        const CHECKSUM: Checksum = M0002::CHECKSUM;
        assert_eq!(M0002::REVISION, Revision(2));
        assert_eq!(NAME, "0002_add_vintage_column");
        assert_eq!(CHECKSUM, Checksum::sha256_hex(HEX_B));
        assert_eq!(M0001::NAME, "0001_create_products");
        assert_eq!(M0001::CHECKSUM, Checksum::sha256_hex(HEX_A));
    }

    /// A set that starts at its baseline (`carafe squash`): the first record is revision 12's.
    enum Squashed {}

    impl CompiledSet for Squashed {
        const FIRST: u32 = 12;
        const NAME_WIDTH: usize = 13;
        const RECORDS: &'static [u8] = b"\
0012_baseline a4eb9a06fe8696a971f407f331dfe41448db361b88b7989eb38d7f3ffa4de980\
0013_add_x    00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    }

    #[test]
    fn a_set_that_starts_at_its_baseline_reads_its_records() {
        type M0013 = CompiledRevision<Squashed, (D0, D0, D1, D3)>;
        type M0012 = CompiledRevision<Squashed, (D0, D0, D1, D2)>;
        assert_eq!(M0013::NAME, "0013_add_x");
        assert_eq!(M0012::NAME, "0012_baseline");
        assert_eq!(M0012::CHECKSUM, Checksum::sha256_hex(HEX_A));
        assert_eq!(record_name(Squashed::RECORDS, 13, 12, 11), None);
        assert_eq!(record_name(Squashed::RECORDS, 13, 12, 14), None);
    }

    #[test]
    fn numbers_are_spelled_in_digit_types_as_file_names_spell_them() {
        assert_eq!(number_type(Revision(2)), "(D0, D0, D0, D2)");
        assert_eq!(number_type(Revision(10_000)), "(D1, D0, D0, D0, D0)");
        assert_eq!(<(D0, D0, D4, D2) as Number>::VALUE, 42);
        assert_eq!(<(D1, D0, D0, D0, D0) as Number>::VALUE, 10_000);
        assert_eq!(
            <(D4, D2, D9, D4, D9, D6, D7, D2, D9, D5) as Number>::VALUE,
            u32::MAX
        );
    }

    #[test]
    fn a_record_that_is_missing_or_misnumbered_is_refused() {
        let records = Sommelier::RECORDS;
        assert_eq!(record_name(records, 23, 1, 0), None);
        assert_eq!(record_name(records, 23, 1, 3), None, "past the end");
        assert_eq!(record_checksum(records, 22, 1, 1), None, "wrong width");
        assert_eq!(record_name(records, 24, 1, 1), None, "wrong width");
        let swapped = [&records[88..], &records[..88]].concat();
        assert_eq!(record_name(&swapped, 23, 1, 1), None, "record 1 names 0002");
        let bad_hex: Vec<u8> = records
            .iter()
            .map(|&byte| if byte == b'f' { b'g' } else { byte })
            .collect();
        assert_eq!(record_checksum(&bad_hex, 23, 1, 1), None);
        assert!(starts_with_number(b"10000_big", 10000));
        assert!(!starts_with_number(b"002_short", 2));
        assert!(!starts_with_number(b"0002", 2));
    }
}
