//! Plans: from a history, the code and a target to the steps, or the refusal the user sees. No database.

use carafe_core::{
    Applied, Checksum, Direction, MigrationSet, Revision, SourceFile, Step, SumFile, Target,
    Transaction, load, plan,
};

/// Five revisions; 0003 is irreversible.
fn known() -> MigrationSet {
    let texts: Vec<(String, String)> = (1..=5)
        .map(|n| {
            let down = match n {
                3 => "-- migrate:down irreversible\n".to_owned(),
                _ => format!("-- migrate:down\ndrop table t{n};\n"),
            };
            (
                format!("{:04}_t{n}.sql", n),
                format!("-- migrate:up\ncreate table t{n} ();\n{down}"),
            )
        })
        .collect();
    recorded_set(&texts)
}

/// The set these files make, with a `carafe.sum` recording them as they are.
fn recorded_set(texts: &[(String, String)]) -> MigrationSet {
    let mut sources: Vec<SourceFile> = texts
        .iter()
        .map(|(name, text)| SourceFile::new(name.clone(), text.as_bytes()))
        .collect();
    let sum = SumFile::from_checksums(
        texts
            .iter()
            .map(|(n, t)| (n.clone(), Checksum::of(t.as_bytes()))),
    );
    sources.push(SourceFile::new("carafe.sum", sum.render().into_bytes()));
    load(&sources).into_result().expect("fixture is sound")
}

/// A history with the first `count` revisions of `known` applied as they are.
fn applied(known: &MigrationSet, count: u32) -> Vec<Applied> {
    (1..=count)
        .map(|n| {
            let migration = known.get(Revision::new(n));
            Applied {
                revision: Revision::new(n),
                name: migration.map_or(format!("{n:04}_future"), |m| m.name()),
                checksum: migration.map_or(Checksum::of(b"future"), |m| m.checksum),
                down_sql: Some(format!("drop table t{n};")),
                down_transaction: Transaction::Wrapped,
            }
        })
        .collect()
}

/// Checks the plan of `history` against `known()`, as [`plan_line`] shows it.
fn check(history: &[Applied], direction: Direction, target: Target, expected: &str) {
    assert_eq!(plan_line(history, &known(), direction, target), expected);
}

#[test]
fn upgrades() {
    let known = known();
    check(
        &[],
        Direction::Upgrade,
        Target::Head,
        "base -> 0005: up 0001, up 0002, up 0003, up 0004, up 0005",
    );
    check(
        &applied(&known, 2),
        Direction::Upgrade,
        Target::Steps(2),
        "0002 -> 0004: up 0003, up 0004",
    );
    check(
        &applied(&known, 5),
        Direction::Upgrade,
        Target::Head,
        "0005 -> 0005: ",
    );
    check(
        &applied(&known, 1),
        Direction::Upgrade,
        Target::Exactly(Revision::new(3)),
        "0001 -> 0003: up 0002, up 0003",
    );
    check(
        &applied(&known, 4),
        Direction::Upgrade,
        Target::Steps(2),
        "cannot upgrade 2 revisions: the database is at 0004 and only 1 can be applied",
    );
    check(
        &applied(&known, 4),
        Direction::Upgrade,
        Target::Exactly(Revision::new(2)),
        "cannot upgrade to 0002: the database is at 0004; use `carafe downgrade 0002`",
    );
    check(
        &[],
        Direction::Upgrade,
        Target::Exactly(Revision::new(9)),
        "revision 0009 does not exist: the newest revision is 0005",
    );
}

#[test]
fn downgrades() {
    let known = known();
    check(
        &applied(&known, 5),
        Direction::Downgrade,
        Target::Steps(1),
        "0005 -> 0004: down 0005",
    );
    check(
        &applied(&known, 5),
        Direction::Downgrade,
        Target::Exactly(Revision::new(3)),
        "0005 -> 0003: down 0005, down 0004",
    );
    check(
        &applied(&known, 5),
        Direction::Downgrade,
        Target::Exactly(Revision::BASE),
        "revision 0003 (`0003_t3`) is irreversible: downgrading past it is impossible; restore a backup, or write a new revision that undoes what you need",
    );
    check(
        &applied(&known, 2),
        Direction::Downgrade,
        Target::Exactly(Revision::BASE),
        "0002 -> base: down 0002, down 0001",
    );
    check(
        &applied(&known, 2),
        Direction::Downgrade,
        Target::Steps(3),
        "cannot downgrade 3 revisions: the database is at 0002 and only 2 can be undone",
    );
    check(
        &applied(&known, 2),
        Direction::Downgrade,
        Target::Exactly(Revision::new(4)),
        "cannot downgrade to 0004: the database is at 0002; use `carafe upgrade 0004`",
    );
}

