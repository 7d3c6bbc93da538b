//! Privileges: `GRANT` and `REVOKE` on every object whose privileges change, once it exists (and
//! again on one created anew, which starts from its owner's defaults); `ALTER DEFAULT PRIVILEGES`
//! right after the schemas, so the objects the revision creates start from the new defaults, as
//! the objects of the declared schema did.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use super::{domains, foreign_data, functions, owners, ranges};
use crate::model::quote_identifier;
use crate::{DefaultScope, Grant, Name, Privileges, Schema, Securable};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let scopes: BTreeSet<&DefaultScope> = from
        .default_privileges
        .keys()
        .chain(to.default_privileges.keys())
        .collect();
    for scope in scopes {
        let old = from.default_privileges.get(scope);
        let new = to.default_privileges.get(scope);
        let (had, wanted) = match (old, new) {
            (Some(old), Some(new)) => (&old.grants, &new.grants),
            (Some(old), None) => (&old.grants, &old.defaults),
            (None, Some(new)) => (&new.defaults, &new.grants),
            (None, None) => continue,
        };
        let target = default_target(scope);
        for statement in changes(had, wanted, &target) {
            steps.push(Phase::DefaultPrivileges, statement);
        }
    }
    let mut securables: BTreeSet<Securable> = from
        .privileges
        .keys()
        .chain(to.privileges.keys())
        .cloned()
        .collect();
    if !to.default_privileges.is_empty() {
        // What default privileges gave an object may have to be taken back.
        securables.extend(every_object(to));
    }
    // A table's privilege revoked from a role is revoked on each of its columns too.
    let mut revoked_on_tables: BTreeMap<Name, BTreeSet<(String, String)>> = BTreeMap::new();
    for securable in &securables {
        let old = from.privileges.get(securable);
        let new = to.privileges.get(securable);
        let extension = new
            .or(old)
            .and_then(|privileges| privileges.extension.as_ref());
        let created = match extension {
            Some(extension) => {
                if !to.extensions.contains_key(extension) {
                    continue; // goes with its extension
                }
                !from.extensions.contains_key(extension)
            }
            None if !exists(to, securable) => continue,
            None => created(matching, securable),
        };
        let start: BTreeSet<Grant>;
        let wanted_defaults: BTreeSet<Grant>;
        let (had, wanted) = match (created, old, new) {
            (true, _, Some(new)) if new.extension.is_some() => (&new.defaults, &new.grants),
            (true, _, Some(new)) => {
                start = initial(to, securable, new);
                (&start, &new.grants)
            }
            (true, _, None) if extension.is_some() => continue,
            (true, _, None) => match initial_without_entry(to, securable) {
                Some((initial, defaults)) => {
                    start = initial;
                    wanted_defaults = defaults;
                    (&start, &wanted_defaults)
                }
                None => continue,
            },
            (false, Some(old), Some(new)) => match owners::changed_owner(matching, securable) {
                Some(_) => {
                    start = handed_over(&old.grants, &old.owner, &new.owner);
                    (&start, &new.grants)
                }
                None => (&old.grants, &new.grants),
            },
            (false, Some(old), None) => match owners::changed_owner(matching, securable) {
                Some(owner) => {
                    start = handed_over(&old.grants, &old.owner, &owner);
                    wanted_defaults = handed_over(&old.defaults, &old.owner, &owner);
                    (&start, &wanted_defaults)
                }
                None => (&old.grants, &old.defaults),
            },
            (false, None, Some(new)) => (&new.defaults, &new.grants),
            (false, None, None) => continue,
        };
        let key = |grant: &Grant| (grant.grantee.clone(), grant.privilege.clone());
        let had: BTreeSet<Grant> = match securable {
            Securable::Column(table, _) => match revoked_on_tables.get(table) {
                Some(revoked) => had
                    .iter()
                    .filter(|grant| !revoked.contains(&key(grant)))
                    .cloned()
                    .collect(),
                None => had.clone(),
            },
            _ => had.clone(),
        };
        if let Securable::Relation(table) = securable {
            let kept: BTreeSet<(String, String)> = wanted.iter().map(key).collect();
            revoked_on_tables.entry(table.clone()).or_default().extend(
                had.iter()
                    .map(key)
                    .filter(|privilege| !kept.contains(privilege)),
            );
        }
        // A schema's come before objects in it are given away (the new owner needs `CREATE`
        // there: found by review), unless the schema's own owner changes.
        let phase = match securable {
            Securable::Schema(_) if owners::changed_owner(matching, securable).is_none() => {
                Phase::SchemaPrivileges
            }
            _ => Phase::Privileges,
        };
        for statement in changes(&had, wanted, &target(securable)) {
            steps.push(phase, statement);
        }
    }
}

