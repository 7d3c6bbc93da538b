//! For apps on tokio (feature `tokio`): the start-up guard, the same query and verdict as
//! [`crate::require`] on a `tokio_postgres::Client`, and [`upgrade`] for apps that migrate on boot,
//! so an async app never blocks its runtime on the synchronous client (which panics inside one).

use crate::guard::{judge, position_sql};
use crate::{
    Database, Error, GuardError, HistoryTable, MigrationSet, Require, Revision, RunReport,
    Settings, Target,
};

/// Checks that the database has every revision up to `head` in the default history table;
/// returns the revision it is at.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let url = carafe_devdb::TempCluster::shared()?.create_database("doc")?;
/// let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
/// tokio::spawn(connection);
/// // `head` is `migrations::HEAD` in an app that includes its typed migrations.
/// let head = carafe::Revision::new(4);
/// let refused = carafe::asynchronous::require(&client, head).await;
/// assert!(matches!(refused, Err(carafe::GuardError::Behind { .. })));
/// # Ok(())
/// # }
/// ```
pub async fn require(
    client: &tokio_postgres::Client,
    head: Revision,
) -> Result<Revision, GuardError> {
    require_with(client, head, &HistoryTable::default(), Require::AtLeast).await
}

/// [`require`] with a chosen history table and strictness.
pub async fn require_with(
    client: &tokio_postgres::Client,
    head: Revision,
    table: &HistoryTable,
    strictness: Require,
) -> Result<Revision, GuardError> {
    let answer = client.query_one(&position_sql(table), &[]).await;
    judge(answer, head, table, strictness)
}

/// Applies `set` up to `target` as [`Database::upgrade`] does (same lock, same transactions), on a
/// thread of its own, and resolves when it is done: an async app that migrates on boot awaits it
/// without blocking its runtime, whichever executor it runs on.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let url = carafe_devdb::TempCluster::shared()?.create_database("doc")?;
/// # let set = carafe::MigrationSet::from_migrations(Vec::new());
/// // `set` is `migrations::MIGRATIONS` in an app that includes its typed migrations.
/// let settings = carafe::Settings::new(carafe::DatabaseUrl::parse(&url)?);
/// let report = carafe::asynchronous::upgrade(settings, &set, carafe::Target::Head).await?;
/// assert!(report.steps.is_empty());
/// # Ok(())
/// # }
/// ```
pub async fn upgrade(
    settings: Settings,
    set: &MigrationSet,
    target: Target,
) -> Result<RunReport, Error> {
    let (done, result) = futures_channel::oneshot::channel();
    let set = set.clone();
    let spawned = std::thread::Builder::new()
        .name("carafe-upgrade".into())
        .spawn(move || {
            let report = Database::connect(settings)
                .and_then(|mut database| database.upgrade(&set, target, &mut |_| {}));
            let _ = done.send(report);
        });
    if let Err(error) = spawned {
        return Err(Error::Database {
            context: "cannot start the migration thread".into(),
            message: error.to_string(),
        });
    }
    result.await.unwrap_or_else(|_| {
        Err(Error::Database {
            context: "the migration thread stopped without a result".into(),
            message: "it panicked; nothing after its last committed revision was applied".into(),
        })
    })
}
