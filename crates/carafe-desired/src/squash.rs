//! `squash`: one baseline revision for revisions 0001..N, whose up is what `pg_dump` says they
//! built, checked before anything is written: on scratch databases, the baseline builds the same
//! schema as the revisions (judged by `pg_dump` and by the schema model), and a database made
//! before the squash and one made from the baseline end at head with the same schema.

use crate::pg_dump::{PgDump, dump_as_sql, dump_difference};
use crate::{Error, ScratchDatabase, snapshot};
use carafe::{Database, DatabaseUrl, Migration, MigrationSet, Revision, Settings, Target};
use carafe_core::{DownText, Replaced, RevisionFile, SectionText, SourceFile, SumFile};
use carafe_schema::{Renames, diff};

/// A checked squash, ready to be written.
#[derive(Clone, Debug)]
pub struct Squash {
    /// The baseline's file name, e.g. `0012_baseline.sql`.
    pub file_name: String,
    /// The baseline file's text.
    pub text: String,
    /// The revisions it replaces (0001 to this), whose files go.
    pub replaced: Vec<String>,
    /// The set after the squash (the baseline, then the revisions after it).
    pub set: MigrationSet,
    /// Statements in the replaced revisions that change nothing a schema dump holds, and so are
    /// not in the baseline (`VACUUM`, `ANALYZE`, ...), as `file:line: statement`.
    pub dropped: Vec<String>,
}

/// Statements that act on the server rather than the schema: a baseline from `pg_dump
/// --schema-only` cannot reproduce them.
const SERVER_STATEMENTS: &[&str] = &[
    "CREATE ROLE",
    "CREATE USER",
    "CREATE GROUP",
    "ALTER ROLE",
    "ALTER USER",
    "ALTER GROUP",
    "DROP ROLE",
    "DROP USER",
    "DROP GROUP",
    "CREATE DATABASE",
    "ALTER DATABASE",
    "DROP DATABASE",
    "CREATE TABLESPACE",
    "ALTER TABLESPACE",
    "DROP TABLESPACE",
    "ALTER SYSTEM",
    "CREATE SUBSCRIPTION",
    "ALTER SUBSCRIPTION",
];

/// Statements with no effect on the schema, left out of the baseline (and said so).
const MAINTENANCE_STATEMENTS: &[&str] = &[
    "VACUUM",
    "ANALYZE",
    "ANALYSE",
    "CHECKPOINT",
    "CLUSTER",
    "REINDEX",
    "DISCARD",
    "NOTIFY",
];

