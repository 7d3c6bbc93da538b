//! The runtime library against a real PostgreSQL: TLS as `sslmode` asks, the migration lock, and
//! the start-up guard on tokio.

mod guard;
mod lock;
mod statements;
mod tls;

use carafe::MigrationSet;
use carafe_core::{SourceFile, SumFile, load};

/// A sound set of these files, recorded in a `carafe.sum` as `carafe rehash` would.
pub(crate) fn set(files: &[(&str, &str)]) -> MigrationSet {
    let mut sources: Vec<SourceFile> = files
        .iter()
        .map(|(name, text)| SourceFile::new(*name, text.as_bytes()))
        .collect();
    let sum = SumFile::from_checksums(
        files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), carafe::Checksum::of(text.as_bytes()))),
    );
    sources.push(SourceFile::new("carafe.sum", sum.render()));
    load(&sources).into_result().expect("sound set")
}
