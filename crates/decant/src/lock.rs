//! `MigrationLock`: the session advisory lock that makes concurrent deploys apply each revision once.
//!
//! It lives on its own connection and is taken by polling `pg_try_advisory_lock`: a waiter blocked in
//! `pg_advisory_lock` would sit in an open transaction, which `CREATE INDEX CONCURRENTLY` waits for,
//! while that index build holds the lock the waiter wants — a deadlock. It is released when the value
//! is dropped (on every path, errors and panics included) and, if the process dies, when the server
//! closes the connection.

use crate::connect::connect;
use crate::error::describe;
use crate::{Error, Settings};
use postgres::{Client, SimpleQueryMessage};
use std::time::{Duration, Instant};

/// The migration lock, held while this value lives.
pub struct MigrationLock {
    client: Option<Client>,
    key: i64,
}

impl MigrationLock {
    /// Takes the lock of `settings.history`, polling until `settings.lock_wait` has passed.
    pub fn acquire(settings: &Settings) -> Result<MigrationLock, Error> {
        let mut client = connect(&settings.url, settings.connect_timeout)?;
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
            let taken = messages.iter().any(|message| {
                matches!(message, SimpleQueryMessage::Row(row) if row.get(0) == Some("t"))
            });
            if taken {
                return Ok(MigrationLock {
                    client: Some(client),
                    key,
                });
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

    /// Releases the lock now and closes its connection.
    pub fn release(mut self) {
        self.unlock();
    }

    fn unlock(&mut self) {
        if let Some(mut client) = self.client.take() {
            // Closing the connection releases the lock too; unlocking first just makes it immediate.
            let _ = client.simple_query(&format!("SELECT pg_advisory_unlock({})", self.key));
        }
    }
}

impl Drop for MigrationLock {
    fn drop(&mut self) {
        self.unlock();
    }
}
