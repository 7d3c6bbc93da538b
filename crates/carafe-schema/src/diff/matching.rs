//! Pairing the objects of two schemas: which tables and columns are kept, renamed, dropped, added or
//! replaced, which enums are recreated, which views must be dropped and built again. Every module of
//! the diff asks these questions here, so they all get the same answers.

use super::foreign_data;
use super::sql::{mentions_identifier, rename_columns};
use super::types::{type_forms, type_refers_to};
use super::{RenameCandidate, Renames};
use crate::{
    Column, Constraint, ConstraintKind, Dependent, Name, Referenced, Schema, Signature, Table,
};
use std::collections::BTreeSet;

/// A column of both schemas (under the same name, or renamed).
#[derive(Clone, Copy, Debug)]
pub(super) struct ColumnPair<'a> {
    /// As it is.
    pub(super) from: &'a Column,
    /// As it will be.
    pub(super) to: &'a Column,
    /// Whether it must be dropped and added again (its generation expression appears or changes,
    /// which no `ALTER COLUMN` does).
    pub(super) replaced: bool,
}

impl ColumnPair<'_> {
    /// Whether the column changes name.
    pub(super) fn renamed(&self) -> bool {
        self.from.name != self.to.name
    }
}

/// A table of both schemas and what happens to its columns.
#[derive(Debug)]
pub(super) struct TablePair<'a> {
    /// Its name.
    pub(super) name: &'a Name,
    /// As it is.
    pub(super) from: &'a Table,
    /// As it will be.
    pub(super) to: &'a Table,
    /// Columns kept (maybe renamed, altered or replaced), in the order of `to`.
    pub(super) kept: Vec<ColumnPair<'a>>,
    /// Columns of `from` only, in the order of `from`.
    pub(super) dropped: Vec<&'a Column>,
    /// Columns of `to` only, in the order of `to`.
    pub(super) added: Vec<&'a Column>,
}

impl<'a> TablePair<'a> {
    fn new(name: &'a Name, from: &'a Table, to: &'a Table, renames: &Renames) -> TablePair<'a> {
        let new_name_of = |column: &Column| -> Option<&str> {
            let new = renames.new_name(name, &column.name)?;
            let applies = to.column(&column.name).is_none()
                && from.column(new).is_none()
                && to.column(new).is_some();
            applies.then_some(new)
        };
        let mut kept = Vec::new();
        let mut added = Vec::new();
        for to_column in &to.columns {
            let from_column = from.column(&to_column.name).or_else(|| {
                from.columns
                    .iter()
                    .find(|column| new_name_of(column) == Some(to_column.name.as_str()))
            });
            match from_column {
                // Comes from a parent, with the parent's changes.
                None if to_column.inherited => {}
                Some(from_column) => kept.push(ColumnPair {
                    from: from_column,
                    to: to_column,
                    replaced: !to_column.inherited
                        && !from_column.inherited
                        && to_column.generated.is_some()
                        && to_column.generated != from_column.generated,
                }),
                None => added.push(to_column),
            }
        }
        let dropped = from
            .columns
            .iter()
            .filter(|column| !kept.iter().any(|pair| pair.from.name == column.name))
            // Goes with the parent's column, unless the table no longer has a parent.
            .filter(|column| {
                !column.inherited || (to.partition_of.is_none() && to.inherits.is_empty())
            })
            .collect();
        TablePair {
            name,
            from,
            to,
            kept,
            dropped,
            added,
        }
    }

    /// Whether the table is detached from a partitioned table, or stops inheriting from one: what it
    /// inherited from that parent becomes its own.
    pub(super) fn leaves_parent(&self) -> bool {
        (self.from.partition_of.is_some()
            && self.from.partition_of.as_ref().map(|of| &of.parent)
                != self.to.partition_of.as_ref().map(|of| &of.parent))
            || self
                .from
                .inherits
                .iter()
                .any(|parent| !self.to.inherits.contains(parent))
    }

    /// The pair of the column that `from` calls `name`.
    pub(super) fn kept_from(&self, name: &str) -> Option<&ColumnPair<'a>> {
        self.kept.iter().find(|pair| pair.from.name == name)
    }

