//! Checksums of migration files: SHA-256 over the normalised text, stored with the name of their algorithm.

use sha2::{Digest, Sha256};
use std::fmt;

/// The hash function a [`Checksum`] was made with; stored beside every checksum so it can change later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// SHA-256 over the normalised text (see [`normalize`]).
    Sha256,
}

impl Algorithm {
    /// The name stored in `carafe.sum` and in the history table.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
        }
    }

    /// The algorithm called `name`, if carafe knows it.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "sha256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }
}

/// The checksum of a migration file.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksum {
    algorithm: Algorithm,
    digest: [u8; 32],
}

impl Checksum {
    /// The SHA-256 checksum of `text` after [`normalize`].
    pub fn of(text: &[u8]) -> Checksum {
        Checksum::sha256_of_normalized(&normalize(text))
    }

    /// The SHA-256 checksum of text that is already normalised.
    pub fn sha256_of_normalized(normalized: &[u8]) -> Checksum {
        Checksum {
            algorithm: Algorithm::Sha256,
            digest: Sha256::digest(normalized).into(),
        }
    }

    /// A SHA-256 checksum from its 64 hex digits, in a `const` context.
    ///
    /// # Panics
    /// On a malformed hex string, which in a `const` is a compile error.
    pub const fn sha256_hex(hex: &str) -> Checksum {
        match Checksum::sha256_hex_bytes(hex.as_bytes()) {
            Some(checksum) => checksum,
            None => panic!("a sha256 checksum has 64 hex digits"),
        }
    }

    /// A SHA-256 checksum from its 64 hex digits (either case), in a `const` context; `None` unless
    /// `hex` is exactly that. Generated code reads checksums through it.
    pub const fn sha256_hex_bytes(hex: &[u8]) -> Option<Checksum> {
        if hex.len() != SHA256_HEX_LEN {
            return None;
        }
        let mut digest = [0u8; 32];
        let mut index = 0;
        while index < 32 {
            let (Some(high), Some(low)) =
                (hex_value(hex[2 * index]), hex_value(hex[2 * index + 1]))
            else {
                return None;
            };
            digest[index] = high * 16 + low;
            index += 1;
        }
        Some(Checksum {
            algorithm: Algorithm::Sha256,
            digest,
        })
    }

    /// A checksum from its algorithm name and hex digits, as stored in `carafe.sum` or the history table.
    pub fn parse(algorithm: &str, hex: &str) -> Option<Checksum> {
        match Algorithm::from_name(algorithm)? {
            Algorithm::Sha256 => Checksum::sha256_hex_bytes(hex.as_bytes()),
        }
    }

    /// Reads `sha256:<hex>`.
    pub fn parse_prefixed(text: &str) -> Option<Checksum> {
        let (algorithm, hex) = text.split_once(':')?;
        Checksum::parse(algorithm, hex)
    }

    /// The algorithm it was made with.
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The raw digest.
    pub const fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The digest as lowercase hex.
    pub fn hex(&self) -> String {
        let mut hex = String::with_capacity(SHA256_HEX_LEN);
        for byte in self.digest {
            hex.push(HEX_DIGITS[usize::from(byte >> 4)] as char);
            hex.push(HEX_DIGITS[usize::from(byte & 0xf)] as char);
        }
        hex
    }

    /// Lowercase hex of any 32-byte digest (used for `carafe.sum` chain values).
    pub fn sha256_hex_of_digest(digest: &[u8; 32]) -> String {
        Checksum {
            algorithm: Algorithm::Sha256,
            digest: *digest,
        }
        .hex()
    }

    /// The first 12 hex digits, for messages where two checksums are compared.
    pub fn short(&self) -> String {
        let mut hex = self.hex();
        hex.truncate(12);
        hex
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// How many hex digits a SHA-256 checksum is written with.
pub(crate) const SHA256_HEX_LEN: usize = 64;

const fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Checksum {
    /// `sha256:<64 hex digits>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.name(), self.hex())
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The text a checksum is taken over: a leading UTF-8 byte-order mark removed and CRLF turned into LF,
/// so a Windows checkout hashes like a Unix one.
pub fn normalize(text: &[u8]) -> Vec<u8> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut normalized = Vec::with_capacity(text.len());
    let mut bytes = text.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if byte == b'\r' && bytes.peek() == Some(&&b'\n') {
            continue;
        }
        normalized.push(byte);
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_bom_and_lf_checkouts_agree() {
        let unix = b"-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n";
        let windows = b"\xEF\xBB\xBF-- migrate:up\r\nselect 1;\r\n-- migrate:down\r\nselect 2;\r\n";
        assert_eq!(Checksum::of(unix), Checksum::of(windows));
        assert_ne!(
            Checksum::of(unix),
            Checksum::of(b"-- migrate:up\nselect 3;\n")
        );
    }

    #[test]
    fn a_lone_carriage_return_is_kept() {
        assert_eq!(normalize(b"a\rb\r\n"), b"a\rb\n");
    }

    #[test]
    fn hex_round_trips_through_every_reader() {
        let checksum = Checksum::of(b"select 1;");
        let hex = checksum.hex();
        assert_eq!(Checksum::parse("sha256", &hex), Some(checksum));
        assert_eq!(
            Checksum::parse_prefixed(&checksum.to_string()),
            Some(checksum)
        );
        assert_eq!(Checksum::sha256_hex(&hex), checksum);
        assert_eq!(Checksum::parse("md5", &hex), None);
        assert_eq!(Checksum::parse("sha256", "abc"), None);
        assert_eq!(Checksum::parse("sha256", &"zz".repeat(32)), None);
    }
}
