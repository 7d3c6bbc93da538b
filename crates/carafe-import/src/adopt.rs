//! Adoption: what another tool's history table says is applied, mapped to carafe revisions through
//! the `imported from <tool> version <V>` line of each imported revision (for Alembic, which has
//! no import, `--at` names the revision its one head is). Pure: the CLI reads the rows and stamps
//! carafe's history with [`Adoption::target`]; this decides whether the old history can be trusted
//! and where it maps, and names the row and the fix when it cannot.

use crate::{ImportLine, Tool, imported_from};
use carafe_core::{MigrationSet, Revision};
use std::collections::{BTreeMap, HashMap};

/// A row of `_sqlx_migrations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlxRow {
    /// `version`.
    pub version: String,
    /// `description`.
    pub description: String,
    /// `success`: false while (or after) a `-- no-transaction` migration failed half-way.
    pub success: bool,
}

/// A row of `flyway_schema_history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlywayRow {
    /// `installed_rank`: the order Flyway did things in.
    pub installed_rank: i64,
    /// `version` (none for repeatable migrations).
    pub version: Option<String>,
    /// `type`: `SQL`, `BASELINE`, `UNDO_SQL`, `SCHEMA`, `DELETE`, ...
    pub kind: String,
    /// `script`.
    pub script: String,
    /// `success`.
    pub success: bool,
}

/// A row of `goose_db_version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GooseRow {
    /// `id`: the order goose wrote the rows in.
    pub id: i64,
    /// `version_id` (0 is goose's own first row).
    pub version_id: i64,
    /// `is_applied`.
    pub is_applied: bool,
}

/// The single row golang-migrate keeps in `schema_migrations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GolangMigrateRow {
    /// `version`: the newest applied version; every lower one is applied too.
    pub version: i64,
    /// `dirty`: a migration failed half-way.
    pub dirty: bool,
}

/// What the other tool's history table holds, as read from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OldHistory {
    /// `alembic_version.version_num`, one row per head.
    Alembic(Vec<String>),
    /// `_sqlx_migrations`.
    Sqlx(Vec<SqlxRow>),
    /// `refinery_schema_history.version`.
    Refinery(Vec<String>),
    /// `__diesel_schema_migrations.version`.
    Diesel(Vec<String>),
    /// `flyway_schema_history`.
    Flyway(Vec<FlywayRow>),
    /// golang-migrate's `schema_migrations`, normally one row (none at version nil).
    GolangMigrate(Vec<GolangMigrateRow>),
    /// dbmate's `schema_migrations.version`, one row per applied version.
    Dbmate(Vec<String>),
    /// `goose_db_version`.
    Goose(Vec<GooseRow>),
}

impl OldHistory {
    /// The tool whose table this is.
    pub fn tool(&self) -> Tool {
        match self {
            OldHistory::Alembic(_) => Tool::Alembic,
            OldHistory::Sqlx(_) => Tool::Sqlx,
            OldHistory::Refinery(_) => Tool::Refinery,
            OldHistory::Diesel(_) => Tool::Diesel,
            OldHistory::Flyway(_) => Tool::Flyway,
            OldHistory::GolangMigrate(_) => Tool::GolangMigrate,
            OldHistory::Dbmate(_) => Tool::Dbmate,
            OldHistory::Goose(_) => Tool::Goose,
        }
    }
}

/// One applied version and the revision it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// The version as the old table records it.
    pub version: String,
    /// The carafe revision.
    pub revision: Revision,
    /// Its name, `0003_add_index`.
    pub name: String,
}

/// Where the old history puts the database in carafe's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adoption {
    /// The tool.
    pub tool: Tool,
    /// Every applied version, in carafe's order.
    pub mapped: Vec<Mapped>,
    /// The revision to stamp: the last mapped one, or base when nothing was applied.
    pub target: Revision,
    /// What was read past (goose's version 0, Flyway's schema-creation row, ...).
    pub notes: Vec<String>,
}