/// `grants` once `ALTER ... OWNER TO owner` hands what `old_owner` held over to `owner`.
fn handed_over(grants: &BTreeSet<Grant>, old_owner: &str, owner: &str) -> BTreeSet<Grant> {
    grants
        .iter()
        .map(|grant| match grant.grantee == old_owner {
            true => Grant {
                grantee: owner.to_owned(),
                ..grant.clone()
            },
            false => grant.clone(),
        })
        .collect()
}

/// `GRANT` and `REVOKE` statements that take the privileges `had` to `wanted`; `target` is what
/// follows `ON` (or, for a column, `(column) ON ...`).
fn changes(had: &BTreeSet<Grant>, wanted: &BTreeSet<Grant>, target: &Target) -> Vec<String> {
    let state = |grants: &BTreeSet<Grant>| -> BTreeMap<(String, String), bool> {
        grants
            .iter()
            .map(|grant| {
                (
                    (grant.grantee.clone(), grant.privilege.clone()),
                    grant.grantable,
                )
            })
            .collect()
    };
    let (had, wanted) = (state(had), state(wanted));
    let mut statements = Vec::new();
    for ((grantee, privilege), grantable) in &had {
        match wanted.get(&(grantee.clone(), privilege.clone())) {
            None => statements.push(format!(
                "{}REVOKE {} FROM {grantee};",
                target.prefix,
                target.on(privilege)
            )),
            Some(false) if *grantable => statements.push(format!(
                "{}REVOKE GRANT OPTION FOR {} FROM {grantee};",
                target.prefix,
                target.on(privilege)
            )),
            Some(_) => {}
        }
    }
    for ((grantee, privilege), grantable) in &wanted {
        let held = had.get(&(grantee.clone(), privilege.clone()));
        if held.is_none() || (*grantable && held == Some(&false)) {
            let option = match grantable {
                true => " WITH GRANT OPTION",
                false => "",
            };
            statements.push(format!(
                "{}GRANT {} TO {grantee}{option};",
                target.prefix,
                target.on(privilege)
            ));
        }
    }
    statements
}

/// What a `GRANT` names: `ALTER DEFAULT PRIVILEGES ... ` before it for a default, the object after
/// the privilege, and the column list for a column.
struct Target {
    prefix: String,
    object: String,
    column: Option<String>,
}

impl Target {
    /// `PRIVILEGE [(column)] ON object`.
    fn on(&self, privilege: &str) -> String {
        match &self.column {
            Some(column) => format!("{privilege} ({column}) ON {}", self.object),
            None => format!("{privilege} ON {}", self.object),
        }
    }
}

fn target(securable: &Securable) -> Target {
    let (object, column) = match securable {
        Securable::Schema(name) => (format!("SCHEMA {}", quote_identifier(name)), None),
        Securable::Relation(name) => (format!("TABLE {}", name.quoted()), None),
        Securable::Sequence(name) => (format!("SEQUENCE {}", name.quoted()), None),
        Securable::Column(name, column) => (
            format!("TABLE {}", name.quoted()),
            Some(quote_identifier(column)),
        ),
        Securable::Function(signature) => (format!("ROUTINE {}", signature.quoted()), None),
        Securable::Type(name) => (format!("TYPE {}", name.quoted()), None),
        Securable::ForeignDataWrapper(name) => (
            format!("FOREIGN DATA WRAPPER {}", quote_identifier(name)),
            None,
        ),
        Securable::ForeignServer(name) => {
            (format!("FOREIGN SERVER {}", quote_identifier(name)), None)
        }
    };
    Target {
        prefix: String::new(),
        object,
        column,
    }
}

