//! Operators: created once their functions exist, before the constraints, indexes and views that
//! may use them; dropped, when they go, once those are gone and before their functions.
//! `ALTER OPERATOR` changes the estimators in place; any other change (the function, the
//! commutator or negator, the hash or merge flags), or a function dropped and created again,
//! drops the operator early and creates it again, marked for review.

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};
use crate::{Operator, OperatorSignature};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let replaced =
        |signature: &OperatorSignature, old: &Operator| replaced(matching, signature, old);
    for (signature, old) in &from.operators {
        let sql = format!("DROP OPERATOR {};", signature.target());
        if !to.operators.contains_key(signature) {
            steps.push_for_review(
                Phase::DropOperator,
                sql,
                format!(
                    "drops operator {}: what uses it stops working",
                    signature.target()
                ),
            );
        } else if replaced(signature, old) {
            steps.push_for_review(
                Phase::DropReplacedOperator,
                sql,
                format!(
                    "operator {} changes what ALTER OPERATOR cannot change: it is dropped and \
                     created again, so what uses it (views, indexes, constraints) must go first",
                    signature.target()
                ),
            );
        }
    }
    for (signature, operator) in &to.operators {
        let old = from
            .operators
            .get(signature)
            .filter(|old| !replaced(signature, old));
        match old {
            None => steps.push(Phase::CreateOperator, create(signature, operator)),
            Some(old) if (&old.restrict, &old.join) != (&operator.restrict, &operator.join) => {
                let estimator =
                    |value: &Option<String>| value.as_deref().unwrap_or("NONE").to_owned();
                steps.push(
                    Phase::CreateOperator,
                    format!(
                        "ALTER OPERATOR {} SET (RESTRICT = {}, JOIN = {});",
                        signature.target(),
                        estimator(&operator.restrict),
                        estimator(&operator.join)
                    ),
                );
            }
            Some(_) => {}
        }
        let had = old.and_then(|old| old.comment.as_deref());
        if had != operator.comment.as_deref() {
            steps.push(
                Phase::CreateOperator,
                format!(
                    "COMMENT ON OPERATOR {} IS {};",
                    signature.target(),
                    comment_value(operator.comment.as_deref())
                ),
            );
        }
    }
}

/// Whether operator `signature` of `from` (`old`) is in `to` but must be dropped and created again.
fn replaced(matching: &Matching, signature: &OperatorSignature, old: &Operator) -> bool {
    matching.to.operators.get(signature).is_some_and(|new| {
        !same_but_estimators(old, new) || matching.function_replaced(&old.function)
    })
}

/// Whether operator `signature` of `to` is created (new, or created again).
pub(super) fn created(matching: &Matching, signature: &OperatorSignature) -> bool {
    matching
        .from
        .operators
        .get(signature)
        .is_none_or(|old| replaced(matching, signature, old))
}

/// Whether `to` is `from` but for its estimators and comment (what `ALTER OPERATOR` changes).
fn same_but_estimators(from: &Operator, to: &Operator) -> bool {
    Operator {
        restrict: None,
        join: None,
        comment: None,
        ..from.clone()
    } == Operator {
        restrict: None,
        join: None,
        comment: None,
        ..to.clone()
    }
}

fn create(signature: &OperatorSignature, operator: &Operator) -> String {
    let mut clauses = vec![format!("FUNCTION = {}", operator.function.name.quoted())];
    if let Some(left) = &signature.left {
        clauses.push(format!("LEFTARG = {left}"));
    }
    clauses.push(format!("RIGHTARG = {}", signature.right));
    for (keyword, value) in [
        ("COMMUTATOR", &operator.commutator),
        ("NEGATOR", &operator.negator),
        ("RESTRICT", &operator.restrict),
        ("JOIN", &operator.join),
    ] {
        if let Some(value) = value {
            clauses.push(format!("{keyword} = {value}"));
        }
    }
    if operator.hashes {
        clauses.push("HASHES".to_owned());
    }
    if operator.merges {
        clauses.push("MERGES".to_owned());
    }
    format!(
        "CREATE OPERATOR {}.{} ({});",
        crate::model::quote_identifier(&signature.name.schema),
        signature.name.name,
        clauses.join(", ")
    )
}
