//! The pure model of carafe: what a migration is, how its file reads, and whether a directory of them is sound.
//!
//! Everything here works on data and returns data; nothing touches a database or prints.
//! The build-time plugin (`carafe-build`), the runtime (`carafe`) and the CLI all read migrations
//! through this crate, so a file means the same thing at `cargo build` and at `carafe upgrade`.
//!
//! The principal types:
//! - [`Revision`]: the number of a revision (`0003`), with [`Revision::BASE`] for "nothing applied".
//! - [`Migration`]: one parsed file, with its [`Section`]s (up, and a [`Down`] that may be
//!   irreversible or have nothing to undo) and its [`Checksum`].
//! - [`MigrationSet`]: the ordered, contiguous set a directory holds; [`load`] builds one from
//!   [`SourceFile`]s and returns it with every [`Problem`] found ([`Loaded`]), and the editor
//!   backups it ignored ([`IgnoredFile`]).
//! - [`SumFile`]: `carafe.sum`, the chained record of every revision's checksum.
//! - [`RevisionFile`]: the one writer of the file format (its reader is [`load`]).
//! - [`renumber`]: how this branch's revisions move after the other side's, after a merge.
//! - [`Plan`]: the steps that move a database from its applied revisions to a target.

mod checksum;
pub mod compiled;
mod embedded;
mod file_name;
pub mod ident;
mod load;
mod migration;
pub mod model;
mod parse;
mod plan;
mod problem;
pub mod quote;
mod refused_sql;
mod renumber;
mod revision;
mod set;
mod source;
mod statements;
mod sum;
mod write;

pub use checksum::{Algorithm, Checksum, normalize};
pub use compiled::{CompiledRevision, CompiledSet};
pub use embedded::{EmbeddedSet, pack_files, unpack_files};
pub use file_name::{FileName, IgnoredFile, SUM_FILE_NAME};
pub use load::{Loaded, load, load_dir, read_sources};
pub use migration::{Down, Migration, Replaced, Section, Text, Transaction};
pub use plan::{
    Applied, Direction, Plan, PlanError, Step, Target, current, plan, squashed, verify_history,
};
pub use problem::{Problem, ProblemKind};
pub use refused_sql::transaction_control_statement;
pub use renumber::{Renaming, RenumberError, Renumbering, renumber};
pub use revision::Revision;
pub use set::MigrationSet;
pub use source::SourceFile;
pub use statements::{Statement, meta_commands, split_statements, top_level_words};
pub use sum::{SumEntry, SumFile};
pub use write::{DownText, RevisionFile, SectionText, written_description};
