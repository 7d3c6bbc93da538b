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
use std::time::{Duration, Instant};

/// Takes the lock of `settings.history` on `client`'s session, polling until `settings.lock_wait`.
pub(crate) fn take(client: &mut Client, settings: &Settings) -> Result<(), Error> {
    let key = settings.history.lock_key();
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
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
            });
        }
        std::thread::sleep(pause.min(settings.lock_wait - waited));
        pause = (pause * 2).min(Duration::from_millis(100));
    }
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