    /// The pair of the column that `to` calls `name`.
    pub(super) fn kept_to(&self, name: &str) -> Option<&ColumnPair<'a>> {
        self.kept.iter().find(|pair| pair.to.name == name)
    }

    /// Columns renamed, as `(old, new)`.
    pub(super) fn renamed_columns(&self) -> Vec<(&'a str, &'a str)> {
        self.kept
            .iter()
            .filter(|pair| pair.renamed() && !pair.replaced)
            .map(|pair| (pair.from.name.as_str(), pair.to.name.as_str()))
            .collect()
    }

    /// Columns dropped and added again (which drops the indexes and constraints on them too).
    pub(super) fn replaced_columns(&self) -> impl Iterator<Item = &'a Column> + '_ {
        self.kept
            .iter()
            .filter(|pair| pair.replaced)
            .map(|pair| pair.from)
    }
}

/// Two schemas, paired.
pub(super) struct Matching<'a> {
    /// The schema as it is.
    pub(super) from: &'a Schema,
    /// The schema as it will be.
    pub(super) to: &'a Schema,
    /// Tables of both schemas, by name, but those dropped and created again.
    pub(super) tables: Vec<TablePair<'a>>,
    /// Tables of both schemas dropped and created again: a foreign table whose server changes or is
    /// created anew, or a table that becomes or stops being a foreign one.
    replaced_tables: BTreeSet<Name>,
    /// Enums of both schemas created anew: they lose or reorder values, or gain one this revision
    /// uses (see [`added_labels_in_use`]).
    replaced_enums: BTreeSet<Name>,
    /// Views of `from` that are dropped: removed, changed, or reading something that changes.
    dropped_views: BTreeSet<Name>,
    /// Functions of both schemas that `CREATE OR REPLACE` cannot turn into the new one (other
    /// argument names or defaults, another result, a function becoming a procedure), and those
    /// whose `BEGIN ATOMIC` body calls one of them: dropped and created again.
    replaced_functions: BTreeSet<Signature>,
    /// What calls a replaced or dropped function in `from` (views, defaults, constraints, indexes,
    /// policies, rules, domain constraints): dropped before it, created again after (the same
    /// text may now call another overload).
    recreated: BTreeSet<Dependent>,
}

