//! Loading directories: every kind of problem, reported together, as the user reads it.

use carafe_core::{Checksum, Down, SourceFile, SumFile, Transaction, load};

const GOOD_UP: &str = "-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n";

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile::new(name, text.as_bytes())
}

/// A directory of these migration files with a `carafe.sum` recording them as they are.
fn recorded(files: &[(&str, &str)]) -> Vec<SourceFile> {
    let mut sources: Vec<SourceFile> = files.iter().map(|(name, text)| file(name, text)).collect();
    let sum = SumFile::from_checksums(
        files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), Checksum::of(text.as_bytes()))),
    );
    sources.push(file("carafe.sum", &sum.render()));
    sources
}

/// The problems of a directory, one rendered line each, as `cargo build` shows them.
fn problems(sources: &[SourceFile]) -> Vec<String> {
    load(sources)
        .problems
        .iter()
        .map(|problem| problem.in_dir("migrations".as_ref()).to_string())
        .collect()
}

#[test]
fn a_sound_directory_loads_in_order_with_its_details() {
    let mut sources = recorded(&[
        (
            "0002_b.sql",
            "-- migrate:up transaction:false\ncreate index concurrently i on t (c);\n-- migrate:down irreversible\n",
        ),
        (
            "0001_a.sql",
            "-- Create t.\n-- migrate:up\ncreate table t (c int);\n-- migrate:down\ndrop table t;\n",
        ),
    ]);
    sources.push(file("README.md", "not a migration"));
    let loaded = load(&sources);
    assert_eq!(loaded.problems, vec![]);
    let set = loaded.set;
    assert_eq!(set.head().to_string(), "0002");
    let names: Vec<String> = set.iter().map(|m| m.name()).collect();
    assert_eq!(names, ["0001_a", "0002_b"]);
    let first = &set.as_slice()[0];
    assert_eq!(first.description, "Create t.");
    assert_eq!(first.up.line, 3);
    assert_eq!(set.as_slice()[1].up.transaction, Transaction::Disabled);
    assert_eq!(set.as_slice()[1].down, Down::Irreversible);
}

#[test]
fn an_empty_directory_is_sound_and_at_base() {
    let loaded = load(&[]);
    assert!(loaded.problems.is_empty());
    assert!(loaded.set.head().is_base());
}

#[test]
fn every_problem_of_a_directory_is_reported_at_once() {
    let mut sources = recorded(&[
        ("0001_a.sql", GOOD_UP),
        ("0002_b.sql", GOOD_UP),
        ("0004_gap.sql", GOOD_UP),
        ("0006_dup_one.sql", GOOD_UP),
        ("0006_dup_two.sql", GOOD_UP),
        ("0007_no_up.sql", "select 1;\n"),
        ("0008_no_down.sql", "-- migrate:up\nselect 1;\n"),
        (
            "0009_option.sql",
            "-- migrate:up transaction:sometimes\nselect 1;\n-- migrate:down\nselect 2;\n",
        ),
        (
            "0010_empty_up.sql",
            "-- migrate:up\n\n-- migrate:down\nselect 2;\n",
        ),
        ("0011_edited.sql", GOOD_UP),
    ]);
    sources.extend([
        file("3_add.sql", GOOD_UP),
        file("0003-add.sql", GOOD_UP),
        file("0003_Add.sql", GOOD_UP),
        file("0003_add.SQL", GOOD_UP),
        SourceFile::new(
            "0012_latin1.sql",
            b"-- migrate:up\nselect 'caf\xe9';\n-- migrate:down\nselect 1;\n".to_vec(),
        ),
        file("0013_unrecorded.sql", GOOD_UP),
    ]);
    let edited = sources
        .iter_mut()
        .find(|s| s.name == "0011_edited.sql")
        .expect("fixture");
    edited.bytes = b"-- migrate:up\nselect 'changed';\n-- migrate:down\nselect 2;\n".to_vec();
    insta::assert_snapshot!(problems(&sources).join("\n"));
}

#[test]
fn duplicate_numbers_name_both_files() {
    let lines = problems(&recorded(&[
        ("0001_a.sql", GOOD_UP),
        ("0001_b.sql", GOOD_UP),
    ]));
    assert_eq!(
        lines,
        [
            "migrations/0001_b.sql: revision 0001 is used by both `0001_a.sql` and `0001_b.sql`: after a merge, `carafe renumber` moves this branch's new revisions after the other branch's; otherwise rename the one never applied to 0002 (the next free number) and run `carafe rehash`"
        ]
    );
}

#[test]
fn a_missing_first_revision_is_a_gap() {
    let lines = problems(&recorded(&[("0002_b.sql", GOOD_UP)]));
    assert_eq!(
        lines,
        [
            "migrations/0002_b.sql: revision 0001 is missing before `0002_b.sql`: restore it, or renumber `0002_b.sql` to `0001_b.sql` (and the files after it) if it was never applied to any database"
        ]
    );
}

