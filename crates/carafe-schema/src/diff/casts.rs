//! Casts: no `ALTER CAST` exists, so a cast that changes (or whose function is dropped and created
//! again) is dropped and created again. Dropped early, once the views that may apply one are gone;
//! created once their types and functions exist, before the constraints, indexes and views that
//! may apply them.

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::{Cast, CastContext, CastMethod, CastTypes};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced = |types: &CastTypes, old: &Cast| match to.casts.get(types) {
        None => false,
        Some(new) => {
            new.method != old.method
                || new.context != old.context
                || matches!(&old.method, CastMethod::Function(function)
                    if matching.function_replaced(function))
        }
    };
    for (types, old) in &from.casts {
        let sql = format!("DROP CAST ({});", between(types));
        if !to.casts.contains_key(types) {
            steps.push_for_review(
                Phase::DropCast,
                sql,
                format!(
                    "drops the cast from {} to {}: what applies it stops working",
                    types.source, types.target
                ),
            );
        } else if replaced(types, old) {
            steps.push(Phase::DropCast, sql);
        }
    }
    for (types, cast) in &to.casts {
        let old = from.casts.get(types).filter(|old| !replaced(types, old));
        if old.is_none() {
            steps.push(Phase::CreateCast, create(types, cast));
        }
        let had = old.and_then(|old| old.comment.as_deref());
        if had != cast.comment.as_deref() {
            steps.push(
                Phase::CreateCast,
                format!(
                    "COMMENT ON CAST ({}) IS {};",
                    between(types),
                    comment_value(cast.comment.as_deref())
                ),
            );
        }
    }
}

/// `source AS target`.
fn between(types: &CastTypes) -> String {
    format!("{} AS {}", types.source, types.target)
}

fn create(types: &CastTypes, cast: &Cast) -> String {
    let method = match &cast.method {
        CastMethod::Function(function) => format!("WITH FUNCTION {}", function.quoted()),
        CastMethod::InOut => "WITH INOUT".to_owned(),
        CastMethod::Binary => "WITHOUT FUNCTION".to_owned(),
    };
    let context = match cast.context {
        CastContext::Explicit => "",
        CastContext::Assignment => " AS ASSIGNMENT",
        CastContext::Implicit => " AS IMPLICIT",
    };
    format!("CREATE CAST ({}) {method}{context};", between(types))
}
