//! `carafe adopt --from TOOL [--table T] [--at NNNN] [--apply]`: read another tool's history table
//! in the configured database, map it to revisions (`carafe_import::adopt`, pure) and print the
//! mapping; with `--apply`, stamp carafe's history to it with `Database::stamp` (one transaction,
//! under the migration lock). The old table is read, never changed.

use crate::context::{Context, parse_revision};
use crate::{Exit, Failure};
use carafe::{Database, Direction};
use carafe_core::quote::identifier;
use carafe_import::Tool;
use carafe_import::adopt::{
    FlywayRow, GolangMigrateRow, GooseRow, OldHistory, SqlxRow, known_revisions, plan_adoption,
};
use std::time::Duration;

pub(crate) fn run(
    context: &Context<'_>,
    tool: Tool,
    table: Option<&str>,
    at: Option<&str>,
    apply: bool,
) -> Result<(), Failure> {
    let at = at.map(parse_revision).transpose()?;
    if at.is_some() && tool != Tool::Alembic {
        return Err(Failure::new(
            Exit::Usage,
            format_args!(
                "`--at` is for alembic, whose history has no versions carafe imported; {tool}'s versions are mapped through the imported files"
            ),
        ));
    }
    let set = context.set()?;
    let settings = context.settings()?;
    let mut client = carafe::connect(&settings.url, Duration::from_secs(10))?;
    let (schema, name) = locate(
        &mut client,
        tool,
        table.unwrap_or(tool.default_table()),
        &settings.url,
    )?;
    let shown = format!("{schema}.{name}");
    let qualified = format!("{}.{}", identifier(&schema), identifier(&name));
    check_columns(&mut client, tool, &schema, &name, &shown)?;
    let history = read_history(&mut client, tool, &qualified, &shown)?;
    drop(client);
    let adoption = plan_adoption(&history, &shown, &known_revisions(&set), at)
        .map_err(|error| Failure::new(Exit::HistoryMismatch, error))?;

    let mut database = Database::connect(settings)?;
    let carafe_history = database.history()?;
    let applied = carafe_history.applied();
    let current = carafe_history.current();
    if let Some(row) = carafe_history.interrupted() {
        return Err(Failure::new(
            Exit::HistoryMismatch,
            format_args!(
                "carafe's history has `{}` interrupted while it ran outside a transaction: `carafe upgrade` explains the way out; adopt after that",
                row.applied.name
            ),
        ));
    }
    if !applied.is_empty() {
        carafe_core::verify_history(&applied, &set)?;
        if current != adoption.target {
            return Err(Failure::new(
                Exit::HistoryMismatch,
                format_args!(
                    "carafe's history already records {current}, but `{shown}` maps to {}: they disagree; find out which is right, then `carafe stamp` it by hand",
                    adoption.target
                ),
            ));
        }
    }
    say!("`{shown}` ({tool}) maps to:");
    for mapped in &adoption.mapped {
        say!("  {tool} version {} -> {}", mapped.version, mapped.name);
    }
    if adoption.mapped.is_empty() {
        say!("  nothing applied: base");
    }
    for note in &adoption.notes {
        say!("  note: {note}");
    }
    let target = adoption.target;
    if !apply {
        say!(
            "dry run: carafe's history would be stamped at {target}; run again with `--apply` to record it (nothing is run, and `{shown}` stays in place)"
        );
        return Ok(());
    }
    if !applied.is_empty() && current == target {
        say!(
            "carafe's history is already at {target}: nothing to stamp; `{shown}` was left in place"
        );
        return Ok(());
    }
    let report = database.stamp(&set, target)?;
    for step in &report.steps {
        let verb = match step.direction {
            Direction::Upgrade => "recorded",
            Direction::Downgrade => "forgot  ",
        };
        say!("{verb} {}", step.name);
    }
    say!(
        "database is stamped at {target} (nothing was run); `{shown}` was left in place: drop it once {tool} is retired"
    );
    Ok(())
}

/// The schema and name of the history table, as the server resolves `name` (`SCHEMA.NAME`, or
/// `NAME` through the search path).
fn locate(
    client: &mut postgres::Client,
    tool: Tool,
    name: &str,
    url: &carafe::DatabaseUrl,
) -> Result<(String, String), Failure> {
    let quoted = match name.split_once('.') {
        Some((schema, table)) => format!("{}.{}", identifier(schema), identifier(table)),
        None => identifier(name),
    };
    let row = client
        .query_opt(
            "SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)",
            &[&quoted],
        )
        .map_err(|error| read_failure(name, &error))?;
    match row {
        Some(row) => Ok((row.get(0), row.get(1))),
        None => Err(Failure::new(
            Exit::Settings,
            format_args!(
                "the database at {url} has no table `{name}`: pass `--table [SCHEMA.]NAME` if {tool} keeps its history elsewhere"
            ),
        )),
    }
}

/// The columns each tool's table has (as the tool creates it).
fn required_columns(tool: Tool) -> &'static [&'static str] {
    match tool {
        Tool::Alembic => &["version_num"],
        Tool::Sqlx => &["version", "description", "success"],
        Tool::Refinery | Tool::Diesel | Tool::Dbmate => &["version"],
        Tool::Flyway => &["installed_rank", "version", "type", "script", "success"],
        Tool::GolangMigrate => &["version", "dirty"],
        Tool::Goose => &["id", "version_id", "is_applied"],
    }
}