#[test]
fn a_database_ahead_of_the_code_is_refused_for_upgrade_but_can_be_rolled_back_from_history() {
    let known = known();
    let history = applied(&known, 7);
    check(
        &history,
        Direction::Upgrade,
        Target::Head,
        "database is at 0007 but this build only knows 0005: pull the latest code",
    );
    check(
        &history,
        Direction::Downgrade,
        Target::Exactly(Revision::new(5)),
        "0007 -> 0005: down 0007 (history), down 0006 (history)",
    );
}

#[test]
fn a_history_that_disagrees_with_the_code_is_refused_before_anything_runs() {
    let known = known();
    let mut edited = applied(&known, 3);
    edited[1].checksum = Checksum::of(b"the file as it was applied");
    let expected = format!(
        "`0002_t2.sql` was edited after it was applied (the database has {}, the file has {}): undo the edit and put the change in a new revision",
        Checksum::of(b"the file as it was applied").short(),
        known.get(Revision::new(2)).expect("0002").checksum.short()
    );
    check(&edited, Direction::Upgrade, Target::Head, &expected);
    check(&edited, Direction::Downgrade, Target::Steps(1), &expected);

    let mut renamed = applied(&known, 2);
    renamed[1].name = "0002_other_branch".to_owned();
    check(
        &renamed,
        Direction::Upgrade,
        Target::Head,
        "revision 0002 is `0002_other_branch` in the database but `0002_t2` in the code: two branches took the same number and the code was renumbered (`carafe renumber`) after this database applied `0002_other_branch`; undo it here with `carafe downgrade 0001` (it runs the down SQL the history table kept), then `carafe upgrade head` applies both in the new order",
    );
    // The way out the message names: a downgrade below the renamed revision, with the stored SQL.
    check(
        &renamed,
        Direction::Downgrade,
        Target::Exactly(Revision::new(1)),
        "0002 -> 0001: down 0002 (history)",
    );
    // Not a downgrade that stops above it: the revisions after it are not the code's either.
    let mut renamed_then_more = applied(&known, 3);
    renamed_then_more[1].name = "0002_other_branch".to_owned();
    check(
        &renamed_then_more,
        Direction::Downgrade,
        Target::Steps(1),
        "revision 0002 is `0002_other_branch` in the database but `0002_t2` in the code: two branches took the same number and the code was renumbered (`carafe renumber`) after this database applied `0002_other_branch`; undo it here with `carafe downgrade 0001` (it runs the down SQL the history table kept), then `carafe upgrade head` applies both in the new order",
    );
    check(
        &renamed_then_more,
        Direction::Downgrade,
        Target::Steps(2),
        "0003 -> 0001: down 0003 (history), down 0002 (history)",
    );

    // Regression: a development server shared by two projects (one target directory) read as a
    // renumbering, whose advice (`downgrade 0001`) would run the other project's down SQL.
    let mut foreign = applied(&known, 2);
    foreign[0].name = "0001_create_products".to_owned();
    foreign[1].name = "0002_add_vintage".to_owned();
    let refusal = "this database's history is another project's: none of its 2 applied revision(s) (`0001_create_products`, ...) is in the code (`0001_t1`, ...); point DATABASE_URL at this project's database (the local development server's `carafe_dev` is shared by every project that shares the target directory); nothing was changed";
    check(&foreign, Direction::Upgrade, Target::Head, refusal);
    check(
        &foreign,
        Direction::Downgrade,
        Target::Exactly(Revision::BASE),
        refusal,
    );

    let mut holed = applied(&known, 3);
    holed.remove(1);
    check(
        &holed,
        Direction::Upgrade,
        Target::Head,
        "the history table has no row for revision 0002 but has later ones: it was edited by hand; restore the row, or `carafe stamp` the revision the schema is really at",
    );
}

/// `-- migrate:down nothing` is reversible: the downgrade runs no SQL, in a transaction, and so
/// still removes the history row.
#[test]
fn a_down_with_nothing_to_undo_downgrades_with_no_sql() {
    let text = "-- migrate:up\nupdate t set c = 0 where c is null;\n-- migrate:down nothing\n";
    let known = recorded_set(&[("0001_backfill.sql".to_owned(), text.to_owned())]);
    let history = [Applied {
        revision: Revision::new(1),
        name: "0001_backfill".to_owned(),
        checksum: Checksum::of(text.as_bytes()),
        down_sql: Some(String::new()),
        down_transaction: Transaction::Wrapped,
    }];
    let plan = plan(&history, &known, Direction::Downgrade, Target::Steps(1)).expect("reversible");
    let [
        Step::Downgrade {
            sql, transaction, ..
        },
    ] = plan.steps.as_slice()
    else {
        panic!("one down step: {:?}", plan.steps)
    };
    assert_eq!((*sql, *transaction), ("", Transaction::Wrapped));
}

