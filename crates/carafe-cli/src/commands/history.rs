//! `carafe history`: every revision the code or the database knows, applied or pending.

use crate::Failure;
use crate::context::Context;
use carafe::{Database, Revision, RowState};
use std::collections::BTreeMap;

struct Line {
    name: String,
    status: String,
    applied_at: Option<String>,
    applied_by: Option<String>,
    ms: Option<f64>,
    in_build: bool,
}

pub(crate) fn run(context: &Context<'_>) -> Result<(), Failure> {
    let set = context.set()?;
    let mut database = Database::connect(context.settings()?)?;
    let history = database.history()?;
    let mut lines: BTreeMap<Revision, Line> = set
        .iter()
        .map(|m| {
            let line = Line {
                name: m.name(),
                status: "pending".to_owned(),
                applied_at: None,
                applied_by: None,
                ms: None,
                in_build: true,
            };
            (m.revision, line)
        })
        .collect();
    for row in &history.rows {
        let line = lines.entry(row.applied.revision).or_insert_with(|| Line {
            name: row.applied.name.clone(),
            status: String::new(),
            applied_at: None,
            applied_by: None,
            ms: None,
            in_build: false,
        });
        line.status = match row.state {
            RowState::Applied => "applied",
            RowState::Running => "interrupted (up)",
            RowState::Reverting => "interrupted (down)",
        }
        .to_owned();
        line.applied_at = Some(row.applied_at.clone());
        line.applied_by = Some(row.applied_by.clone());
        line.ms = row.execution_ms;
    }
    if context.global.json {
        let rows: Vec<_> = lines
            .iter()
            .map(|(revision, line)| {
                serde_json::json!({ "revision": revision.to_string(), "name": line.name, "status": line.status, "applied_at": line.applied_at, "applied_by": line.applied_by, "ms": line.ms, "in_build": line.in_build })
            })
            .collect();
        say!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    let width = lines
        .values()
        .map(|line| line.name.len())
        .max()
        .unwrap_or(0);
    for line in lines.values() {
        let mut text = format!("{:width$}  {}", line.name, line.status);
        if let (Some(at), Some(by)) = (&line.applied_at, &line.applied_by) {
            text.push_str(&format!(" {at} by {by}"));
        }
        if let Some(ms) = line.ms {
            text.push_str(&format!(" ({ms:.1} ms)"));
        }
        if !line.in_build {
            text.push_str(" [not in this build]");
        }
        say!("{text}");
    }
    say!(
        "database is at {}, head is {}",
        history.current(),
        set.head()
    );
    Ok(())
}
