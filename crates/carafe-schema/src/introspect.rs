//! Reading a live database into a [`Schema`]: one bulk `pg_catalog` query per kind of object, inside
//! one read-only snapshot, so the number of queries is the same for one table or ten thousand.
//!
//! Every query sees the same snapshot (`REPEATABLE READ`), and runs with `search_path` set to
//! `pg_catalog` alone, so the server's printers (`format_type`, `pg_get_expr`,
//! `pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`, `pg_get_functiondef`,
//! `pg_get_triggerdef`) qualify every user object with its schema, whatever the caller's session
//! says (a function's body is its own text, and is kept as written). Comments are joined into the query of the object
//! they describe. System schemas and everything an extension owns (its member objects, and the
//! objects in a schema it owns) are left out; nothing else is, not even carafe's history table: the
//! caller knows which tables to ignore.
//!
//! Each kind of object has its module: the query text and the code that files its rows.

/// SQL: the `pg_namespace` row aliased `n` is a user schema: not a system one (`pg_catalog`,
/// `pg_toast`, `pg_temp_N`, ... — names starting `pg_` are reserved), not `information_schema`,
/// and not a member of an extension.
macro_rules! user_namespace {
    () => {
        concat!(
            "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND ",
            not_extension_member!("pg_namespace", "n.oid"),
        )
    };
}

/// SQL: the object `$oid` of catalog `$catalog` is not a member of an extension (the target of a
/// `pg_depend` row of type `e` from an extension). The members are found from `pg_extension`
/// through the index on the referenced side, so this costs one small hashed lookup, not a scan of
/// `pg_depend` per query.
macro_rules! not_extension_member {
    ($catalog:literal, $oid:literal) => {
        concat!(
            $oid,
            " NOT IN (SELECT member.objid FROM pg_extension extension \
             JOIN pg_depend member ON member.refclassid = 'pg_extension'::regclass \
              AND member.refobjid = extension.oid \
             WHERE member.classid = '",
            $catalog,
            "'::regclass AND member.deptype = 'e')",
        )
    };
}

/// SQL: function `$oid` is not one the server made for a type (a range type's constructors, which
/// depend on it internally): those come and go with the type.
macro_rules! not_type_constructor {
    ($oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT FROM pg_depend constructor \
             WHERE constructor.classid = 'pg_proc'::regclass AND constructor.objid = ",
            $oid,
            " AND constructor.refclassid = 'pg_type'::regclass AND constructor.deptype = 'i')",
        )
    };
}

/// SQL: the `pg_class` row aliased `c`, in namespace `n`, is of one of the `relkind`s `$kinds`
/// (a quoted, comma-separated list) and no extension owns it.
macro_rules! user_relation {
    ($kinds:literal) => {
        concat!(
            "c.relkind IN (",
            $kinds,
            ") AND ",
            user_namespace!(),
            " AND ",
            not_extension_member!("pg_class", "c.oid"),
        )
    };
}

/// SQL: the `pg_class` row aliased `c`, in namespace `n`, is a user table (ordinary, partitioned
/// or foreign) that no extension owns.
macro_rules! user_table {
    () => {
        user_relation!("'r', 'p', 'f'")
    };
}

mod aggregates;
mod casts;
mod catalog;
mod collations;
mod composites;
mod constraints;
mod dependencies;
mod domains;
mod enums;
mod event_triggers;
mod extensions;
mod foreign_data;
mod functions;
mod indexes;
mod operators;
mod owners;
mod policies;
mod privileges;
mod ranges;
mod rules;
mod schemas;
mod sequences;
mod shadowing;
mod statistics;
mod tables;
mod text_search;
mod triggers;
mod views;

use crate::{Name, Schema};
use catalog::Catalog;
use postgres::Row;
pub use shadowing::{Shadowed, shadowed};

/// How many statements [`introspect`] sends, whatever the size of the schema: one to open the
/// snapshot, one query per kind of object (schemas, extensions, collations, text search dictionaries and configurations, enums, domains, composite types, range types,
/// sequences, tables with their columns, views, constraints, indexes, extended statistics, functions, aggregates, casts, operators, triggers, rules,
/// policies, event triggers, foreign data (wrappers, servers, user mappings), dependencies, owners, privileges, default privileges), and one to close the snapshot.
pub const INTROSPECTION_QUERIES: usize = 2 + KINDS.len();

