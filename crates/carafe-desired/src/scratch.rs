//! `ScratchDatabase`: a database created for one comparison and dropped when the value goes, on every
//! path (errors and panics included). A run killed outright (SIGKILL, power loss) cannot drop its
//! own: the next run drops it.
//!
//! How the next run knows a scratch database is abandoned, across hosts: its creator holds an
//! advisory lock named after it, on the session that created it, from before `CREATE DATABASE`
//! until after `DROP DATABASE`. The server frees that lock when the session ends, however the
//! client died. Advisory locks belong to one database, so a scratch database's name carries the OID
//! of the database its creator connected to, and only runs connected there sweep it.

use crate::Error;
use carafe::{DatabaseUrl, describe_server_error as describe};
use carafe_core::quote::identifier;
use postgres::Client;
use postgres::error::SqlState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The first key of the two-key advisory locks that mark scratch databases as in use ("dcnt");
/// the second is `hashtext(name)`. The migration lock uses the one-key form, a separate space.
const LOCK_NAMESPACE: i32 = 0x6463_6e74;

const PREFIX: &str = "carafe_scratch_";

/// A throwaway database on a server; dropped (with `WITH (FORCE)`) when this value is dropped.
pub struct ScratchDatabase {
    admin: Option<Client>,
    name: String,
    url: DatabaseUrl,
    swept: Vec<String>,
}

impl ScratchDatabase {
    /// Creates `carafe_scratch_<purpose>_<home>_<pid>_<n>` on the server of `server`, connecting to
    /// the database `server` names (OID `home`) to issue `CREATE DATABASE`; first drops the scratch
    /// databases that runs killed before they could drop theirs. Fails with
    /// [`Error::ScratchNotAllowed`] when the role may not create databases.
    pub fn create(server: &DatabaseUrl, purpose: &str) -> Result<ScratchDatabase, Error> {
        ScratchDatabase::copy_of(server, purpose, "template0")
    }

    /// [`ScratchDatabase::create`], as a copy of the database `template` (`CREATE DATABASE ...
    /// TEMPLATE`): a file copy on the server, no replay.
    pub fn copy_of(
        server: &DatabaseUrl,
        purpose: &str,
        template: &str,
    ) -> Result<ScratchDatabase, Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let mut admin = carafe::connect(server, Duration::from_secs(10))?;
        let failed = |context: String| {
            move |error: postgres::Error| carafe::Error::Database {
                context,
                message: server.scrub(&describe(&error)),
            }
        };
        let home: u32 = admin
            .query_one(
                "SELECT oid FROM pg_database WHERE datname = current_database()",
                &[],
            )
            .map_err(failed("cannot read the current database's OID".to_owned()))?
            .get(0);
        let swept = sweep(&mut admin, home);
        let name = loop {
            let name = format!(
                "{PREFIX}{purpose}_{home}_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            // Only a live run's scratch database whose name hashes alike can hold this lock.
            if try_lock(&mut admin, &name)
                .map_err(failed(format!("cannot lock the scratch database `{name}`")))?
            {
                break name;
            }
        };
        if let Err(error) = admin.batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE {}",
            identifier(&name),
            identifier(template)
        )) {
            return Err(match error.code() {
                Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
                    Error::ScratchNotAllowed {
                        url: server.to_string(),
                    }
                }
                _ => failed(format!("cannot create the scratch database `{name}`"))(error).into(),
            });
        }
        let url = server.with_database(&name);
        Ok(ScratchDatabase {
            admin: Some(admin),
            name,
            url,
            swept,
        })
    }

    /// The abandoned scratch databases this one's creation dropped.
    pub fn swept(&self) -> &[String] {
        &self.swept
    }

    /// Its URL.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renames it to `name` and keeps it: it is no longer dropped, and no longer swept. `Ok(false)`
    /// when a database of that name exists already (this one is then dropped as usual).
    pub(crate) fn keep_as(mut self, name: &str) -> Result<bool, Error> {
        let Some(admin) = self.admin.as_mut() else {
            return Ok(false);
        };
        let renamed = admin.batch_execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            identifier(&self.name),
            identifier(name)
        ));
        match renamed {
            Ok(()) => {
                let _ = admin.execute(
                    "SELECT pg_advisory_unlock($1, hashtext($2))",
                    &[&LOCK_NAMESPACE, &self.name],
                );
                self.name = name.to_owned();
                self.admin = None;
                Ok(true)
            }
            // Another run kept one of that name first: 42P04, or, when both renamed at the same
            // instant, the catalog's unique index (23505).
            Err(error)
                if error.code() == Some(&SqlState::DUPLICATE_DATABASE)
                    || error.code() == Some(&SqlState::UNIQUE_VIOLATION) =>
            {
                Ok(false)
            }
            Err(error) => Err(carafe::Error::Database {
                context: format!("cannot keep `{}` as `{name}`", self.name),
                message: self.url.scrub(&describe(&error)),
            }
            .into()),
        }
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

/// Drops the scratch databases created from the database `home` whose creators are gone (their
/// lock is free), and returns their names. Best effort: a database this role may not drop, or any
/// error, leaves it for later; the run that sweeps is not the one to fail.
fn sweep(admin: &mut Client, home: u32) -> Vec<String> {
    let Ok(rows) = admin.query(
        "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
        &[&PREFIX],
    ) else {
        return Vec::new();
    };
    let mut swept = Vec::new();
    for name in rows.iter().map(|row| row.get::<_, String>(0)) {
        if home_of(&name) != Some(home) || !try_lock(admin, &name).unwrap_or(false) {
            continue;
        }
        let dropped = admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                identifier(&name)
            ))
            .is_ok();
        let _ = admin.execute(
            "SELECT pg_advisory_unlock($1, hashtext($2))",
            &[&LOCK_NAMESPACE, &name],
        );
        if dropped {
            swept.push(name);
        }
    }
    swept
}

/// Takes the lock that marks `name` as in use, if it is free.
fn try_lock(admin: &mut Client, name: &str) -> Result<bool, postgres::Error> {
    Ok(admin
        .query_one(
            "SELECT pg_try_advisory_lock($1, hashtext($2))",
            &[&LOCK_NAMESPACE, &name],
        )?
        .get(0))
}

/// The OID of the database a scratch database's creator connected to, read from its name
/// (`carafe_scratch_<purpose>_<home>_<pid>_<n>`); `None` for any other name.
fn home_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let mut parts = rest.rsplitn(4, '_');
    let (n, pid, home, purpose) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let numeric = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    match numeric(n) && numeric(pid) && !purpose.is_empty() {
        true => home.parse().ok(),
        false => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_database_is_read_from_a_scratch_name() {
        assert_eq!(home_of("carafe_scratch_verify_16384_4242_0"), Some(16384));
        assert_eq!(home_of("carafe_scratch_declared_5_1_12"), Some(5));
        assert_eq!(
            home_of("carafe_scratch_verify_4242_0"),
            None,
            "the old format"
        );
        assert_eq!(home_of("carafe_scratch_verify_x_4242_0"), None);
        assert_eq!(home_of("saq"), None);
    }
}
