//! Range types: created before the functions, tables and views that use them, dropped after those
//! are gone. No `ALTER TYPE` changes a range's subtype or options, so one whose definition changes is
//! dropped and created again, marked for review.

use super::matching::Matching;
use super::sql::collation;
use super::steps::{Phase, Steps};
use crate::{Name, RangeType};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, range) in &to.ranges {
        match from.ranges.get(name) {
            None => steps.push(Phase::CreateRange, create(name, range)),
            Some(old) if !same_definition(old, range) => {
                steps.push_for_review(
                    Phase::CreateRange,
                    format!("DROP TYPE {};", name.quoted()),
                    format!(
                        "drops range type {name} to create it again: what uses it must go first"
                    ),
                );
                steps.push(Phase::CreateRange, create(name, range));
            }
            Some(_) => {}
        }
    }
    for name in from.ranges.keys() {
        if !to.ranges.contains_key(name) {
            steps.push_for_review(
                Phase::DropRange,
                format!("DROP TYPE {};", name.quoted()),
                format!("drops range type {name}"),
            );
        }
    }
}

/// Whether range `to` is range `from` (the comment aside).
pub(super) fn same_definition(from: &RangeType, to: &RangeType) -> bool {
    RangeType {
        comment: None,
        ..from.clone()
    } == RangeType {
        comment: None,
        ..to.clone()
    }
}

fn create(name: &Name, range: &RangeType) -> String {
    let mut options = vec![format!("SUBTYPE = {}", range.subtype)];
    if let Some(opclass) = &range.subtype_opclass {
        options.push(format!("SUBTYPE_OPCLASS = {}", opclass.quoted()));
    }
    if let Some(name) = &range.collation {
        options.push(format!("COLLATION = {}", collation(name)));
    }
    if let Some(function) = &range.canonical {
        options.push(format!("CANONICAL = {function}"));
    }
    if let Some(function) = &range.subtype_diff {
        options.push(format!("SUBTYPE_DIFF = {function}"));
    }
    options.push(format!(
        "MULTIRANGE_TYPE_NAME = {}",
        range.multirange.quoted()
    ));
    format!(
        "CREATE TYPE {} AS RANGE ({});",
        name.quoted(),
        options.join(", ")
    )
}
