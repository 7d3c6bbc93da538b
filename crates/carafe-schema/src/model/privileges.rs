//! Privileges: what `GRANT` and `REVOKE` gave on schemas, relations, columns, functions, types,
//! foreign-data wrappers and servers,
//! and what `ALTER DEFAULT PRIVILEGES` gives the objects a role creates. Roles themselves belong to
//! the server and are not modelled: a grant names a role that must exist.

use super::{Name, Signature};

/// What privileges are granted on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Securable {
    /// A schema.
    Schema(String),
    /// A table, view, materialised view or foreign table.
    Relation(Name),
    /// A sequence.
    Sequence(Name),
    /// A column of a table or view: `(relation, column)`.
    Column(Name, String),
    /// A function or procedure.
    Function(Signature),
    /// An enum, domain, composite or range type.
    Type(Name),
    /// A foreign-data wrapper.
    ForeignDataWrapper(String),
    /// A foreign server.
    ForeignServer(String),
}

/// One privilege held by one role (or by `PUBLIC`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    /// The role, quoted as needed, `PUBLIC`, or `CURRENT_USER` for the role that read the schema
    /// (the one the migrations run as), so schemas read by different roles compare alike.
    pub grantee: String,
    /// The privilege as `GRANT` spells it: `SELECT`, `EXECUTE`, `USAGE`, ...
    pub privilege: String,
    /// `WITH GRANT OPTION`.
    pub grantable: bool,
}

/// The privileges on one object, kept only when they are not what its owner gets by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Privileges {
    /// The object's owner (for default privileges, the role whose new objects they apply to), as
    /// [`Grant::grantee`] names it.
    pub owner: String,
    /// Every privilege held on it.
    pub grants: std::collections::BTreeSet<Grant>,
    /// What it would hold with no `GRANT` or `REVOKE` (`acldefault`): the owner everything, and
    /// `PUBLIC` what PostgreSQL gives it (`EXECUTE` on functions, `USAGE` on types); for an
    /// extension's member, what the extension's script left it (`pg_init_privs`).
    pub defaults: std::collections::BTreeSet<Grant>,
    /// The extension the object belongs to: it comes and goes with the extension, which the
    /// schema model does not otherwise hold the members of.
    pub extension: Option<String>,
}

/// Where `ALTER DEFAULT PRIVILEGES` applies: the objects of one kind that one role creates, in one
/// schema or (with `schema` `None`) anywhere.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultScope {
    /// The role creating the objects, as [`Grant::grantee`] names it.
    pub role: String,
    /// The schema, or `None` for every schema.
    pub schema: Option<String>,
    /// `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES`, `SCHEMAS` or `LARGE OBJECTS`.
    pub objects: String,
}
