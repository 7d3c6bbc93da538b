//! Domains: created before the tables whose columns use them, changed in place with `ALTER DOMAIN`
//! (default, `NOT NULL`, `CHECK` constraints), dropped once no column uses them. A domain whose base
//! type or collation changes cannot be altered: it is dropped and created again, marked for review,
//! since that fails while columns use it. A check that calls a function is added once the
//! functions are created (a function may take the domain as an argument).

use super::matching::Matching;
use super::sql::collation;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Dependent, Domain, Name, Referenced};
use std::collections::BTreeMap;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (name, domain) in &to.domains {
        match from.domains.get(name) {
            None => create(matching, name, domain, steps),
            Some(old) if replaced(old, domain) => {
                steps.push_for_review(
                    Phase::DropReplacedDomain,
                    format!("DROP DOMAIN {};", name.quoted()),
                    format!(
                        "domain {name} changes its base type or collation, which ALTER DOMAIN cannot do: \
                         it is dropped and created again, which fails while columns use it; convert them first"
                    ),
                );
                create(matching, name, domain, steps);
            }
            Some(old) => alter(matching, name, old, domain, steps),
        }
    }
    for name in from.domains.keys() {
        if !to.domains.contains_key(name) {
            steps.push_for_review(
                Phase::DropDomain,
                format!("DROP DOMAIN {};", name.quoted()),
                format!("drops domain {name}"),
            );
        }
    }
}

/// Whether the domain must be dropped and created again to become `new`.
fn replaced(old: &Domain, new: &Domain) -> bool {
    old.data_type != new.data_type || old.collation != new.collation
}

/// Whether the domain `name` of the new schema is created by the diff, so it has no comment yet.
pub(super) fn created(matching: &Matching, name: &Name) -> bool {
    match (
        matching.from.domains.get(name),
        matching.to.domains.get(name),
    ) {
        (Some(old), Some(new)) => replaced(old, new),
        _ => true,
    }
}

/// `CREATE DOMAIN`, with the checks that call no function and are valid; those that call one are
/// added once the functions are there, those not validated right after.
fn create(matching: &Matching, name: &Name, domain: &Domain, steps: &mut Steps) {
    let (now, later): (BTreeMap<String, String>, BTreeMap<String, String>) = domain
        .checks
        .clone()
        .into_iter()
        .partition(|(constraint, _)| !calls_function(matching, name, constraint));
    // `NOT VALID` is `ALTER DOMAIN ... ADD CONSTRAINT`'s alone.
    let (now, not_valid): (BTreeMap<String, String>, BTreeMap<String, String>) = now
        .into_iter()
        .partition(|(_, definition)| !definition.ends_with("NOT VALID"));
    let early = Domain {
        checks: now,
        ..domain.clone()
    };
    steps.push(Phase::CreateDomain, create_statement(name, &early));
    for (constraint, definition) in &not_valid {
        steps.push(
            Phase::AlterDomain,
            format!(
                "ALTER DOMAIN {} ADD CONSTRAINT {} {definition};",
                name.quoted(),
                quote_identifier(constraint)
            ),
        );
    }
    for (constraint, definition) in &later {
        steps.push(
            Phase::AddDomainConstraint,
            format!(
                "ALTER DOMAIN {} ADD CONSTRAINT {} {definition};",
                name.quoted(),
                quote_identifier(constraint)
            ),
        );
    }
}

/// Whether check `constraint` of domain `domain` in the new schema calls a function.
fn calls_function(matching: &Matching, domain: &Name, constraint: &str) -> bool {
    let dependent = Dependent::DomainConstraint(domain.clone(), constraint.to_owned());
    matching.to.dependencies.iter().any(|dependency| {
        dependency.dependent == dependent && matches!(dependency.on, Referenced::Function(_))
    })
}

fn create_statement(name: &Name, domain: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", name.quoted(), domain.data_type);
    if let Some(name) = &domain.collation {
        sql.push_str(&format!(" COLLATE {}", collation(name)));
    }
    if let Some(default) = &domain.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if domain.not_null {
        sql.push_str(" NOT NULL");
    }
    for (constraint, definition) in &domain.checks {
        sql.push_str(&format!(
            "\n    CONSTRAINT {} {definition}",
            quote_identifier(constraint)
        ));
    }
    sql.push(';');
    sql
}

fn alter(matching: &Matching, name: &Name, old: &Domain, new: &Domain, steps: &mut Steps) {
    let alter = format!("ALTER DOMAIN {}", name.quoted());
    if old.default != new.default {
        steps.push(
            Phase::AlterDomain,
            match &new.default {
                Some(default) => format!("{alter} SET DEFAULT {default};"),
                None => format!("{alter} DROP DEFAULT;"),
            },
        );
    }
    match (old.not_null, new.not_null) {
        (false, true) => steps.push_for_review(
            Phase::AlterDomain,
            format!("{alter} SET NOT NULL;"),
            format!("fails if a column of domain {name} holds a null"),
        ),
        (true, false) => steps.push(Phase::AlterDomain, format!("{alter} DROP NOT NULL;")),
        _ => {}
    }
    let recreated = |constraint: &String| {
        matching.recreated(&Dependent::DomainConstraint(
            name.clone(),
            constraint.clone(),
        ))
    };
    for (constraint, definition) in &old.checks {
        if new.checks.get(constraint) != Some(definition) || recreated(constraint) {
            steps.push(
                Phase::AlterDomain,
                format!("{alter} DROP CONSTRAINT {};", quote_identifier(constraint)),
            );
        }
    }
    for (constraint, definition) in &new.checks {
        if old.checks.get(constraint) != Some(definition) || recreated(constraint) {
            let phase = match calls_function(matching, name, constraint) {
                true => Phase::AddDomainConstraint,
                false => Phase::AlterDomain,
            };
            steps.push_for_review(
                phase,
                format!(
                    "{alter} ADD CONSTRAINT {} {definition};",
                    quote_identifier(constraint)
                ),
                format!("checks every value of domain {name} already stored"),
            );
        }
    }
}
