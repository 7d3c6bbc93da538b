//! `Error`: why a comparison of schemas could not be made or refused its result, worded for the user.

/// Why autogenerate, check, verify or drift stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Connecting, migrating or introspecting failed (the runtime's error, unchanged).
    #[error(transparent)]
    Runtime(#[from] carafe::Error),
    /// The role may not create the scratch databases autogenerate, check and verify need.
    #[error(
        "the role in {url} may not create databases, which autogenerate, check and verify need for scratch copies: grant it CREATEDB, or point --scratch-url at a server where it may"
    )]
    ScratchNotAllowed {
        /// The server, password masked.
        url: String,
    },
    /// The declared schema could not be read or loaded.
    #[error("{path}: cannot load the declared schema: {message}")]
    SchemaFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The app's models could not be created together.
    #[error("cannot load the declared models: {message}")]
    Models {
        /// What went wrong, naming the model.
        message: String,
    },
    /// The local development server could not be started.
    #[error("local development server: {message}")]
    DevServer {
        /// What went wrong.
        message: String,
    },
    /// `pg_dump` could not be run or failed.
    #[error("pg_dump: {message}")]
    PgDump {
        /// What went wrong (password masked).
        message: String,
    },
    /// `squash` cannot replace these revisions with a baseline.
    #[error("cannot squash: {reason}; nothing was written")]
    SquashRefused {
        /// Why, and what to do.
        reason: String,
    },
    /// The baseline did not build what the revisions built.
    #[error(
        "cannot squash: at {stage}, the baseline's database differs from the revisions' ({judge}: {difference}); nothing was written"
    )]
    SquashNotFaithful {
        /// Where: `the baseline` or `head`.
        stage: String,
        /// Which judge saw it.
        judge: &'static str,
        /// The first difference.
        difference: String,
    },
    /// Autogenerate found nothing to write.
    #[error("no changes detected: the migrations already build {declared}; no revision written")]
    NoChanges {
        /// The declared schema's sources.
        declared: String,
    },
}