impl<'a> Matching<'a> {
    /// Pairs `from` with `to`, applying the confirmed `renames`.
    pub(super) fn new(from: &'a Schema, to: &'a Schema, renames: &Renames) -> Matching<'a> {
        let replaced_tables: BTreeSet<Name> = from
            .tables
            .iter()
            .filter(|(name, from_table)| {
                to.tables.get(*name).is_some_and(|to_table| {
                    foreign_data::table_replaced(from, to, from_table, to_table)
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        let tables = from
            .tables
            .iter()
            .filter(|(name, _)| !replaced_tables.contains(*name))
            .filter_map(|(name, from_table)| {
                let to_table = to.tables.get(name)?;
                Some(TablePair::new(name, from_table, to_table, renames))
            })
            .collect();
        let replaced_enums = from
            .enums
            .iter()
            .filter(|(name, from_enum)| {
                to.enums.get(*name).is_some_and(|to_enum| {
                    !is_subsequence(&from_enum.labels, &to_enum.labels)
                        || !added_labels_in_use(to, name, &from_enum.labels, &to_enum.labels)
                            .is_empty()
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        let replaced_functions = replaced_functions(from, to, &replaced_enums, &replaced_tables);
        let recreated = from
            .dependencies
            .iter()
            .filter(|dependency| {
                matches!(&dependency.on, Referenced::Function(used)
                    if replaced_functions.contains(used) || !to.functions.contains_key(used))
            })
            .map(|dependency| dependency.dependent.clone())
            .filter(|dependent| stays(from, to, dependent))
            .collect();
        let mut matching = Matching {
            from,
            to,
            tables,
            replaced_tables,
            replaced_enums,
            dropped_views: BTreeSet::new(),
            replaced_functions,
            recreated,
        };
        matching.dropped_views = matching.find_dropped_views();
        matching
    }

    /// The pair of table `name`, when both schemas have it.
    pub(super) fn table(&self, name: &Name) -> Option<&TablePair<'a>> {
        let position = self
            .tables
            .binary_search_by(|pair| pair.name.cmp(name))
            .ok()?;
        self.tables.get(position)
    }

    /// Whether table `name` of `to` is created (new, or dropped and created again).
    pub(super) fn table_created(&self, name: &Name) -> bool {
        !self.from.tables.contains_key(name) || self.replaced_tables.contains(name)
    }

    /// Whether table `name` of `from` is dropped (gone, or dropped and created again).
    pub(super) fn table_dropped(&self, name: &Name) -> bool {
        !self.to.tables.contains_key(name) || self.replaced_tables.contains(name)
    }

    /// Whether column `column` of `from`'s table `table` goes away with its data: the table is
    /// dropped, or the column is dropped or replaced.
    pub(super) fn column_goes(&self, table: &Name, column: &str) -> bool {
        match self.table(table) {
            None => true,
            Some(pair) => pair.kept_from(column).is_none_or(|pair| pair.replaced),
        }
    }

    /// Whether column `column` of `to`'s table `table` is added by the diff (with its table, or
    /// alone, or dropped and added again).
    pub(super) fn column_goes_or_comes(&self, table: &Name, column: &str) -> bool {
        match self.table(table) {
            None => true,
            Some(pair) => pair.kept_to(column).is_none_or(|pair| pair.replaced),
        }
    }

    /// The name `to` gives column `column` of `from`'s table `table`, when it keeps it.
    pub(super) fn column_in_to(&self, table: &Name, column: &str) -> Option<&'a str> {
        let pair = self.table(table)?.kept_from(column)?;
        (!pair.replaced).then_some(pair.to.name.as_str())
    }

    /// Whether enum `name` is created anew (renamed aside, created, its columns converted).
    pub(super) fn enum_replaced(&self, name: &Name) -> bool {
        self.replaced_enums.contains(name)
    }

    /// The enums created anew.
    pub(super) fn replaced_enums(&self) -> impl Iterator<Item = &Name> {
        self.replaced_enums.iter()
    }

    /// Whether function `signature` of both schemas is dropped and created again.
    pub(super) fn function_replaced(&self, signature: &Signature) -> bool {
        self.replaced_functions.contains(signature)
    }

    /// Whether `dependent` of `from` calls a function that is dropped and created again, so it is
    /// dropped first and created again after.
    pub(super) fn recreated(&self, dependent: &Dependent) -> bool {
        self.recreated.contains(dependent)
    }

    /// Whether view `name` of `from` is dropped.
    pub(super) fn view_dropped(&self, name: &Name) -> bool {
        self.dropped_views.contains(name)
    }

    /// Whether view `name` of `to` is created (new, or dropped and built again).
    pub(super) fn view_created(&self, name: &Name) -> bool {
        !self.from.views.contains_key(name) || self.dropped_views.contains(name)
    }

    /// Whether constraint `constraint` of table `table` is dropped from `from`, to go or to be added
    /// again.
    pub(super) fn constraint_dropped(&self, table: &Name, constraint: &str) -> bool {
        let Some(pair) = self.table(table) else {
            return false; // goes with its table
        };
        let Some(from) = pair.from.constraints.get(constraint) else {
            return false;
        };
        if from.inherited {
            // Goes with the parent's, or stays as the table's own once detached.
            return pair.leaves_parent() && !pair.to.constraints.contains_key(constraint);
        }
        let Some(to) = pair.to.constraints.get(constraint) else {
            return true;
        };
        if to.inherited {
            return false; // merges into the parent's when the table is attached
        }
        from.kind != to.kind
            || self.recreated(&Dependent::Constraint(table.clone(), constraint.to_owned()))
            || self.constraint_after_renames(pair, from) != to.definition
            || mentions_any(&from.definition, pair.replaced_columns())
            || self.mentions_replaced_enum(&from.definition)
            || (from.kind == ConstraintKind::ForeignKey
                && from
                    .references
                    .as_ref()
                    .is_some_and(|referenced| self.keys_dropped(referenced)))
    }

    /// How the server prints constraint `from` of table `pair` once columns are renamed, in its
    /// table and (for a foreign key) in the table it references.
    fn constraint_after_renames(&self, pair: &TablePair, from: &Constraint) -> String {
        let own = pair.renamed_columns();
        let referenced = from
            .references
            .as_ref()
            .and_then(|name| self.table(name))
            .map(TablePair::renamed_columns)
            .unwrap_or_default();
        match from.definition.split_once(" REFERENCES ") {
            Some((columns, target)) if from.kind == ConstraintKind::ForeignKey => format!(
                "{} REFERENCES {}",
                rename_columns(columns, &own),
                rename_columns(target, &referenced)
            ),
            _ => rename_columns(&from.definition, &own),
        }
    }

    /// Whether constraint `constraint` of `to`'s table `table` is added (new, or added again).
    pub(super) fn constraint_added(&self, table: &Name, constraint: &str) -> bool {
        let inherited = self
            .to
            .tables
            .get(table)
            .and_then(|to| to.constraints.get(constraint))
            .is_some_and(|to| to.inherited);
        if inherited {
            return false; // comes with the parent's
        }
        match self.table(table) {
            None => true,
            Some(pair) => {
                !pair.from.constraints.contains_key(constraint)
                    || self.constraint_dropped(table, constraint)
            }
        }
    }

    /// Whether index `index` of table `table` is dropped from `from`, to go or to be created again.
    pub(super) fn index_dropped(&self, table: &Name, index: &str) -> bool {
        let Some(pair) = self.table(table) else {
            return false; // goes with its table
        };
        let Some(from) = pair.from.indexes.get(index) else {
            return false;
        };
        if from.inherited {
            // Goes with the parent's, or stays as the table's own once detached.
            return pair.leaves_parent() && !pair.to.indexes.contains_key(index);
        }
        match pair.to.indexes.get(index) {
            None => true,
            Some(to) if to.inherited => false, // becomes part of the parent's when attached
            Some(to) => {
                self.recreated(&Dependent::Index(table.clone(), index.to_owned()))
                    || rename_columns(&from.definition, &pair.renamed_columns()) != to.definition
                    || mentions_any(&from.definition, pair.replaced_columns())
                    || self.mentions_replaced_enum(&from.definition)
            }
        }
    }

    /// Whether extended statistics `name` of `from` are dropped: gone, changed, moved to another
    /// table, or on a table or view that is dropped (and maybe created again) or a column that is
    /// replaced. A column renamed or converted keeps them (the server follows it).
    pub(super) fn statistics_dropped(&self, name: &Name) -> bool {
        let Some(from) = self.from.statistics.get(name) else {
            return false;
        };
        let Some(to) = self.to.statistics.get(name) else {
            return true;
        };
        if from.table != to.table {
            return true;
        }
        match self.table(&from.table) {
            Some(pair) => {
                rename_columns(&from.definition, &pair.renamed_columns()) != to.definition
                    || mentions_any(&from.definition, pair.replaced_columns())
            }
            None if self.from.views.contains_key(&from.table) => {
                self.view_dropped(&from.table) || from.definition != to.definition
            }
            None => true, // its table goes
        }
    }

    /// Whether extended statistics `name` of `to` are created (new, or created again).
    pub(super) fn statistics_created(&self, name: &Name) -> bool {
        !self.from.statistics.contains_key(name) || self.statistics_dropped(name)
    }

    /// Whether index `index` of `to`'s table `table` is created (new, or created again).
    pub(super) fn index_created(&self, table: &Name, index: &str) -> bool {
        let inherited = self
            .to
            .tables
            .get(table)
            .and_then(|to| to.indexes.get(index))
            .is_some_and(|to| to.inherited);
        if inherited {
            return false; // comes with the parent's
        }
        match self.table(table) {
            None => true,
            Some(pair) => {
                !pair.from.indexes.contains_key(index) || self.index_dropped(table, index)
            }
        }
    }

    /// Whether `definition` casts a literal to an enum that is created anew: the old type's name
    /// changes under it, so the server could not rebuild it when the columns are converted.
    fn mentions_replaced_enum(&self, definition: &str) -> bool {
        self.replaced_enums.iter().any(|name| {
            type_forms(name)
                .iter()
                .any(|form| definition.contains(&format!("::{form}")))
        })
    }

    /// Whether a primary key, unique constraint or unique index of `table` that a foreign key may
    /// rest on is dropped.
    pub(super) fn keys_dropped(&self, table: &Name) -> bool {
        let Some(pair) = self.table(table) else {
            return false;
        };
        let constraint_dropped = pair.from.constraints.iter().any(|(name, constraint)| {
            matches!(
                constraint.kind,
                ConstraintKind::PrimaryKey | ConstraintKind::Unique
            ) && self.constraint_dropped(table, name)
        });
        let index_dropped = pair.from.indexes.iter().any(|(name, index)| {
            index.definition.starts_with("CREATE UNIQUE") && self.index_dropped(table, name)
        });
        constraint_dropped || index_dropped
    }

    /// Whether a column of `from`'s table `table` that a view may read is dropped, renamed, replaced,
    /// converted to another type or collation, or the table itself goes.
    fn table_changes_under(&self, table: &Name, read: Option<&BTreeSet<String>>) -> bool {
        let Some(pair) = self.table(table) else {
            return self.from.tables.contains_key(table);
        };
        // A view that names its columns stays while others change (a column type changed under
        // one table rebuilt every view over it: found by review).
        let reads = |column: &str| read.is_none_or(|read| read.contains(column));
        pair.dropped.iter().any(|column| reads(&column.name))
            || pair.kept.iter().any(|column| {
                reads(&column.from.name)
                    && (column.replaced
                        || column.renamed()
                        || column.from.data_type != column.to.data_type
                        || column.from.collation != column.to.collation
                        || self
                            .replaced_enums
                            .iter()
                            .any(|name| type_refers_to(&column.from.data_type, name)))
            })
    }

    fn find_dropped_views(&self) -> BTreeSet<Name> {
        let mut dropped: BTreeSet<Name> = self
            .from
            .views
            .iter()
            .filter(|(name, view)| {
                let changed = match self.to.views.get(*name) {
                    None => true,
                    Some(to_view) => {
                        to_view.definition != view.definition
                            || to_view.materialized != view.materialized
                    }
                };
                changed
                    || self.recreated(&Dependent::View((*name).clone()))
                    || self.mentions_replaced_enum(&view.definition)
                    || view
                        .depends_on
                        .iter()
                        .any(|read| self.table_changes_under(read, view.columns_read.get(read)))
            })
            .map(|(name, _)| name.clone())
            .collect();
        loop {
            let more: Vec<Name> = self
                .from
                .views
                .iter()
                .filter(|(name, view)| {
                    !dropped.contains(*name)
                        && view
                            .depends_on
                            .iter()
                            .any(|read| read != *name && dropped.contains(read))
                })
                .map(|(name, _)| name.clone())
                .collect();
            if more.is_empty() {
                return dropped;
            }
            dropped.extend(more);
        }
    }

    /// A dropped and an added column of the same type in one table, for every such pair.
    pub(super) fn rename_candidates(&self) -> Vec<RenameCandidate> {
        let mut candidates = Vec::new();
        for pair in &self.tables {
            for dropped in &pair.dropped {
                for added in &pair.added {
                    if dropped.data_type == added.data_type {
                        candidates.push(RenameCandidate {
                            table: pair.name.clone(),
                            dropped: dropped.name.clone(),
                            added: added.name.clone(),
                        });
                    }
                }
            }
        }
        candidates
    }

    /// The added columns of `table` that `dropped` may have been renamed to (same type), for the
    /// review comment of its drop.
    pub(super) fn possible_new_names(&self, table: &Name, dropped: &Column) -> Vec<&'a str> {
        let Some(pair) = self.table(table) else {
            return Vec::new();
        };
        pair.added
            .iter()
            .filter(|added| added.data_type == dropped.data_type)
            .map(|added| added.name.as_str())
            .collect()
    }

    /// The enum of `schema` that a column of type `data_type` holds (maybe as an array).
    pub(super) fn enum_of(schema: &Schema, data_type: &str) -> Option<Name> {
        schema
            .enums
            .keys()
            .find(|name| type_refers_to(data_type, name))
            .cloned()
    }
}

/// The labels `new` adds to enum `name` that some expression of `schema` (a default, generation
/// expression, constraint, index or view) uses as a literal. PostgreSQL refuses to use a value
/// added in the same transaction, so such an enum is created anew rather than given values.
pub(super) fn added_labels_in_use<'l>(
    schema: &Schema,
    name: &Name,
    old: &[String],
    new: &'l [String],
) -> Vec<&'l str> {
    let mut texts: Vec<&str> = Vec::new();
    for table in schema.tables.values() {
        for column in &table.columns {
            texts.extend(column.default.as_deref());
            texts.extend(
                column
                    .generated
                    .as_ref()
                    .map(|generated| generated.expression.as_str()),
            );
        }
        texts.extend(
            table
                .constraints
                .values()
                .map(|constraint| constraint.definition.as_str()),
        );
        texts.extend(
            table
                .indexes
                .values()
                .map(|index| index.definition.as_str()),
        );
    }
    texts.extend(schema.views.values().map(|view| view.definition.as_str()));
    let forms = type_forms(name);
    new.iter()
        .filter(|label| !old.contains(label))
        .filter(|label| {
            let literal = crate::model::quote_literal(label);
            texts.iter().any(|text| {
                forms
                    .iter()
                    .any(|form| text.contains(&format!("{literal}::{form}")))
            })
        })
        .map(String::as_str)
        .collect()
}

/// Whether `dependent` is in both schemas (a function aside: those are replaced instead), so it
/// is created again when what it calls is.
fn stays(from: &Schema, to: &Schema, dependent: &Dependent) -> bool {
    let table = |name: &Name| from.tables.get(name).and(to.tables.get(name));
    match dependent {
        Dependent::Function(_) => false,
        Dependent::View(name) => to.views.contains_key(name),
        Dependent::Default(name, column) => table(name)
            .and_then(|table| table.column(column))
            .is_some_and(|column| column.default.is_some()),
        Dependent::Constraint(name, constraint) => {
            table(name).is_some_and(|table| table.constraints.contains_key(constraint))
        }
        Dependent::Index(name, index) => {
            table(name).is_some_and(|table| table.indexes.contains_key(index))
        }
        Dependent::Policy(name, policy) => {
            table(name).is_some_and(|table| table.policies.contains_key(policy))
        }
        Dependent::Rule(name, rule) => {
            table(name).is_some_and(|table| table.rules.contains_key(rule))
        }
        Dependent::DomainConstraint(name, constraint) => to
            .domains
            .get(name)
            .is_some_and(|domain| domain.checks.contains_key(constraint)),
        Dependent::DomainDefault(name) => to
            .domains
            .get(name)
            .is_some_and(|domain| domain.default.is_some()),
    }
}

/// The functions of both schemas that `CREATE OR REPLACE` cannot change into the new one, and,
/// since a `BEGIN ATOMIC` body holds on to the functions it calls, the functions kept whose body
/// calls one of those.
fn replaced_functions(
    from: &Schema,
    to: &Schema,
    replaced_enums: &BTreeSet<Name>,
    replaced_tables: &BTreeSet<Name>,
) -> BTreeSet<Signature> {
    // A function whose arguments or result are an enum created anew would hold on to the old type;
    // one whose `BEGIN ATOMIC` body reads a table created anew, to the old table.
    let uses_replaced = |signature: &Signature| {
        from.dependencies.iter().any(|dependency| {
            dependency.dependent == Dependent::Function(signature.clone())
                && match &dependency.on {
                    Referenced::Type(name) => replaced_enums.contains(name),
                    Referenced::Relation(name) => replaced_tables.contains(name),
                    Referenced::Function(_) => false,
                }
        })
    };
    let mut replaced: BTreeSet<Signature> = from
        .functions
        .iter()
        .filter(|(signature, old)| {
            to.functions.get(*signature).is_some_and(|new| {
                (old.definition != new.definition
                    && (old.kind != new.kind
                        || old.arguments != new.arguments
                        || old.result != new.result))
                    || uses_replaced(signature)
            })
        })
        .map(|(signature, _)| signature.clone())
        .collect();
    loop {
        let callers: Vec<Signature> = from
            .dependencies
            .iter()
            .filter_map(|dependency| match (&dependency.dependent, &dependency.on) {
                (Dependent::Function(caller), Referenced::Function(called))
                    if replaced.contains(called)
                        && !replaced.contains(caller)
                        && to.functions.contains_key(caller) =>
                {
                    Some(caller.clone())
                }
                _ => None,
            })
            .collect();
        if callers.is_empty() {
            return replaced;
        }
        replaced.extend(callers);
    }
}

/// Whether `part` is `whole` with some labels left out, in the same order.
fn is_subsequence(part: &[String], whole: &[String]) -> bool {
    let mut whole = whole.iter();
    part.iter().all(|label| whole.any(|other| other == label))
}

/// Whether `definition` names any of `columns`.
fn mentions_any<'c>(definition: &str, mut columns: impl Iterator<Item = &'c Column>) -> bool {
    columns.any(|column| mentions_identifier(definition, &column.name))
}
