//! Build time and run time read a migration the same way: the set `carafe-build` compiled in equals
//! the set `carafe-core` reads from the same directory now.

use carafe::{Revision, Transaction};
use sommelier_db::migrations;
use std::path::PathBuf;

#[test]
fn the_embedded_set_equals_the_directory_read_at_run_time() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let from_disk = carafe_core::load_dir(&dir)
        .expect("read migrations")
        .into_result()
        .expect("sound directory");
    assert_eq!(from_disk, *migrations::MIGRATIONS);
}

/// Each typed revision's `NAME` and `CHECKSUM` are its file's, in `const` code as at run time.
#[test]
fn typed_revisions_carry_the_name_and_checksum_of_their_file() {
    const VINTAGE: (&str, carafe::Checksum) = (
        migrations::m0002_add_vintage_column::NAME,
        migrations::m0002_add_vintage_column::CHECKSUM,
    );
    let typed = [
        (
            migrations::m0001_create_products::REVISION,
            migrations::m0001_create_products::NAME,
            migrations::m0001_create_products::CHECKSUM,
        ),
        (
            migrations::m0002_add_vintage_column::REVISION,
            VINTAGE.0,
            VINTAGE.1,
        ),
        (
            migrations::m0003_add_price_index::REVISION,
            migrations::m0003_add_price_index::NAME,
            migrations::m0003_add_price_index::CHECKSUM,
        ),
        (
            migrations::m0004_add_alcohol_column::REVISION,
            migrations::m0004_add_alcohol_column::NAME,
            migrations::m0004_add_alcohol_column::CHECKSUM,
        ),
    ];
    let embedded: Vec<_> = migrations::MIGRATIONS
        .iter()
        .map(|migration| (migration.revision, migration.name(), migration.checksum))
        .collect();
    let typed: Vec<_> = typed
        .into_iter()
        .map(|(revision, name, checksum)| (revision, name.to_owned(), checksum))
        .collect();
    assert_eq!(typed, embedded);
}

#[test]
fn typed_revisions_name_the_sommelier_history() {
    assert_eq!(
        migrations::m0001_create_products::REVISION,
        Revision::new(1)
    );
    let vintage = migrations::MIGRATIONS
        .get(migrations::m0002_add_vintage_column::REVISION)
        .expect("0002");
    assert_eq!(vintage.name(), "0002_add_vintage_column");
    let index = migrations::MIGRATIONS
        .get(migrations::m0003_add_price_index::REVISION)
        .expect("0003");
    assert_eq!(index.up.transaction, Transaction::Disabled);
    assert_eq!(
        migrations::HEAD,
        migrations::m0004_add_alcohol_column::REVISION
    );
    assert_eq!(migrations::MIGRATIONS.head(), migrations::HEAD);
    assert_eq!(migrations::MIGRATIONS.len(), 4);
}
