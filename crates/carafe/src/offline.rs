//! Offline mode (`--sql`): the plan rendered as a SQL script for a DBA to review and run with `psql`,
//! with the same statements a live run sends, history bookkeeping included. No connection.

use crate::script::{self, Runner, ScriptOptions, Unit};
use crate::{Error, HistoryTable, RunMode};
use carafe_core::{
    Applied, Direction, MigrationSet, Revision, Step, Target, plan, split_statements,
};

/// The script that moves a database at `from` (assumed to match the code) towards `target`, grouped
/// into transactions as a live run in `mode` groups them.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let files = [("0001_create_products.sql", "-- migrate:up\nCREATE TABLE products (sku text PRIMARY KEY);\n-- migrate:down\nDROP TABLE products;\n")];
/// # let mut sources: Vec<_> = files.iter().map(|(name, text)| carafe_core::SourceFile::new(*name, text.as_bytes())).collect();
/// # let sum = carafe_core::SumFile::from_checksums(files.iter().map(|(name, text)| ((*name).to_owned(), carafe::Checksum::of(text.as_bytes()))));
/// # sources.push(carafe_core::SourceFile::new("carafe.sum", sum.render()));
/// # let set = carafe_core::load(&sources).into_result().expect("a sound set");
/// use carafe::{Direction, HistoryTable, Revision, RunMode, Target};
///
/// let sql = carafe::offline::script(
///     &set,
///     &HistoryTable::default(),
///     Revision::BASE,
///     Direction::Upgrade,
///     Target::Head,
///     None,
///     RunMode::PerRevision,
/// )?;
/// assert!(sql.contains("CREATE TABLE products (sku text PRIMARY KEY);"));
/// assert_eq!(sql.matches("BEGIN;").count(), 1);
/// # Ok(())
/// # }
/// ```
pub fn script(
    set: &MigrationSet,
    table: &HistoryTable,
    from: Revision,
    direction: Direction,
    target: Target,
    lock_timeout: Option<std::time::Duration>,
    mode: RunMode,
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
    let mode_note = match mode {
        RunMode::PerRevision => "one transaction per revision",
        RunMode::OneTransaction => "one transaction for the whole run",
    };
    let mut text = format!(
        "-- carafe {verb} {} -> {}, written by carafe {} for history table `{table}` ({mode_note})\n\
         -- run it with: psql -v ON_ERROR_STOP=1 -f THIS_FILE\n\n",
        plan.from,
        plan.to,
        script::CARAFE_VERSION,
    );
    // A database past base has its history table, as a live run finds; one at base may not.
    if direction == Direction::Upgrade && plan.from == Revision::BASE {
        text.push_str(&table.create_sql());
        text.push('\n');
    }
    for unit in script::units(&plan.steps, table, options, mode, Runner::Offline) {
        text.push_str(&unit_script(&unit, table));
        text.push('\n');
    }
    Ok(text)
}

fn heading(step: &Step<'_>) -> String {
    match step {
        Step::Upgrade(migration) => format!("-- {} (up)\n", migration.name()),
        Step::Downgrade { name, .. } => format!("-- {name} (down)\n"),
    }
}

fn unit_script(unit: &Unit<'_, '_>, table: &HistoryTable) -> String {
    match unit {
        Unit::Transaction { steps, text, .. } => {
            let headings: String = steps.iter().map(heading).collect();
            headings + text
        }
        Unit::Outside { step, marker } => {
            let mut text = heading(step);
            text.push_str("-- transaction:false: each statement runs on its own\n");
            text.push_str(marker);
            for statement in split_statements(script::step_sql(step)) {
                text.push_str(statement.sql);
                text.push_str(";\n");
            }
            text.push_str(&script::finish_outside(table, step, None));
            text
        }
    }
}
