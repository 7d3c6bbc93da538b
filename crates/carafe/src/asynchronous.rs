//! The start-up guard for apps on tokio (feature `tokio`): the same query and verdict as
//! [`crate::require`], on a `tokio_postgres::Client`, so an async app never blocks its runtime on
//! the synchronous client (which panics inside a runtime).

use crate::guard::{judge, position_sql};
use crate::{GuardError, HistoryTable, Require, Revision};

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
