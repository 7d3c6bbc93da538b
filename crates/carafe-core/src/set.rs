//! `MigrationSet`: the ordered set of revisions a build knows, compiled in or read from disk.

use crate::{Migration, Revision, SumFile};
use std::borrow::Cow;

/// The revisions of a migrations directory, ordered by number.
///
/// A set that came out of [`crate::load`] without problems, or out of generated code, is contiguous
/// from 0001, or from its baseline (see [`MigrationSet::baseline`]); one loaded from a broken
/// directory holds what could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationSet {
    migrations: Cow<'static, [Migration]>,
}

impl MigrationSet {
    /// A set from migrations read at run time, sorted by revision.
    pub fn from_migrations(mut migrations: Vec<Migration>) -> MigrationSet {
        migrations.sort_by_key(|migration| migration.revision);
        MigrationSet {
            migrations: Cow::Owned(migrations),
        }
    }

    /// The migrations, oldest first.
    pub fn as_slice(&self) -> &[Migration] {
        &self.migrations
    }

    /// The migrations, oldest first.
    pub fn iter(&self) -> std::slice::Iter<'_, Migration> {
        self.migrations.iter()
    }

    /// How many revisions there are.
    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }

    /// The newest revision, or [`Revision::BASE`] for an empty set.
    pub fn head(&self) -> Revision {
        self.migrations
            .last()
            .map_or(Revision::BASE, |migration| migration.revision)
    }

    /// The migration numbered `revision`.
    pub fn get(&self, revision: Revision) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&revision, |migration| migration.revision)
            .ok()
            .map(|index| &self.migrations[index])
    }

    /// The baseline the set starts with, when `carafe squash` replaced its first revisions.
    pub fn baseline(&self) -> Option<(&Migration, crate::Replaced)> {
        let first = self.migrations.first()?;
        first.replaces.map(|replaced| (first, replaced))
    }

    /// The `carafe.sum` this set should have.
    pub fn sum_file(&self) -> SumFile {
        SumFile::from_checksums(
            self.iter()
                .map(|migration| (migration.file_name(), migration.checksum)),
        )
    }
}

impl<'a> IntoIterator for &'a MigrationSet {
    type Item = &'a Migration;
    type IntoIter = std::slice::Iter<'a, Migration>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
