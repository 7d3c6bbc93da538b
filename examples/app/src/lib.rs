//! An app's database module: the typed migrations compiled in by `build.rs`.

/// One typed revision per file, `MIGRATIONS` and `HEAD`.
pub mod migrations {
    carafe::include_migrations!();
}
