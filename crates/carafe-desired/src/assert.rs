//! The test an app writes in its own `cargo test` (pytest-alembic's most-used one): its migrations
//! build exactly what its models (and `schema.sql`) declare, else the revision that is missing.

use crate::{Comparison, Declared, Error, statements};
use carafe::{DatabaseUrl, MigrationSet, Settings};
use carafe_schema::Renames;

/// Whether `set`, replayed on a scratch database on `server`, builds `declared`: `Ok(None)` when it
/// does, `Ok(Some(message))` naming what a missing revision would hold when it does not.
pub fn missing_revision(
    set: &MigrationSet,
    declared: &Declared,
    server: &DatabaseUrl,
) -> Result<Option<String>, Error> {
    let comparison = Comparison::load(&Settings::new(server.clone()), set, server, declared)?;
    let missing = comparison.draft(&Renames::default()).up;
    Ok((!missing.changes.is_empty()).then(|| {
        format!(
            "the migrations do not build {declared}; a revision with this would (`revision --autogenerate -m MESSAGE` writes it):\n{}",
            statements(&missing)
        )
    }))
}

/// Panics, showing the missing revision, unless `set` builds `declared` (see [`missing_revision`]).
///
/// ```no_run
/// // In the app's tests, with `MIGRATIONS` from `carafe::include_migrations!()`:
/// fn the_migrations_build_the_models(set: &carafe::MigrationSet, server: &carafe::DatabaseUrl) {
///     let declared = carafe_desired::Declared::models(carafe::model::Models::none(), None);
///     carafe_desired::assert_migrations_build(set, &declared, server);
/// }
/// ```
#[track_caller]
pub fn assert_migrations_build(set: &MigrationSet, declared: &Declared, server: &DatabaseUrl) {
    match missing_revision(set, declared, server) {
        Ok(None) => {}
        Ok(Some(message)) => panic!("{message}"),
        Err(error) => panic!("cannot compare the migrations with {declared}: {error}"),
    }
}
