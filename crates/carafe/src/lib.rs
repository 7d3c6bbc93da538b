//! carafe: version control for a PostgreSQL schema.
//!
//! Numbered migration files are compiled into the app by `carafe-build` (see
//! [`include_migrations!`]); this crate applies them to PostgreSQL with the synchronous `postgres`
//! client.
//!
//! The principal types:
//! - [`Settings`]: the [`DatabaseUrl`] (password never shown), the [`HistoryTable`], lock and
//!   timeout settings; [`database_url_from_env`] reads `DATABASE_URL`.
//! - [`Database`]: a connection that reads the [`History`] and runs upgrade, downgrade and stamp,
//!   each transactional revision and its history row in one transaction and one round trip,
//!   under a [`MigrationLock`] so concurrent deploys apply each revision once.
//! - [`offline::script`]: the same plan as a SQL script (`--sql`), no connection.
//! - [`require`]: the start-up guard an app calls before serving; `asynchronous::require` is the
//!   same on `tokio-postgres` (feature `tokio`).
//!
//! The model types come from `carafe-core` and are re-exported here, so generated code and apps
//! name them as `::carafe::Revision`, `::carafe::MigrationSet` and so on.

#[cfg(feature = "tokio")]
pub mod asynchronous;
mod connect;
mod database;
mod error;
mod guard;
mod history;
pub mod lock;
mod notice;
pub mod offline;
mod script;
mod settings;
mod tls;
mod url;

pub use carafe_core::compiled;
pub use carafe_core::model;
pub use carafe_core::{
    Algorithm, Applied, Checksum, CompiledRevision, CompiledSet, Direction, Down, EmbeddedSet,
    Migration, MigrationSet, Plan, PlanError, Revision, Section, Step, Target, Text, Transaction,
};
#[cfg(feature = "derive")]
pub use carafe_derive::{Enum, Table};
pub use connect::connect;
pub use database::{Database, RunReport, StepReport};
pub use error::{Error, ErrorKind, describe as describe_server_error};
pub use guard::{GuardError, Require, require, require_with};
pub use history::{History, HistoryRow, HistoryTable, LAYOUT, RowState};
pub use lock::{LockHolder, LockWait, MigrationLock};
pub use notice::Notice;
pub use settings::{
    RunMode, Settings, database_url_from_env, parse_configured_url, parse_duration,
};
pub use tls::{ClientCertificate, RootCertificates, TlsMode};
pub use url::{DatabaseUrl, UrlError, redact, redact_url};

/// Includes the typed migration module that `carafe_build::compile` wrote to `OUT_DIR`:
/// one typed revision per file (`mNNNN_slug::REVISION`, `::NAME`, `::CHECKSUM`; see
/// [`CompiledRevision`]), `MIGRATIONS` and `HEAD`.
///
/// ```ignore
/// pub mod migrations {
///     carafe::include_migrations!();
/// }
/// let head: carafe::Revision = migrations::HEAD;
/// ```
#[macro_export]
macro_rules! include_migrations {
    () => {
        include!(concat!(env!("OUT_DIR"), "/carafe_migrations.rs"));
    };
}

/// The models an app declares, for its `migrate` binary and its tests: `carafe::models![Product,
/// Producer]` is a [`model::Models`] of those tables (and of the tables their foreign keys name,
/// and of the enums their columns use).
///
/// ```
/// #[derive(carafe::Table)]
/// struct Producer {
///     #[carafe(primary_key, identity)]
///     id: i64,
///     name: String,
/// }
///
/// #[derive(carafe::Table)]
/// struct Product {
///     #[carafe(primary_key)]
///     sku: String,
///     #[carafe(references = Producer, on_delete = "cascade")]
///     producer_id: i64,
/// }
///
/// const MODELS: carafe::model::Models = carafe::models![Product];
/// assert_eq!(MODELS.names(), ["Product", "Producer"]);
/// let sql = MODELS.create_sql().expect("models that fit together");
/// assert!(sql.contains(r#"ADD FOREIGN KEY ("producer_id") REFERENCES "public"."producers" ON DELETE CASCADE"#));
/// ```
///
/// A field whose Rust type has no column type is an error at the field (give it `sql_type`):
///
/// ```compile_fail,E0277
/// #[derive(carafe::Table)]
/// struct Product {
///     #[carafe(primary_key)]
///     sku: String,
///     prices: std::collections::HashMap<String, f64>,
/// }
/// ```
#[macro_export]
macro_rules! models {
    ($($model:ty),* $(,)?) => {
        $crate::model::Models::new(&[$(<$model as $crate::model::Model>::table),*])
    };
}