/// Squashes revisions 0001..`through` of `set` into one baseline named `slug`, checked on
/// scratch databases on `server`. Nothing is written: the caller writes [`Squash::text`] and
/// removes [`Squash::replaced`].
pub fn squash(
    settings: &Settings,
    set: &MigrationSet,
    server: &DatabaseUrl,
    through: Revision,
    slug: &str,
    pg_dump: &PgDump,
) -> Result<Squash, Error> {
    let refused = |reason: String| Error::SquashRefused { reason };
    if let Some((baseline, _)) = set.baseline() {
        return Err(refused(format!(
            "the set already starts with the baseline `{}`; squashing a baseline again is not supported: squash in the history before it, or keep it",
            baseline.file_name()
        )));
    }
    if set.get(through).is_none() || through.is_base() {
        return Err(refused(format!(
            "there is no revision {through}: the revisions are 0001 to {}",
            set.head()
        )));
    }
    let replaced: Vec<&Migration> = set.iter().filter(|m| m.revision <= through).collect();
    let dropped = check_statements(&replaced)?;

    // The revisions, replayed: what the baseline must build.
    let history = &settings.history;
    let old = ScratchDatabase::create(server, "squash")?;
    let mut old_settings = settings.clone();
    old_settings.url = old.url().clone();
    let mut old_database = Database::connect(old_settings)?;
    // What fails here fails on a scratch database, and says so: the run's own message named the
    // database "still at base" as if it were the user's (found by review).
    let on_scratch = |what: &str| {
        let what = what.to_owned();
        move |error: carafe::Error| Error::SquashRefused {
            reason: format!("{what} fails on a scratch database, no database of yours: {error}"),
        }
    };
    old_database
        .upgrade(set, Target::Exactly(through), &mut |_| {})
        .map_err(on_scratch("replaying the revisions"))?;
    refuse_data(&mut old_database, history)?;
    // With the owners a revision must give away: the model judge below compares them.
    let old_dump = pg_dump.schema_with_owners(old.url(), history)?;

    let replaced_chain = Replaced {
        through,
        chain: SumFile::chain_of(replaced.iter().map(|m| (m.file_name(), m.checksum))),
    };
    let description = format!(
        "Baseline: the schema revisions 0001 to {through} built, as `pg_dump --schema-only` writes it (`carafe squash`).\nDatabases made before the squash keep their history rows for 0001 to {through}; new databases apply this instead."
    );
    let up = dump_as_sql(&old_dump);
    let text = RevisionFile {
        description: &description,
        up: SectionText::wrapped(&up),
        down: DownText::Irreversible,
    }
    .render_baseline(&replaced_chain);
    let file_name = carafe_core::FileName::render(through, slug);
    let baseline = read_baseline(&file_name, &text)?;
    let mut migrations = vec![baseline];
    migrations.extend(set.iter().filter(|m| m.revision > through).cloned());
    let squashed = MigrationSet::from_migrations(migrations);

    // The baseline, applied to a new database: the same schema, by both judges.
    let new = ScratchDatabase::create(server, "squash")?;
    let mut new_settings = settings.clone();
    new_settings.url = new.url().clone();
    let mut new_database = Database::connect(new_settings)?;
    new_database
        .upgrade(&squashed, Target::Exactly(through), &mut |_| {})
        .map_err(on_scratch("the baseline"))?;
    compare(pg_dump, &old, &new, history, "the baseline")?;

    // Both continue to head with the squashed set: the old database through its old rows.
    old_database
        .upgrade(&squashed, Target::Head, &mut |_| {})
        .map_err(on_scratch(
            "upgrading a database made before the squash to head",
        ))?;
    new_database
        .upgrade(&squashed, Target::Head, &mut |_| {})
        .map_err(on_scratch(
            "upgrading a database made from the baseline to head",
        ))?;
    compare(pg_dump, &old, &new, history, "head")?;

    Ok(Squash {
        file_name,
        text,
        replaced: replaced.iter().map(|m| m.file_name()).collect(),
        set: squashed,
        dropped,
    })
}

/// Refuses statements a schema dump cannot carry; lists the ones with no schema effect.
fn check_statements(replaced: &[&Migration]) -> Result<Vec<String>, Error> {
    let mut dropped = Vec::new();
    for migration in replaced {
        let section = &migration.up;
        for statement in carafe_core::split_statements(&section.sql) {
            let words = leading_words(statement.sql);
            let line =
                section.line as usize + section.sql[..statement.offset].matches('\n').count();
            let place = format!("{}:{line}", migration.file_name());
            if let Some(kind) = SERVER_STATEMENTS
                .iter()
                .find(|kind| words.starts_with(**kind))
            {
                let mode = match section.transaction {
                    carafe::Transaction::Disabled => " (a `transaction:false` revision)",
                    carafe::Transaction::Wrapped => "",
                };
                return Err(Error::SquashRefused {
                    reason: format!(
                        "`{kind}` at {place}{mode} acts on the server, not the schema, and `pg_dump --schema-only` does not carry it, so a baseline cannot reproduce it: squash to a revision before it, or move it to the server's setup"
                    ),
                });
            }
            let first = words.split(' ').next().unwrap_or_default();
            if MAINTENANCE_STATEMENTS.contains(&first) {
                dropped.push(format!("{place}: {}", first_line(statement.sql)));
            }
        }
    }
    Ok(dropped)
}

/// The statement's first words, uppercased, comments skipped, single-spaced.
fn leading_words(sql: &str) -> String {
    let code: Vec<&str> = sql
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("--") && !line.is_empty())
        .collect();
    code.join(" ")
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

