//! `carafe history`: every revision the code or the database knows, applied or pending. A row
//! whose name the code does not have under its number is listed under its own name, with why
//! (replaced by a baseline, renumbered, or newer than this build).

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
    /// Why a row is not this build's, when it is not.
    not_in_build: Option<String>,
}

pub(crate) fn run(context: &Context<'_>) -> Result<(), Failure> {
    let set = context.set()?;
    let mut database = Database::connect(context.settings()?)?;
    let history = database.history()?;
    let mut lines: BTreeMap<(Revision, String), Line> = set
        .iter()
        .map(|m| {
            let line = Line {
                name: m.name(),
                status: "pending".to_owned(),
                applied_at: None,
                applied_by: None,
                ms: None,
                not_in_build: None,
            };
            ((m.revision, m.name()), line)
        })
        .collect();
    let baseline = set.baseline().map(|(migration, _)| migration);
    for row in &history.rows {
        let key = (row.applied.revision, row.applied.name.clone());
        let not_in_build = match (baseline, set.get(row.applied.revision)) {
            (Some(baseline), _) if row.applied.revision <= baseline.revision => {
                format!("replaced by {}", baseline.name())
            }
            (_, Some(code)) => format!(
                "renumbered: this build's {} is {}",
                code.revision,
                code.name()
            ),
            (_, None) => "not in this build".to_owned(),
        };
        let line = lines.entry(key).or_insert_with(|| Line {
            name: row.applied.name.clone(),
            status: String::new(),
            applied_at: None,
            applied_by: None,
            ms: None,
            not_in_build: Some(not_in_build),
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
    // A database made before a squash has the replaced revisions' rows, not the baseline's: all
    // of them, or (downgraded since) only some, which the status must not hide (found by review).
    if let Some(baseline) = baseline
        && let Some(reached) = history
            .rows
            .iter()
            .map(|row| row.applied.revision)
            .filter(|revision| *revision <= baseline.revision)
            .max()
        && let Some(line) = lines.get_mut(&(baseline.revision, baseline.name()))
        && line.applied_at.is_none()
    {
        line.status = match reached == baseline.revision {
            true => "not run here: the revisions it replaced are applied".to_owned(),
            false => format!(
                "not run here: the revisions it replaced are applied up to {reached} only (a build from before the squash can upgrade it)"
            ),
        };
    }
    if context.global.json {
        let rows: Vec<_> = lines
            .iter()
            .map(|((revision, _), line)| {
                serde_json::json!({ "revision": revision.to_string(), "name": line.name, "status": line.status, "applied_at": line.applied_at, "applied_by": line.applied_by, "ms": line.ms, "in_build": line.not_in_build.is_none(), "not_in_build": line.not_in_build })
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
        if let Some(why) = &line.not_in_build {
            text.push_str(&format!(" [{why}]"));
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