/// One kind of object: the query that reads all of them, and how its rows go into the [`Schema`].
struct Kind {
    /// What the query reads, for error messages.
    what: &'static str,
    /// The query, without parameters.
    query: &'static str,
    /// Files the rows into the schema (tables before their constraints and indexes).
    file: fn(&[Row], &mut Schema) -> Result<(), postgres::Error>,
}

/// Every kind, in the order [`introspect`] reads them: tables and views before what attaches to
/// them.
const KINDS: [Kind; 27] = [
    schemas::KIND,
    extensions::KIND,
    collations::KIND,
    text_search::KIND,
    enums::KIND,
    domains::KIND,
    composites::KIND,
    ranges::KIND,
    sequences::KIND,
    tables::KIND,
    views::KIND,
    constraints::KIND,
    indexes::KIND,
    statistics::KIND,
    functions::KIND,
    aggregates::KIND,
    casts::KIND,
    operators::KIND,
    triggers::KIND,
    rules::KIND,
    policies::KIND,
    event_triggers::KIND,
    foreign_data::KIND,
    dependencies::KIND,
    owners::KIND,
    privileges::KIND,
    privileges::DEFAULTS_KIND,
];

/// Why the schema could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    /// A catalog query failed.
    #[error("cannot read the schema ({what}): {message}")]
    Query {
        /// Which part was being read.
        what: &'static str,
        /// What the server said.
        message: String,
    },
}

impl IntrospectError {
    /// The error of reading `what`, with the server's own message when it sent one.
    fn query(what: &'static str, error: &postgres::Error) -> IntrospectError {
        let message = match error.as_db_error() {
            Some(db_error) => db_error.message().to_owned(),
            None => error.to_string(),
        };
        IntrospectError::Query { what, message }
    }
}

/// Reads every user object of the connected database.
///
/// It sends [`INTROSPECTION_QUERIES`] statements in a read-only transaction of its own, so the
/// client must not be inside a transaction; the session's settings are left as they were.
pub fn introspect(client: &mut postgres::Client) -> Result<Schema, IntrospectError> {
    Schema::introspect_counted(client).map(|(schema, _)| schema)
}

impl Schema {
    /// Like [`introspect`], and also returns how many statements it sent to the server (always
    /// [`INTROSPECTION_QUERIES`]; the tests and the benchmark check it).
    pub fn introspect_counted(
        client: &mut postgres::Client,
    ) -> Result<(Schema, usize), IntrospectError> {
        let mut catalog = Catalog::open(client)?;
        let read = read_every_kind(&mut catalog);
        let closed = catalog.close();
        let schema = read?;
        Ok((schema, closed?))
    }
}

/// Sends the query of each kind and files its rows into one [`Schema`].
fn read_every_kind(catalog: &mut Catalog<'_>) -> Result<Schema, IntrospectError> {
    let mut schema = Schema::default();
    for kind in &KINDS {
        let rows = catalog.rows(kind.what, kind.query)?;
        (kind.file)(&rows, &mut schema)
            .map_err(|error| IntrospectError::query(kind.what, &error))?;
    }
    Ok(schema)
}

/// The name in columns `index` (schema) and `index + 1` (object) of a row.
fn name_at(row: &Row, index: usize) -> Result<Name, postgres::Error> {
    Ok(Name::new(
        row.try_get::<_, String>(index)?,
        row.try_get::<_, String>(index + 1)?,
    ))
}

/// Like [`name_at`], for a name that may be absent (both columns null).
fn optional_name_at(row: &Row, index: usize) -> Result<Option<Name>, postgres::Error> {
    let schema: Option<String> = row.try_get(index)?;
    let name: Option<String> = row.try_get(index + 1)?;
    Ok(schema
        .zip(name)
        .map(|(schema, name)| Name::new(schema, name)))
}
