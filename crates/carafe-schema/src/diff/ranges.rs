//! Range types: created before the functions, tables and views that use them (and after the
//! domain that may be their subtype), dropped after those are gone. No `ALTER TYPE` changes a range's subtype or options, so one whose definition changes is
//! dropped and created again, marked for review.

use super::matching::Matching;
use super::sql::{collation, quote_identifier_if_needed};
use super::steps::{Phase, Steps};
use super::types::type_refers_to;
use crate::{Name, RangeType, Schema};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, range) in &to.ranges {
        let phase = match over_domain(to, range) {
            true => Phase::CreateRangeOverDomain,
            false => Phase::CreateRange,
        };
        match from.ranges.get(name) {
            None => steps.push(phase, create(name, range)),
            Some(old) if !same_definition(old, range) => {
                steps.push_for_review(
                    phase,
                    format!("DROP TYPE {};", name.quoted()),
                    format!(
                        "drops range type {name} to create it again: what uses it must go first"
                    ),
                );
                steps.push(phase, create(name, range));
            }
            Some(_) => {}
        }
    }
    for (name, range) in &from.ranges {
        if !to.ranges.contains_key(name) {
            let phase = match over_domain(from, range) {
                true => Phase::DropRangeOverDomain,
                false => Phase::DropRange,
            };
            steps.push_for_review(
                phase,
                format!("DROP TYPE {};", name.quoted()),
                format!("drops range type {name}"),
            );
        }
    }
}

/// Whether `range`'s subtype is a domain of `schema` (it is created after the domain, dropped
/// before it).
fn over_domain(schema: &Schema, range: &RangeType) -> bool {
    schema
        .domains
        .keys()
        .any(|domain| type_refers_to(&range.subtype, domain))
}

/// Whether function `name` is the canonical or subtype difference function of a range type the
/// diff creates: then it is created before the range.
pub(super) fn supports_created_range(matching: &Matching, name: &Name) -> bool {
    supports(matching.to, name, |range_name, range| {
        matching
            .from
            .ranges
            .get(range_name)
            .is_none_or(|old| !same_definition(old, range))
    })
}

/// Whether function `name` is the canonical or subtype difference function of a range type the
/// diff drops: then it is dropped after the range.
pub(super) fn supports_dropped_range(matching: &Matching, name: &Name) -> bool {
    supports(matching.from, name, |range_name, range| {
        matching
            .to
            .ranges
            .get(range_name)
            .is_none_or(|new| !same_definition(range, new))
    })
}

/// Whether a range type of `schema` that `chosen` picks names function `name`.
fn supports(schema: &Schema, name: &Name, chosen: impl Fn(&Name, &RangeType) -> bool) -> bool {
    let printed = format!(
        "{}.{}",
        quote_identifier_if_needed(&name.schema),
        quote_identifier_if_needed(&name.name)
    );
    let names = |function: &Option<String>| function.as_deref() == Some(printed.as_str());
    schema.ranges.iter().any(|(range_name, range)| {
        chosen(range_name, range) && (names(&range.canonical) || names(&range.subtype_diff))
    })
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