fn default_target(scope: &DefaultScope) -> Target {
    let schema = match &scope.schema {
        Some(schema) => format!(" IN SCHEMA {}", quote_identifier(schema)),
        None => String::new(),
    };
    Target {
        prefix: format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}{schema} ", scope.role),
        object: scope.objects.clone(),
        column: None,
    }
}

/// Every object of `schema` that default privileges apply to.
fn every_object(schema: &Schema) -> Vec<Securable> {
    let mut objects: Vec<Securable> = schema
        .schemas
        .iter()
        .cloned()
        .map(Securable::Schema)
        .collect();
    objects.extend(
        schema
            .tables
            .keys()
            .chain(schema.views.keys())
            .cloned()
            .map(Securable::Relation),
    );
    objects.extend(schema.sequences.keys().cloned().map(Securable::Sequence));
    objects.extend(schema.functions.keys().cloned().map(Securable::Function));
    objects.extend(
        schema
            .enums
            .keys()
            .chain(schema.domains.keys())
            .chain(schema.composites.keys())
            .chain(schema.ranges.keys())
            .cloned()
            .map(Securable::Type),
    );
    objects
}

/// Whether `securable` is in `schema`.
pub(super) fn exists(schema: &Schema, securable: &Securable) -> bool {
    match securable {
        Securable::Schema(name) => schema.schemas.contains(name),
        Securable::Relation(name) => {
            schema.tables.contains_key(name) || schema.views.contains_key(name)
        }
        Securable::Sequence(name) => schema.sequences.contains_key(name),
        Securable::Column(name, column) => {
            schema
                .tables
                .get(name)
                .is_some_and(|table| table.column(column).is_some())
                || schema.views.contains_key(name)
        }
        Securable::Function(signature) => schema.functions.contains_key(signature),
        Securable::ForeignDataWrapper(name) => schema.foreign_data_wrappers.contains_key(name),
        Securable::ForeignServer(name) => schema.foreign_servers.contains_key(name),
        Securable::Type(name) => {
            schema.enums.contains_key(name)
                || schema.domains.contains_key(name)
                || schema.composites.contains_key(name)
                || schema.ranges.contains_key(name)
        }
    }
}

/// Whether the diff creates `securable` of the new schema (new, or dropped and created again), so
/// it starts from its owner's default privileges.
pub(super) fn created(matching: &Matching, securable: &Securable) -> bool {
    let from = matching.from;
    match securable {
        Securable::Schema(name) => !from.schemas.contains(name),
        Securable::Relation(name) => match matching.to.views.contains_key(name) {
            true => matching.view_created(name),
            false => matching.table_created(name),
        },
        Securable::Sequence(name) => !from.sequences.contains_key(name),
        Securable::Column(name, column) => match matching.to.views.contains_key(name) {
            true => matching.view_created(name),
            false => matching.column_goes_or_comes(name, column),
        },
        Securable::Function(signature) => {
            functions::created(matching, &functions::replaced(matching), signature)
        }
        Securable::ForeignDataWrapper(name) => !from.foreign_data_wrappers.contains_key(name),
        Securable::ForeignServer(name) => {
            !from.foreign_servers.contains_key(name)
                || foreign_data::server_replaced(from, matching.to, name)
        }
        Securable::Type(name) => {
            !(from.enums.contains_key(name)
                || from.domains.contains_key(name)
                || from.composites.contains_key(name)
                || from.ranges.contains_key(name))
                || matching.enum_replaced(name)
                || (matching.to.domains.contains_key(name) && domains::created(matching, name))
                || matching.to.ranges.get(name).is_some_and(|range| {
                    from.ranges
                        .get(name)
                        .is_some_and(|old| !ranges::same_definition(old, range))
                })
        }
    }
}

