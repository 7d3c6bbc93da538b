//! Writing a diff as a migration file, through the core's one writer of the format: each change,
//! with a `-- review:` comment above every change a person must look at.

use crate::Diff;
use carafe_core::{DownText, RevisionFile, SectionText};

/// The text of a revision file: `message` as its description, `up` under `-- migrate:up`, `down`
/// under `-- migrate:down`, each change needing review preceded by its `-- review:` comment.
///
/// Changes are separated by a blank line. A direction without changes holds only a comment saying
/// so, which carafe refuses as an empty section: write a revision only when the schemas differ.
pub fn render_revision(message: &str, up: &Diff, down: &Diff) -> String {
    let up_sql = section_sql(up);
    let down_sql = section_sql(down);
    RevisionFile {
        description: message,
        up: SectionText::wrapped(&up_sql),
        down: DownText::Sql(SectionText::wrapped(&down_sql)),
    }
    .render()
}

fn section_sql(diff: &Diff) -> String {
    let mut text = String::new();
    push_changes(&mut text, diff);
    text
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