/// Why the old history cannot be adopted. Each message names the row and the way out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AdoptError {
    /// The tool marked a migration as failed or half-applied.
    #[error(
        "{table}: {row} is {state}: {tool} stopped in the middle of that migration, so the schema is neither before nor after it; finish or undo it by hand, fix the row with {tool} ({fix}), then adopt"
    )]
    Unfinished {
        /// The tool.
        tool: Tool,
        /// The table.
        table: String,
        /// The row, as a user finds it (`version 3`).
        row: String,
        /// What it says (`dirty`, `success = false`).
        state: &'static str,
        /// The tool's own repair command.
        fix: &'static str,
    },
    /// An applied version with no imported revision.
    #[error(
        "{table}: version {version} is applied, but no revision of the migrations directory was imported from {tool} version {version}: the database is ahead of the files; import the directory that holds it (`carafe import --from {tool} DIR`), then adopt"
    )]
    Ahead {
        /// The tool.
        tool: Tool,
        /// The table.
        table: String,
        /// The version.
        version: String,
    },
    /// The applied versions are not the first revisions in order.
    #[error(
        "{table}: version {applied} (`{applied_name}`) is applied but version {missing} (`{missing_name}`), which comes before it, is not: {tool} applied them out of order, and carafe applies in order; apply version {missing} with {tool} first (or undo version {applied}), then adopt"
    )]
    NotAPrefix {
        /// The tool.
        tool: Tool,
        /// The table.
        table: String,
        /// An applied version past the gap.
        applied: String,
        /// Its revision's name.
        applied_name: String,
        /// The version missing before it.
        missing: String,
        /// Its revision's name.
        missing_name: String,
    },
    /// The set holds no revision imported from this tool.
    #[error(
        "no revision of the migrations directory was imported from {tool}: run `carafe import --from {tool} DIR` first (or pass the `--from` the directory was imported with)"
    )]
    NotImported {
        /// The tool.
        tool: Tool,
    },
    /// The Alembic table does not hold exactly one head.
    #[error(
        "{table} holds {count} rows ({heads}): adopt needs exactly one alembic head; merge the heads with `alembic merge` and upgrade, or stamp one head, then adopt"
    )]
    AlembicHeads {
        /// The table.
        table: String,
        /// How many rows.
        count: usize,
        /// The rows.
        heads: String,
    },
    /// Alembic needs `--at`.
    #[error(
        "alembic has no import to map versions with: pass `--at NNNN`, the carafe revision whose schema alembic head {head} has"
    )]
    AlembicNeedsAt {
        /// The head.
        head: String,
    },
    /// `--at` names no revision of the set.
    #[error(
        "`--at {at}` is not a revision of the migrations directory (head is {head}): name the revision whose schema the database has"
    )]
    UnknownRevision {
        /// The revision given.
        at: Revision,
        /// The set's head.
        head: Revision,
    },
    /// A row this build does not know how to read.
    #[error(
        "{table}: row {row} has type `{kind}`, which carafe does not know how to replay: adopt by hand with `carafe stamp NNNN`"
    )]
    UnknownRow {
        /// The table.
        table: String,
        /// The row.
        row: String,
        /// Its type.
        kind: String,
    },
}

/// A revision of the set with its `imported from` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownRevision {
    /// Its number.
    pub revision: Revision,
    /// `0003_add_index`.
    pub name: String,
    /// Its `imported from` line, if it has one.
    pub import: Option<ImportLine>,
}

/// The revisions of `set` with their `imported from` lines.
pub fn known_revisions(set: &MigrationSet) -> Vec<KnownRevision> {
    set.iter()
        .map(|migration| KnownRevision {
            revision: migration.revision,
            name: migration.name(),
            import: imported_from(&migration.description),
        })
        .collect()
}

