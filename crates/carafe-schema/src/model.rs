//! The schema model: what introspection reads and what the diff compares. Plain data, ordered
//! (`BTreeMap` by qualified name), so equal schemas compare equal and print the same.
//!
//! Definitions the server can print canonically are kept in the server's own words
//! (`format_type`, `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`,
//! `pg_get_functiondef`, `pg_get_triggerdef`), so two databases built differently but meaning the
//! same compare equal.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod casts;
mod dependency;
mod foreign;
mod operators;
mod owners;
mod privileges;
mod text_search;

pub use casts::{Cast, CastContext, CastMethod, CastTypes};
pub use dependency::{Dependency, Dependent, Referenced};
pub use foreign::{
    ForeignDataWrapper, ForeignOptions, ForeignServer, ForeignTable, MappingFor, UserMapping,
    is_secret_option,
};
pub use operators::{Operator, OperatorSignature};
pub use owners::Owned;
pub use privileges::{DefaultScope, Grant, Privileges, Securable};
pub use text_search::{TextSearchConfiguration, TextSearchDictionary};

/// A schema-qualified name, e.g. `public.products`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// The schema, e.g. `public`.
    pub schema: String,
    /// The object's name within it.
    pub name: String,
}

impl Name {
    /// `schema.name`.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Name {
        Name {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// `"schema"."name"`, quoted for SQL.
    pub fn quoted(&self) -> String {
        format!(
            "{}.{}",
            quote_identifier(&self.schema),
            quote_identifier(&self.name)
        )
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// `"name"` with inner quotes doubled; SQL written by carafe always quotes identifiers.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with inner quotes doubled.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A whole database schema (user objects only: no `pg_catalog`, `information_schema`, `pg_toast`,
/// nor anything an extension owns).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Schemas other than the system ones (`public` included when it exists).
    pub schemas: BTreeSet<String>,
    /// `COMMENT ON SCHEMA`, by schema.
    pub schema_comments: BTreeMap<String, String>,
    /// Installed extensions by name.
    pub extensions: BTreeMap<String, Extension>,
    /// Collations (`CREATE COLLATION`).
    pub collations: BTreeMap<Name, Collation>,
    /// Text search dictionaries (`CREATE TEXT SEARCH DICTIONARY`).
    pub text_search_dictionaries: BTreeMap<Name, TextSearchDictionary>,
    /// Text search configurations (`CREATE TEXT SEARCH CONFIGURATION`).
    pub text_search_configurations: BTreeMap<Name, TextSearchConfiguration>,
    /// Enum types.
    pub enums: BTreeMap<Name, EnumType>,
    /// Domains.
    pub domains: BTreeMap<Name, Domain>,
    /// Composite types (`CREATE TYPE ... AS (...)`).
    pub composites: BTreeMap<Name, CompositeType>,
    /// Range types (`CREATE TYPE ... AS RANGE`).
    pub ranges: BTreeMap<Name, RangeType>,
    /// Sequences (including those owned by serial and identity columns).
    pub sequences: BTreeMap<Name, Sequence>,
    /// Ordinary, partitioned and foreign tables.
    pub tables: BTreeMap<Name, Table>,
    /// Views and materialised views.
    pub views: BTreeMap<Name, View>,
    /// Extended statistics (`CREATE STATISTICS`) by their own name.
    pub statistics: BTreeMap<Name, Statistics>,
    /// Operators, by name and argument types.
    pub operators: BTreeMap<OperatorSignature, Operator>,
    /// Casts made after `initdb`, by the types they go between: they belong to the database.
    pub casts: BTreeMap<CastTypes, Cast>,
    /// Functions and procedures (not aggregates), by signature, since names overload.
    pub functions: BTreeMap<Signature, Function>,
    /// What uses which function, relation or type, as the server records it (`pg_depend`): the
    /// diff orders creates and drops by it, and recreates the users of a function it replaces.
    pub dependencies: BTreeSet<Dependency>,
    /// The owner (quoted as needed) of each object owned by a role other than the one that read
    /// the schema: objects missing here are owned by the role the migrations run as.
    pub owners: BTreeMap<Owned, String>,
    /// Privileges on objects, where they differ from what the owner gets by default.
    pub privileges: BTreeMap<Securable, Privileges>,
    /// Event triggers by name: they belong to the database, not to a schema.
    pub event_triggers: BTreeMap<String, EventTrigger>,
    /// `ALTER DEFAULT PRIVILEGES`: for a schema-wide scope, the privileges added; for a global one
    /// (`schema` `None`), the privileges new objects start with instead of the built-in ones.
    pub default_privileges: BTreeMap<DefaultScope, Privileges>,
    /// Foreign-data wrappers by name (but those an extension provides, like `postgres_fdw`).
    pub foreign_data_wrappers: BTreeMap<String, ForeignDataWrapper>,
    /// Foreign servers by name.
    pub foreign_servers: BTreeMap<String, ForeignServer>,
    /// User mappings, by server and role.
    pub user_mappings: BTreeMap<MappingFor, UserMapping>,
}

/// An installed extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension {
    /// The schema its objects live in.
    pub schema: String,
    /// The version installed (`ALTER EXTENSION ... UPDATE TO`).
    pub version: String,
    /// Whether `ALTER EXTENSION ... SET SCHEMA` can move it; one that cannot is installed anew.
    pub relocatable: bool,
}

/// A collation: which library sorts, by which locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collation {
    /// `libc`, `icu` or (PostgreSQL 17) `builtin`.
    pub provider: String,
    /// `DETERMINISTIC`: whether strings that sort equal but differ in bytes are unequal.
    pub deterministic: bool,
    /// `LC_COLLATE` of a libc collation.
    pub lc_collate: Option<String>,
    /// `LC_CTYPE` of a libc collation.
    pub lc_ctype: Option<String>,
    /// `LOCALE` of an ICU or builtin collation.
    pub locale: Option<String>,
    /// `RULES` of an ICU collation (PostgreSQL 16).
    pub rules: Option<String>,
    /// `COMMENT ON COLLATION`.
    pub comment: Option<String>,
}

