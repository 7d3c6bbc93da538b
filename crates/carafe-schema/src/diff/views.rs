//! Views and materialised views: dropped before anything they read changes (readers before what
//! they read), created after everything they read exists (what they read first). A changed view is
//! dropped and created again.

use super::matching::Matching;
use super::order::dependencies_first;
use super::steps::{Phase, Steps};
use crate::{Name, View};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let dropped: BTreeSet<Name> = from
        .views
        .keys()
        .filter(|name| matching.view_dropped(name))
        .cloned()
        .collect();
    let (mut order, cyclic) = dependencies_first(&dropped, |name| reads(&from.views, name));
    order.extend(cyclic);
    for name in order.iter().rev() {
        let Some(view) = from.views.get(name) else {
            continue;
        };
        let sql = format!("DROP {} {};", kind(view), name.quoted());
        match to.views.contains_key(name) {
            true => steps.push(Phase::DropView, sql),
            false => steps.push_for_review(
                Phase::DropView,
                sql,
                format!("drops {} {name}", kind(view).to_lowercase()),
            ),
        }
    }
    let created: BTreeSet<Name> = to
        .views
        .keys()
        .filter(|name| matching.view_created(name))
        .cloned()
        .collect();
    let (mut order, cyclic) = dependencies_first(&created, |name| reads(&to.views, name));
    order.extend(cyclic);
    for name in &order {
        if let Some(view) = to.views.get(name) {
            steps.push(
                Phase::CreateView,
                format!(
                    "CREATE {} {} AS\n{};",
                    kind(view),
                    name.quoted(),
                    body(&view.definition)
                ),
            );
        }
    }
}

/// `VIEW` or `MATERIALIZED VIEW`.
pub(super) fn kind(view: &View) -> &'static str {
    match view.materialized {
        true => "MATERIALIZED VIEW",
        false => "VIEW",
    }
}

fn reads(views: &std::collections::BTreeMap<Name, View>, name: &Name) -> Vec<Name> {
    views
        .get(name)
        .map(|view| view.depends_on.iter().cloned().collect())
        .unwrap_or_default()
}

/// A view's `SELECT` as `pg_get_viewdef` prints it, without its final `;`.
fn body(definition: &str) -> &str {
    definition.trim_end().trim_end_matches(';').trim_end()
}
