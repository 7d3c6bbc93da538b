//! `Failure`: an error on its way out of the CLI, with the exit code it maps to.

use crate::Exit;
use std::fmt;

/// What went wrong, already worded for the user, and its exit code.
#[derive(Debug)]
pub struct Failure {
    exit: Exit,
    message: String,
    /// Under `--json`, the command's own document already says it (`current --check`'s
    /// `"at_head": false`): stdout holds one document, so no error object follows.
    said_in_json: bool,
}

impl Failure {
    /// A failure with this exit code and message.
    pub fn new(exit: Exit, message: impl fmt::Display) -> Failure {
        Failure {
            exit,
            message: message.to_string(),
            said_in_json: false,
        }
    }

    /// This failure, which the command's `--json` document already reports.
    pub fn said_in_json(mut self) -> Failure {
        self.said_in_json = true;
        self
    }

    /// Whether the command's `--json` document already reports it.
    pub fn is_said_in_json(&self) -> bool {
        self.said_in_json
    }

    /// The exit code.
    pub fn exit(&self) -> Exit {
        self.exit
    }
}

impl From<carafe::Error> for Failure {
    fn from(error: carafe::Error) -> Failure {
        Failure::new(error.kind().into(), error)
    }
}

impl From<carafe::PlanError> for Failure {
    fn from(error: carafe::PlanError) -> Failure {
        carafe::Error::from(error).into()
    }
}

#[cfg(feature = "dev")]
impl From<carafe_desired::Error> for Failure {
    fn from(error: carafe_desired::Error) -> Failure {
        let exit = match &error {
            carafe_desired::Error::Runtime(runtime) => runtime.kind().into(),
            carafe_desired::Error::ScratchNotAllowed { .. } => Exit::Settings,
            carafe_desired::Error::SchemaFile { .. } => Exit::MigrationFailed,
            carafe_desired::Error::Models { .. } => Exit::Settings,
            carafe_desired::Error::NoChanges { .. } => Exit::NoChanges,
            carafe_desired::Error::PgDump { .. } | carafe_desired::Error::DevServer { .. } => {
                Exit::Environment
            }
            carafe_desired::Error::SquashRefused { .. }
            | carafe_desired::Error::SquashNotFaithful { .. } => Exit::BadMigrations,
        };
        Failure::new(exit, error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
