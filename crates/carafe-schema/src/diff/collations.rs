//! Collations: created before the domains, types and columns that sort by them, dropped after
//! those are gone. A collation cannot be altered (only its version refreshed), so one whose
//! definition changes is dropped and created again, marked for review.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_literal;
use crate::{Collation, Name};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, collation) in &to.collations {
        match from.collations.get(name) {
            None => steps.push(Phase::CreateCollation, create(name, collation)),
            Some(old) if !same_definition(old, collation) => {
                steps.push_for_review(
                    Phase::CreateCollation,
                    format!("DROP COLLATION {};", name.quoted()),
                    format!(
                        "drops collation {name} to create it again: what sorts by it must go first"
                    ),
                );
                steps.push(Phase::CreateCollation, create(name, collation));
            }
            Some(_) => {}
        }
    }
    for name in from.collations.keys() {
        if !to.collations.contains_key(name) {
            steps.push_for_review(
                Phase::DropCollation,
                format!("DROP COLLATION {};", name.quoted()),
                format!("drops collation {name}"),
            );
        }
    }
}

/// Whether collation `to` sorts as `from` does (the comment aside).
pub(super) fn same_definition(from: &Collation, to: &Collation) -> bool {
    Collation {
        comment: None,
        ..from.clone()
    } == Collation {
        comment: None,
        ..to.clone()
    }
}

/// `CREATE COLLATION` of `collation`: a libc one by its `LC_COLLATE` and `LC_CTYPE` (one `LOCALE`
/// when they are the same), an ICU or builtin one by its `LOCALE`.
fn create(name: &Name, collation: &Collation) -> String {
    let mut options = vec![format!("provider = {}", collation.provider)];
    let literal = |value: &Option<String>| quote_literal(value.as_deref().unwrap_or_default());
    match collation.provider.as_str() {
        "libc" if collation.lc_collate == collation.lc_ctype => {
            options.push(format!("locale = {}", literal(&collation.lc_collate)));
        }
        "libc" => {
            options.push(format!("lc_collate = {}", literal(&collation.lc_collate)));
            options.push(format!("lc_ctype = {}", literal(&collation.lc_ctype)));
        }
        _ => options.push(format!("locale = {}", literal(&collation.locale))),
    }
    if let Some(rules) = &collation.rules {
        options.push(format!("rules = {}", quote_literal(rules)));
    }
    if !collation.deterministic {
        options.push("deterministic = false".to_owned());
    }
    format!(
        "CREATE COLLATION {} ({});",
        name.quoted(),
        options.join(", ")
    )
}
