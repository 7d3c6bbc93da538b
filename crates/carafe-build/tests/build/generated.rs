//! The generated module, reviewed as text.

use carafe_build::{GENERATED_FILE_NAME, PACKED_FILE_NAME, render_module, try_compile};
use carafe_core::load_dir;
use std::path::PathBuf;

fn sommelier_migrations() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations")
}

#[test]
fn the_sommelier_module_is_reviewed_as_a_snapshot() {
    let set = load_dir(&sommelier_migrations())
        .expect("read migrations")
        .into_result()
        .expect("the sample migrations are sound");
    insta::assert_snapshot!(render_module(&set));
}

#[test]
fn identical_input_gives_byte_identical_output_and_no_rewrite() {
    let out = tempfile::tempdir().expect("tempdir");
    let path = try_compile(&sommelier_migrations(), out.path()).expect("compiles");
    assert_eq!(path, out.path().join(GENERATED_FILE_NAME));
    let first = std::fs::read(&path).expect("read");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    try_compile(&sommelier_migrations(), out.path()).expect("compiles again");
    assert_eq!(std::fs::read(&path).expect("read"), first);
    let unchanged = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(
        modified, unchanged,
        "an unchanged module is not rewritten, so nothing downstream rebuilds"
    );
}

#[test]
fn an_empty_directory_gives_an_empty_set_at_base() {
    let dir = tempfile::tempdir().expect("tempdir");
    let set = load_dir(dir.path())
        .expect("read")
        .into_result()
        .expect("sound");
    insta::assert_snapshot!(render_module(&set));
}

#[test]
fn a_missing_directory_names_the_path_and_the_fix() {
    let out = tempfile::tempdir().expect("tempdir");
    let error = try_compile("no/such/migrations".as_ref(), out.path()).expect_err("fails");
    assert_eq!(
        error.to_string(),
        "migrations directory `no/such/migrations` not found (paths are relative to the crate's Cargo.toml): create it, or fix the path given to `carafe_build::compile`"
    );
}

/// A temporary migrations directory holding `files` and the `carafe.sum` that records them.
fn recorded_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write migration");
    }
    let sum = load_dir(dir.path()).expect("read").sum_file();
    std::fs::write(dir.path().join(carafe_core::SUM_FILE_NAME), sum.render()).expect("write sum");
    dir
}

#[test]
fn a_down_with_nothing_to_undo_builds_and_is_embedded_as_such() {
    let dir = recorded_dir(&[(
        "0001_backfill.sql",
        "-- migrate:up\nupdate t set c = 0 where c is null;\n-- migrate:down nothing\n",
    )]);
    let out = tempfile::tempdir().expect("tempdir");
    let module = try_compile(dir.path(), out.path()).expect("a nothing down builds");
    assert!(
        std::fs::read_to_string(module)
            .expect("read module")
            .contains("m0001_backfill")
    );
    let packed = std::fs::read(out.path().join(PACKED_FILE_NAME)).expect("read pack");
    let files = carafe_core::unpack_files(&packed).expect("a pack");
    let set = carafe_core::load(&files).into_result().expect("sound");
    assert_eq!(set.as_slice()[0].down, carafe_core::Down::Nothing);
}

/// An editor backup beside a migration neither fails the build nor reaches the app: the module
/// and the pack are the bytes a clean directory gives.
#[test]
fn editor_backups_build_and_are_not_embedded() {
    let files = [(
        "0001_create.sql",
        "-- migrate:up\ncreate table t (c int);\n-- migrate:down\ndrop table t;\n",
    )];
    let clean = recorded_dir(&files);
    let messy = recorded_dir(&files);
    for name in [
        "0001_create.sql~",
        "0001_create.sql.orig",
        "#0001_create.sql#",
    ] {
        std::fs::write(messy.path().join(name), "-- migrate:up\nhalf an edit").expect("write");
    }
    let clean_out = tempfile::tempdir().expect("tempdir");
    let messy_out = tempfile::tempdir().expect("tempdir");
    try_compile(clean.path(), clean_out.path()).expect("clean builds");
    try_compile(messy.path(), messy_out.path()).expect("backups do not block the build");
    for generated in [GENERATED_FILE_NAME, PACKED_FILE_NAME] {
        assert_eq!(
            std::fs::read(messy_out.path().join(generated)).expect("read"),
            std::fs::read(clean_out.path().join(generated)).expect("read"),
            "{generated}"
        );
    }
}
