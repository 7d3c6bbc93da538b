//! Functions and procedures: created, changed in place with `CREATE OR REPLACE`, or, when that
//! cannot change them (other argument names or defaults, another result type, a function becoming a
//! procedure), dropped and created again, with what calls them; dropped once nothing uses them.
//!
//! When they are created: a quoted body (`AS $$ ... $$`) is not checked when
//! `check_function_bodies` is off, which the diff sets first, so such a function comes before the
//! tables whose defaults, checks and indexes call it, unless its arguments or result are a new
//! table's row type. A `BEGIN ATOMIC` body is parsed at creation, so it comes after what it reads
//! and calls: after the new tables, or after the new views, as the server's dependencies say.

use super::matching::Matching;
use super::order::dependencies_first;
use super::ranges;
use super::steps::{Phase, Steps};
use crate::{Dependent, Function, Referenced, RoutineKind, Schema, Signature};
use std::collections::{BTreeMap, BTreeSet};

/// The statement that lets a function's quoted body name what is created after it, as pg_dump
/// does; `SET LOCAL` ends with the revision's transaction.
const UNCHECKED_BODIES: &str = "SET LOCAL check_function_bodies = off;";

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    plan_drops(matching, steps);
    let to = matching.to;
    let created = created_or_replaced(matching);
    if created.is_empty() {
        return;
    }
    steps.push(Phase::Settings, UNCHECKED_BODIES);
    let phases = phases(matching, &created);
    let (mut order, cyclic) = dependencies_first(&created, |signature| called(to, signature));
    order.extend(cyclic);
    for signature in &order {
        match (to.functions.get(signature), phases.get(signature)) {
            // Created with the views, in one order with them (see `views::plan`).
            (_, Some(Phase::CreateView)) => {}
            (Some(function), Some(phase)) => steps.push(*phase, create(function)),
            _ => {}
        }
    }
}

/// The functions created by the diff that use new views, so are created among them.
pub(super) fn created_with_views(matching: &Matching) -> BTreeSet<Signature> {
    phases(matching, &created_or_replaced(matching))
        .into_iter()
        .filter(|(_, phase)| *phase == Phase::CreateView)
        .map(|(signature, _)| signature)
        .collect()
}

/// The functions of the new schema the diff creates or replaces.
fn created_or_replaced(matching: &Matching) -> BTreeSet<Signature> {
    let (from, to) = (matching.from, matching.to);
    to.functions
        .iter()
        .filter(|(signature, function)| {
            let unchanged = from
                .functions
                .get(*signature)
                .is_some_and(|old| old.definition == function.definition);
            !unchanged || matching.function_replaced(signature)
        })
        .map(|(signature, _)| signature.clone())
        .collect()
}

/// The `DROP`s: of a function replaced, before it is created again; of a function gone, last, or,
/// when it uses a table or view that goes too (its row type, or a `BEGIN ATOMIC` body reading it),
/// before that; callers before the functions they call.
fn plan_drops(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let dropped: BTreeSet<Signature> = from
        .functions
        .keys()
        .filter(|signature| {
            !to.functions.contains_key(*signature) || matching.function_replaced(signature)
        })
        .cloned()
        .collect();
    let (mut order, cyclic) = dependencies_first(&dropped, |signature| called(from, signature));
    order.extend(cyclic);
    for signature in order.iter().rev() {
        let Some(function) = from.functions.get(signature) else {
            continue;
        };
        let sql = format!("DROP {};", target(signature, function));
        if to.functions.contains_key(signature) {
            let users: Vec<String> = from
                .dependencies
                .iter()
                .filter(|dependency| dependency.on == Referenced::Function(signature.clone()))
                .map(|dependency| dependency.dependent.to_string())
                .collect();
            let users = match users.is_empty() {
                true => String::new(),
                false => format!(" (and so are {})", users.join(", ")),
            };
            steps.push_for_review(
                Phase::DropReplacedFunction,
                sql,
                format!(
                    "drops and creates {} {signature} again, as its arguments, its result or a type it takes change{users}",
                    kind(function).to_lowercase()
                ),
            );
            continue;
        }
        let reads_dropped_view = uses(from, signature)
            .any(|used| matches!(used, Referenced::Relation(name) if matching.view_dropped(name)));
        let uses_dropped_table = uses(from, signature).any(|used| {
            matches!(used, Referenced::Relation(name)
                if matching.table_dropped(name) && from.tables.contains_key(name))
        });
        let used_by_dropped_domain = from.dependencies.iter().any(|dependency| {
            dependency.on == Referenced::Function(signature.clone())
                && matches!(&dependency.dependent,
                    Dependent::DomainConstraint(domain, _) | Dependent::DomainDefault(domain)
                        if !to.domains.contains_key(domain))
        });
        // What calls it and stays is created again, maybe calling another overload by the same
        // text, which must be the only one by then.
        let called_by_what_stays = from.dependencies.iter().any(|dependency| {
            dependency.on == Referenced::Function(signature.clone())
                && matching.recreated(&dependency.dependent)
        });
        let phase = if reads_dropped_view {
            Phase::DropViewFunction
        } else if uses_dropped_table || called_by_what_stays {
            Phase::DropReplacedFunction
        } else if used_by_dropped_domain
            || ranges::supports_dropped_range(matching, &signature.name)
        {
            Phase::DropDomainFunction
        } else {
            Phase::DropFunction
        };
        steps.push_for_review(
            phase,
            sql,
            format!("drops {} {signature}", kind(function).to_lowercase()),
        );
    }
}

