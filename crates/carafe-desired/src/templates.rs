//! Template databases: what a migration set or a declared schema builds, kept on the server under
//! a name that hashes what built it (`carafe_template_<16 hex>`), so that `check`, `autogenerate`
//! and an app's tests replay or load only what changed since the last run.
//!
//! A template is built in a scratch database (swept like any other if the run is killed) and kept
//! by renaming it; two runs that build the same template at once both succeed, and the second's
//! copy is dropped. The newest [`KEPT`] templates of a server are kept, older ones dropped when a
//! new one is made (one in use is left for later). Templates are disposable: dropping one by hand
//! only costs its next rebuild.

use crate::{Error, PgDump, ScratchDatabase};
use carafe::{DatabaseUrl, HistoryTable, MigrationSet};
use carafe_core::quote::identifier;
use carafe_schema::Schema;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The templates' prefix.
pub(crate) const PREFIX: &str = "carafe_template_";

/// How many templates a server keeps.
pub(crate) const KEPT: i64 = 8;

/// The template name for what `set` builds with its history in `history`, on `server` as its
/// role.
pub(crate) fn of_migrations(
    set: &MigrationSet,
    history: &HistoryTable,
    server: &DatabaseUrl,
) -> String {
    let mut input = set.sum_file().render();
    input.push_str(&format!(
        "\nhistory {}.{}\n{}",
        history.schema(),
        history.table(),
        builder(server)
    ));
    name(input.as_bytes())
}

/// The template name for a declared schema whose sources read `fingerprint`, on `server` as its
/// role.
pub(crate) fn of_declared(fingerprint: &str, server: &DatabaseUrl) -> String {
    name(format!("declared\n{fingerprint}\n{}", builder(server)).as_bytes())
}

/// Who builds a template: what it holds is owned by that role, and owners and privileges are read
/// relative to the role reading them, so a template another role built reads differently (two
/// roles sharing a server got answers that depended on who ran first: found by review).
fn builder(server: &DatabaseUrl) -> String {
    format!(
        "built by {}\n",
        server.config().get_user().unwrap_or_default()
    )
}

fn name(input: &[u8]) -> String {
    let digest = Sha256::digest(input);
    let hex: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{PREFIX}{hex}")
}

/// Whether `template` exists on `server`.
pub(crate) fn exists(server: &DatabaseUrl, template: &str) -> Result<bool, Error> {
    let mut client = carafe::connect(server, Duration::from_secs(10))?;
    let found = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&template])
        .map_err(|error| carafe::Error::Database {
            context: format!("cannot look for the template `{template}`"),
            message: server.scrub(&carafe::describe_server_error(&error)),
        })?;
    Ok(found.is_some())
}

/// Makes `template` on `server` with `build` unless it exists; gives what `read` finds in it
/// (read before it is kept, when it is new).
pub(crate) fn ensure<T>(
    server: &DatabaseUrl,
    template: &str,
    build: impl FnOnce(&DatabaseUrl) -> Result<(), Error>,
    read: impl Fn(&DatabaseUrl) -> Result<T, Error>,
) -> Result<T, Error> {
    if exists(server, template)? {
        // Dropped since (pruned by another run, or by hand): then it is built again below.
        if let Ok(found) = read(&server.with_database(template)) {
            return Ok(found);
        }
    }
    let building = ScratchDatabase::create(server, "template")?;
    build(building.url())?;
    let found = read(building.url())?;
    if building.keep_as(template)? {
        prune(server);
    }
    Ok(found)
}

/// Drops the templates beyond the newest [`KEPT`]. Best effort: one in use, or any error, stays.
fn prune(server: &DatabaseUrl) {
    let Ok(mut client) = carafe::connect(server, Duration::from_secs(10)) else {
        return;
    };
    let Ok(rows) = client.query(
        "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) ORDER BY oid DESC OFFSET $2",
        &[&PREFIX, &KEPT],
    ) else {
        return;
    };
    for old in rows.iter().map(|row| row.get::<_, String>(0)) {
        let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {}", identifier(&old)));
    }
}

/// The schema (and `pg_dump`, when given) of the database at `url`.
pub(crate) fn read(
    url: &DatabaseUrl,
    history: &HistoryTable,
    pg_dump: Option<&PgDump>,
) -> Result<(Schema, Option<String>), Error> {
    let dump = match pg_dump {
        Some(pg_dump) => Some(pg_dump.schema(url, history)?),
        None => None,
    };
    Ok((crate::snapshot(url, history)?, dump))
}
