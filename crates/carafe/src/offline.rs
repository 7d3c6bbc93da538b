//! Offline mode (`--sql`): the plan rendered as a SQL script for a DBA to review and run with `psql`,
//! with the same statements a live run sends, history bookkeeping included. No connection.

use crate::script::{self, Commit, ExecutionTime, ScriptOptions};
use crate::{Error, HistoryTable};
use carafe_core::{
    Applied, Direction, MigrationSet, Revision, Step, Target, plan, split_statements,
};

/// The script that moves a database at `from` (assumed to match the code) towards `target`.
pub fn script(
    set: &MigrationSet,
    table: &HistoryTable,
    from: Revision,
    direction: Direction,
    target: Target,
    lock_timeout: Option<std::time::Duration>,
) -> Result<String, Error> {
    if from > set.head() {
        return Err(Error::Plan(carafe_core::PlanError::NoSuchRevision {
            revision: from,
            head: set.head(),
        }));
    }
    let applied: Vec<Applied> = set
        .iter()
        .take_while(|migration| migration.revision <= from)
        .map(|migration| Applied {
            revision: migration.revision,
            name: migration.name(),
            checksum: migration.checksum,
            down_sql: migration
                .down_section()
                .map(|section| section.sql.to_string()),
            down_transaction: migration
                .down_section()
                .map_or(carafe_core::Transaction::Wrapped, |section| {
                    section.transaction
                }),
        })
        .collect();
    let plan = plan(&applied, set, direction, target)?;
    let options = ScriptOptions { lock_timeout };
    let verb = match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    let mut text = format!(
        "-- carafe {verb} {} -> {}, written by carafe {} for history table `{table}`\n\
         -- run it with: psql -v ON_ERROR_STOP=1 -f THIS_FILE\n\n",
        plan.from,
        plan.to,
        script::CARAFE_VERSION,
    );
    if direction == Direction::Upgrade {
        text.push_str(&table.create_sql());
        text.push('\n');
    }
    for step in &plan.steps {
        text.push_str(&step_script(step, table, options));
        text.push('\n');
    }
    Ok(text)
}

fn step_script(step: &Step<'_>, table: &HistoryTable, options: ScriptOptions) -> String {
    let heading = match step {
        Step::Upgrade(migration) => format!("-- {} (up)\n", migration.name()),
        Step::Downgrade { name, .. } => format!("-- {name} (down)\n"),
    };
    let outside_transaction = match step {
        Step::Upgrade(migration) => migration.up.transaction == carafe_core::Transaction::Disabled,
        Step::Downgrade { transaction, .. } => *transaction == carafe_core::Transaction::Disabled,
    };
    if !outside_transaction {
        let batch = match step {
            Step::Upgrade(migration) => script::upgrade_batch(
                table,
                migration,
                options,
                Commit::Durable,
                ExecutionTime::Unknown,
            ),
            Step::Downgrade { revision, sql, .. } => {
                script::downgrade_batch(table, *revision, sql, options, Commit::Durable)
            }
        };
        return heading + &batch.text;
    }
    let (marker, sql, finish) = match step {
        Step::Upgrade(migration) => (
            script::insert_row(table, migration, "running", ExecutionTime::Unknown),
            migration.up.sql.as_ref(),
            script::mark_applied(table, migration.revision, None),
        ),
        Step::Downgrade { revision, sql, .. } => (
            script::mark_reverting(table, *revision),
            *sql,
            script::delete_row(table, *revision),
        ),
    };
    let mut text = heading;
    text.push_str("-- transaction:false: each statement runs on its own\n");
    text.push_str(&marker);
    for statement in split_statements(sql) {
        text.push_str(statement.sql);
        text.push_str(";\n");
    }
    text.push_str(&finish);
    text
}