/// Found by review: "revisions 0002 to 0003 are missing ...: restore it".
#[test]
fn a_gap_of_several_revisions_asks_to_restore_them() {
    let lines = problems(&recorded(&[
        ("0001_a.sql", GOOD_UP),
        ("0004_d.sql", GOOD_UP),
    ]));
    assert_eq!(
        lines,
        [
            "migrations/0004_d.sql: revisions 0002 to 0003 are missing between `0001_a.sql` and `0004_d.sql`: restore them, or renumber `0004_d.sql` to `0002_d.sql` (and the files after it) if it was never applied to any database"
        ]
    );
}

#[test]
fn carafe_sum_must_exist_and_match_the_directory() {
    assert_eq!(
        problems(&[file("0001_a.sql", GOOD_UP)]),
        [
            "migrations/carafe.sum: `carafe.sum` is missing: run `carafe rehash` to record the checksums of the migrations (and commit it)"
        ]
    );
    let mut sources = recorded(&[("0001_a.sql", GOOD_UP), ("0002_gone.sql", GOOD_UP)]);
    sources.retain(|s| s.name != "0002_gone.sql");
    assert_eq!(
        problems(&sources),
        [
            "migrations/carafe.sum:4: `carafe.sum` records `0002_gone.sql`, which is not in the directory: restore the file, or run `carafe rehash` if it was never applied to any database"
        ]
    );
}

#[test]
fn crlf_and_bom_checkouts_match_a_sum_written_on_unix() {
    let mut sources = recorded(&[("0001_a.sql", GOOD_UP)]);
    let windows = format!("\u{feff}{}", GOOD_UP.replace('\n', "\r\n"));
    sources[0].bytes = windows.into_bytes();
    let loaded = load(&sources);
    assert_eq!(loaded.problems, vec![]);
    assert_eq!(
        loaded.set.as_slice()[0].checksum,
        Checksum::of(GOOD_UP.as_bytes())
    );
    assert_eq!(loaded.set.as_slice()[0].up.sql, "select 1;\n");
}

#[test]
fn the_sum_a_set_computes_is_the_one_that_loads_clean() {
    let sources = recorded(&[("0001_a.sql", GOOD_UP), ("0002_b.sql", GOOD_UP)]);
    let loaded = load(&sources);
    let sum = sources
        .iter()
        .find(|s| s.name == "carafe.sum")
        .expect("sum");
    assert_eq!(
        loaded.set.sum_file().render().as_bytes(),
        sum.bytes.as_slice()
    );
    assert_eq!(loaded.sum_file().render().as_bytes(), sum.bytes.as_slice());
}

/// golang-migrate and dbmate files often wrap everything in `BEGIN; ... COMMIT;`; carafe wraps the
/// revision itself, so both lines are reported, in either section, and a dump's psql lines too.
#[test]
fn sql_carafe_cannot_send_is_reported_at_its_line() {
    let lines = problems(&recorded(&[
        (
            "0001_wrapped.sql",
            "-- migrate:up\nBEGIN;\ncreate table t (c int);\nCOMMIT;\n-- migrate:down\nbegin;\ndrop table t;\ncommit;\n",
        ),
        (
            "0002_dump.sql",
            "-- migrate:up transaction:false\n\\restrict 4fGh2\nBEGIN;\nCOPY t (c) FROM stdin;\n1\n\\.\nCOMMIT;\n-- migrate:down\ndelete from t;\n",
        ),
        (
            "0003_allowed.sql",
            "-- migrate:up\nsavepoint s;\nrollback to savepoint s;\ndo $$ begin commit; end $$;\n-- migrate:down\nselect 1;\n",
        ),
    ]));
    let lines: Vec<String> = lines
        .iter()
        .map(|line| line.split(" inside").next().unwrap_or(line).to_owned())
        .map(|line| line.split(" is a psql").next().unwrap_or(&line).to_owned())
        .map(|line| line.split(" reads its").next().unwrap_or(&line).to_owned())
        .collect();
    assert_eq!(
        lines,
        [
            "migrations/0001_wrapped.sql:2: `BEGIN`",
            "migrations/0001_wrapped.sql:4: `COMMIT`",
            "migrations/0001_wrapped.sql:6: `BEGIN`",
            "migrations/0001_wrapped.sql:8: `COMMIT`",
            "migrations/0002_dump.sql:2: `\\restrict`",
            "migrations/0002_dump.sql:4: `COPY ... FROM STDIN`",
        ]
    );
}

