//! `carafe heads`: the newest revision the code knows (history is linear: there is one head).

use crate::Failure;
use crate::context::Context;

pub(crate) fn run(context: &Context<'_>) -> Result<(), Failure> {
    let set = context.set()?;
    let head = set.as_slice().last();
    if context.global.json {
        say!(
            "{}",
            serde_json::json!({ "heads": head.map(|m| m.name()).into_iter().collect::<Vec<_>>() })
        );
    } else {
        match head {
            Some(migration) => say!("{} (head)", migration.name()),
            None => {
                say!("base (no revisions yet: `carafe revision -m MESSAGE` writes the first)")
            }
        }
    }
    Ok(())
}
