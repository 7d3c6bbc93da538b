//! `SourceFile`: a file of the migrations directory as raw bytes, the input to [`crate::load`].

/// One file of a migrations directory: its name and its bytes, as read from disk (or made by a test).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The file name inside the directory, e.g. `0001_create_products.sql`.
    pub name: String,
    /// Its contents, not yet decoded.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from its name and contents.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}