/// Refuses a table that is not `tool`'s, telling golang-migrate's and dbmate's
/// `schema_migrations` apart by golang-migrate's `dirty` column.
fn check_columns(
    client: &mut postgres::Client,
    tool: Tool,
    schema: &str,
    name: &str,
    shown: &str,
) -> Result<(), Failure> {
    let columns: Vec<String> = client
        .query(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2) AND attnum > 0 AND NOT attisdropped",
            &[&schema, &name],
        )
        .map_err(|error| read_failure(shown, &error))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let has = |column: &str| columns.iter().any(|c| c == column);
    if tool == Tool::Dbmate && has("dirty") {
        return Err(Failure::new(
            Exit::Usage,
            format_args!(
                "`{shown}` has golang-migrate's `dirty` column: it is golang-migrate's history, not dbmate's; pass `--from golang-migrate`"
            ),
        ));
    }
    if let Some(missing) = required_columns(tool).iter().find(|column| !has(column)) {
        let hint = match tool {
            Tool::GolangMigrate if columns.len() == 1 && has("version") => {
                " (a single `version` column is dbmate's layout: pass `--from dbmate`)"
            }
            _ => "",
        };
        return Err(Failure::new(
            Exit::Usage,
            format_args!(
                "`{shown}` has no `{missing}` column, so it is not {tool}'s history table{hint}: pass the right `--from`, or `--table`"
            ),
        ));
    }
    Ok(())
}

/// The rows of the old history table.
fn read_history(
    client: &mut postgres::Client,
    tool: Tool,
    qualified: &str,
    shown: &str,
) -> Result<OldHistory, Failure> {
    let query = |client: &mut postgres::Client, sql: String| {
        client
            .query(&sql, &[])
            .map_err(|error| read_failure(shown, &error))
    };
    let text = |row: &postgres::Row, index: usize| -> Result<String, Failure> {
        row.try_get::<_, Option<String>>(index)
            .map_err(|error| read_failure(shown, &error))?
            .ok_or_else(|| {
                Failure::new(
                    Exit::HistoryMismatch,
                    format_args!(
                        "`{shown}` has a row with an empty version: fix it with {tool} first"
                    ),
                )
            })
    };
    let flag = |row: &postgres::Row, index: usize| -> Result<bool, Failure> {
        row.try_get::<_, Option<bool>>(index)
            .map_err(|error| read_failure(shown, &error))
            .map(|value| value.unwrap_or(false))
    };
    let number = |row: &postgres::Row, index: usize| -> Result<i64, Failure> {
        row.try_get::<_, i64>(index)
            .map_err(|error| read_failure(shown, &error))
    };
    let versions = |client: &mut postgres::Client, column: &str| -> Result<Vec<String>, Failure> {
        query(
            client,
            format!("SELECT {column}::text FROM {qualified} ORDER BY 1"),
        )?
        .iter()
        .map(|row| text(row, 0))
        .collect()
    };
    Ok(match tool {
        Tool::Alembic => OldHistory::Alembic(versions(client, "version_num")?),
        Tool::Refinery => OldHistory::Refinery(versions(client, "version")?),
        Tool::Diesel => OldHistory::Diesel(versions(client, "version")?),
        Tool::Dbmate => OldHistory::Dbmate(versions(client, "version")?),
        Tool::Sqlx => OldHistory::Sqlx(
            query(client, format!("SELECT version::text, description::text, success FROM {qualified} ORDER BY version"))?
                .iter()
                .map(|row| {
                    Ok(SqlxRow {
                        version: text(row, 0)?,
                        description: text(row, 1)?,
                        success: flag(row, 2)?,
                    })
                })
                .collect::<Result<_, Failure>>()?,
        ),
        Tool::Flyway => OldHistory::Flyway(
            query(client, format!("SELECT installed_rank::bigint, version::text, type::text, script::text, success FROM {qualified} ORDER BY installed_rank"))?
                .iter()
                .map(|row| {
                    Ok(FlywayRow {
                        installed_rank: number(row, 0)?,
                        version: row.try_get::<_, Option<String>>(1).map_err(|error| read_failure(shown, &error))?,
                        kind: text(row, 2)?,
                        script: text(row, 3)?,
                        success: flag(row, 4)?,
                    })
                })
                .collect::<Result<_, Failure>>()?,
        ),
        Tool::GolangMigrate => OldHistory::GolangMigrate(
            query(client, format!("SELECT version::bigint, dirty FROM {qualified}"))?
                .iter()
                .map(|row| Ok(GolangMigrateRow { version: number(row, 0)?, dirty: flag(row, 1)? }))
                .collect::<Result<_, Failure>>()?,
        ),
        Tool::Goose => OldHistory::Goose(
            query(client, format!("SELECT id::bigint, version_id::bigint, is_applied FROM {qualified} ORDER BY id"))?
                .iter()
                .map(|row| {
                    Ok(GooseRow { id: number(row, 0)?, version_id: number(row, 1)?, is_applied: flag(row, 2)? })
                })
                .collect::<Result<_, Failure>>()?,
        ),
    })
}

fn read_failure(table: &str, error: &dyn std::fmt::Display) -> Failure {
    Failure::new(
        Exit::Environment,
        format_args!("cannot read `{table}`: {error}"),
    )
}
