//! `Report`: what `carafe import` decided for every file, printed and written to
//! `carafe-import-report.txt` beside the migrations directory.

use crate::{ConvertedRevision, Tool};
use std::fmt::Write as _;

/// Every decision of one import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    tool: Tool,
    lines: Vec<String>,
}

impl Report {
    pub(crate) fn new(
        tool: Tool,
        revisions: &[ConvertedRevision],
        ignored: Vec<(String, String)>,
    ) -> Report {
        let mut lines = Vec::new();
        for revision in revisions {
            lines.push(format!(
                "{} <- {} version {}: {}",
                revision.file_name, tool, revision.version, revision.source
            ));
            for decision in &revision.decisions {
                lines.push(format!("    {decision}"));
            }
        }
        for (path, reason) in ignored {
            lines.push(format!("left out {path}: {reason}"));
        }
        Report { tool, lines }
    }

    /// The report's text: a header, one line per revision (`0001_x.sql <- sqlx version 1: 1_x.sql`)
    /// with its decisions indented below it, then the files left out.
    pub fn render(&self) -> String {
        let mut text = format!("carafe import --from {}\n", self.tool);
        for line in &self.lines {
            let _ = writeln!(text, "{line}");
        }
        text
    }
}
