//! decant: version control for a PostgreSQL schema.
//!
//! Numbered migration files are compiled into the app by `decant-build` (see
//! [`include_migrations!`]); this crate applies them to PostgreSQL.
//!
//! The model types come from `decant-core` and are re-exported here, so generated code and apps
//! name them as `::decant::Revision`, `::decant::MigrationSet` and so on.

pub use decant_core::{
    Algorithm, Applied, Checksum, Direction, Down, Migration, MigrationSet, Plan, PlanError,
    Revision, Section, Step, Target, Text, Transaction,
};

/// Includes the typed migration module that `decant_build::compile` wrote to `OUT_DIR`:
/// one `pub mod mNNNN_slug` per revision, `MIGRATIONS` and `HEAD`.
///
/// ```ignore
/// pub mod migrations {
///     decant::include_migrations!();
/// }
/// let head: decant::Revision = migrations::HEAD;
/// ```
#[macro_export]
macro_rules! include_migrations {
    () => {
        include!(concat!(env!("OUT_DIR"), "/decant_migrations.rs"));
    };
}