/// Maps `history` (read from `table`) onto `revisions`; `at` is `--at`, used by Alembic only.
pub fn plan_adoption(
    history: &OldHistory,
    table: &str,
    revisions: &[KnownRevision],
    at: Option<Revision>,
) -> Result<Adoption, AdoptError> {
    let tool = history.tool();
    if let OldHistory::Alembic(heads) = history {
        return alembic(heads, table, revisions, at);
    }
    let imported: Vec<(&KnownRevision, &ImportLine)> = revisions
        .iter()
        .filter_map(|known| {
            let line = known.import.as_ref()?;
            (line.tool == tool.name()).then_some((known, line))
        })
        .collect();
    if imported.is_empty() {
        return Err(AdoptError::NotImported { tool });
    }
    let mut notes = Vec::new();
    let applied = applied_versions(history, table, &imported, &mut notes)?;
    let by_version: HashMap<String, &KnownRevision> = imported
        .iter()
        .map(|(known, line)| (tool.version_key(&line.version), *known))
        .collect();
    let mut mapped = Vec::with_capacity(applied.len());
    for version in applied {
        let Some(known) = by_version.get(&tool.version_key(&version)) else {
            return Err(AdoptError::Ahead {
                tool,
                table: table.to_owned(),
                version,
            });
        };
        mapped.push(Mapped {
            version,
            revision: known.revision,
            name: known.name.clone(),
        });
    }
    mapped.sort_by_key(|mapped| mapped.revision);
    mapped.dedup_by_key(|mapped| mapped.revision);
    for (index, entry) in mapped.iter().enumerate() {
        let expected = revisions.get(index);
        if expected.map(|known| known.revision) != Some(entry.revision) {
            let missing = expected.map_or_else(
                || (String::from("?"), String::from("?")),
                |known| {
                    let version = known.import.as_ref().map_or_else(
                        || String::from("(not imported)"),
                        |line| line.version.clone(),
                    );
                    (version, known.name.clone())
                },
            );
            return Err(AdoptError::NotAPrefix {
                tool,
                table: table.to_owned(),
                applied: entry.version.clone(),
                applied_name: entry.name.clone(),
                missing: missing.0,
                missing_name: missing.1,
            });
        }
    }
    let target = mapped.last().map_or(Revision::BASE, |entry| entry.revision);
    Ok(Adoption {
        tool,
        mapped,
        target,
        notes,
    })
}

fn alembic(
    heads: &[String],
    table: &str,
    revisions: &[KnownRevision],
    at: Option<Revision>,
) -> Result<Adoption, AdoptError> {
    let [head] = heads else {
        return Err(AdoptError::AlembicHeads {
            table: table.to_owned(),
            count: heads.len(),
            heads: match heads.is_empty() {
                true => "none".to_owned(),
                false => heads.join(", "),
            },
        });
    };
    let Some(at) = at else {
        return Err(AdoptError::AlembicNeedsAt { head: head.clone() });
    };
    let head_revision = revisions
        .last()
        .map_or(Revision::BASE, |known| known.revision);
    let Some(known) = revisions.iter().find(|known| known.revision == at) else {
        return Err(AdoptError::UnknownRevision {
            at,
            head: head_revision,
        });
    };
    Ok(Adoption {
        tool: Tool::Alembic,
        mapped: vec![Mapped {
            version: head.clone(),
            revision: at,
            name: known.name.clone(),
        }],
        target: at,
        notes: Vec::new(),
    })
}

