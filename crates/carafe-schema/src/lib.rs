//! carafe-schema: the schema as data, so carafe can compare what the migrations build with what
//! `schema.sql` declares.
//!
//! - [`Schema`] (in [`model`]) is a PostgreSQL schema as plain, ordered data: schemas, extensions,
//!   enums, domains, composite types, sequences, tables (columns, constraints, indexes, triggers, row-level security and policies), views and materialised
//!   views, functions and procedures, comments.
//!   Two schemas are equal exactly when their models are equal.
//! - [`introspect()`] reads a live database into a [`Schema`] with a fixed number of bulk `pg_catalog`
//!   queries (never one per table, never `information_schema`), leaving out extension-owned objects.
//! - [`diff()`] compares two schemas and returns the [`Change`]s that turn one into the other, in
//!   dependency order, each with the reason a person must review it when it drops or rewrites; a
//!   revision's down is the diff the other way. [`render_revision`] writes both as a migration file.

mod diff;
mod introspect;
pub mod model;
mod render;

pub use diff::{Change, Diff, InvalidRename, RenameCandidate, Renames, diff};
pub use introspect::{INTROSPECTION_QUERIES, IntrospectError, Shadowed, introspect, shadowed};
pub use model::{
    Attribute, Cast, CastContext, CastMethod, CastTypes, Collation, Column, ColumnSettings,
    CompositeType, Constraint, ConstraintKind, DefaultScope, Dependency, Dependent, Domain,
    EnumType, EventTrigger, Extension, Firing, ForeignDataWrapper, ForeignOptions, ForeignServer,
    ForeignTable, Function, Generated, Grant, Identity, Index, MappingFor, Name, Operator,
    OperatorSignature, Owned, PartitionOf, Policy, Privileges, RangeType, Referenced,
    ReplicaIdentity, RoutineKind, RowSecurity, Rule, Schema, Securable, Sequence, Signature,
    Statistics, Storage, Table, TextSearchConfiguration, TextSearchDictionary, Trigger,
    UserMapping, View,
};
pub use render::render_revision;
