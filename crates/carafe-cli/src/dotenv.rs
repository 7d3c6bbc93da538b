//! `.env` files: the nearest one (this directory or above) may set `DATABASE_URL` for the command
//! line. Apps never read them: the runtime takes the environment only.

use crate::{Exit, Failure};
use carafe::DatabaseUrl;
use std::path::PathBuf;

/// The line of `path` where the entry `entry` (as the parser quotes it) starts; a quoted value
/// left open runs over several lines, so the parser's character index named no line (found by
/// review).
fn line_of(path: &std::path::Path, entry: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find(entry.trim_end())?;
    Some(text[..start].matches('\n').count() + 1)
}

/// `DATABASE_URL` from the nearest `.env` file, and the file; `None` when there is no file or it
/// does not set it. A syntax error names the file and the line number, never the line's text (it
/// may hold a password).
pub(crate) fn database_url() -> Result<Option<(DatabaseUrl, PathBuf)>, Failure> {
    let Ok((path, entries)) = find() else {
        return Ok(None);
    };
    for entry in entries {
        let (key, value) = entry.map_err(|error| {
            let position = match &error {
                dotenvy::Error::LineParse(entry, index) => match line_of(&path, entry) {
                    Some(line) => format!(" at line {line}"),
                    None => format!(" at character {}", index + 1),
                },
                _ => String::new(),
            };
            Failure::new(
                Exit::Settings,
                format_args!(
                    "cannot read `{}`: a line is not `KEY=VALUE`{position}: fix the file's syntax",
                    path.display()
                ),
            )
        })?;
        if key == "DATABASE_URL" {
            let source = format!("DATABASE_URL in `{}`", path.display());
            let url = carafe::parse_configured_url(&value, &source)?;
            return Ok(Some((url, path)));
        }
    }
    Ok(None)
}

fn find() -> Result<(PathBuf, dotenvy::Iter<std::fs::File>), dotenvy::Error> {
    let start = std::env::current_dir().map_err(dotenvy::Error::Io)?;
    for dir in start.ancestors() {
        let path = dir.join(".env");
        if path.is_file() {
            let entries = dotenvy::from_path_iter(&path)?;
            return Ok((path, entries));
        }
    }
    Err(dotenvy::Error::Io(std::io::ErrorKind::NotFound.into()))
}