fn first_line(sql: &str) -> &str {
    sql.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("--"))
        .unwrap_or_default()
}

/// Refuses when the replayed revisions left rows in a table or advanced a sequence: a schema
/// baseline would lose that data.
fn refuse_data(database: &mut Database, history: &carafe::HistoryTable) -> Result<(), Error> {
    const USER_TABLES: &str = "SELECT format('%I.%I', n.nspname, c.relname), c.relkind::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
          AND NOT (n.nspname = $1 AND c.relname = $2)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class owner ON owner.oid = d.refobjid
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype IN ('a', 'i') AND owner.relname = $2
                            AND owner.relnamespace = n.oid AND n.nspname = $1)
        ORDER BY 1";
    let client = database.client();
    let database_error = |error: postgres::Error| {
        Error::Runtime(carafe::Error::Database {
            context: "cannot look for data in the squashed schema".to_owned(),
            message: carafe::describe_server_error(&error),
        })
    };
    let relations = client
        .query(USER_TABLES, &[&history.schema(), &history.table()])
        .map_err(database_error)?;
    let mut probes = Vec::new();
    for (index, row) in relations.iter().enumerate() {
        let name: String = row.get(0);
        let kind: String = row.get(1);
        probes.push(match kind.as_str() {
            "S" => format!("SELECT {index} FROM {name} WHERE is_called"),
            _ => format!("SELECT {index} WHERE EXISTS (SELECT 1 FROM {name})"),
        });
    }
    if probes.is_empty() {
        return Ok(());
    }
    let with_data: Vec<String> = client
        .query(&probes.join("\nUNION ALL\n"), &[])
        .map_err(database_error)?
        .iter()
        .filter_map(|row| relations.get(usize::try_from(row.get::<_, i32>(0)).ok()?))
        .map(|row| row.get::<_, String>(0))
        .collect();
    match with_data.as_slice() {
        [] => Ok(()),
        names => Err(Error::SquashRefused {
            reason: format!(
                "the revisions leave data behind ({}), and a baseline holds only the schema, so new databases would lack it: squash to a revision before the data is inserted, or keep the data in a revision after the baseline",
                names
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// The baseline file as the loader reads it (so it is the file that will be on disk).
fn read_baseline(file_name: &str, text: &str) -> Result<Migration, Error> {
    let sum = SumFile::from_checksums([(
        file_name.to_owned(),
        carafe_core::Checksum::of(text.as_bytes()),
    )]);
    let loaded = carafe_core::load(&[
        SourceFile::new(file_name, text.as_bytes()),
        SourceFile::new(carafe_core::SUM_FILE_NAME, sum.render().into_bytes()),
    ]);
    match (loaded.problems.first(), loaded.set.iter().next()) {
        (None, Some(migration)) => Ok(migration.clone()),
        (problem, _) => Err(Error::SquashRefused {
            reason: format!(
                "the baseline written from pg_dump does not read back as a revision ({}): report this with the dump",
                problem.map_or("no revision".to_owned(), ToString::to_string)
            ),
        }),
    }
}

/// Refuses unless the two databases have the same schema by `pg_dump` and by the model.
fn compare(
    pg_dump: &PgDump,
    old: &ScratchDatabase,
    new: &ScratchDatabase,
    history: &carafe::HistoryTable,
    stage: &str,
) -> Result<(), Error> {
    let old_dump = pg_dump.schema(old.url(), history)?;
    let new_dump = pg_dump.schema(new.url(), history)?;
    if let Some(difference) = dump_difference(&old_dump, &new_dump) {
        return Err(Error::SquashNotFaithful {
            stage: stage.to_owned(),
            judge: "pg_dump",
            difference,
        });
    }
    let changes = diff(
        &snapshot(old.url(), history)?,
        &snapshot(new.url(), history)?,
        &Renames::default(),
    );
    if !changes.is_empty() {
        return Err(Error::SquashNotFaithful {
            stage: stage.to_owned(),
            judge: "carafe's schema model",
            difference: crate::statements(&changes).trim().replace('\n', " "),
        });
    }
    Ok(())
}
