//! Owners: which role owns an object, kept only where it is not the role that reads the schema
//! (the one the migrations run as, which owns what they create). Roles themselves belong to the
//! server: an owner names a role that must exist.

use super::{Name, OperatorSignature, Signature};

/// An object that has an owner and can be given to another role (`ALTER ... OWNER TO`).
///
/// Indexes, serial and identity sequences and a table's row type follow their table; an
/// extension's members follow the extension; schema `public` comes with the database.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owned {
    /// A schema.
    Schema(String),
    /// A table, view, materialised view or foreign table.
    Relation(Name),
    /// A sequence no column owns.
    Sequence(Name),
    /// A function, procedure or aggregate.
    Function(Signature),
    /// An enum, domain, composite or range type.
    Type(Name),
    /// A collation.
    Collation(Name),
    /// An operator.
    Operator(OperatorSignature),
    /// Extended statistics.
    Statistics(Name),
    /// A text search dictionary.
    TextSearchDictionary(Name),
    /// A text search configuration.
    TextSearchConfiguration(Name),
    /// A foreign-data wrapper.
    ForeignDataWrapper(String),
    /// A foreign server.
    ForeignServer(String),
    /// An event trigger.
    EventTrigger(String),
}