/// An enum type and its labels, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// The labels, in sort order.
    pub labels: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// A domain: a base type with a default, `NOT NULL` and `CHECK` constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The base type as `format_type` prints it, e.g. `numeric(10,2)`.
    pub data_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The `DEFAULT` expression as `pg_get_expr` prints it.
    pub default: Option<String>,
    /// A collation other than the base type's default.
    pub collation: Option<String>,
    /// `CHECK` constraints by name, each as `pg_get_constraintdef` prints it: `CHECK ((VALUE > 0))`.
    pub checks: BTreeMap<String, String>,
    /// `COMMENT ON DOMAIN`.
    pub comment: Option<String>,
}

/// A composite type: named, typed attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositeType {
    /// Its attributes, in order.
    pub attributes: Vec<Attribute>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// A range type: ranges of its subtype, and the multirange type that comes with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeType {
    /// `SUBTYPE`, as `format_type` prints it.
    pub subtype: String,
    /// `SUBTYPE_OPCLASS`, when not the subtype's default B-tree operator class.
    pub subtype_opclass: Option<Name>,
    /// `COLLATION`, when not the subtype's.
    pub collation: Option<String>,
    /// `CANONICAL` function.
    pub canonical: Option<String>,
    /// `SUBTYPE_DIFF` function.
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME`: the multirange type created with it.
    pub multirange: Name,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// An attribute of a composite type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Its name.
    pub name: String,
    /// Its type as `format_type` prints it.
    pub data_type: String,
    /// A collation other than the type's default.
    pub collation: Option<String>,
}

/// A sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min: i64,
    /// `MAXVALUE`.
    pub max: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
    /// The column that owns it (`OWNED BY`), as `(table, column)`.
    pub owned_by: Option<(Name, String)>,
    /// Whether an identity column owns it (then the column, not the diff, manages it).
    pub identity: bool,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Columns in their physical order.
    pub columns: Vec<Column>,
    /// Constraints by name: primary key, unique, foreign key, check, exclusion.
    pub constraints: BTreeMap<String, Constraint>,
    /// Indexes by name, except those that back a constraint.
    pub indexes: BTreeMap<String, Index>,
    /// Triggers by name, except the server's own (foreign keys') and those a partition inherits.
    pub triggers: BTreeMap<String, Trigger>,
    /// Rules (`CREATE RULE`) by name.
    pub rules: BTreeMap<String, Rule>,
    /// Row-level security: off, on (`ENABLE`), or on for the owner too (`FORCE`).
    pub row_security: RowSecurity,
    /// Row-level security policies by name.
    pub policies: BTreeMap<String, Policy>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// The name of each `NOT NULL` column's constraint, by column: PostgreSQL 18 keeps them in
    /// `pg_constraint` (a column renamed keeps its constraint's old name, a partition created with
    /// `PARTITION OF` takes its parent's names, a table attached keeps its own); empty before 18.
    pub not_null_constraints: BTreeMap<String, String>,
    /// PostgreSQL 18: the inherited columns whose `NOT NULL` the table declares itself too
    /// (`conislocal`, e.g. for its own primary key): the constraint has the table's name, not the
    /// parent's. Empty before 18.
    pub local_not_null: BTreeSet<String>,
    /// `CREATE UNLOGGED TABLE`: not written to the WAL, emptied after a crash.
    pub unlogged: bool,
    /// Storage parameters (`WITH (fillfactor=70)`) as `pg_class.reloptions` lists them, and its
    /// TOAST table's as `toast.*`, sorted.
    pub options: Vec<String>,
    /// What logical replication sends of an updated or deleted row.
    pub replica_identity: ReplicaIdentity,
    /// `PARTITION BY ...` of a partitioned table, as `pg_get_partkeydef` prints it: `RANGE (sold_on)`.
    pub partition_key: Option<String>,
    /// The table this one is a partition of, with its bound.
    pub partition_of: Option<PartitionOf>,
    /// `INHERITS (...)`: the tables it inherits from, in order (a partition's parent is in
    /// `partition_of` instead).
    pub inherits: Vec<Name>,
    /// For a foreign table (`CREATE FOREIGN TABLE`), its server and options.
    pub foreign: Option<ForeignTable>,
}

/// Where a partition sits in its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionOf {
    /// The partitioned table.
    pub parent: Name,
    /// `FOR VALUES ...` or `DEFAULT`, as `pg_get_expr` prints it.
    pub bound: String,
}

/// `ALTER TABLE ... REPLICA IDENTITY`: which old values an update or delete writes to the WAL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// `DEFAULT`: the primary key's columns.
    #[default]
    Default,
    /// `NOTHING`.
    Nothing,
    /// `FULL`: every column.
    Full,
    /// `USING INDEX name`: the columns of that unique index.
    Index(String),
}

impl Firing {
    /// The `ALTER TABLE` keywords that set it, before `RULE` or `TRIGGER`.
    pub fn keywords(self) -> &'static str {
        match self {
            Firing::Origin => "ENABLE",
            Firing::Disabled => "DISABLE",
            Firing::Replica => "ENABLE REPLICA",
            Firing::Always => "ENABLE ALWAYS",
        }
    }

    /// The setting `pg_rewrite.ev_enabled` or `pg_trigger.tgenabled` records.
    pub fn from_catalog(code: &str) -> Firing {
        match code {
            "D" => Firing::Disabled,
            "R" => Firing::Replica,
            "A" => Firing::Always,
            _ => Firing::Origin,
        }
    }
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }
}

/// A column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Its type as `format_type` prints it, e.g. `numeric(10,2)`, `character varying(40)`, `public.colour`.
    pub data_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The `DEFAULT` expression as `pg_get_expr` prints it.
    pub default: Option<String>,
    /// `GENERATED ... AS IDENTITY`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<Generated>,
    /// A collation other than the type's default.
    pub collation: Option<String>,
    /// How it is stored and analysed, where that is not the default.
    pub settings: ColumnSettings,
    /// Whether it comes from a parent table: every column of a partition, and those `INHERITS`
    /// brings that the table does not declare too. The parent's changes reach it.
    pub inherited: bool,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

/// A column's storage and statistics settings (`ALTER TABLE ... ALTER COLUMN ... SET ...`), each
/// `None` or empty where the column keeps the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnSettings {
    /// `SET STORAGE`, when not its type's own.
    pub storage: Option<Storage>,
    /// `SET COMPRESSION`: `pglz` or `lz4`.
    pub compression: Option<String>,
    /// `SET STATISTICS`: the statistics target.
    pub statistics: Option<i32>,
    /// `SET (n_distinct = ...)`: attribute options as `pg_attribute.attoptions` lists them, sorted.
    pub options: Vec<String>,
    /// `OPTIONS (...)` of a foreign table's column (`column_name`, say).
    pub foreign_options: ForeignOptions,
}

/// A column's storage other than its type's: `PLAIN`, `EXTERNAL`, `EXTENDED` or `MAIN` each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Storage {
    /// The one the column uses.
    pub chosen: String,
    /// Its type's own, which setting it back takes (`SET STORAGE DEFAULT` is PostgreSQL 16's).
    pub type_default: String,
}

/// How an identity column generates values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// A stored generated column's expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// The expression as `pg_get_expr` prints it.
    pub expression: String,
}

/// What a constraint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `FOREIGN KEY`.
    ForeignKey,
    /// `EXCLUDE`.
    Exclusion,
}

/// A table constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// What it is.
    pub kind: ConstraintKind,
    /// Its definition as `pg_get_constraintdef` prints it, e.g. `FOREIGN KEY (sku) REFERENCES products(sku) ON DELETE CASCADE`.
    pub definition: String,
    /// For a foreign key, the table it references (the diff creates that table first).
    pub references: Option<Name>,
    /// Whether it comes from a parent table (a partition's copy of its parent's, or an `INHERITS`
    /// child's check it does not declare too): it comes and goes with the parent's.
    pub inherited: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// An index that does not back a constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// The full `CREATE [UNIQUE] INDEX ... USING method (...) [WHERE ...]` as `pg_get_indexdef` prints it.
    pub definition: String,
    /// Whether it is a partition's part of its parent's index: it comes and goes with that one.
    pub inherited: bool,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
}

/// Extended statistics: what the planner gathers across columns (or expressions) of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistics {
    /// The table (or materialised view) they are gathered on.
    pub table: Name,
    /// The whole `CREATE STATISTICS ...` as `pg_get_statisticsobjdef` prints it.
    pub definition: String,
    /// `ALTER STATISTICS ... SET STATISTICS n`; `None` for the default.
    pub target: Option<i32>,
    /// `COMMENT ON STATISTICS`.
    pub comment: Option<String>,
}

/// A view or a materialised view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// The `SELECT` as `pg_get_viewdef` prints it.
    pub definition: String,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
    /// The tables and views it reads (the diff drops it before changing them).
    pub depends_on: BTreeSet<Name>,
    /// For each relation of `depends_on` it reads column by column, those columns: it stays when
    /// other columns change. A relation it reads as a whole (`SELECT t`, `count(*)`) is absent.
    pub columns_read: BTreeMap<Name, BTreeSet<String>>,
    /// `WITH (...)` options as `pg_class.reloptions` lists them (`security_barrier=true`,
    /// `check_option=local`, a materialised view's storage parameters), sorted.
    pub options: Vec<String>,
    /// A materialised view's indexes by name.
    pub indexes: BTreeMap<String, Index>,
    /// Triggers on a view (`INSTEAD OF`) by name.
    pub triggers: BTreeMap<String, Trigger>,
    /// `COMMENT ON VIEW`.
    pub comment: Option<String>,
    /// `COMMENT ON COLUMN` of its columns, by column.
    pub column_comments: BTreeMap<String, String>,
}

/// What identifies a function or procedure: its name and its argument types, as `oidvectortypes`
/// prints them (`numeric, integer`): types alone, since `CREATE OR REPLACE` of the same name and
/// types is the same function, whatever its arguments are called.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signature {
    /// Its schema-qualified name.
    pub name: Name,
    /// Its argument types, comma-separated; empty for none.
    pub arguments: String,
}

impl Signature {
    /// `"schema"."name"(argument types)`, for `DROP FUNCTION` and `COMMENT ON FUNCTION`.
    pub fn quoted(&self) -> String {
        format!("{}({})", self.name.quoted(), self.arguments)
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.arguments)
    }
}

/// A function, a procedure or an aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// Which of the three it is.
    pub kind: RoutineKind,
    /// Its language, e.g. `plpgsql` or `sql` (`internal` for an aggregate).
    pub language: String,
    /// The whole `CREATE OR REPLACE FUNCTION ...` as `pg_get_functiondef` prints it; for an
    /// aggregate, the `CREATE OR REPLACE AGGREGATE ...` carafe writes from `pg_aggregate`.
    pub definition: String,
    /// Its arguments with their names and defaults (`pg_get_function_arguments`), which
    /// `CREATE OR REPLACE` cannot change; an ordered-set aggregate's read `direct ORDER BY
    /// aggregated`.
    pub arguments: String,
    /// Its result type (`pg_get_function_result`), which `CREATE OR REPLACE` cannot change; `None`
    /// for a procedure.
    pub result: Option<String>,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