/// Regression: an editor's `0004_x.sql~` or a patch's `.orig` beside a migration stopped the build
/// as a bad file name. They are listed, never read, and change no checksum.
#[test]
fn editor_backups_and_patch_leftovers_never_block() {
    let clean = recorded(&[("0001_a.sql", GOOD_UP), ("0002_b.sql", GOOD_UP)]);
    let mut with_leftovers = clean.clone();
    for name in [
        "0002_b.sql~",
        "0002_b.sql.orig",
        "0002_b.sql.rej",
        ".0002_b.sql.swp",
        "0002_b.sql.swo",
        "0002_b.sql.bak",
        "0002_b.sql.tmp",
        "#0002_b.sql#",
        ".#0002_b.sql",
    ] {
        with_leftovers.push(file(name, "-- migrate:up\nhalf an edit"));
    }
    let loaded = load(&with_leftovers);
    assert_eq!(loaded.problems, vec![]);
    let clean = load(&clean);
    assert_eq!(loaded.set, clean.set);
    assert_eq!(loaded.checksums, clean.checksums);
    assert_eq!(loaded.sum_file(), clean.sum_file());
    let ignored: Vec<String> = loaded
        .ignored
        .iter()
        .map(|file| format!("{} ({})", file.name, file.reason))
        .collect();
    assert_eq!(
        ignored,
        [
            "#0002_b.sql# (editor autosave)",
            ".#0002_b.sql (editor lock file)",
            ".0002_b.sql.swp (editor swap file)",
            "0002_b.sql.bak (backup copy)",
            "0002_b.sql.orig (patch leftover)",
            "0002_b.sql.rej (patch leftover)",
            "0002_b.sql.swo (editor swap file)",
            "0002_b.sql.tmp (temporary file)",
            "0002_b.sql~ (editor backup)",
        ]
    );
}

/// Regression: `0004_x.SQL` beside `0004_x.sql` was told to rename itself to `0004_x.sql`, which
/// would overwrite the migration.
#[test]
fn a_bad_name_is_never_told_to_take_a_name_in_use() {
    let mut sources = recorded(&[("0001_a.sql", GOOD_UP)]);
    sources.push(file("0001_a.SQL", GOOD_UP));
    sources.push(file("0001_A.sql", GOOD_UP));
    sources.push(file("2_b.sql", GOOD_UP));
    assert_eq!(
        problems(&sources),
        [
            "migrations/0001_A.sql: `0001_A.sql` is not a valid migration file name (the slug may hold only lowercase letters, digits and `_`) and looks like a copy of `0001_a.sql`: delete it, or move it out of the migrations directory",
            "migrations/0001_a.SQL: `0001_a.SQL` is not a valid migration file name (a migration file name ends in lowercase `.sql`) and looks like a copy of `0001_a.sql`: delete it, or move it out of the migrations directory",
            "migrations/2_b.sql: `2_b.sql` is not a valid migration file name (the number must have at least 4 digits, zero-padded): rename it to `0002_b.sql`",
        ]
    );
}

/// A baseline (`carafe squash`) starts the numbering at its own revision; anywhere else, or with a
/// range that is not its own, it is refused.
#[test]
fn a_baseline_starts_the_numbering_and_nothing_else_may_claim_to_be_one() {
    let chain = "ab".repeat(32);
    let baseline = |through: &str| {
        format!(
            "-- migrate:up replaces:0001-{through} chain:{chain}\ncreate table t ();\n-- migrate:down irreversible\n"
        )
    };
    let sound = load(&recorded(&[
        ("0012_baseline.sql", &baseline("0012")),
        ("0013_more.sql", GOOD_UP),
    ]));
    assert!(sound.problems.is_empty(), "{:?}", sound.problems);
    assert_eq!(
        sound
            .set
            .baseline()
            .map(|(migration, replaced)| (migration.name(), replaced.through.number())),
        Some(("0012_baseline".to_owned(), 12))
    );
    assert_eq!(
        problems(&recorded(&[
            ("0001_first.sql", GOOD_UP),
            ("0002_baseline.sql", &baseline("0002")),
            ("0003_wrong_range.sql", &baseline("0002")),
            (
                "0004_half.sql",
                "-- migrate:up replaces:0001-0004\nselect 1;\n-- migrate:down irreversible\n"
            ),
            (
                "0005_bad.sql",
                "-- migrate:up replaces:0002-0005 chain:xyz\nselect 1;\n-- migrate:down irreversible\n"
            ),
        ])),
        [
            "migrations/0002_baseline.sql: `0002_baseline.sql` is a baseline (`replaces:`), but `0001_first.sql` comes before it: only the first revision of a directory may be a baseline; delete the files it replaced",
            "migrations/0003_wrong_range.sql: `0003_wrong_range.sql` is a baseline (`replaces:`), but `0001_first.sql` comes before it: only the first revision of a directory may be a baseline; delete the files it replaced",
            "migrations/0003_wrong_range.sql:1: `0003_wrong_range.sql` says it replaces 0001 to 0002, but it is revision 0003: a baseline replaces the revisions up to its own number; restore the file `carafe squash` wrote",
            "migrations/0004_half.sql:1: a baseline's `-- migrate:up` needs both `replaces:0001-NNNN` and `chain:HEX` (as `carafe squash` writes them): restore the file `carafe squash` wrote",
            "migrations/0005_bad.sql:1: `replaces:0002-0005` cannot be read: a baseline says `replaces:0001-NNNN` (its own number) and `chain:` with 64 hex digits; restore the file `carafe squash` wrote",
            "migrations/0005_bad.sql:1: `chain:xyz` cannot be read: a baseline says `replaces:0001-NNNN` (its own number) and `chain:` with 64 hex digits; restore the file `carafe squash` wrote",
        ]
    );
}
