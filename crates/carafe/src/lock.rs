//! The migration lock: the session advisory lock that makes concurrent deploys apply each revision once.
//!
//! It is taken by polling `pg_try_advisory_lock`, never by blocking in `pg_advisory_lock`: a blocked
//! waiter sits in an open transaction, which `CREATE INDEX CONCURRENTLY` waits for, while that index
//! build holds the lock the waiter wants — a deadlock.
//!
//! A run takes it on the session that applies the migrations (`take`, `give_back`), not on a
//! connection of its own: if the client dies mid-revision, the server still finishes (commits or rolls
//! back) the batch it received, and only then ends the session and frees the lock. A lock on a separate
//! connection would be freed at once, and a deploy restarted right away would run the same revision
//! again (found by the crash tests). [`MigrationLock`] holds the same lock on its own connection, for
//! tools and tests that keep deploys out.

use crate::error::describe;
use crate::{Error, Settings};
use postgres::{Client, SimpleQueryMessage};
use std::fmt;
use std::time::{Duration, Instant};

/// The session holding the migration lock, as `pg_locks` and `pg_stat_activity` show it (a role
/// without `pg_read_all_stats` sees only the pid of another role's session).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    /// Its backend's process id (`SELECT pg_terminate_backend(PID)` ends it).
    pub pid: i32,
    /// Its `application_name` (`carafe` for a carafe run), when visible.
    pub application: Option<String>,
    /// The role it logged in as, when visible.
    pub role: Option<String>,
    /// When it connected, UTC, when visible.
    pub connected_at: Option<String>,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {}", self.pid)?;
        if let Some(application) = self.application.as_deref().filter(|name| !name.is_empty()) {
            write!(f, ", application `{application}`")?;
        }
        if let Some(role) = &self.role {
            write!(f, ", role `{role}`")?;
        }
        if let Some(connected_at) = &self.connected_at {
            write!(f, ", connected at {connected_at} UTC")?;
        }
        Ok(())
    }
}

/// What a run waiting for the migration lock knows: who holds it and how long it has waited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockWait {
    /// The history table whose lock it is.
    pub table: String,
    /// The session holding it; `None` if it was released between two looks.
    pub holder: Option<LockHolder>,
    /// How long this run has waited.
    pub waited: Duration,
    /// How long it waits in all (`lock_wait`).
    pub limit: Duration,
}

impl fmt::Display for LockWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let holder = match &self.holder {
            Some(holder) => format!("held by {holder}"),
            None => "held by another session".to_owned(),
        };
        write!(
            f,
            "waiting for the migration lock of `{}`, {holder}: waited {}s of {}s (`--lock-wait`)",
            self.table,
            self.waited.as_secs(),
            self.limit.as_secs()
        )
    }
}

/// How often a waiting run says who holds the lock.
const REPORT_EVERY: Duration = Duration::from_secs(10);

/// Takes the lock of `settings.history` on `client`'s session, polling until `settings.lock_wait`;
/// tells `settings.on_lock_wait` who holds it when it starts waiting and every [`REPORT_EVERY`].
pub(crate) fn take(client: &mut Client, settings: &Settings) -> Result<(), Error> {
    let key = settings.history.lock_key();
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    let mut reported: Option<Instant> = None;
    loop {
        let messages = client
            .simple_query(&format!("SELECT pg_try_advisory_lock({key})"))
            .map_err(|error| Error::Database {
                context: "cannot take the migration lock".to_owned(),
                message: settings.url.scrub(&describe(&error)),
            })?;
        let taken = messages.iter().any(
            |message| matches!(message, SimpleQueryMessage::Row(row) if row.get(0) == Some("t")),
        );
        if taken {
            return Ok(());
        }
        let waited = started.elapsed();
        if waited >= settings.lock_wait {
            return Err(Error::LockTimeout {
                table: settings.history.to_string(),
                waited,
                holder: holder(client, key).map(|holder| holder.to_string()),
            });
        }
        if let Some(report) = settings.on_lock_wait
            && reported.is_none_or(|at| at.elapsed() >= REPORT_EVERY)
        {
            report(&LockWait {
                table: settings.history.to_string(),
                holder: holder(client, key),
                waited,
                limit: settings.lock_wait,
            });
            reported = Some(Instant::now());
        }
        std::thread::sleep(pause.min(settings.lock_wait - waited));
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// The session holding the advisory lock `key` in this database, if any (and if it can be read).
fn holder(client: &mut Client, key: i64) -> Option<LockHolder> {
    // An advisory lock on one bigint shows as classid = its high half, objid = its low half.
    let high = (key >> 32) as u32;
    let low = key as u32;
    let sql = format!(
        "SELECT l.pid, a.application_name, a.usename, \
         to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
         FROM pg_locks AS l LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {high} AND l.objid = {low} \
         AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         LIMIT 1"
    );
    let messages = client.simple_query(&sql).ok()?;
    messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => Some(LockHolder {
            pid: row.get(0)?.parse().ok()?,
            application: row.get(1).map(str::to_owned),
            role: row.get(2).map(str::to_owned),
            connected_at: row.get(3).map(str::to_owned),
        }),
        _ => None,
    })
}

/// Releases the lock taken with [`take`]. Best effort: if the session is gone, so is the lock.
pub(crate) fn give_back(client: &mut Client, key: i64) {
    let _ = client.simple_query(&format!("SELECT pg_advisory_unlock({key})"));
}

/// The migration lock held on a connection of its own while this value lives: deploys of the same
/// history table wait (or time out) until it is dropped or the process dies.
pub struct MigrationLock {
    client: Option<Client>,
    key: i64,
}

impl MigrationLock {
    /// Connects and takes the lock of `settings.history`, polling until `settings.lock_wait`.
    pub fn acquire(settings: &Settings) -> Result<MigrationLock, Error> {
        let mut client = crate::connect(&settings.url, settings.connect_timeout)?;
        take(&mut client, settings)?;
        Ok(MigrationLock {
            client: Some(client),
            key: settings.history.lock_key(),
        })
    }

    /// Releases the lock now and closes its connection.
    pub fn release(mut self) {
        self.unlock();
    }

    fn unlock(&mut self) {
        if let Some(mut client) = self.client.take() {
            give_back(&mut client, self.key);
        }
    }
}

impl Drop for MigrationLock {
    fn drop(&mut self) {
        self.unlock();
    }
}
