//! The start-up guard: an app built from newer code refuses to start against an older schema, with one
//! line that says so, instead of failing on its first query.

use crate::HistoryTable;
use crate::error::describe;
use carafe_core::Revision;
use postgres::Client;
use postgres::error::SqlState;

/// Why an app must not start on this database.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// The database is older than the code.
    #[error(
        "database is at {current}, this build needs {needed}: run migrations first (`carafe upgrade head`)"
    )]
    Behind {
        /// Where the database is.
        current: Revision,
        /// The build's head.
        needed: Revision,
    },
    /// The database is newer than the code and the app asked for an exact match.
    #[error(
        "database is at {current}, newer than this build ({needed}): deploy the newer build, or downgrade the database"
    )]
    Ahead {
        /// Where the database is.
        current: Revision,
        /// The build's head.
        needed: Revision,
    },
    /// A revision was interrupted outside a transaction.
    #[error(
        "revision {0} was interrupted while it ran outside a transaction: run `carafe current` and follow its advice"
    )]
    Interrupted(Revision),
    /// The history could not be read.
    #[error("cannot read the migration history in `{table}`: {message}")]
    Unreadable {
        /// The history table.
        table: String,
        /// What the server said.
        message: String,
    },
}

/// How strict the guard is about a database newer than the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Require {
    /// The database must have at least the build's head: newer is fine (rolling deploys run old
    /// instances against a migrated schema).
    AtLeast,
    /// The database must be exactly at the build's head.
    Exactly,
}

/// Checks that the database has every revision up to `head` in the default history table;
/// returns the revision it is at.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let url = carafe_devdb::TempCluster::shared()?.create_database("doc")?;
/// let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
/// // `head` is `migrations::HEAD` in an app that includes its typed migrations.
/// let head = carafe::Revision::new(4);
/// let refused = carafe::require(&mut client, head).expect_err("a new database is at base");
/// assert_eq!(
///     refused.to_string(),
///     "database is at base, this build needs 0004: run migrations first (`carafe upgrade head`)"
/// );
/// # Ok(())
/// # }
/// ```
///
/// This is the synchronous client: on a tokio runtime, use [`crate::asynchronous::require`]
/// (feature `tokio`), or call this inside `tokio::task::spawn_blocking`.
pub fn require(client: &mut Client, head: Revision) -> Result<Revision, GuardError> {
    require_with(client, head, &HistoryTable::default(), Require::AtLeast)
}

/// [`require`] with a chosen history table and strictness.
pub fn require_with(
    client: &mut Client,
    head: Revision,
    table: &HistoryTable,
    strictness: Require,
) -> Result<Revision, GuardError> {
    judge(
        client.query_one(&position_sql(table), &[]),
        head,
        table,
        strictness,
    )
}

/// The one query the guard sends: the newest applied revision, and the first that is not applied.
pub(crate) fn position_sql(table: &HistoryTable) -> String {
    format!(
        "SELECT coalesce(max(revision) FILTER (WHERE state = 'applied'), 0), min(revision) FILTER (WHERE state <> 'applied') FROM {}",
        table.qualified()
    )
}

/// What the answer to [`position_sql`] means for an app built at `head`.
pub(crate) fn judge(
    answer: Result<postgres::Row, postgres::Error>,
    head: Revision,
    table: &HistoryTable,
    strictness: Require,
) -> Result<Revision, GuardError> {
    let row = match answer {
        Ok(row) => row,
        Err(error) if error.code() == Some(&SqlState::UNDEFINED_TABLE) => {
            return check(Revision::BASE, head, strictness);
        }
        Err(error) => {
            return Err(GuardError::Unreadable {
                table: table.to_string(),
                message: describe(&error),
            });
        }
    };
    let current: i32 = row.get(0);
    let interrupted: Option<i32> = row.get(1);
    if let Some(revision) = interrupted {
        return Err(GuardError::Interrupted(Revision::new(
            revision.unsigned_abs(),
        )));
    }
    check(Revision::new(current.unsigned_abs()), head, strictness)
}

fn check(current: Revision, needed: Revision, strictness: Require) -> Result<Revision, GuardError> {
    match (current.cmp(&needed), strictness) {
        (std::cmp::Ordering::Less, _) => Err(GuardError::Behind { current, needed }),
        (std::cmp::Ordering::Greater, Require::Exactly) => {
            Err(GuardError::Ahead { current, needed })
        }
        _ => Ok(current),
    }
}
