//! `carafe current [--check]`: where the database is, against the code's head.

use crate::context::Context;
use crate::{Exit, Failure};
use carafe::Database;

pub(crate) fn run(context: &Context<'_>, check: bool) -> Result<(), Failure> {
    let set = context.set()?;
    let mut database = Database::connect(context.settings()?)?;
    let history = database.history()?;
    let current = history.current();
    let head = set.head();
    let pending: Vec<String> = set
        .iter()
        .filter(|m| m.revision > current)
        .map(|m| m.name())
        .collect();
    let interrupted = history.interrupted().map(|row| row.applied.name.clone());
    if context.global.json {
        say!(
            "{}",
            serde_json::json!({ "current": current.to_string(), "head": head.to_string(), "at_head": current == head, "pending": pending, "interrupted": interrupted })
        );
    } else {
        let state = if current == head {
            " (head)".to_owned()
        } else if current > head {
            format!(" (ahead of this build's head {head})")
        } else {
            format!(" ({} pending, head is {head})", pending.len())
        };
        say!("{current}{state}");
        if let Some(name) = &interrupted {
            say!(
                "warning: `{name}` was interrupted while it ran outside a transaction: `carafe upgrade` explains the way out"
            );
        }
    }
    if check && (current != head || interrupted.is_some()) {
        return Err(Failure::new(
            Exit::NotAtHead,
            format_args!("database is at {current}, not at head {head}"),
        )
        .said_in_json());
    }
    Ok(())
}