/// The versions the old history says are applied, refusing a failed or half-applied one.
fn applied_versions(
    history: &OldHistory,
    table: &str,
    imported: &[(&KnownRevision, &ImportLine)],
    notes: &mut Vec<String>,
) -> Result<Vec<String>, AdoptError> {
    let tool = history.tool();
    let unfinished = |row: String, state: &'static str, fix: &'static str| AdoptError::Unfinished {
        tool,
        table: table.to_owned(),
        row,
        state,
        fix,
    };
    Ok(match history {
        OldHistory::Alembic(heads) => heads.clone(),
        OldHistory::Sqlx(rows) => {
            if let Some(row) = rows.iter().find(|row| !row.success) {
                return Err(unfinished(
                    format!("version {} ({})", row.version, row.description),
                    "marked `success = false`",
                    "delete the row once the schema is right, and rerun `sqlx migrate run`",
                ));
            }
            rows.iter().map(|row| row.version.clone()).collect()
        }
        OldHistory::Refinery(versions)
        | OldHistory::Diesel(versions)
        | OldHistory::Dbmate(versions) => versions.clone(),
        OldHistory::GolangMigrate(rows) => match rows.as_slice() {
            [] => Vec::new(),
            [row] if row.dirty => {
                return Err(unfinished(
                    format!("version {}", row.version),
                    "marked `dirty = true`",
                    "`migrate force VERSION`",
                ));
            }
            [row] => {
                let newest = row.version.to_string();
                if !imported
                    .iter()
                    .any(|(_, line)| tool.same_version(&line.version, &newest))
                {
                    return Err(AdoptError::Ahead {
                        tool,
                        table: table.to_owned(),
                        version: newest,
                    });
                }
                imported
                    .iter()
                    .filter(|(_, line)| tool.compare_versions(&line.version, &newest).is_le())
                    .map(|(_, line)| line.version.clone())
                    .collect()
            }
            _ => {
                return Err(unfinished(
                    format!("{} rows", rows.len()),
                    "more than golang-migrate's one row",
                    "`migrate force VERSION`",
                ));
            }
        },
        OldHistory::Goose(rows) => {
            let mut latest: BTreeMap<i64, (i64, bool)> = BTreeMap::new();
            for row in rows {
                let entry = latest
                    .entry(row.version_id)
                    .or_insert((row.id, row.is_applied));
                if row.id >= entry.0 {
                    *entry = (row.id, row.is_applied);
                }
            }
            if latest.remove(&0).is_some() {
                notes.push("version 0 is goose's own first row: not a migration".to_owned());
            }
            latest
                .into_iter()
                .filter(|(_, (_, applied))| *applied)
                .map(|(version, _)| version.to_string())
                .collect()
        }
        OldHistory::Flyway(rows) => {
            let mut ordered: Vec<&FlywayRow> = rows.iter().collect();
            ordered.sort_by_key(|row| row.installed_rank);
            // By version key, so a version applied, undone and applied again counts once.
            let mut applied: BTreeMap<String, String> = BTreeMap::new();
            for row in ordered {
                let described = format!(
                    "installed_rank {} ({} {})",
                    row.installed_rank,
                    row.kind,
                    row.version.as_deref().unwrap_or(&row.script)
                );
                if !row.success {
                    return Err(unfinished(
                        described,
                        "marked `success = false`",
                        "`flyway repair`",
                    ));
                }
                let version = row.version.clone();
                match (row.kind.as_str(), version) {
                    ("SCHEMA", _) => notes.push(format!(
                        "{described}: Flyway created the schema: not a migration"
                    )),
                    ("BASELINE", Some(baseline)) => {
                        notes.push(format!(
                            "{described}: every version up to {baseline} counts as applied"
                        ));
                        for (_, line) in imported {
                            if tool.compare_versions(&line.version, &baseline).is_le() {
                                applied
                                    .entry(tool.version_key(&line.version))
                                    .or_insert_with(|| line.version.clone());
                            }
                        }
                    }
                    ("UNDO_SQL" | "DELETE", Some(version)) => {
                        applied.remove(&tool.version_key(&version));
                    }
                    (_, None) => notes.push(format!(
                        "{described}: a repeatable migration, which carafe does not replay"
                    )),
                    ("SQL" | "JDBC" | "SPRING_JDBC" | "SCRIPT", Some(version)) => {
                        applied.entry(tool.version_key(&version)).or_insert(version);
                    }
                    (kind, Some(_)) => {
                        return Err(AdoptError::UnknownRow {
                            table: table.to_owned(),
                            row: described.clone(),
                            kind: kind.to_owned(),
                        });
                    }
                }
            }
            applied.into_values().collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(tool: Tool, versions: &[&str]) -> Vec<KnownRevision> {
        versions
            .iter()
            .enumerate()
            .map(|(index, version)| KnownRevision {
                revision: Revision::new(u32::try_from(index + 1).expect("small")),
                name: format!("{:04}_m{version}", index + 1),
                import: Some(ImportLine {
                    tool: tool.name().to_owned(),
                    version: (*version).to_owned(),
                    path: format!("{version}.sql"),
                }),
            })
            .collect()
    }

    fn target(history: OldHistory, versions: &[&str]) -> Result<Revision, String> {
        let revisions = imported(history.tool(), versions);
        plan_adoption(&history, "t", &revisions, None)
            .map(|adoption| adoption.target)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn goose_reads_the_latest_row_per_version() {
        let rows = [
            (1, 0, true),
            (2, 1, true),
            (3, 2, true),
            (4, 2, false),
            (5, 3, true),
        ]
        .map(|(id, version_id, is_applied)| GooseRow {
            id,
            version_id,
            is_applied,
        });
        let error = target(OldHistory::Goose(rows.to_vec()), &["1", "2", "3"]).expect_err("gap");
        assert!(
            error.contains("version 3 (`0003_m3`) is applied but version 2"),
            "{error}"
        );
        let target = target(OldHistory::Goose(rows[..4].to_vec()), &["1", "2", "3"]);
        assert_eq!(target, Ok(Revision::new(1)));
    }

    #[test]
    fn flyway_replays_baseline_and_undo_in_rank_order() {
        let row = |rank, version: Option<&str>, kind: &str, success| FlywayRow {
            installed_rank: rank,
            version: version.map(str::to_owned),
            kind: kind.to_owned(),
            script: "s".to_owned(),
            success,
        };
        let rows = vec![
            row(1, None, "SCHEMA", true),
            row(2, Some("1.1"), "BASELINE", true),
            row(3, Some("2"), "SQL", true),
            row(4, Some("3"), "SQL", true),
            row(5, Some("3"), "UNDO_SQL", true),
        ];
        assert_eq!(
            target(OldHistory::Flyway(rows.clone()), &["1", "1.1", "2", "3"]),
            Ok(Revision::new(3))
        );
        let out_of_order = vec![
            row(1, Some("1"), "SQL", true),
            row(2, Some("3"), "SQL", true),
        ];
        let error = target(OldHistory::Flyway(out_of_order), &["1", "2", "3"]).expect_err("gap");
        assert!(
            error.contains("version 3 (`0003_m3`) is applied but version 2 (`0002_m2`)"),
            "{error}"
        );
        let applied_late = vec![
            row(1, Some("1"), "SQL", true),
            row(2, Some("3"), "SQL", true),
            row(3, Some("2"), "SQL", true),
        ];
        assert_eq!(
            target(OldHistory::Flyway(applied_late), &["1", "2", "3"]),
            Ok(Revision::new(3)),
            "an out-of-order apply that left no gap is the same set"
        );
        let mut failed = rows;
        failed.push(row(6, Some("3"), "SQL", false));
        let error =
            target(OldHistory::Flyway(failed), &["1", "1.1", "2", "3"]).expect_err("failed");
        assert!(
            error.contains("installed_rank 6 (SQL 3) is marked `success = false`"),
            "{error}"
        );
    }

    #[test]
    fn golang_migrate_maps_every_version_up_to_its_row_and_refuses_dirty_or_ahead() {
        let row =
            |version, dirty| OldHistory::GolangMigrate(vec![GolangMigrateRow { version, dirty }]);
        assert_eq!(
            target(row(2, false), &["1", "2", "3"]),
            Ok(Revision::new(2))
        );
        assert!(
            target(row(2, true), &["1", "2"])
                .expect_err("dirty")
                .contains("`dirty = true`")
        );
        assert!(
            target(row(4, false), &["1", "2"])
                .expect_err("ahead")
                .contains("version 4 is applied")
        );
        assert_eq!(
            target(OldHistory::GolangMigrate(Vec::new()), &["1"]),
            Ok(Revision::BASE)
        );
    }

    #[test]
    fn alembic_needs_one_head_and_at() {
        let revisions = imported(Tool::Sqlx, &["1", "2"]);
        let one = OldHistory::Alembic(vec!["ae1027a6acf".to_owned()]);
        let adoption = plan_adoption(&one, "alembic_version", &revisions, Some(Revision::new(2)));
        assert_eq!(adoption.map(|a| a.target), Ok(Revision::new(2)));
        let error = plan_adoption(&one, "alembic_version", &revisions, None).expect_err("no --at");
        assert!(error.to_string().contains("pass `--at NNNN`"), "{error}");
        let two = OldHistory::Alembic(vec!["a".to_owned(), "b".to_owned()]);
        let error = plan_adoption(&two, "alembic_version", &revisions, Some(Revision::new(1)));
        assert!(
            error
                .expect_err("two heads")
                .to_string()
                .contains("holds 2 rows (a, b)")
        );
    }
}
