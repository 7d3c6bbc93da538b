//! `Declared`: where the schema as it should be comes from — an app's models
//! (`#[derive(carafe::Table)]`), a `schema.sql`, or both — and loading it into a scratch database.
//!
//! The models are created first and the file after them, so the file can hold what a struct
//! cannot express (views, functions, triggers, policies) over the models' tables. The server, not
//! carafe, normalises the models' types, defaults and expressions, so they compare with what the
//! migrations build exactly as hand-written SQL would.

use crate::Error;
use carafe::model::Models;
use std::fmt;
use std::path::{Path, PathBuf};

/// The declared schema's sources.
#[derive(Debug, Clone)]
pub struct Declared {
    models: Models,
    file: Option<PathBuf>,
}

impl Declared {
    /// A `schema.sql` alone.
    pub fn file(path: impl Into<PathBuf>) -> Declared {
        Declared {
            models: Models::none(),
            file: Some(path.into()),
        }
    }

    /// An app's models, and a `schema.sql` for what they cannot express when `file` is given.
    pub fn models(models: Models, file: Option<PathBuf>) -> Declared {
        Declared { models, file }
    }

    /// The file, when there is one.
    pub fn file_path(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// What the sources hold, as text: the models' SQL and the file's contents; equal texts
    /// declare equal schemas.
    pub(crate) fn fingerprint(&self) -> Result<String, Error> {
        let mut text = self.models.create_sql().map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Error::Models {
                message: lines.join("; "),
            }
        })?;
        if let Some(path) = &self.file {
            text.push_str("\n-- file\n");
            text.push_str(
                &std::fs::read_to_string(path).map_err(|error| Error::SchemaFile {
                    path: path.display().to_string(),
                    message: format!("cannot read it: {error}"),
                })?,
            );
        }
        Ok(text)
    }

    /// Loads every source into `client`'s database: the models, then the file.
    pub(crate) fn load(&self, client: &mut postgres::Client) -> Result<(), Error> {
        let statements = self.models.create_statements().map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Error::Models {
                message: lines.join("; "),
            }
        })?;
        for statement in statements {
            client.batch_execute(&statement.sql).map_err(|error| {
                let first_line = statement.sql.lines().next().unwrap_or_default();
                Error::Models {
                    message: format!(
                        "PostgreSQL refused `{}`'s SQL ({first_line} ...): {}; check its attributes (types, defaults, checks, generated expressions, collations, index methods and predicates, foreign keys)",
                        statement.model,
                        carafe::describe_server_error(&error)
                    ),
                }
            })?;
        }
        if let Some(path) = &self.file {
            crate::snapshot::load_file(path, client)?;
        }
        Ok(())
    }
}

impl fmt::Display for Declared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.models.names();
        if !names.is_empty() {
            write!(f, "the models ({})", names.join(", "))?;
        }
        match (&self.file, names.is_empty()) {
            (Some(path), true) => write!(f, "`{}`", path.display()),
            (Some(path), false) => write!(f, " and `{}`", path.display()),
            (None, true) => f.write_str("an empty declared schema"),
            (None, false) => Ok(()),
        }
    }
}
