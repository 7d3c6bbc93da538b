//! decant-schema: the schema as data, so decant can compare what the migrations build with what
//! `schema.sql` declares.
//!
//! - [`Schema`] (in [`model`]) is a PostgreSQL schema as plain, ordered data: schemas, extensions,
//!   enums, sequences, tables (columns, constraints, indexes), views and materialised views, comments.
//!   Two schemas are equal exactly when their models are equal.
//! - [`introspect`] reads a live database into a [`Schema`] with a fixed number of bulk `pg_catalog`
//!   queries (never one per table, never `information_schema`), leaving out extension-owned objects.
//! - [`diff`] compares two schemas and returns the [`Change`]s, in dependency order, each with its up
//!   and down SQL; [`render_revision`] writes them as a migration file.

pub mod model;

pub use model::{
    Column, Constraint, ConstraintKind, EnumType, Extension, Generated, Identity, Index, Name,
    Schema, Sequence, Table, View,
};
mod diff;
mod introspect;
mod render;

pub use diff::{Change, Diff, RenameCandidate, Renames, diff};
pub use introspect::{INTROSPECTION_QUERIES, IntrospectError, introspect};
pub use render::render_revision;