/// An event trigger (`CREATE EVENT TRIGGER`): runs a function when DDL runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventTrigger {
    /// The event: `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite`, or
    /// (PostgreSQL 17) `login`.
    pub event: String,
    /// `WHEN TAG IN (...)`: the command tags it fires for, in the order given (pg_dump keeps it);
    /// empty for every command.
    pub tags: Vec<String>,
    /// The function it runs.
    pub function: Signature,
    /// When it fires (`ALTER EVENT TRIGGER ... DISABLE`).
    pub firing: Firing,
    /// `COMMENT ON EVENT TRIGGER`.
    pub comment: Option<String>,
}

/// What a [`Function`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoutineKind {
    /// `CREATE FUNCTION` (a window function included).
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
    /// `CREATE AGGREGATE`.
    Aggregate,
}

/// A trigger on a table or a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    /// The whole `CREATE TRIGGER ...` as `pg_get_triggerdef` prints it.
    pub definition: String,
    /// The function it executes (the diff recreates the trigger when that function is recreated).
    pub function: Signature,
    /// When it fires (`ALTER TABLE ... DISABLE TRIGGER`).
    pub firing: Firing,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
}

/// A rule on a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The whole `CREATE RULE ...;` as `pg_get_ruledef` prints it.
    pub definition: String,
    /// When it fires.
    pub firing: Firing,
    /// `COMMENT ON RULE`.
    pub comment: Option<String>,
}

