//! carafe-desired: the schema as the source of truth. It compares what the migrations build with
//! what a declared schema (an app's models, a `schema.sql`) says and with what a live database holds, writes the
//! revision between them, and checks that every revision's down undoes its up.
//!
//! The CLI only prints what this crate returns, so an app can run the same [`check`] from its own
//! `cargo test`. The principal types:
//! - [`Declared`]: the declared schema's sources: an app's models, a `schema.sql`, or both.
//! - [`Comparison`]: the replayed and the declared schema; [`Comparison::draft`] gives a [`Draft`]
//!   (up and down), which [`Draft::revision_text`] writes, refusing an empty one.
//! - [`check`] and its [`CheckReport`]: the CI gate (missing revision, pending revisions, drift).
//! - [`assert_migrations_build`]: an app's test that its migrations build its models.
//! - [`verify`] and its [`VerifyReport`]: up, down, up on every revision.
//! - [`squash`] and its [`Squash`]: one baseline revision for the first revisions, checked by
//!   [`PgDump`] (an independent judge) and by the schema model.
//! - [`TestDatabases`]: a fresh database at head for each of an app's tests, copied from a
//!   template built once.
//! - Templates (`templates.rs`): what the migrations and the declared schema build, kept on the
//!   server by a hash of what built them, so `check` and autogenerate replay only what changed.
//! - [`ScratchDatabase`]: a throwaway database, dropped on every path, swept after a killed run.
//!
//! Every comparison works on [`carafe_schema::Schema`] models read from scratch databases. The
//! runtime (`carafe`) never depends on this crate: an app's deploy binary links neither it nor the
//! schema model.

mod assert;
mod check;
mod declared;
mod draft;
mod dump_options;
mod error;
mod pg_dump;
mod schema_file;
mod scratch;
mod secret_values;
mod snapshot;
mod squash;
mod templates;
mod test_databases;
mod verify;

pub use assert::{assert_migrations_build, missing_revision};
pub use check::{CheckReport, LiveReport, check};
pub use declared::Declared;
pub use draft::{Comparison, Draft, Dumps, statements};
pub use error::Error;
pub use pg_dump::{PgDump, dump_as_sql, dump_difference};
pub use scratch::ScratchDatabase;
pub use snapshot::{declared, drift, replayed, snapshot};
pub use squash::{Squash, squash};
pub use test_databases::{TestDatabases, test_server, test_server_in};
pub use verify::{VerifyOutcome, VerifyReport, verify};
