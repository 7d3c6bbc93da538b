//! `plan`: the pure decision of what to run, from the revisions a database has applied, the revisions
//! the code knows, and where the user wants to go. It also refuses, before anything changes, a history
//! that disagrees with the code.

use crate::{Checksum, Migration, MigrationSet, Revision, Section, Transaction};

/// A revision as the history table records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Its number.
    pub revision: Revision,
    /// Its name when applied, e.g. `0002_add_vintage_column`.
    pub name: String,
    /// The checksum of its file when applied.
    pub checksum: Checksum,
    /// The down SQL stored when it was applied (`None`: irreversible), so a build that no longer
    /// knows the revision can still undo it.
    pub down_sql: Option<String>,
    /// How the stored down SQL runs.
    pub down_transaction: Transaction,
}

/// Where the user asks to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The newest revision the code knows (`head`).
    Head,
    /// This many revisions up (`+N`, for upgrade) or down (`-N`, for downgrade).
    Steps(u32),
    /// Exactly this revision (`NNNN`, or `base`).
    Exactly(Revision),
}

/// Which way a plan moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Apply up sections.
    Upgrade,
    /// Apply down sections.
    Downgrade,
}

/// One revision to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// Run the up section of a known migration and record it.
    Upgrade(&'a Migration),
    /// Run a down section and delete the revision's record.
    Downgrade {
        /// The revision undone.
        revision: Revision,
        /// Its name as recorded.
        name: &'a str,
        /// The SQL to run.
        sql: &'a str,
        /// How it runs.
        transaction: Transaction,
        /// The file and line of the SQL, when it comes from the code rather than the history table.
        source: Option<(String, u32)>,
    },
}

impl Step<'_> {
    /// The revision the step runs.
    pub fn revision(&self) -> Revision {
        match self {
            Step::Upgrade(migration) => migration.revision,
            Step::Downgrade { revision, .. } => *revision,
        }
    }
}

/// What a command will do: the revisions to run, in order, and where the database ends up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan<'a> {
    /// Which way it moves.
    pub direction: Direction,
    /// The database's revision before.
    pub from: Revision,
    /// The database's revision after.
    pub to: Revision,
    /// The revisions to run, in order.
    pub steps: Vec<Step<'a>>,
}

