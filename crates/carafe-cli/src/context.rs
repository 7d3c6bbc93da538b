//! `Context`: what a command works on — the migration set (compiled in, or read from the directory
//! through `carafe-core` and refused if it has any problem) and the connection settings.

#[cfg(feature = "dev")]
use crate::args::Desired;
use crate::args::Global;
#[cfg(feature = "dev")]
use crate::workspace::dev_cluster_dir;
use crate::workspace::migrations_dir;
use crate::{Exit, Failure};
use carafe::{DatabaseUrl, HistoryTable, MigrationSet, Revision, Settings, parse_duration};
use std::borrow::Cow;
use std::path::PathBuf;

/// The database the development commands use when no URL is given.
#[cfg(feature = "dev")]
pub(crate) const DEV_DATABASE: &str = "carafe_dev";

pub(crate) struct Context<'a> {
    pub(crate) global: &'a Global,
    embedded: Option<&'static MigrationSet>,
    #[cfg_attr(not(feature = "dev"), allow(dead_code))]
    models: carafe::model::Models,
    announced: std::cell::Cell<bool>,
}

/// The settings the global flags give, before a URL is known.
struct Flags {
    history: HistoryTable,
    lock_timeout: Option<std::time::Duration>,
    lock_wait: std::time::Duration,
}

impl Flags {
    fn settings(self, url: DatabaseUrl) -> Settings {
        let mut settings = Settings::new(url);
        settings.history = self.history;
        settings.lock_timeout = self.lock_timeout;
        settings.lock_wait = self.lock_wait;
        settings.on_lock_wait = Some(|wait| tell!("note: {wait}"));
        settings
    }
}

