//! `carafe renumber` in a real git repository: two branches each add revision 0005, the merge
//! conflicts in `carafe.sum`, and renumbering gives a set that loads (as `cargo build` reads it)
//! and applies, with the typed references updated.

use crate::harness::{Run, carafe_without_url, fresh_database, run, sommelier_migrations};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A git repository holding the sommelier migrations and a Rust file that names revisions.
struct Repository {
    root: tempfile::TempDir,
}

impl Repository {
    fn new() -> Repository {
        let root = tempfile::Builder::new()
            .prefix("carafe-renumber-")
            .tempdir()
            .expect("tempdir");
        let repository = Repository { root };
        std::fs::create_dir_all(repository.migrations()).expect("mkdir migrations");
        std::fs::create_dir_all(repository.path().join("src")).expect("mkdir src");
        for entry in std::fs::read_dir(sommelier_migrations()).expect("read migrations") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                repository.migrations().join(entry.file_name()),
            )
            .expect("copy");
        }
        repository.git(&["init", "-q", "-b", "main"]);
        repository.commit_all("the sommelier history");
        repository
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn migrations(&self) -> PathBuf {
        self.path().join("migrations")
    }

    /// Runs git; its output, whatever the exit status (a conflicting merge exits 1).
    fn git_may_fail(&self, args: &[&str]) -> std::process::Output {
        Command::new("git")
            .arg("-C")
            .arg(self.path())
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(["-c", "commit.gpgsign=false", "-c", "core.editor=true"])
            .args(args)
            .output()
            .expect("run git")
    }

    #[track_caller]
    fn git(&self, args: &[&str]) -> String {
        let output = self.git_may_fail(args);
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Adds a revision the way a developer does: write the file, `carafe rehash`.
    fn add_revision(&self, name: &str, up: &str, down: &str) {
        std::fs::write(
            self.migrations().join(name),
            format!("-- migrate:up\n{up}\n\n-- migrate:down\n{down}\n"),
        )
        .expect("write revision");
        let rehash = Run::from(
            carafe_without_url(&self.migrations())
                .arg("rehash")
                .output()
                .expect("run carafe"),
        );
        rehash.ok();
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.path().join(path), text).expect("write");
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).expect("read")
    }

    fn migration_files(&self) -> Vec<String> {
        crate::harness::file_names(&self.migrations())
    }
}

/// The two branches: `feature` adds 0005_add_origin and 0006_index_origin and names them in Rust;
/// `main` adds 0005_add_appellation. The repository is left on `feature`, merging `main`, with
/// `carafe.sum` in conflict.
fn two_branches_that_both_add_0005() -> Repository {
    let repository = Repository::new();
    repository.git(&["checkout", "-q", "-b", "feature"]);
    repository.add_revision(
        "0005_add_origin.sql",
        "ALTER TABLE products ADD COLUMN origin text;",
        "ALTER TABLE products DROP COLUMN origin;",
    );
    repository.add_revision(
        "0006_index_origin.sql",
        "CREATE INDEX products_origin_idx ON products (origin);",
        "DROP INDEX products_origin_idx;",
    );
    repository.write(
        "src/lib.rs",
        "//! The app.\n/// Needs the origin.\npub type Needs = migrations::m0006_index_origin;\npub const ORIGIN: &str = migrations::m0005_add_origin::NAME; // 0005_add_origin\n",
    );
    repository.commit_all("feature: origin");
    repository.git(&["checkout", "-q", "main"]);
    repository.add_revision(
        "0005_add_appellation.sql",
        "ALTER TABLE products ADD COLUMN appellation text;",
        "ALTER TABLE products DROP COLUMN appellation;",
    );
    repository.commit_all("main: appellation");
    repository.git(&["checkout", "-q", "feature"]);
    let merge = repository.git_may_fail(&["merge", "main"]);
    assert!(!merge.status.success(), "the merge conflicts");
    assert!(
        repository.read("migrations/carafe.sum").contains("<<<<<<<"),
        "carafe.sum is in conflict"
    );
    repository
}

