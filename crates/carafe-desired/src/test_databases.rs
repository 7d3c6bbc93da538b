//! `TestDatabases`: a fresh database at head for each of an app's tests, in milliseconds. The
//! migrations (or the declared models) are applied once into a template database named after what
//! it holds; each test gets a `CREATE DATABASE ... TEMPLATE` copy, dropped when the test's value
//! goes (and swept after a killed run, like every scratch database).
//!
//! The template is kept on the server (`carafe_template_<hash>`, see [`crate::templates`]), so the
//! next test binary and the next run of the same migrations reuse it; a changed migration set, or
//! changed models, makes a new one.

use crate::{Declared, Error, ScratchDatabase};
use carafe::{Database, DatabaseUrl, HistoryTable, MigrationSet, Settings, Target};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Copies of one template database, for tests.
#[derive(Debug, Clone)]
pub struct TestDatabases {
    server: DatabaseUrl,
    template: String,
}

impl TestDatabases {
    /// The template at the head of `set`, on `server` (whose role may create databases), built by
    /// replaying `set` unless a template of the same migrations exists (one that `check` or
    /// `autogenerate` made serves too).
    pub fn migrated(server: &DatabaseUrl, set: &MigrationSet) -> Result<TestDatabases, Error> {
        let history = HistoryTable::default();
        let template = crate::templates::of_migrations(set, &history, server);
        crate::templates::ensure(
            server,
            &template,
            |url| {
                let mut settings = Settings::new(url.clone());
                settings.lock_timeout = None;
                Database::connect(settings)?.upgrade(set, Target::Head, &mut |_| {})?;
                Ok(())
            },
            |_| Ok(()),
        )?;
        Ok(TestDatabases {
            server: server.clone(),
            template,
        })
    }

    /// The template of what `declared` declares (an app's models, a `schema.sql`), on `server`.
    pub fn declared(server: &DatabaseUrl, declared: &Declared) -> Result<TestDatabases, Error> {
        let template = crate::templates::of_declared(&declared.fingerprint()?, server);
        crate::templates::ensure(
            server,
            &template,
            |url| {
                let mut client = carafe::connect(url, Duration::from_secs(10))?;
                declared.load(&mut client)
            },
            |_| Ok(()),
        )?;
        Ok(TestDatabases {
            server: server.clone(),
            template,
        })
    }

    /// The template's name.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// A fresh copy of the template, dropped when the value is.
    pub fn fresh(&self) -> Result<ScratchDatabase, Error> {
        ScratchDatabase::copy_of(&self.server, "test", &self.template)
    }
}

/// The server an app's tests make their databases on: `DATABASE_URL`'s (its role must be allowed to
/// create databases), else the local development server of the workspace the tests run in (see
/// [`test_server_in`]).
pub fn test_server() -> Result<DatabaseUrl, Error> {
    if let Some(url) = carafe::database_url_from_env()? {
        return Ok(url);
    }
    let here = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    test_server_in(&here)
}

/// The local development server of the workspace `dir` is in: `target/carafe-pg` beside the
/// nearest `Cargo.lock` above `dir` (or under `CARGO_TARGET_DIR`), created and started when it is
/// not running — the server `carafe` itself uses. It keeps running: `carafe db down` stops it.
pub fn test_server_in(dir: &Path) -> Result<DatabaseUrl, Error> {
    let root = dir
        .ancestors()
        .find(|ancestor| ancestor.join("Cargo.lock").is_file())
        .unwrap_or(dir);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let cluster =
        carafe_devdb::DevCluster::ensure_running(target.join("carafe-pg")).map_err(|error| {
            Error::DevServer {
                message: error.to_string(),
            }
        })?;
    Ok(DatabaseUrl::parse(&cluster.url("postgres")).map_err(carafe::Error::from)?)
}
