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
    /// Autogenerate found nothing to write.
    #[error("no changes detected: the migrations already build `{declared}`; no revision written")]
    NoChanges {
        /// The declared schema's file.
        declared: String,
    },
}
