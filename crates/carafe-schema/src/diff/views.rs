//! Views and materialised views: dropped before anything they read changes (readers before what
//! they read), created after everything they read exists (what they read first), in one order with
//! the functions that use new views. A changed view is dropped and created again; one whose
//! options alone change is altered (`ALTER VIEW ... SET / RESET`).

use super::matching::Matching;
use super::order::dependencies_first;
use super::sql::options_changed;
use super::steps::{Phase, Steps};
use super::{functions, storage};
use crate::{Dependent, Name, Referenced, Schema, Signature, View};
use std::collections::{BTreeMap, BTreeSet};

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
    let created: BTreeSet<Node> = to
        .views
        .keys()
        .filter(|name| matching.view_created(name))
        .cloned()
        .map(Node::View)
        .chain(
            functions::created_with_views(matching)
                .into_iter()
                .map(Node::Function),
        )
        .collect();
    for node in creation_order(to, &created) {
        match node {
            Node::View(name) => {
                if let Some(view) = to.views.get(&name) {
                    steps.push(
                        Phase::CreateView,
                        format!(
                            "CREATE {} {}{} AS\n{};",
                            kind(view),
                            name.quoted(),
                            storage::with_options(&view.options),
                            body(&view.definition)
                        ),
                    );
                }
            }
            Node::Function(signature) => {
                if let Some(function) = to.functions.get(&signature) {
                    steps.push(Phase::CreateView, functions::create(function));
                }
            }
        }
    }
    for (name, view) in &to.views {
        if let Some(old) = from.views.get(name)
            && !matching.view_created(name)
        {
            alter_options(steps, name, view, &old.options);
        }
    }
}

/// `ALTER VIEW ... SET (...)` of the options of `view` that `had` lacks or sets otherwise, and
/// `RESET (...)` of those it no longer has.
fn alter_options(steps: &mut Steps, name: &Name, view: &View, had: &[String]) {
    let (set, reset) = options_changed(had, &view.options);
    let target = format!("ALTER {} {}", kind(view), name.quoted());
    storage::alter_options(steps, &target, &set, &reset);
}
/// A view, or a function created among the views.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    View(Name),
    Function(Signature),
}

/// What `node` of `schema` needs created before it.
fn needs(schema: &Schema, node: &Node) -> Vec<Node> {
    let dependent = match node {
        Node::View(name) => Dependent::View(name.clone()),
        Node::Function(signature) => Dependent::Function(signature.clone()),
    };
    let mut needs: Vec<Node> = match node {
        Node::View(name) => reads(&schema.views, name)
            .into_iter()
            .map(Node::View)
            .collect(),
        Node::Function(_) => Vec::new(),
    };
    needs.extend(
        schema
            .dependencies
            .iter()
            .filter(|dependency| dependency.dependent == dependent)
            .filter_map(|dependency| match &dependency.on {
                Referenced::Relation(name) => Some(Node::View(name.clone())),
                Referenced::Function(signature) => Some(Node::Function(signature.clone())),
                Referenced::Type(_) => None,
            }),
    );
    needs
}

/// `nodes` with each after what it needs; of those ready, views and functions first, then a
/// materialised view: it runs its query when created, and that query may call functions whose
/// quoted bodies use what is still to come (the server records nothing of those bodies), so it
/// waits as long as nothing else waits for it. Nodes caught in a cycle come last.
fn creation_order(schema: &Schema, nodes: &BTreeSet<Node>) -> Vec<Node> {
    let needs: BTreeMap<&Node, Vec<Node>> = nodes
        .iter()
        .map(|node| {
            let needed = needs(schema, node)
                .into_iter()
                .filter(|needed| needed != node && nodes.contains(needed))
                .collect();
            (node, needed)
        })
        .collect();
    let materialized = |node: &Node| match node {
        Node::View(name) => schema.views.get(name).is_some_and(|view| view.materialized),
        Node::Function(_) => false,
    };
    let mut placed: BTreeSet<&Node> = BTreeSet::new();
    let mut order = Vec::new();
    loop {
        let ready: Vec<&Node> = nodes
            .iter()
            .filter(|node| !placed.contains(node))
            .filter(|node| {
                needs
                    .get(node)
                    .is_none_or(|needed| needed.iter().all(|needed| placed.contains(needed)))
            })
            .collect();
        let (plain, evaluated): (Vec<&Node>, Vec<&Node>) =
            ready.into_iter().partition(|node| !materialized(node));
        let next: Vec<&Node> = match (plain.is_empty(), evaluated.first()) {
            (false, _) => plain,
            (true, None) => break,
            (true, Some(first)) => {
                let awaited = evaluated.iter().find(|candidate| {
                    needs.iter().any(|(waiting, needed)| {
                        !placed.contains(waiting) && needed.contains(candidate)
                    })
                });
                vec![*awaited.unwrap_or(first)]
            }
        };
        for node in next {
            placed.insert(node);
            order.push(node.clone());
        }
    }
    order.extend(nodes.iter().filter(|node| !placed.contains(node)).cloned());
    order
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
