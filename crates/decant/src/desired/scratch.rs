//! `ScratchDatabase`: a database created for one comparison and dropped when the value goes, on every
//! path (errors and panics included).

use crate::error::describe;
use crate::quote::identifier;
use crate::{DatabaseUrl, Error};
use postgres::Client;
use postgres::error::SqlState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A throwaway database on a server; dropped (with `WITH (FORCE)`) when this value is dropped.
pub struct ScratchDatabase {
    admin: Option<Client>,
    name: String,
    url: DatabaseUrl,
}

impl ScratchDatabase {
    /// Creates `decant_scratch_<purpose>_<pid>_<n>` on the server of `server`, connecting to the
    /// database `server` names to issue `CREATE DATABASE`. Fails with [`Error::ScratchNotAllowed`]
    /// when the role may not create databases.
    pub fn create(server: &DatabaseUrl, purpose: &str) -> Result<ScratchDatabase, Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "decant_scratch_{purpose}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = crate::connect(server, Duration::from_secs(10))?;
        if let Err(error) = admin.batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            identifier(&name)
        )) {
            return Err(match error.code() {
                Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
                    Error::ScratchNotAllowed {
                        url: server.to_string(),
                    }
                }
                _ => Error::Database {
                    context: format!("cannot create the scratch database `{name}`"),
                    message: server.scrub(&describe(&error)),
                },
            });
        }
        let url = server.with_database(&name);
        Ok(ScratchDatabase {
            admin: Some(admin),
            name,
            url,
        })
    }

    /// Its URL.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Some(mut admin) = self.admin.take() {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                identifier(&self.name)
            ));
        }
    }
}
