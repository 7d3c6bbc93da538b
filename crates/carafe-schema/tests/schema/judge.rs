//! The judge that shares nothing with carafe's model: `pg_dump --schema-only`, in the normal form
//! the corpora compare in. Written here, in the tests, not shared with carafe's own code.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `pg_dump` beside the server binaries the tests run.
pub fn pg_dump() -> PathBuf {
    carafe_devdb::Binaries::locate()
        .expect("binaries")
        .bindir()
        .join("pg_dump")
}

/// `pg_dump --schema-only --no-owner` in carafe's normal form: no comments, `SET` lines or psql
/// meta-commands, the columns of each table in name order, and grants in name order. Written here, not shared with
/// carafe's own code, so that it judges independently.
pub fn dump(pg_dump: &Path, url: &str) -> Result<String, String> {
    let output = Command::new(pg_dump)
        .args(["--schema-only", "--no-owner", "--dbname", url])
        .output()
        .map_err(|error| format!("pg_dump: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "pg_dump: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = Vec::new();
    let mut table: Option<Vec<String>> = None;
    for line in text.lines() {
        if line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config(")
            || line.starts_with('\\')
            || line.trim().is_empty()
        {
            continue;
        }
        match &mut table {
            Some(columns) if line.starts_with(')') => {
                columns.sort();
                lines.append(columns);
                lines.push(line.to_owned());
                table = None;
            }
            Some(columns) => columns.push(line.trim_end_matches(',').to_owned()),
            None => {
                lines.push(line.to_owned());
                if line.starts_with("CREATE TABLE ") || line.starts_with("CREATE UNLOGGED TABLE ") {
                    table = Some(Vec::new());
                }
            }
        }
    }
    sort_privilege_runs(&mut lines);
    Ok(lines.join("\n"))
}

/// Sorts each run of consecutive `GRANT` / `REVOKE` lines: pg_dump prints an access list in the
/// order the grants were made, which means nothing.
fn sort_privilege_runs(lines: &mut [String]) {
    let is_privilege = |line: &String| line.starts_with("GRANT ") || line.starts_with("REVOKE ");
    let mut start = 0;
    while start < lines.len() {
        if !is_privilege(&lines[start]) {
            start += 1;
            continue;
        }
        let end = (start..lines.len())
            .find(|&index| !is_privilege(&lines[index]))
            .unwrap_or(lines.len());
        lines[start..end].sort();
        start = end;
    }
}

/// The first line where two dumps differ, for the failure message.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let at = expected
        .iter()
        .zip(&actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    format!(
        "wanted `{}`, got `{}`",
        expected.get(at).unwrap_or(&"(end)"),
        actual.get(at).unwrap_or(&"(end)")
    )
}