/// For an object the diff creates that the new schema shows with its owner's default privileges
/// (no entry): what default privileges give it on creation and what it must end with, when default
/// privileges of one role apply to it. That role is taken as its owner: the role the revision runs
/// as, whose default privileges also applied when the declared schema was built. `None` when no
/// default privileges apply (it is created as wanted).
fn initial_without_entry(
    to: &Schema,
    securable: &Securable,
) -> Option<(BTreeSet<Grant>, BTreeSet<Grant>)> {
    let (objects, schema) = scope_of(securable)?;
    let applying: Vec<(&DefaultScope, &Privileges)> = to
        .default_privileges
        .iter()
        .filter(|(scope, _)| {
            scope.objects == objects && (scope.schema.is_none() || scope.schema == schema)
        })
        .collect();
    let roles: BTreeSet<&str> = applying
        .iter()
        .map(|(scope, _)| scope.role.as_str())
        .collect();
    let [role] = roles.into_iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let global = applying.iter().find(|(scope, _)| scope.schema.is_none());
    let mut initial = match global {
        Some((_, global)) => global.grants.clone(),
        None => BTreeSet::new(),
    };
    let wanted = match global {
        Some((_, global)) => global.defaults.clone(),
        None => BTreeSet::new(),
    };
    for (scope, in_schema) in &applying {
        if scope.schema.is_some() {
            initial.extend(
                in_schema
                    .grants
                    .iter()
                    .filter(|grant| global.is_some() || grant.grantee != role)
                    .cloned(),
            );
        }
    }
    Some((initial, wanted))
}

/// The kind of default privileges that apply to `securable`, and its schema.
fn scope_of(securable: &Securable) -> Option<(&'static str, Option<String>)> {
    match securable {
        Securable::Schema(_) => Some(("SCHEMAS", None)),
        Securable::Relation(name) => Some(("TABLES", Some(name.schema.clone()))),
        Securable::Sequence(name) => Some(("SEQUENCES", Some(name.schema.clone()))),
        Securable::Column(_, _)
        | Securable::ForeignDataWrapper(_)
        | Securable::ForeignServer(_) => None,
        Securable::Function(signature) => Some(("FUNCTIONS", Some(signature.name.schema.clone()))),
        Securable::Type(name) => Some(("TYPES", Some(name.schema.clone()))),
    }
}

/// The privileges object `securable` of the new schema has right after `CREATE`: its owner's
/// defaults, or the global default privileges that replace them, and the default privileges of its
/// schema added.
fn initial(to: &Schema, securable: &Securable, privileges: &Privileges) -> BTreeSet<Grant> {
    let (objects, schema) = match securable {
        Securable::Schema(_) => ("SCHEMAS", None),
        Securable::Relation(name) => ("TABLES", Some(name)),
        Securable::Sequence(name) => ("SEQUENCES", Some(name)),
        Securable::Column(_, _) => return BTreeSet::new(),
        Securable::ForeignDataWrapper(_) | Securable::ForeignServer(_) => {
            return privileges.defaults.clone();
        }
        Securable::Function(signature) => ("FUNCTIONS", Some(&signature.name)),
        Securable::Type(name) => ("TYPES", Some(name)),
    };
    let scope = |schema: Option<&Name>| DefaultScope {
        role: privileges.owner.clone(),
        schema: schema.map(|name| name.schema.clone()),
        objects: objects.to_owned(),
    };
    let mut grants = match to.default_privileges.get(&scope(None)) {
        Some(global) => global.grants.clone(),
        None => privileges.defaults.clone(),
    };
    if schema.is_some()
        && let Some(in_schema) = to.default_privileges.get(&scope(schema))
    {
        grants.extend(in_schema.grants.iter().cloned());
    }
    grants
}
