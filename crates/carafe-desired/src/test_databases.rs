//! `TestDatabases`: a fresh database at head for each of an app's tests, in milliseconds. The
//! migrations (or the declared models) are applied once into a template database named after what
//! it holds; each test gets a `CREATE DATABASE ... TEMPLATE` copy, dropped when the test's value
//! goes (and swept after a killed run, like every scratch database).
//!
//! The template is kept on the server (`carafe_template_<hash>`), so the next test binary and the
//! next run of the same migrations reuse it; a changed migration set, or changed models, makes a
//! new one. Templates are disposable: dropping one only costs its next rebuild.

use crate::{Declared, Error, ScratchDatabase};
use carafe::{Database, DatabaseUrl, MigrationSet, Settings, Target};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The template databases' prefix.
const TEMPLATE_PREFIX: &str = "carafe_template_";

/// Copies of one template database, for tests.
#[derive(Debug, Clone)]
pub struct TestDatabases {
    server: DatabaseUrl,
    template: String,
}

impl TestDatabases {
    /// The template at the head of `set`, on `server` (whose role may create databases), built by
    /// replaying `set` unless a template of the same migrations exists.
    pub fn migrated(server: &DatabaseUrl, set: &MigrationSet) -> Result<TestDatabases, Error> {
        let key = key(set.sum_file().render().as_bytes());
        TestDatabases::ensure(server, &key, |url| {
            let mut settings = Settings::new(url.clone());
            settings.lock_timeout = None;
            Database::connect(settings)?.upgrade(set, Target::Head, &mut |_| {})?;
            Ok(())
        })
    }

    /// The template of what `declared` declares (an app's models, a `schema.sql`), on `server`.
    pub fn declared(server: &DatabaseUrl, declared: &Declared) -> Result<TestDatabases, Error> {
        let key = key(declared.fingerprint()?.as_bytes());
        TestDatabases::ensure(server, &key, |url| {
            let mut client = carafe::connect(url, Duration::from_secs(10))?;
            declared.load(&mut client)
        })
    }

    fn ensure(
        server: &DatabaseUrl,
        key: &str,
        build: impl FnOnce(&DatabaseUrl) -> Result<(), Error>,
    ) -> Result<TestDatabases, Error> {
        let template = format!("{TEMPLATE_PREFIX}{key}");
        let ready = TestDatabases {
            server: server.clone(),
            template: template.clone(),
        };
        if ready.exists()? {
            return Ok(ready);
        }
        let building = ScratchDatabase::create(server, "template")?;
        build(building.url())?;
        // Kept under its final name; when another run kept the same template first, this copy
        // is dropped and theirs, built from the same input, is used.
        building.keep_as(&template)?;
        Ok(ready)
    }

    fn exists(&self) -> Result<bool, Error> {
        let mut client = carafe::connect(&self.server, Duration::from_secs(10))?;
        let found = client
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[&self.template],
            )
            .map_err(|error| carafe::Error::Database {
                context: format!("cannot look for the template `{}`", self.template),
                message: self.server.scrub(&carafe::describe_server_error(&error)),
            })?;
        Ok(found.is_some())
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

/// 16 hex digits of SHA-256: what names a template.
fn key(input: &[u8]) -> String {
    let digest = Sha256::digest(input);
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
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
