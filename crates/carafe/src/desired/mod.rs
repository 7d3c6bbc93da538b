//! The schema as the source of truth: compare what the migrations build with what `schema.sql`
//! declares and with what a live database holds, write the revision between them, and check that
//! every revision's down undoes its up.
//!
//! Every comparison works on [`carafe_schema::Schema`] models read from scratch databases
//! ([`ScratchDatabase`]: created for one comparison, always dropped, also on error).

mod scratch;
mod snapshot;
mod verify;

pub use scratch::ScratchDatabase;
pub use snapshot::{declared, drift, replayed, snapshot};
pub use verify::{VerifyOutcome, VerifyReport, verify};
