//! Dependencies between objects, as the server records them in `pg_depend`: a function's argument
//! and result types and, for a `BEGIN ATOMIC` body, what the body reads and calls; the functions a
//! view, default, constraint, index, policy or rule calls.
//!
//! A function with a quoted body (`AS $$ ... $$`) records nothing of what its body uses: the server
//! does not look inside it, and neither can anything else, so the diff creates such functions
//! before everything else, with `check_function_bodies` off.

use super::{Name, Signature};
use std::fmt;

/// `dependent` needs `on` to exist.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    /// What uses.
    pub dependent: Dependent,
    /// What is used.
    pub on: Referenced,
}

/// An object that uses a function, a relation or a type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dependent {
    /// A function or procedure (its signature, or its `BEGIN ATOMIC` body).
    Function(Signature),
    /// A view or materialised view.
    View(Name),
    /// The default or generation expression of a column: `(table, column)`.
    Default(Name, String),
    /// A table constraint: `(table, constraint)`.
    Constraint(Name, String),
    /// A domain's constraint: `(domain, constraint)`.
    DomainConstraint(Name, String),
    /// A domain's default.
    DomainDefault(Name),
    /// An index (its expressions or predicate): `(table, index)`.
    Index(Name, String),
    /// A row-level security policy: `(table, policy)`.
    Policy(Name, String),
    /// A rule: `(table, rule)`.
    Rule(Name, String),
}

/// An object something uses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Referenced {
    /// A function or procedure.
    Function(Signature),
    /// A table, view or materialised view (or its row type).
    Relation(Name),
    /// An enum, domain, composite or range type.
    Type(Name),
}

impl Dependent {
    /// The table it belongs to, for a default, constraint, index, policy or rule.
    pub fn table(&self) -> Option<&Name> {
        match self {
            Dependent::Default(table, _)
            | Dependent::Constraint(table, _)
            | Dependent::Index(table, _)
            | Dependent::Policy(table, _)
            | Dependent::Rule(table, _) => Some(table),
            _ => None,
        }
    }
}

impl fmt::Display for Dependent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dependent::Function(signature) => write!(f, "function {signature}"),
            Dependent::View(name) => write!(f, "view {name}"),
            Dependent::Default(table, column) => write!(f, "the default of {table}.{column}"),
            Dependent::Constraint(table, name) => write!(f, "constraint {name} of {table}"),
            Dependent::DomainConstraint(domain, name) => {
                write!(f, "constraint {name} of domain {domain}")
            }
            Dependent::DomainDefault(domain) => write!(f, "the default of domain {domain}"),
            Dependent::Index(_, name) => write!(f, "index {name}"),
            Dependent::Policy(table, name) => write!(f, "policy {name} on {table}"),
            Dependent::Rule(table, name) => write!(f, "rule {name} on {table}"),
        }
    }
}

impl fmt::Display for Referenced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Referenced::Function(signature) => write!(f, "function {signature}"),
            Referenced::Relation(name) => write!(f, "relation {name}"),
            Referenced::Type(name) => write!(f, "type {name}"),
        }
    }
}