/// Why a plan cannot be made; each message says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// An applied revision's file changed since.
    #[error(
        "`{file}` was edited after it was applied (the database has {}, the file has {}): undo the edit and put the change in a new revision",
        .recorded.short(), .actual.short()
    )]
    ChecksumMismatch {
        /// The file.
        file: String,
        /// The checksum in the history table.
        recorded: Checksum,
        /// The checksum of the file now.
        actual: Checksum,
    },
    /// The database has revisions the code does not know.
    #[error("database is at {current} but this build only knows {head}: pull the latest code")]
    DatabaseAhead {
        /// The database's revision.
        current: Revision,
        /// The code's newest.
        head: Revision,
    },
    /// The same number means different migrations in the database and in the code.
    #[error(
        "revision {revision} is `{applied}` in the database but `{known}` in the code: two branches took the same number and the code was renumbered (`carafe renumber`) after this database applied `{applied}`; undo it here with `carafe downgrade {previous}` (it runs the down SQL the history table kept), then `carafe upgrade head` applies both in the new order"
    )]
    NameMismatch {
        /// The number.
        revision: Revision,
        /// The name recorded in the database.
        applied: String,
        /// The name in the code.
        known: String,
        /// The revision below it, to downgrade to.
        previous: Revision,
    },
    /// None of the database's applied revisions is in the code: it is another project's database.
    #[error(
        "this database's history is another project's: none of its {count} applied revision(s) (`{first}`, ...) is in the code (`{known}`, ...); point DATABASE_URL at this project's database (the local development server's `carafe_dev` is shared by every project that shares the target directory); nothing was changed"
    )]
    AnotherProject {
        /// How many revisions the database has applied.
        count: usize,
        /// Its first.
        first: String,
        /// The code's first.
        known: String,
    },
    /// The database stopped inside the revisions a baseline replaced.
    #[error(
        "the database is at {current}, inside the revisions `{baseline}` replaced (`carafe squash`): this build no longer has them one by one; upgrade it to the baseline's revision with a build from before the squash, then this one continues"
    )]
    InsideSquash {
        /// The database's revision.
        current: Revision,
        /// The baseline's name.
        baseline: String,
    },
    /// The rows below a baseline are not the revisions it replaced.
    #[error(
        "the history's revisions 0001 to {through} are not the ones `{baseline}` replaced (their names and checksums do not chain to the baseline's `chain:`): this database has another history; compare it with `carafe diff` and `carafe stamp` it by hand"
    )]
    NotTheSquashedHistory {
        /// The baseline's number.
        through: Revision,
        /// The baseline's name.
        baseline: String,
    },
    /// A revision a baseline replaced, asked for by number.
    #[error(
        "revision {revision} was squashed into `{baseline}` and no longer exists on its own: go to the baseline's revision or to base"
    )]
    Squashed {
        /// What was asked for.
        revision: Revision,
        /// The baseline's name.
        baseline: String,
    },
    /// The history has a hole: a row was deleted by hand.
    #[error(
        "the history table has no row for revision {missing} but has later ones: it was edited by hand; restore the row, or `carafe stamp` the revision the schema is really at"
    )]
    HistoryGap {
        /// The first revision with no row.
        missing: Revision,
    },
    /// A revision that neither the code nor the database knows.
    #[error("revision {revision} does not exist: the newest revision is {head}")]
    NoSuchRevision {
        /// What was asked for.
        revision: Revision,
        /// The newest known.
        head: Revision,
    },
    /// `upgrade` to a revision below the current one, or `downgrade` above it.
    #[error(
        "cannot {verb} to {target}: the database is at {current}; use `carafe {other} {target}`"
    )]
    WrongDirection {
        /// `upgrade` or `downgrade`.
        verb: &'static str,
        /// The other command.
        other: &'static str,
        /// The target asked for.
        target: Revision,
        /// The database's revision.
        current: Revision,
    },
    /// `+N` past head or `-N` past base.
    #[error(
        "cannot {verb} {requested} revisions: the database is at {current} and only {available} can be {done}"
    )]
    TooManySteps {
        /// `upgrade` or `downgrade`.
        verb: &'static str,
        /// `applied` or `undone`.
        done: &'static str,
        /// N.
        requested: u32,
        /// How many are possible.
        available: u32,
        /// The database's revision.
        current: Revision,
    },
    /// A revision in the way of a downgrade cannot be undone.
    #[error(
        "revision {revision} (`{name}`) is irreversible: downgrading past it is impossible; restore a backup, or write a new revision that undoes what you need"
    )]
    Irreversible {
        /// The revision.
        revision: Revision,
        /// Its name.
        name: String,
    },
}

/// The revision a database is at: its highest applied revision.
pub fn current(applied: &[Applied]) -> Revision {
    applied
        .iter()
        .map(|row| row.revision)
        .max()
        .unwrap_or(Revision::BASE)
}

