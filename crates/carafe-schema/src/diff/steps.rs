//! The phases a diff runs in, and the changes collected for each: the one place that says what runs
//! before what.

use super::Change;

/// When a change runs. Changes run phase by phase, in the order of this enum, and within a phase in
/// the order they were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Phase {
    /// `SET LOCAL` of what the revision's statements need (`check_function_bodies = off`).
    Settings,
    /// `DROP EVENT TRIGGER`, before anything else changes (the revision's statements would fire it).
    DropEventTrigger,
    /// `CREATE SCHEMA`.
    CreateSchema,
    /// `ALTER DEFAULT PRIVILEGES`, before the objects it applies to are created.
    DefaultPrivileges,
    /// `CREATE EXTENSION`, `ALTER EXTENSION ... SET SCHEMA`.
    CreateExtension,
    /// `CREATE FOREIGN DATA WRAPPER`, `CREATE SERVER`, `CREATE USER MAPPING` and their `ALTER`s
    /// (after the extension that may provide the wrapper).
    CreateForeignData,
    /// `CREATE COLLATION` (and the `DROP` of one created again).
    CreateCollation,
    /// `CREATE TEXT SEARCH DICTIONARY` and `CONFIGURATION`, their `ALTER`s and comments (and the
    /// `DROP` of one created again), before the columns and indexes that name a configuration.
    CreateTextSearch,
    /// `CREATE TYPE ... AS ENUM`, `ALTER TYPE ... ADD VALUE`.
    CreateEnum,
    /// `CREATE FUNCTION` of a function a new range type names as its canonical or subtype
    /// difference function (it takes the subtype, not the range).
    CreateRangeFunction,
    /// `CREATE TYPE ... AS RANGE` (and the `DROP` of one created again):
    /// after the enums a range may be of, before the domains and composites that may use one.
    CreateRange,
    /// `DROP DOMAIN` of a domain whose base type changes, created again below.
    DropReplacedDomain,
    /// `CREATE DOMAIN` (an enum may be its base type).
    CreateDomain,
    /// `ALTER DOMAIN`: default, `NOT NULL`, `CHECK` constraints.
    AlterDomain,
    /// `CREATE TYPE ... AS RANGE` of a range over a domain (and the `DROP` of one created again),
    /// once the domain exists.
    CreateRangeOverDomain,
    /// `CREATE TYPE ... AS (...)` (its attributes may be enums or domains).
    CreateComposite,
    /// `ALTER TYPE ... ADD / DROP / ALTER ATTRIBUTE`.
    AlterComposite,
    /// `CREATE SEQUENCE`, `ALTER SEQUENCE` (all but the owner).
    CreateSequence,
    /// `ALTER SEQUENCE ... OWNED BY NONE`, before the owning column goes.
    ReleaseSequence,
    /// `DROP POLICY` for policies removed or changed, or reading a view that goes (nothing depends
    /// on a policy, so they go first).
    DropPolicy,
    /// `DROP TRIGGER` and `DROP RULE` for those removed or changed, or whose function is created
    /// again.
    DropTrigger,
    /// `DROP STATISTICS` of extended statistics gone or changed, before their table, view or
    /// columns change.
    DropStatistics,
    /// `DROP FUNCTION` of a function gone whose `BEGIN ATOMIC` body reads a view that goes.
    DropViewFunction,
    /// `DROP VIEW` for views removed, changed, or reading something that changes.
    DropView,
    /// `DROP CAST` of casts gone or changed, once the views that may apply them are gone (before
    /// the functions they call are dropped and created again).
    DropCast,
    /// `DROP OPERATOR` of an operator created again below (before its function may be).
    DropReplacedOperator,
    /// `ALTER TABLE ... DETACH PARTITION`, `NO INHERIT`: before the parent or its columns change, and
    /// before what the table keeps of its parent's constraints and indexes is dropped.
    DetachPartition,
    /// `ALTER TABLE ... DROP CONSTRAINT` for foreign keys.
    DropForeignKey,
    /// `ALTER TABLE ... DROP CONSTRAINT` for the other constraints.
    DropConstraint,
    /// `DROP INDEX`.
    DropIndex,
    /// `ALTER TABLE ... ALTER COLUMN ... DROP DEFAULT` of a default that calls a function dropped
    /// and created again (set again below).
    DropDefault,
    /// `DROP FUNCTION` for a function `CREATE OR REPLACE` cannot change, created again below, once
    /// what calls it is gone; and of a function gone that uses a table or view that goes too.
    DropReplacedFunction,
    /// `CREATE OR REPLACE FUNCTION` whose arguments and result need no new table: before the
    /// tables that may call it (quoted bodies are not checked).
    CreateFunction,
    /// An enum that loses or reorders values: renamed, created anew, its columns converted.
    ReplaceEnum,
    /// `DROP TABLE`.
    DropTable,
    /// `DROP USER MAPPING` of the mappings of a server created again.
    DropReplacedMapping,
    /// `DROP SERVER` and `CREATE SERVER` of a server whose wrapper or type changes, once its foreign
    /// tables and user mappings are gone; then its mappings again (its tables come with the others).
    ReplaceServer,
    /// `CREATE TABLE`, columns only.
    CreateTable,
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn,
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn,
    /// `ALTER TABLE ... ALTER COLUMN`.
    AlterColumn,
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn,
    /// `ALTER TABLE ... RENAME CONSTRAINT` of a column's `NOT NULL` (PostgreSQL 18 names them).
    RenameNotNull,
    /// `ALTER TABLE ... SET LOGGED / UNLOGGED`, `SET / RESET (...)` of tables, views and columns,
    /// `ALTER COLUMN ... SET STORAGE / COMPRESSION / STATISTICS`, once the columns exist.
    Storage,
    /// `ALTER TABLE ... ATTACH PARTITION`, `INHERIT`, once the columns match.
    AttachPartition,
    /// `CREATE OR REPLACE FUNCTION` of a function whose arguments, result or `BEGIN ATOMIC` body
    /// use a new table: after its columns, before the constraints and indexes that may call it.
    CreateSqlFunction,
    /// `CREATE CAST` and its comment, once its types and function exist, before the constraints,
    /// indexes and views that may apply it.
    CreateCast,
    /// `CREATE OPERATOR`, `ALTER OPERATOR ... SET (RESTRICT, JOIN)` and comments, once the
    /// functions exist, before the constraints, indexes and views that may use them.
    CreateOperator,
    /// `ALTER DOMAIN ... ADD CONSTRAINT` of a check that calls a function created above.
    AddDomainConstraint,
    /// `ALTER TABLE ... ADD CONSTRAINT` for all but foreign keys.
    AddConstraint,
    /// `CREATE INDEX` (before foreign keys, which may rest on a unique index).
    CreateIndex,
    /// `ALTER TABLE ... REPLICA IDENTITY`, once the index it may name exists.
    ReplicaIdentity,
    /// `ALTER TABLE ... ADD CONSTRAINT` for foreign keys, once every table and key exists.
    AddForeignKey,
    /// `ALTER SEQUENCE ... OWNED BY`, once the owning column exists.
    OwnSequence,
    /// `CREATE VIEW`, `CREATE MATERIALIZED VIEW`, those read first; then the functions that use
    /// new views.
    CreateView,
    /// `CREATE INDEX` on a materialised view, once it exists.
    CreateViewIndex,
    /// `CREATE STATISTICS` and its target, once its table or materialised view and the functions
    /// its expressions call exist.
    CreateStatistics,
    /// `ALTER TABLE ... ADD CONSTRAINT ... CHECK` of a check that calls a function, once every
    /// function and view its quoted body may reach exists (checking the rows runs it).
    AddCheckCallingFunction,
    /// `CREATE TRIGGER`, once its table, columns and function exist.
    CreateTrigger,
    /// `ALTER TABLE ... ENABLE / FORCE / DISABLE ROW LEVEL SECURITY`.
    RowSecurity,
    /// `CREATE POLICY`, once its table, columns and functions exist.
    CreatePolicy,
    /// `COMMENT ON`.
    Comment,
    /// `GRANT` and `REVOKE` on schemas whose owner stays: before objects are given away, as a
    /// role given a table needs `CREATE` on its schema.
    SchemaPrivileges,
    /// `ALTER ... OWNER TO`, once the objects exist, before their privileges (a new owner takes
    /// over the old one's entries in an access list).
    Owners,
    /// `GRANT` and `REVOKE` on objects, once they exist.
    Privileges,
    /// `DROP OPERATOR` of an operator gone, once nothing uses it, before its function.
    DropOperator,
    /// `DROP FUNCTION`, `DROP PROCEDURE`, once nothing uses them.
    DropFunction,
    /// `DROP TYPE` of a composite type, once nothing uses it (before the domains and enums of its
    /// attributes).
    DropComposite,
    /// `DROP TYPE` of a range type over a domain, before the domain.
    DropRangeOverDomain,
    /// `DROP DOMAIN`, once no column uses it (before the enum it may be based on).
    DropDomain,
    /// `DROP TYPE` of a range type, once the functions, composites and domains using it are gone.
    DropRange,
    /// `DROP TYPE`.
    DropEnum,
    /// `DROP FUNCTION` of a function that a dropped domain's check or default called, or that a
    /// dropped range type named.
    DropDomainFunction,
    /// `DROP TEXT SEARCH CONFIGURATION`, then `DICTIONARY`, once nothing names them.
    DropTextSearch,
    /// `DROP COLLATION`, once nothing sorts by it.
    DropCollation,
    /// `DROP SEQUENCE`.
    DropSequence,
    /// `DROP USER MAPPING`, `DROP SERVER`, `DROP FOREIGN DATA WRAPPER`, once no foreign table uses
    /// them (before the extension that may provide the wrapper).
    DropForeignData,
    /// `DROP EXTENSION`.
    DropExtension,
    /// `DROP SCHEMA`.
    DropSchema,
    /// `CREATE EVENT TRIGGER` and its switches and comment, after everything else.
    CreateEventTrigger,
}

/// The changes of a diff as they are found, each tagged with its phase.
#[derive(Debug, Default)]
pub(super) struct Steps {
    steps: Vec<(Phase, Change)>,
}

impl Steps {
    /// Adds a change that needs no review.
    pub(super) fn push(&mut self, phase: Phase, sql: impl Into<String>) {
        self.steps.push((
            phase,
            Change {
                sql: sql.into(),
                review: None,
            },
        ));
    }

    /// Adds a change a person must review, saying why.
    pub(super) fn push_for_review(
        &mut self,
        phase: Phase,
        sql: impl Into<String>,
        review: impl Into<String>,
    ) {
        self.steps.push((
            phase,
            Change {
                sql: sql.into(),
                review: Some(review.into()),
            },
        ));
    }

    /// Adds a change, with a review when there is one.
    pub(super) fn push_change(&mut self, phase: Phase, change: Change) {
        self.steps.push((phase, change));
    }

    /// The changes in the order they must run.
    pub(super) fn into_changes(mut self) -> Vec<Change> {
        self.steps.sort_by_key(|(phase, _)| *phase);
        self.steps.into_iter().map(|(_, change)| change).collect()
    }
}
