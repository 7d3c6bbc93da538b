//! Schema models of three databases: a live one, one replaying the migrations, one loading
//! `schema.sql`. The history table is carafe's, not the app's: it is left out of every model.

use super::ScratchDatabase;
use crate::Error;
use crate::{Declared, PgDump};
use carafe::{
    Database, DatabaseUrl, History, HistoryTable, MigrationSet, Revision, Settings, Target,
};
use carafe_schema::{Diff, Name, Renames, Schema, Shadowed};
use std::path::Path;
use std::time::Duration;

/// The schema of the database at `url`, without carafe's history table.
pub fn snapshot(url: &DatabaseUrl, history: &HistoryTable) -> Result<Schema, Error> {
    let mut client = carafe::connect(url, Duration::from_secs(10))?;
    let mut schema =
        carafe_schema::introspect(&mut client).map_err(|error| carafe::Error::Database {
            context: format!("cannot read the schema of {url}"),
            message: url.scrub(&error.to_string()),
        })?;
    schema
        .tables
        .remove(&Name::new(history.schema(), history.table()));
    let history_schema_is_empty = !schema
        .tables
        .keys()
        .any(|name| name.schema == history.schema())
        && !schema
            .views
            .keys()
            .any(|name| name.schema == history.schema());
    if history.schema() != "public" && history_schema_is_empty {
        schema.schemas.remove(history.schema());
    }
    Ok(schema)
}

/// The schema the migrations build: replayed into a scratch database on `server`, up to `target`.
pub fn replayed(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
    target: Target,
) -> Result<Schema, Error> {
    Ok(replayed_dumped(settings, set, server, target, None)?.0)
}

/// [`replayed`], and `pg_dump` of the scratch database when `pg_dump` is given.
pub(crate) fn replayed_dumped(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
    target: Target,
    pg_dump: Option<&PgDump>,
) -> Result<(Schema, Option<String>), Error> {
    let replay = |url: &DatabaseUrl| -> Result<(), Error> {
        let mut scratch_settings = settings.clone();
        scratch_settings.url = url.clone();
        Database::connect(scratch_settings)?.upgrade(set, target, &mut |_| {})?;
        Ok(())
    };
    let read = |url: &DatabaseUrl| crate::templates::read(url, &settings.history, pg_dump);
    if target == Target::Head {
        let template = crate::templates::of_migrations(set, &settings.history, server);
        return crate::templates::ensure(server, &template, replay, read);
    }
    let scratch = ScratchDatabase::create(server, "replay")?;
    replay(scratch.url())?;
    read(scratch.url())
}

/// How the database at `settings.url` differs from what its applied migrations build (drift made by
/// hand): its revision, and the changes that turn the migrated schema into the live one.
pub fn drift(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
) -> Result<(Revision, Diff), Error> {
    let (history, drift, _) = drift_and_live(settings, set, server)?;
    Ok((history.current(), drift))
}

/// [`drift`] with the history it read (not only its revision) and the live schema it was
/// measured on.
pub(crate) fn drift_and_live(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
) -> Result<(History, Diff, Schema), Error> {
    let history = Database::connect(settings.clone())?.history()?;
    let current = history.current();
    let expected = replayed(
        settings,
        set,
        server,
        Target::Exactly(current.min(set.head())),
    )?;
    let live = snapshot(&settings.url, &settings.history)?;
    let drift = carafe_schema::diff(&expected, &live, &Renames::default());
    Ok((history, drift, live))
}

/// The schema `declared` declares: loaded into a scratch database on `server`.
pub fn declared(
    declared: &Declared,
    server: &DatabaseUrl,
    history: &HistoryTable,
) -> Result<Schema, Error> {
    Ok(declared_dumped(declared, server, history, None)?.schema)
}

/// What is read from the declared schema's scratch database.
pub(crate) struct DeclaredRead {
    /// Its schema.
    pub(crate) schema: Schema,
    /// `pg_dump` of it, when asked for.
    pub(crate) dump: Option<String>,
    /// Its objects a `pg_catalog` name hides.
    pub(crate) shadowed: Vec<Shadowed>,
}

/// [`declared`], `pg_dump` of the scratch database when `pg_dump` is given, and the declared
/// objects a `pg_catalog` name hides.
pub(crate) fn declared_dumped(
    declared: &Declared,
    server: &DatabaseUrl,
    history: &HistoryTable,
    pg_dump: Option<&PgDump>,
) -> Result<DeclaredRead, Error> {
    let template = crate::templates::of_declared(&declared.fingerprint()?, server);
    let load = |url: &DatabaseUrl| -> Result<(), Error> {
        let mut client = carafe::connect(url, Duration::from_secs(10))?;
        declared.load(&mut client)
    };
    let read = |url: &DatabaseUrl| -> Result<DeclaredRead, Error> {
        let (schema, dump) = crate::templates::read(url, history, pg_dump)?;
        let mut client = carafe::connect(url, Duration::from_secs(10))?;
        let shadowed =
            carafe_schema::shadowed(&mut client).map_err(|error| carafe::Error::Database {
                context: format!("cannot read what pg_catalog hides in {url}"),
                message: url.scrub(&error.to_string()),
            })?;
        Ok(DeclaredRead {
            schema,
            dump,
            shadowed,
        })
    };
    crate::templates::ensure(server, &template, load, read)
}

/// Runs the declared schema file at `path` in `client`'s database; an error names the file and line.
pub(crate) fn load_file(path: &Path, client: &mut postgres::Client) -> Result<(), Error> {
    let sql = std::fs::read_to_string(path).map_err(|error| Error::SchemaFile {
        path: path.display().to_string(),
        message: format!("cannot read it: {error}"),
    })?;
    let shown = path.display().to_string();
    let sql = crate::schema_file::server_sql(&shown, &sql)?;
    let Err(error) = client.batch_execute(&sql) else {
        return Ok(());
    };
    let position = error.as_db_error().and_then(|db| match db.position() {
        Some(postgres::error::ErrorPosition::Original(position)) => Some(*position),
        _ => None,
    });
    let line = match position {
        Some(position) => Some(crate::schema_file::line_of_position(&sql, position)),
        None => failing_line(client, &sql),
    };
    Err(Error::SchemaFile {
        path: match line {
            Some(line) => format!("{shown}:{line}"),
            None => shown,
        },
        message: crate::secret_values::masked(&sql, &carafe::describe_server_error(&error)),
    })
}

/// The line of the statement of `sql` that fails, for an error the server gave no position for
/// (permission denied, a missing role: found by review, a long `pg_dump` file named no line).
/// The file ran as one implicit transaction, so nothing of it stayed: its statements run again one
/// by one in a transaction rolled back after. `None` when the file holds its own transaction
/// control (what it committed would fail again earlier) or no statement fails alone.
fn failing_line(client: &mut postgres::Client, sql: &str) -> Option<usize> {
    let statements = carafe_core::split_statements(sql);
    if statements
        .iter()
        .any(|statement| carafe_core::transaction_control_statement(statement.sql).is_some())
    {
        return None;
    }
    client.batch_execute("BEGIN").ok()?;
    let failing = statements
        .iter()
        .find(|statement| client.batch_execute(statement.sql).is_err());
    let _ = client.batch_execute("ROLLBACK");
    failing.map(|statement| sql[..statement.offset].matches('\n').count() + 1)
}
