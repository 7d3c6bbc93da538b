//! `carafe show NNNN`: one revision's description, checksum and SQL.

use crate::context::{Context, parse_revision};
use crate::{Exit, Failure};
use carafe::{Down, Transaction};

pub(crate) fn run(context: &Context<'_>, revision: &str) -> Result<(), Failure> {
    let revision = parse_revision(revision)?;
    let set = context.set()?;
    let migration = set.get(revision).ok_or_else(|| {
        Failure::new(
            Exit::BadTarget,
            format_args!(
                "revision {revision} does not exist: the newest revision is {}",
                set.head()
            ),
        )
    })?;
    let transaction = |t: Transaction| match t {
        Transaction::Wrapped => "in a transaction",
        Transaction::Disabled => "outside a transaction (transaction:false)",
    };
    if context.global.json {
        let down = migration.down_section().map(|s| s.sql.to_string());
        say!(
            "{}",
            serde_json::json!({ "revision": revision.to_string(), "name": migration.name(), "file": migration.file_name(), "description": migration.description, "checksum": migration.checksum.to_string(), "up": migration.up.sql, "down": down, "irreversible": migration.down == Down::Irreversible, "nothing": migration.down == Down::Nothing })
        );
        return Ok(());
    }
    say!("{}", migration.file_name());
    if !migration.description.is_empty() {
        say!("{}", migration.description);
    }
    say!("checksum: {}", migration.checksum);
    say!(
        "\n-- up, {}\n{}",
        transaction(migration.up.transaction),
        migration.up.sql.trim_end()
    );
    match &migration.down {
        Down::Sql(section) => say!(
            "\n-- down, {}\n{}",
            transaction(section.transaction),
            section.sql.trim_end()
        ),
        Down::Irreversible => say!("\n-- down: irreversible"),
        Down::Nothing => say!("\n-- down: nothing to undo"),
    }
    Ok(())
}