/// When a rule or a trigger fires (`pg_rewrite.ev_enabled`, `pg_trigger.tgenabled`), as `ALTER
/// TABLE ... ENABLE / DISABLE RULE` or `TRIGGER` sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Firing {
    /// The default (`ENABLE`): in the origin and local replication roles.
    #[default]
    Origin,
    /// `DISABLE`.
    Disabled,
    /// `ENABLE REPLICA`: only when the session replicates (`session_replication_role = replica`).
    Replica,
    /// `ENABLE ALWAYS`: in every replication role.
    Always,
}

/// Whether a table's rows are filtered by its policies. (`FORCE` without `ENABLE` does nothing, and
/// reads as `Disabled`.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowSecurity {
    /// Off: policies, if any, are not applied.
    #[default]
    Disabled,
    /// `ENABLE ROW LEVEL SECURITY`: applied to every role but the table's owner.
    Enabled,
    /// `ENABLE` and `FORCE ROW LEVEL SECURITY`: applied to the owner too.
    Forced,
}

/// A row-level security policy (`CREATE POLICY`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `AS PERMISSIVE` (policies combine with OR) rather than `AS RESTRICTIVE` (with AND).
    pub permissive: bool,
    /// The command it applies to: `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// The roles it applies to, sorted, quoted as needed; `public` for every role.
    pub roles: Vec<String>,
    /// The `USING` expression as `pg_get_expr` prints it.
    pub using: Option<String>,
    /// The `WITH CHECK` expression as `pg_get_expr` prints it.
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
}
