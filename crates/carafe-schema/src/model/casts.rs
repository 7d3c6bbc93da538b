//! Casts (`CREATE CAST`): how a value of one type becomes another, by a function, by its text
//! form (`WITH INOUT`) or as it is (`WITHOUT FUNCTION`), and when the server applies it on its
//! own. They belong to the database, not to a schema: those `initdb` made are left out.

use super::Signature;

/// Which types a cast goes between, as `format_type` prints them (qualified).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CastTypes {
    /// The type cast from.
    pub source: String,
    /// The type cast to.
    pub target: String,
}

/// How a cast converts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CastMethod {
    /// `WITH FUNCTION f(...)`.
    Function(Signature),
    /// `WITH INOUT`: through the types' text form.
    InOut,
    /// `WITHOUT FUNCTION`: the two types are binary coercible.
    Binary,
}

/// A cast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cast {
    /// How it converts.
    pub method: CastMethod,
    /// `AS ASSIGNMENT`, `AS IMPLICIT`, or explicit only (neither).
    pub context: CastContext,
    /// `COMMENT ON CAST`.
    pub comment: Option<String>,
}

/// When the server applies a cast without being asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastContext {
    /// Only when written (`::`, `CAST`).
    Explicit,
    /// Also when assigning to a column (`AS ASSIGNMENT`).
    Assignment,
    /// Anywhere (`AS IMPLICIT`).
    Implicit,
}