/// The `known()` history squashed at 0003 (`carafe squash --to 0003`): a baseline, then 0004, 0005.
fn squashed() -> (MigrationSet, MigrationSet) {
    let original = known();
    let replaced = carafe_core::Replaced {
        through: Revision::new(3),
        chain: SumFile::chain_of(
            original
                .iter()
                .take(3)
                .map(|migration| (migration.file_name(), migration.checksum)),
        ),
    };
    let baseline = carafe_core::RevisionFile {
        description: "Baseline.",
        up: carafe_core::SectionText::wrapped(
            "create table t1 (); create table t2 (); create table t3 ();",
        ),
        down: carafe_core::DownText::Irreversible,
    }
    .render_baseline(&replaced);
    let mut texts = vec![("0003_baseline.sql".to_owned(), baseline)];
    for n in 4..=5 {
        texts.push((
            format!("{n:04}_t{n}.sql"),
            format!("-- migrate:up\ncreate table t{n} ();\n-- migrate:down\ndrop table t{n};\n"),
        ));
    }
    (original, recorded_set(&texts))
}

/// The plan of `history` against `set` as one line (`from -> to: up 0001, down 0002 (history)`),
/// or the error message.
fn plan_line(
    history: &[Applied],
    set: &MigrationSet,
    direction: Direction,
    target: Target,
) -> String {
    match plan(history, set, direction, target) {
        Ok(plan) => {
            let steps: Vec<String> = plan
                .steps
                .iter()
                .map(|step| match step {
                    Step::Upgrade(m) => format!("up {}", m.revision),
                    Step::Downgrade {
                        revision,
                        source: None,
                        ..
                    } => format!("down {revision} (history)"),
                    Step::Downgrade { revision, .. } => format!("down {revision}"),
                })
                .collect();
            format!("{} -> {}: {}", plan.from, plan.to, steps.join(", "))
        }
        Err(error) => error.to_string(),
    }
}

/// After `carafe squash`, a new database applies the baseline; an old one keeps its rows, which the
/// baseline's chain vouches for, and continues; one stopped inside the squashed range is refused.
#[test]
fn a_squashed_set_serves_new_and_old_databases() {
    let (original, set) = squashed();
    let new = |count: u32| -> Vec<Applied> {
        set.iter()
            .take(count as usize)
            .map(|m| Applied {
                revision: m.revision,
                name: m.name(),
                checksum: m.checksum,
                down_sql: None,
                down_transaction: Transaction::Wrapped,
            })
            .collect()
    };
    assert_eq!(
        plan_line(&[], &set, Direction::Upgrade, Target::Head),
        "base -> 0005: up 0003, up 0004, up 0005"
    );
    assert_eq!(
        plan_line(&[], &set, Direction::Upgrade, Target::Steps(1)),
        "base -> 0003: up 0003"
    );
    assert_eq!(
        plan_line(
            &[],
            &set,
            Direction::Upgrade,
            Target::Exactly(Revision::new(2))
        ),
        "revision 0002 was squashed into `0003_baseline` and no longer exists on its own: go to the baseline's revision or to base"
    );
    assert_eq!(
        plan_line(&new(2), &set, Direction::Upgrade, Target::Head),
        "0004 -> 0005: up 0005"
    );
    assert_eq!(
        plan_line(&new(2), &set, Direction::Downgrade, Target::Steps(1)),
        "0004 -> 0003: down 0004"
    );
    assert_eq!(
        plan_line(&new(2), &set, Direction::Downgrade, Target::Steps(2)),
        "revision 0003 (`0003_baseline`) is irreversible: downgrading past it is impossible; restore a backup, or write a new revision that undoes what you need"
    );
    assert_eq!(
        plan_line(
            &new(2),
            &set,
            Direction::Downgrade,
            Target::Exactly(Revision::new(1))
        ),
        "revision 0001 was squashed into `0003_baseline` and no longer exists on its own: go to the baseline's revision or to base"
    );

    // An old database: rows 0001..0004 as the original files recorded them.
    let old = applied(&original, 4);
    assert_eq!(
        plan_line(&old, &set, Direction::Upgrade, Target::Head),
        "0004 -> 0005: up 0005"
    );
    assert_eq!(
        plan_line(
            &old,
            &set,
            Direction::Downgrade,
            Target::Exactly(Revision::new(2))
        ),
        "0004 -> 0002: down 0004, down 0003 (history)"
    );
    let inside = applied(&original, 2);
    assert_eq!(
        plan_line(&inside, &set, Direction::Upgrade, Target::Head),
        "the database is at 0002, inside the revisions `0003_baseline` replaced (`carafe squash`): this build no longer has them one by one; upgrade it to the baseline's revision with a build from before the squash, then this one continues"
    );
    assert_eq!(
        plan_line(&inside, &set, Direction::Downgrade, Target::Steps(1)),
        "0002 -> 0001: down 0002 (history)"
    );
    let mut other = applied(&original, 4);
    other[1].checksum = Checksum::of(b"another history");
    assert_eq!(
        plan_line(&other, &set, Direction::Upgrade, Target::Head),
        "the history's revisions 0001 to 0003 are not the ones `0003_baseline` replaced (their names and checksums do not chain to the baseline's `chain:`): this database has another history; compare it with `carafe diff` and `carafe stamp` it by hand"
    );
}