/// The phase each function of `created` is created in: before the tables, after the new tables
/// (and columns) it uses, or after the new views it uses; never before a function it calls.
fn phases(matching: &Matching, created: &BTreeSet<Signature>) -> BTreeMap<Signature, Phase> {
    let to = matching.to;
    let mut phases: BTreeMap<Signature, Phase> = created
        .iter()
        .map(|signature| {
            if ranges::supports_created_range(matching, &signature.name) {
                return (signature.clone(), Phase::CreateRangeFunction);
            }
            let mut phase = Phase::CreateFunction;
            for used in uses(to, signature) {
                // An enum created anew exists once its columns are converted.
                if let Referenced::Type(name) = used
                    && matching.enum_replaced(name)
                {
                    phase = phase.max(Phase::CreateSqlFunction);
                }
                if let Referenced::Relation(name) = used {
                    if to.views.contains_key(name) && matching.view_created(name) {
                        phase = phase.max(Phase::CreateView);
                    } else if to.tables.contains_key(name) && columns_change(matching, name) {
                        phase = phase.max(Phase::CreateSqlFunction);
                    }
                }
            }
            (signature.clone(), phase)
        })
        .collect();
    // A function comes no earlier than those it calls.
    for _ in 0..created.len() {
        let mut moved = false;
        for signature in created {
            let latest = called(to, signature)
                .iter()
                .filter_map(|callee| phases.get(callee).copied())
                .max();
            if let (Some(latest), Some(phase)) = (latest, phases.get_mut(signature))
                && latest > *phase
            {
                *phase = latest;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    phases
}

/// Whether table `name` of the new schema is created or gains, loses or changes columns (which its
/// row type, or a `BEGIN ATOMIC` body reading it, would see).
fn columns_change(matching: &Matching, name: &crate::Name) -> bool {
    match matching.table(name) {
        None => true,
        Some(pair) => {
            !pair.added.is_empty()
                || !pair.dropped.is_empty()
                || pair.kept.iter().any(|column| {
                    column.replaced
                        || column.renamed()
                        || column.from.data_type != column.to.data_type
                })
        }
    }
}

/// What function `signature` of `schema` uses, as the server records it.
pub(super) fn uses<'s>(
    schema: &'s Schema,
    signature: &Signature,
) -> impl Iterator<Item = &'s Referenced> {
    let dependent = Dependent::Function(signature.clone());
    schema
        .dependencies
        .iter()
        .filter(move |dependency| dependency.dependent == dependent)
        .map(|dependency| &dependency.on)
}

/// The functions function `signature` of `schema` calls from a `BEGIN ATOMIC` body.
fn called(schema: &Schema, signature: &Signature) -> Vec<Signature> {
    uses(schema, signature)
        .filter_map(|used| match used {
            Referenced::Function(callee) => Some(callee.clone()),
            _ => None,
        })
        .collect()
}

/// The functions in both schemas that are dropped and created again.
pub(super) fn replaced(matching: &Matching) -> BTreeSet<Signature> {
    matching
        .from
        .functions
        .keys()
        .filter(|signature| matching.function_replaced(signature))
        .cloned()
        .collect()
}

/// Whether the function `signature` of the new schema is created by the diff (new, or dropped and
/// created again), so it has no comment until one is set.
pub(super) fn created(
    matching: &Matching,
    replaced: &BTreeSet<Signature>,
    signature: &Signature,
) -> bool {
    !matching.from.functions.contains_key(signature) || replaced.contains(signature)
}

/// `FUNCTION`, `PROCEDURE` or `AGGREGATE`.
pub(super) fn kind(function: &Function) -> &'static str {
    match function.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Aggregate => "AGGREGATE",
    }
}

/// What `DROP` and `COMMENT ON` name function `signature`: its argument types, or for an aggregate
/// its arguments as it declares them (`*` for none, `ORDER BY` for an ordered-set one).
pub(super) fn target(signature: &Signature, function: &Function) -> String {
    match function.kind {
        RoutineKind::Aggregate => {
            let arguments = match function.arguments.is_empty() {
                true => "*",
                false => function.arguments.as_str(),
            };
            format!(
                "{} {}({arguments})",
                kind(function),
                signature.name.quoted()
            )
        }
        _ => format!("{} {}", kind(function), signature.quoted()),
    }
}

/// The `CREATE OR REPLACE` statement `pg_get_functiondef` printed, ended.
pub(super) fn create(function: &Function) -> String {
    format!("{};", function.definition.trim_end())
}
