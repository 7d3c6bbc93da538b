//! Build time and run time read a migration the same way: the set `decant-build` compiled in equals
//! the set `decant-core` reads from the same directory now.

use decant::{Revision, Transaction};
use sommelier_db::migrations;
use std::path::PathBuf;

#[test]
fn the_embedded_set_equals_the_directory_read_at_run_time() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let from_disk = decant_core::load_dir(&dir)
        .expect("read migrations")
        .into_result()
        .expect("sound directory");
    assert_eq!(from_disk, *migrations::MIGRATIONS);
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
