//! Writing a diff as a migration file: the description, `-- migrate:up`, `-- migrate:down`, and a
//! `-- review:` comment above every change a person must look at.

use crate::Diff;

/// The text of a revision file: `message` as its description, `up` under `-- migrate:up`, `down`
/// under `-- migrate:down`, each change needing review preceded by its `-- review:` comment.
///
/// Changes are separated by a blank line. A direction without changes holds only a comment saying
/// so, which carafe refuses as an empty section: write a revision only when the schemas differ.
pub fn render_revision(message: &str, up: &Diff, down: &Diff) -> String {
    let mut text = String::new();
    let description: Vec<&str> = message.trim().lines().collect();
    for line in &description {
        text.push_str(&description_line(line));
        text.push('\n');
    }
    if !description.is_empty() {
        text.push('\n');
    }
    text.push_str("-- migrate:up\n");
    push_changes(&mut text, up);
    text.push_str("\n-- migrate:down\n");
    push_changes(&mut text, down);
    text
}

/// One line of the description as a comment. A line that would read as a marker
/// (`migrate:...`) is quoted, so the description cannot open a section.
fn description_line(line: &str) -> String {
    let line = line.trim_end();
    let looks_like_marker = line
        .trim_start()
        .get(..8)
        .is_some_and(|head| head.eq_ignore_ascii_case("migrate:"));
    match (line.is_empty(), looks_like_marker) {
        (true, _) => "--".to_owned(),
        (false, true) => format!("-- `{}`", line.trim()),
        (false, false) => format!("-- {line}"),
    }
}

fn push_changes(text: &mut String, diff: &Diff) {
    if diff.changes.is_empty() {
        text.push_str("-- nothing to do: the schemas agree\n");
        return;
    }
    for (position, change) in diff.changes.iter().enumerate() {
        if position > 0 {
            text.push('\n');
        }
        if let Some(review) = &change.review {
            for line in review.lines() {
                text.push_str("-- review: ");
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str(change.sql.trim_end());
        text.push('\n');
    }
}