/// Checks a history against the code: contiguous from 0001 (or from the code's baseline), and every
/// revision the code knows has the same name and checksum. Revisions past the code's head are
/// reported by [`plan`] when they matter.
pub fn verify_history(applied: &[Applied], known: &MigrationSet) -> Result<(), PlanError> {
    let agreement = agreement(applied, known)?;
    match agreement.renamed.or(agreement.inside_squash) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// How the history's rows, oldest first, relate to the code.
struct Agreement {
    /// Rows `..replaced` are revisions a baseline replaced (checked through its chain): the code
    /// has no file for them, so they are undone with the down SQL the history kept.
    replaced: usize,
    /// Rows `replaced..agreeing` are the code's revisions, names and checksums checked.
    agreeing: usize,
    /// The error for row `agreeing`, when it holds another revision under the code's number
    /// (renumbered after this database applied it). The rows from it on are undone with the SQL
    /// the history kept; nothing may be applied.
    renamed: Option<PlanError>,
    /// The database stopped inside the range a baseline replaced: it may go down, not up.
    inside_squash: Option<PlanError>,
}

/// Reads the history against the code. A gap, an edited file, or rows that are not the revisions
/// a baseline replaced are an error at once.
fn agreement(applied: &[Applied], known: &MigrationSet) -> Result<Agreement, PlanError> {
    let mut result = Agreement {
        replaced: 0,
        agreeing: applied.len(),
        renamed: None,
        inside_squash: None,
    };
    let mut expected = Revision::new(1);
    let baseline = known.baseline();
    if let Some((baseline, replaced)) = baseline
        && applied
            .first()
            .is_some_and(|row| row.revision < baseline.revision)
    {
        // A database made before the squash: rows 0001.. are the replaced revisions.
        let through = usize::try_from(replaced.through.number()).unwrap_or(usize::MAX);
        let rows = &applied[..through.min(applied.len())];
        for (index, row) in rows.iter().enumerate() {
            let number = Revision::new(u32::try_from(index + 1).unwrap_or(u32::MAX));
            if row.revision != number {
                return Err(PlanError::HistoryGap { missing: number });
            }
        }
        result.replaced = rows.len();
        if rows.len() < through {
            result.inside_squash = Some(PlanError::InsideSquash {
                current: current(rows),
                baseline: baseline.name(),
            });
        } else {
            let chain = crate::SumFile::chain_of(
                rows.iter()
                    .map(|row| (format!("{}.sql", row.name), row.checksum)),
            );
            if chain != replaced.chain {
                return Err(PlanError::NotTheSquashedHistory {
                    through: replaced.through,
                    baseline: baseline.name(),
                });
            }
        }
        expected = Revision::new(replaced.through.number() + 1);
    } else if let Some((baseline, _)) = baseline
        && !applied.is_empty()
    {
        expected = baseline.revision;
    }
    if result.replaced == 0
        && let (Some(first), Some(code_first)) = (applied.first(), known.iter().next())
    {
        let slug = |name: &str| {
            name.split_once('_')
                .map_or(name, |(_, slug)| slug)
                .to_owned()
        };
        let slugs: std::collections::HashSet<String> = known
            .iter()
            .map(|migration| slug(&migration.name()))
            .collect();
        if !applied.iter().any(|row| slugs.contains(&slug(&row.name))) {
            return Err(PlanError::AnotherProject {
                count: applied.len(),
                first: first.name.clone(),
                known: code_first.name(),
            });
        }
    }
    for (index, row) in applied.iter().enumerate().skip(result.replaced) {
        if row.revision != expected {
            return Err(PlanError::HistoryGap { missing: expected });
        }
        expected = Revision::new(expected.number() + 1);
        let Some(migration) = known.get(row.revision) else {
            continue;
        };
        if migration.name() != row.name {
            result.agreeing = index;
            result.renamed = Some(PlanError::NameMismatch {
                revision: row.revision,
                applied: row.name.clone(),
                known: migration.name(),
                previous: index
                    .checked_sub(1)
                    .map_or(Revision::BASE, |before| applied[before].revision),
            });
            return Ok(result);
        }
        if migration.checksum != row.checksum {
            return Err(PlanError::ChecksumMismatch {
                file: migration.file_name(),
                recorded: row.checksum,
                actual: migration.checksum,
            });
        }
    }
    Ok(result)
}

/// The refusal for `revision` when `known` starts at a baseline that replaced it: a target no
/// command can reach (`plan`'s, `stamp`'s).
pub fn squashed(known: &MigrationSet, revision: Revision) -> Option<PlanError> {
    let (baseline, _) = known.baseline()?;
    (!revision.is_base() && revision < baseline.revision).then(|| PlanError::Squashed {
        revision,
        baseline: baseline.name(),
    })
}

/// What to run to move from `applied` towards `target` in `direction`.
///
/// `applied` is the history, oldest first. Nothing is planned (and an error names the fix) when the
/// history disagrees with the code, the target is on the other side, or a step cannot be undone.
pub fn plan<'a>(
    applied: &'a [Applied],
    known: &'a MigrationSet,
    direction: Direction,
    target: Target,
) -> Result<Plan<'a>, PlanError> {
    let agreement = agreement(applied, known)?;
    let from = current(applied);
    let head = known.head();
    let squashed = |revision| squashed(known, revision);
    match direction {
        Direction::Upgrade => {
            if let Some(refusal) = agreement.renamed.or(agreement.inside_squash) {
                return Err(refusal);
            }
            if from > head {
                return Err(PlanError::DatabaseAhead {
                    current: from,
                    head,
                });
            }
            let pending: Vec<&Migration> = known
                .iter()
                .filter(|migration| migration.revision > from)
                .collect();
            let to = match target {
                Target::Head => head,
                Target::Steps(0) => from,
                Target::Steps(steps) => match pending.get(steps as usize - 1) {
                    Some(migration) => migration.revision,
                    None => {
                        return Err(PlanError::TooManySteps {
                            verb: "upgrade",
                            done: "applied",
                            requested: steps,
                            available: u32::try_from(pending.len()).unwrap_or(u32::MAX),
                            current: from,
                        });
                    }
                },
                Target::Exactly(revision) if revision > head => {
                    return Err(PlanError::NoSuchRevision { revision, head });
                }
                Target::Exactly(revision) if revision < from => {
                    return Err(PlanError::WrongDirection {
                        verb: "upgrade",
                        other: "downgrade",
                        target: revision,
                        current: from,
                    });
                }
                Target::Exactly(revision) => match squashed(revision) {
                    Some(error) => return Err(error),
                    None => revision,
                },
            };
            let steps = pending
                .into_iter()
                .filter(|migration| migration.revision <= to)
                .map(Step::Upgrade)
                .collect();
            Ok(Plan {
                direction,
                from,
                to,
                steps,
            })
        }
        Direction::Downgrade => {
            let available = u32::try_from(applied.len()).unwrap_or(u32::MAX);
            let to = match target {
                Target::Head => from,
                Target::Steps(steps) if steps > available => {
                    return Err(PlanError::TooManySteps {
                        verb: "downgrade",
                        done: "undone",
                        requested: steps,
                        available,
                        current: from,
                    });
                }
                Target::Steps(steps) => applied
                    .len()
                    .checked_sub(steps as usize + 1)
                    .map_or(Revision::BASE, |index| applied[index].revision),
                Target::Exactly(revision) if revision > from => {
                    return Err(PlanError::WrongDirection {
                        verb: "downgrade",
                        other: "upgrade",
                        target: revision,
                        current: from,
                    });
                }
                Target::Exactly(revision)
                    if !revision.is_base()
                        && !applied.iter().any(|row| row.revision == revision) =>
                {
                    return Err(
                        squashed(revision).unwrap_or(PlanError::NoSuchRevision { revision, head })
                    );
                }
                Target::Exactly(revision) => revision,
            };
            // Rows from the first renamed one on hold revisions the code does not know under their
            // numbers: they are undone with the down SQL the history kept, and only all of them.
            if let Some(renamed) = agreement.renamed
                && applied
                    .get(agreement.agreeing)
                    .is_some_and(|row| to >= row.revision)
            {
                return Err(renamed);
            }
            let mut steps = Vec::new();
            for (index, row) in applied.iter().enumerate().rev() {
                if row.revision <= to {
                    continue;
                }
                let code = match (agreement.replaced..agreement.agreeing).contains(&index) {
                    true => known.get(row.revision),
                    false => None,
                };
                steps.push(downgrade_step(row, code)?);
            }
            Ok(Plan {
                direction,
                from,
                to,
                steps,
            })
        }
    }
}

/// The down step for an applied row: the code's down section when the code knows the revision
/// (its checksum was verified), the one stored in the history table otherwise.
fn downgrade_step<'a>(
    row: &'a Applied,
    known: Option<&'a Migration>,
) -> Result<Step<'a>, PlanError> {
    let irreversible = || PlanError::Irreversible {
        revision: row.revision,
        name: row.name.clone(),
    };
    match known {
        Some(migration) => {
            let Section {
                sql,
                line,
                transaction,
            } = migration.down_section().ok_or_else(irreversible)?;
            Ok(Step::Downgrade {
                revision: row.revision,
                name: &row.name,
                sql,
                transaction: *transaction,
                source: Some((migration.file_name(), *line)),
            })
        }
        None => Ok(Step::Downgrade {
            revision: row.revision,
            name: &row.name,
            sql: row.down_sql.as_deref().ok_or_else(irreversible)?,
            transaction: row.down_transaction,
            source: None,
        }),
    }
}
