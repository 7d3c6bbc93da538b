//! Functions and procedures: created, changed in place with `CREATE OR REPLACE`, or, when that
//! cannot change them (other argument names or defaults, another result type, a function becoming a
//! procedure), dropped and created again; dropped last, once nothing uses them.
//!
//! When they are created: a `sql` function's body is checked against the tables it reads, so it
//! comes after the tables and columns are there; any other language's body is checked only when it
//! runs, so it comes before the tables, whose defaults, checks and indexes may call it.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::{Function, Signature};
use std::collections::BTreeSet;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = replaced(matching);
    for (signature, function) in &from.functions {
        let sql = format!("DROP {} {};", kind(function), signature.quoted());
        if !to.functions.contains_key(signature) {
            steps.push_for_review(
                Phase::DropFunction,
                sql,
                format!("drops {} {signature}", kind(function).to_lowercase()),
            );
        } else if replaced.contains(signature) {
            steps.push_for_review(
                Phase::DropReplacedFunction,
                sql,
                format!(
                    "drops and creates {} {signature} again, as its arguments or result change: \
                     drop first whatever else uses it",
                    kind(function).to_lowercase()
                ),
            );
        }
    }
    for (signature, function) in &to.functions {
        let unchanged = from
            .functions
            .get(signature)
            .is_some_and(|old| old.definition == function.definition);
        if unchanged && !replaced.contains(signature) {
            continue;
        }
        let phase = match function.language.as_str() {
            "sql" => Phase::CreateSqlFunction,
            _ => Phase::CreateFunction,
        };
        steps.push(phase, create(function));
    }
}

/// The functions in both schemas that `CREATE OR REPLACE` cannot turn into the new one.
pub(super) fn replaced(matching: &Matching) -> BTreeSet<Signature> {
    matching
        .from
        .functions
        .iter()
        .filter(|(signature, old)| {
            matching.to.functions.get(*signature).is_some_and(|new| {
                old.definition != new.definition
                    && (old.procedure != new.procedure
                        || old.arguments != new.arguments
                        || old.result != new.result)
            })
        })
        .map(|(signature, _)| signature.clone())
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

/// `FUNCTION` or `PROCEDURE`.
pub(super) fn kind(function: &Function) -> &'static str {
    match function.procedure {
        true => "PROCEDURE",
        false => "FUNCTION",
    }
}

/// The `CREATE OR REPLACE` statement `pg_get_functiondef` printed, ended.
fn create(function: &Function) -> String {
    format!("{};", function.definition.trim_end())
}