/// Where the database a command talks to was named.
enum Source {
    Flag,
    Environment,
    DotEnv(PathBuf),
    #[cfg(feature = "dev")]
    DevServer {
        port: u16,
        started_now: bool,
    },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => f.write_str("from `--database-url`"),
            Source::Environment => f.write_str("from DATABASE_URL in the environment"),
            Source::DotEnv(path) => write!(f, "from DATABASE_URL in `{}`", path.display()),
            #[cfg(feature = "dev")]
            Source::DevServer { port, started_now } => {
                let started = match started_now {
                    true => "started now; ",
                    false => "",
                };
                write!(
                    f,
                    "the local development server on port {port}; {started}it keeps running: `carafe db down` stops it"
                )
            }
        }
    }
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        global: &'a Global,
        embedded: Option<&'static MigrationSet>,
        models: carafe::model::Models,
    ) -> Context<'a> {
        Context {
            global,
            embedded,
            models,
            announced: std::cell::Cell::new(false),
        }
    }

    /// The migrations directory.
    pub(crate) fn dir(&self) -> Result<PathBuf, Failure> {
        migrations_dir(self.global.dir.as_deref())
    }

    /// The migration set: the compiled-in one, or the directory's when it has no problem.
    pub(crate) fn set(&self) -> Result<Cow<'static, MigrationSet>, Failure> {
        if let Some(set) = self.embedded {
            return Ok(Cow::Borrowed(set));
        }
        let dir = self.dir()?;
        let loaded = crate::commands::read_dir(&dir)?;
        if loaded.problems.is_empty() {
            return Ok(Cow::Owned(loaded.set));
        }
        let lines: Vec<String> = loaded
            .problems
            .iter()
            .map(|problem| problem.in_dir(&dir).to_string())
            .collect();
        Err(Failure::new(Exit::BadMigrations, lines.join("\nerror: ")))
    }

    pub(crate) fn history_table(&self) -> Result<HistoryTable, Failure> {
        let text = self.global.history_table.trim();
        let (schema, table) = text.split_once('.').unwrap_or(("public", text));
        if schema.is_empty() || table.is_empty() || table.contains('.') {
            return Err(Failure::new(
                Exit::Settings,
                format_args!(
                    "`--history-table {text}` is not a table name: write TABLE or SCHEMA.TABLE"
                ),
            ));
        }
        let history = HistoryTable::new(schema, table);
        history.check()?;
        Ok(history)
    }

    pub(crate) fn lock_timeout(&self) -> Result<Option<std::time::Duration>, Failure> {
        parse_duration(&self.global.lock_timeout).map_err(|message| {
            Failure::new(Exit::Settings, format_args!("--lock-timeout: {message}"))
        })
    }

    /// Connection settings: `--database-url`, else DATABASE_URL (environment, then `.env`), else, for
    /// the development tool only, the local development server, started on demand. A deploy binary
    /// (a compiled-in set) never starts a server: it stops, naming DATABASE_URL. The first call
    /// says on stderr which database it is (masked) and where it was named.
    pub(crate) fn settings(&self) -> Result<Settings, Failure> {
        // Every flag is checked before a development server may be started for the database.
        let flags = self.flags()?;
        let (url, source) = match self.configured_database()? {
            Some(configured) => configured,
            None => self.unconfigured_database()?,
        };
        if !self.announced.replace(true) {
            tell!("database: {url} ({source})");
        }
        Ok(flags.settings(url))
    }

    /// The flags that go into [`Settings`], checked.
    fn flags(&self) -> Result<Flags, Failure> {
        let history = self.history_table()?;
        let lock_timeout = self.lock_timeout()?;
        let lock_wait = parse_duration(&self.global.lock_wait)
            .map_err(|message| {
                Failure::new(Exit::Settings, format_args!("--lock-wait: {message}"))
            })?
            .unwrap_or_default();
        Ok(Flags {
            history,
            lock_timeout,
            lock_wait,
        })
    }

    /// Settings for work on scratch databases made on `server`: the flags, and the configured
    /// database's URL when there is one, else `server`'s. So `--scratch-url` without a database
    /// starts no development server.
    #[cfg(feature = "dev")]
    pub(crate) fn scratch_settings(&self, server: &DatabaseUrl) -> Result<Settings, Failure> {
        let url = match self.configured_database()? {
            Some((url, _)) => url,
            None => server.clone(),
        };
        Ok(self.flags()?.settings(url))
    }

    /// What a command uses when no database is configured.
    fn unconfigured_database(&self) -> Result<(DatabaseUrl, Source), Failure> {
        #[cfg(feature = "dev")]
        if self.embedded.is_none() {
            return self.dev_database_url();
        }
        Err(Failure::new(
            Exit::Settings,
            "no database configured: set DATABASE_URL (or pass `--database-url`)",
        ))
    }

    /// The database given by `--database-url`, DATABASE_URL or `.env`; `None` when none is.
    fn configured_database(&self) -> Result<Option<(DatabaseUrl, Source)>, Failure> {
        if let Some(text) = &self.global.database_url {
            let url = carafe::parse_configured_url(text, "`--database-url`")?;
            return Ok(Some((url, Source::Flag)));
        }
        if let Some(url) = carafe::database_url_from_env()? {
            return Ok(Some((url, Source::Environment)));
        }
        Ok(crate::dotenv::database_url()?.map(|(url, path)| (url, Source::DotEnv(path))))
    }

    /// The configured database's URL, if one is configured (for commands that only may connect),
    /// said on stderr as [`Context::settings`] says it (found by review: `check` said nothing).
    #[cfg(feature = "dev")]
    pub(crate) fn configured_url(&self) -> Result<Option<DatabaseUrl>, Failure> {
        let Some((url, source)) = self.configured_database()? else {
            return Ok(None);
        };
        if !self.announced.replace(true) {
            tell!("database: {url} ({source})");
        }
        Ok(Some(url))
    }
}

