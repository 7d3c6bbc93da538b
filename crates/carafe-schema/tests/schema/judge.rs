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

/// `pg_dump --schema-only` (owners included) in carafe's normal form: no comments, `SET` lines or psql
/// meta-commands, the columns of each table in name order, grants in name order, and options in
/// `WITH (...)` and `SET (...)` lists in name order, the items of a multi-line `OPTIONS (` block
/// in name order without secrets. Written here, not shared with
/// carafe's own code, so that it judges independently.
pub fn dump(pg_dump: &Path, url: &str) -> Result<String, String> {
    let output = Command::new(pg_dump)
        .args(["--schema-only", "--dbname", url])
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
    let mut options: Option<Vec<String>> = None;
    for line in text.lines() {
        if line.starts_with("--")
            || line.starts_with("SET ")
            || line.starts_with("SELECT pg_catalog.set_config(")
            || line.starts_with('\\')
            || line.trim().is_empty()
        {
            continue;
        }
        if let Some(items) = &mut options {
            match line.starts_with(')') {
                true => {
                    close_options(&mut lines, items, line);
                    options = None;
                }
                false => items.push(line.trim().trim_end_matches(',').to_owned()),
            }
            continue;
        }
        if line.ends_with("OPTIONS (") && table.is_none() {
            lines.push(line.to_owned());
            options = Some(Vec::new());
            continue;
        }
        match &mut table {
            Some(columns) if line.starts_with(')') => {
                columns.sort();
                lines.append(columns);
                lines.push(options_sorted(line));
                table = None;
            }
            Some(columns) => columns.push(line.trim_end_matches(',').to_owned()),
            None => {
                lines.push(options_sorted(line));
                if [
                    "CREATE TABLE ",
                    "CREATE UNLOGGED TABLE ",
                    "CREATE FOREIGN TABLE ",
                ]
                .iter()
                .any(|start| line.starts_with(start))
                {
                    table = Some(Vec::new());
                }
            }
        }
    }
    sort_privilege_runs(&mut lines);
    Ok(lines.join("\n"))
}

/// Ends the `OPTIONS (` block pg_dump prints one item a line (of a foreign-data wrapper, server,
/// user mapping or foreign table) at its closing `line`: the items in name order, and secrets left
/// out, since carafe by design never writes them into a migration (README, "Secrets").
fn close_options(lines: &mut Vec<String>, items: &mut Vec<String>, closing: &str) {
    items.retain(|item| !is_secret(item.split(' ').next().unwrap_or_default()));
    items.sort();
    if !items.is_empty() {
        let last = items.len() - 1;
        for (at, item) in items.iter().enumerate() {
            let comma = if at == last { "" } else { "," };
            lines.push(format!("    {item}{comma}"));
        }
        lines.push(closing.to_owned());
        return;
    }
    // Nothing left: the statement as pg_dump prints it without options.
    let rest = closing.trim_start_matches(')');
    match lines.pop() {
        Some(opening) => {
            let before = opening.trim_end_matches("OPTIONS (").trim_end();
            match (before.is_empty(), lines.last_mut()) {
                (true, Some(previous)) => previous.push_str(rest),
                _ => lines.push(format!("{before}{rest}")),
            }
        }
        None => lines.push(rest.to_owned()),
    }
}

/// Whether an option of this name is a secret. The tests' own list, not carafe's: a password, a
/// passcode or passphrase, a secret, a token, or an API or other `_key` (not a `_required` flag).
fn is_secret(name: &str) -> bool {
    let name = name.trim_matches('"').to_lowercase();
    !name.ends_with("_required")
        && (name.contains("password")
            || name.contains("passcode")
            || name.contains("passphrase")
            || name.contains("secret")
            || name.contains("token")
            || name.ends_with("_key")
            || name == "apikey")
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

/// `line` with the items of each `WITH (...)` and `SET (...)` list in name order: pg_dump prints
/// storage parameters and view and column options in the order they were set, which means nothing.
fn options_sorted(line: &str) -> String {
    let mut result = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = ["WITH (", "SET ("]
        .iter()
        .filter_map(|opening| rest.find(opening).map(|at| at + opening.len()))
        .min()
    {
        result.push_str(&rest[..start]);
        rest = &rest[start..];
        let mut quoted = false;
        let mut items = vec![String::new()];
        let mut end = rest.len();
        for (at, character) in rest.char_indices() {
            match character {
                '\'' => quoted = !quoted,
                ')' if !quoted => {
                    end = at;
                    break;
                }
                ',' if !quoted => {
                    items.push(String::new());
                    continue;
                }
                _ => {}
            }
            if let Some(item) = items.last_mut() {
                item.push(character);
            }
        }
        let mut items: Vec<&str> = items.iter().map(|item| item.trim()).collect();
        items.sort_unstable();
        result.push_str(&items.join(", "));
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
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
