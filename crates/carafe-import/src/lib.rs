//! carafe-import: the way in for a team that already has migrations written for another tool.
//!
//! Pure, like `carafe-core`: file names and bytes in, revision files and a report out; rows of the
//! other tool's history table in, a mapping to carafe revisions out. The CLI (`carafe import`,
//! `carafe adopt`) reads the disk and the database and prints.
//!
//! The principal types:
//! - [`Tool`]: a tool carafe imports from or adopts a history of, named as on the command line.
//! - [`convert`]: a source directory's files (relative paths and bytes) to a [`Conversion`] —
//!   revision files written through `carafe_core::RevisionFile`, `carafe.sum`, and the [`Report`]
//!   of every decision — or every reason it cannot be converted faithfully ([`ImportError`]).
//!   One file per source tool under `import/` reads its layout into [`SourceMigration`]s; the
//!   SQL rules shared by all (wrappers stripped, statements PostgreSQL refuses in a transaction)
//!   live in `sql.rs`.
//! - [`adopt::plan_adoption`]: an [`adopt::OldHistory`] (the other tool's rows) and the imported
//!   set to an [`adopt::Adoption`] (the carafe revision it corresponds to), or the row that stops it.
//! - [`imported_from`]: reads the `imported from <tool> version <V>: <path>` line every converted
//!   file's description carries, which is how `adopt` maps versions.

pub mod adopt;
mod convert;
mod error;
mod import;
mod report;
mod sql;
mod tool;

pub use convert::{Conversion, ConvertedRevision, SourceMigration, SourceScript, convert};
pub use error::{ImportError, ImportProblem};
pub use report::Report;
pub use sql::SourceMode;
pub use tool::{ImportLine, Tool, imported_from};