#[cfg(feature = "dev")]
impl Context<'_> {
    /// The server scratch databases are made on: `--scratch-url`, else the database's server when its
    /// role may create databases, else the local development server.
    pub(crate) fn scratch_server(&self, desired: &Desired) -> Result<DatabaseUrl, Failure> {
        if let Some(text) = &desired.scratch_url {
            return Ok(carafe::parse_configured_url(text, "`--scratch-url`")?);
        }
        let url = self.settings()?.url;
        let mut client = carafe::connect(&url, std::time::Duration::from_secs(10))?;
        let may_create = client
            .query_one(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user",
                &[],
            )
            .map(|row| row.get::<_, bool>(0))
            .unwrap_or(false);
        if may_create {
            return Ok(url);
        }
        tell!(
            "note: the role in {url} may not create databases: using the local development server for scratch databases"
        );
        Ok(self.dev_database_url()?.0)
    }

    /// The settings of a database that may hold this branch's revisions, for a command that only
    /// checks: the configured one, else the development server when it was ever created (started
    /// if stopped, and said so), else `None`.
    pub(crate) fn existing_database_settings(&self) -> Result<Option<Settings>, Failure> {
        if self.configured_database()?.is_some() {
            return self.settings().map(Some);
        }
        let created = self
            .dir()
            .map(|dir| {
                dev_cluster_dir(&dir)
                    .join("data")
                    .join("PG_VERSION")
                    .is_file()
            })
            .unwrap_or(false);
        match created && self.embedded.is_none() {
            true => self.settings().map(Some),
            false => Ok(None),
        }
    }

    /// The declared schema: the app's models (from [`crate::main_with`]) and the schema file, or
    /// the schema file alone when there are no models.
    pub(crate) fn declared(&self, desired: &Desired) -> Result<carafe_desired::Declared, Failure> {
        if self.models.is_empty() {
            return Ok(carafe_desired::Declared::file(self.schema_path(desired)?));
        }
        let file = match &desired.schema {
            Some(path) => Some(path.clone()),
            None => self.schema_path(desired).ok(),
        };
        Ok(carafe_desired::Declared::models(self.models, file))
    }

    /// The declared schema: `--schema`/`CARAFE_SCHEMA`, else `[workspace.metadata.carafe] schema`,
    /// else `schema.sql` beside the migrations directory.
    pub(crate) fn schema_path(&self, desired: &Desired) -> Result<PathBuf, Failure> {
        if let Some(path) = &desired.schema {
            return Ok(path.clone());
        }
        let dir = self.dir()?;
        if let Some(path) = crate::workspace::schema_from_cargo_metadata(&dir) {
            return Ok(path);
        }
        let beside = dir.join("../schema.sql");
        match beside.is_file() {
            true => Ok(beside),
            false => Err(Failure::new(
                Exit::Settings,
                "no declared schema: pass `--schema PATH`, set CARAFE_SCHEMA, or add `[workspace.metadata.carafe] schema = \"PATH\"` to the workspace's Cargo.toml; an app whose models are the declared schema runs this through its own `migrate` binary (`cargo run --bin migrate --features dev -- ...`, `just autogenerate`)",
            )),
        }
    }

    /// The `--rename` flags.
    pub(crate) fn renames(&self, desired: &Desired) -> Result<carafe_schema::Renames, Failure> {
        carafe_schema::Renames::parse(&desired.renames).map_err(|invalid| {
            let messages: Vec<String> = invalid.iter().map(ToString::to_string).collect();
            Failure::new(Exit::Usage, messages.join("; "))
        })
    }

    fn dev_database_url(&self) -> Result<(DatabaseUrl, Source), Failure> {
        let dir = self.dir().map_err(|failure| {
            Failure::new(
                Exit::Settings,
                format_args!("DATABASE_URL is not set and there is no workspace for a local development server ({failure}): set DATABASE_URL"),
            )
        })?;
        let cluster =
            carafe_devdb::DevCluster::ensure_running(dev_cluster_dir(&dir)).map_err(|error| {
                Failure::new(
                    Exit::Environment,
                    format_args!("local development server: {error}"),
                )
            })?;
        ensure_dev_database(&cluster)?;
        let url = DatabaseUrl::parse(&cluster.url(DEV_DATABASE)).map_err(carafe::Error::from)?;
        let source = Source::DevServer {
            port: cluster.port(),
            started_now: cluster.started_now(),
        };
        Ok((url, source))
    }
}

/// Creates the development database on first use.
#[cfg(feature = "dev")]
pub(crate) fn ensure_dev_database(cluster: &carafe_devdb::DevCluster) -> Result<(), Failure> {
    let url = DatabaseUrl::parse(&cluster.url("postgres")).map_err(carafe::Error::from)?;
    let mut client = carafe::connect(&url, std::time::Duration::from_secs(10))?;
    let exists = client
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = $1",
            &[&DEV_DATABASE],
        )
        .map_err(|error| {
            Failure::new(
                Exit::Environment,
                format_args!("local development server: {error}"),
            )
        })?
        .is_some();
    if !exists {
        // A concurrent first run may create it in between; that is fine.
        let _ = client.batch_execute(&format!("CREATE DATABASE {DEV_DATABASE}"));
    }
    Ok(())
}

/// Reads a revision argument: `NNNN`, `N` or `base`.
pub(crate) fn parse_revision(text: &str) -> Result<Revision, Failure> {
    text.parse::<Revision>()
        .map_err(|error| Failure::new(Exit::Usage, error))
}
