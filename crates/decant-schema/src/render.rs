//! Writing a diff as a migration file.
//! PLACEHOLDER: the contract only; the implementation replaces this file.

use crate::Diff;

/// The text of a revision file: `message` as its description, `up` under `-- migrate:up`, `down`
/// under `-- migrate:down`, each change needing review preceded by its `-- review:` comment.
pub fn render_revision(message: &str, up: &Diff, down: &Diff) -> String {
    let _ = (message, up, down);
    unimplemented!("placeholder: rendering is being written")
}