#[test]
fn two_branches_adding_0005_merge_renumber_build_and_apply() {
    let repository = two_branches_that_both_add_0005();
    let dir = repository.migrations();
    let url = fresh_database();
    // A database that applied the feature branch before the merge, with the old numbers.
    let before_merge = fresh_database();

    // Any command that loads the migrations points at `renumber`.
    let refused = run(&url, &dir, &["upgrade", "head", "--sql"]).fails(3);
    assert!(refused.contains("run `carafe renumber`"), "{refused}");

    let renumber = run(&url, &dir, &["renumber"]).ok();
    assert!(
        renumber.contains("the other side is `MERGE_HEAD` (the branch being merged in): its 5 revision(s) keep their numbers"),
        "{renumber}"
    );
    assert!(
        renumber.contains("renamed  0006_index_origin.sql -> 0007_index_origin.sql"),
        "{renumber}"
    );
    assert!(
        renumber.contains("renamed  0005_add_origin.sql -> 0006_add_origin.sql"),
        "{renumber}"
    );
    assert!(
        renumber.contains("updated  src/lib.rs (2 reference(s))"),
        "{renumber}"
    );
    assert!(
        renumber.contains("check    src/lib.rs:4: names the old file, not rewritten"),
        "{renumber}"
    );
    assert!(renumber.contains("`git merge --continue`"), "{renumber}");
    assert_eq!(
        repository.migration_files(),
        [
            "0001_create_products.sql",
            "0002_add_vintage_column.sql",
            "0003_add_price_index.sql",
            "0004_add_alcohol_column.sql",
            "0005_add_appellation.sql",
            "0006_add_origin.sql",
            "0007_index_origin.sql",
            "carafe.sum"
        ]
    );
    assert!(
        repository.read("src/lib.rs").contains(
            "migrations::m0007_index_origin;\npub const ORIGIN: &str = migrations::m0006_add_origin::NAME;"
        ),
        "{}",
        repository.read("src/lib.rs")
    );
    // The set loads with no problem through the reader `build.rs` uses.
    let loaded = carafe_core::load_dir(&dir).expect("read");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    repository.commit_all("merge main");

    let upgrade = run(&url, &dir, &["upgrade", "head"]).ok();
    assert!(
        upgrade.ends_with("database is at 0007 (head)\n"),
        "{upgrade}"
    );

    // A database that applied the old numbers is told the way out, and the way out works.
    let old_numbers = tempfile::tempdir().expect("tempdir");
    repository.git(&[
        "worktree",
        "add",
        "-q",
        &old_numbers.path().join("feature").to_string_lossy(),
        "feature~1",
    ]);
    let old_dir = old_numbers.path().join("feature/migrations");
    run(&before_merge, &old_dir, &["upgrade", "head"]).ok();
    let stale = run(&before_merge, &dir, &["upgrade", "head"]).fails(4);
    assert!(
        stale.contains("revision 0005 is `0005_add_origin` in the database but `0005_add_appellation` in the code")
            && stale.contains("`carafe downgrade 0004`"),
        "{stale}"
    );
    let history = run(&before_merge, &dir, &["history"]).ok();
    assert!(
        history.contains("[renumbered: this build's 0005 is 0005_add_appellation]")
            && history.contains("0005_add_appellation     pending"),
        "{history}"
    );
    run(&before_merge, &dir, &["downgrade", "0004"]).ok();
    let upgrade = run(&before_merge, &dir, &["upgrade", "head"]).ok();
    assert!(
        upgrade.ends_with("database is at 0007 (head)\n"),
        "{upgrade}"
    );
}

#[test]
fn renumber_refuses_a_revision_the_database_applied_and_the_way_out_works() {
    let repository = two_branches_that_both_add_0005();
    let dir = repository.migrations();
    let url = fresh_database();
    repository.git(&["merge", "--abort"]);
    run(&url, &dir, &["upgrade", "head"]).ok();
    assert!(repository.git_may_fail(&["merge", "main"]).status.code() == Some(1));

    let refused = run(&url, &dir, &["renumber"]).fails(4);
    assert!(
        refused.contains("`0005_add_origin.sql` is applied to the database at ")
            && refused.contains("undo it there first (`git merge --abort`, `carafe downgrade 0004`), then merge again and run `carafe renumber`; nothing was renamed"),
        "{refused}"
    );
    assert!(
        repository
            .migration_files()
            .contains(&"0005_add_origin.sql".to_owned())
    );

    repository.git(&["merge", "--abort"]);
    run(&url, &dir, &["downgrade", "0004"]).ok();
    assert_eq!(
        repository.git_may_fail(&["merge", "main"]).status.code(),
        Some(1)
    );
    run(&url, &dir, &["renumber"]).ok();
    let upgrade = run(&url, &dir, &["upgrade", "head"]).ok();
    assert!(
        upgrade.ends_with("database is at 0007 (head)\n"),
        "{upgrade}"
    );
}

#[test]
fn renumber_after_a_rebase_keeps_the_upstream_numbers() {
    let repository = two_branches_that_both_add_0005();
    let dir = repository.migrations();
    repository.git(&["merge", "--abort"]);
    let rebase = repository.git_may_fail(&["rebase", "main"]);
    assert!(!rebase.status.success(), "the rebase stops on carafe.sum");
    let renumber = Run::from(
        carafe_without_url(&dir)
            .arg("renumber")
            .output()
            .expect("run carafe"),
    )
    .ok();
    assert!(
        renumber.contains("the other side is `HEAD` (the branch being rebased onto)"),
        "{renumber}"
    );
    assert!(renumber.contains("`git rebase --continue`"), "{renumber}");
    let loaded = carafe_core::load_dir(&dir).expect("read");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(
        repository
            .migration_files()
            .contains(&"0006_add_origin.sql".to_owned())
    );
}

#[test]
fn renumber_outside_a_merge_asks_for_the_other_side() {
    let repository = Repository::new();
    let url = fresh_database();
    let error = run(&url, &repository.migrations(), &["renumber"]).fails(2);
    assert!(error.contains("pass `--onto REF`"), "{error}");
}
