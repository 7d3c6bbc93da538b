//! The columns of tables both schemas have: dropped (generated ones first, as they read the
//! others), renamed when the user confirmed it, altered in place (type, default, `NOT NULL`,
//! identity, generation), added. A column that becomes generated, or changes its expression, is
//! dropped and added again: no `ALTER COLUMN` does that.

use super::Change;
use super::enums;
use super::matching::{ColumnPair, Matching, TablePair};
use super::sequences::{self, identity_options};
use super::sql::{collation, column_definition, identity_clause};
use super::steps::{Phase, Steps};
use super::types::{conversion, rewrites_table};
use crate::model::quote_identifier;
use crate::{Column, Dependent, Identity, Name};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    for table in &matching.tables {
        drop_columns(matching, table, steps);
        // An inherited column changes with its parent; one detached becomes the table's own.
        let own = |column: &&ColumnPair| {
            !column.to.inherited && (!column.from.inherited || table.leaves_parent())
        };
        for column in table
            .kept
            .iter()
            .filter(own)
            .filter(|column| !column.replaced)
        {
            if column.renamed() {
                steps.push(
                    Phase::RenameColumn,
                    format!(
                        "ALTER TABLE {} RENAME COLUMN {} TO {};",
                        table.name.quoted(),
                        quote_identifier(&column.from.name),
                        quote_identifier(&column.to.name)
                    ),
                );
            }
            if default_recreated(matching, table, column) {
                steps.push(
                    Phase::DropDefault,
                    format!(
                        "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;",
                        table.name.quoted(),
                        quote_identifier(&column.from.name)
                    ),
                );
            }
            if let Some(change) = alter(matching, table, column) {
                steps.push_change(Phase::AlterColumn, change);
            }
        }
        add_columns(matching, table, steps);
        rename_not_null_constraints(table, steps);
    }
}

/// PostgreSQL 18 names `NOT NULL` constraints, and a renamed column keeps its constraint's old
/// name, while `SET NOT NULL` and `ADD COLUMN ... NOT NULL` give the default one: renames each
/// constraint whose name will differ from the one wanted. Nothing before 18, where they have none.
fn rename_not_null_constraints(table: &TablePair, steps: &mut Steps) {
    if table.to.not_null_constraints.is_empty() && table.from.not_null_constraints.is_empty() {
        return;
    }
    // An inherited column's constraint comes with its parent's, named by it.
    let own = |column: &&Column| column.not_null && !column.inherited;
    for column in table.to.columns.iter().filter(own) {
        let Some(wanted) = table.to.not_null_constraints.get(&column.name) else {
            continue;
        };
        let kept = table
            .kept
            .iter()
            .find(|pair| pair.to.name == column.name && !pair.replaced && pair.from.not_null);
        let current = match kept {
            Some(pair) => table
                .from
                .not_null_constraints
                .get(&pair.from.name)
                .cloned()
                .unwrap_or_else(|| default_not_null_name(&table.name.name, &pair.from.name)),
            None => default_not_null_name(&table.name.name, &column.name),
        };
        rename_not_null(steps, table.name, &current, wanted);
    }
}

/// `ALTER TABLE ... RENAME CONSTRAINT current TO wanted` for a `NOT NULL`, when the names differ.
pub(super) fn rename_not_null(steps: &mut Steps, table: &Name, current: &str, wanted: &str) {
    if current != wanted {
        steps.push(
            Phase::RenameNotNull,
            format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                table.quoted(),
                quote_identifier(current),
                quote_identifier(wanted)
            ),
        );
    }
}

/// The name PostgreSQL gives a column's `NOT NULL` constraint: `table_column_not_null`, the longer
/// of the two names shortened until it fits in 63 bytes (`makeObjectName`).
pub(super) fn default_not_null_name(table: &str, column: &str) -> String {
    const LABEL: &str = "not_null";
    let available = 63 - LABEL.len() - 2;
    let (mut table_len, mut column_len) = (table.len(), column.len());
    while table_len + column_len > available {
        if table_len > column_len {
            table_len -= 1;
        } else {
            column_len -= 1;
        }
    }
    let clip = |text: &str, mut len: usize| {
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        text[..len].to_owned()
    };
    format!(
        "{}_{}_{LABEL}",
        clip(table, table_len),
        clip(column, column_len)
    )
}

fn drop_columns(matching: &Matching, table: &TablePair, steps: &mut Steps) {
    let mut going: Vec<(&Column, bool)> = table
        .dropped
        .iter()
        .map(|column| (*column, false))
        .chain(
            table
                .kept
                .iter()
                .filter(|pair| pair.replaced)
                .map(|pair| (pair.from, true)),
        )
        .collect();
    // Generated columns read the others, so they go first.
    going.sort_by_key(|(column, _)| column.generated.is_none());
    for (column, replaced) in going {
        let qualified = format!("{}.{}", table.name, column.name);
        let review = match replaced {
            true if column.generated.is_some() => format!(
                "drops generated column {qualified} to add it again with its new expression"
            ),
            true => format!(
                "drops column {qualified} and its data, to add it again as a generated column"
            ),
            false => {
                let mut review = format!("drops column {qualified} and its data");
                match matching.possible_new_names(table.name, column).as_slice() {
                    [] => {}
                    [new] => review.push_str(&format!(
                        "; if it was renamed to {new}, run again with --rename {qualified}:{new}"
                    )),
                    several => review.push_str(&format!(
                        "; if it was renamed to one of {}, run again with --rename {qualified}:NEW",
                        several.join(", ")
                    )),
                }
                review
            }
        };
        steps.push_for_review(
            Phase::DropColumn,
            format!(
                "ALTER TABLE {} DROP COLUMN {};",
                table.name.quoted(),
                quote_identifier(&column.name)
            ),
            review,
        );
    }
}

fn add_columns(matching: &Matching, table: &TablePair, steps: &mut Steps) {
    for column in table.to.columns.iter().filter(|column| !column.inherited) {
        let is_new = table.kept_to(&column.name).is_none_or(|pair| pair.replaced);
        if !is_new {
            continue;
        }
        let sql = format!(
            "ALTER TABLE {} ADD COLUMN {};",
            table.name.quoted(),
            column_definition(
                column,
                &identity_options(matching.to, table.name, &column.name)
            )
        );
        let fills_itself =
            column.default.is_some() || column.identity.is_some() || column.generated.is_some();
        match column.not_null && !fills_itself {
            true => steps.push_for_review(
                Phase::AddColumn,
                sql,
                format!(
                    "adds NOT NULL column {}.{} without a default: fails if the table has rows",
                    table.name, column.name
                ),
            ),
            false => steps.push(Phase::AddColumn, sql),
        }
    }
}

/// Whether the default of a kept column calls a function that is dropped and created again, so
/// it is dropped before and set again after.
fn default_recreated(matching: &Matching, table: &TablePair, column: &ColumnPair) -> bool {
    column.from.default.is_some()
        && column.from.generated.is_none()
        && matching.recreated(&Dependent::Default(
            table.name.clone(),
            column.from.name.clone(),
        ))
}

/// The `ALTER COLUMN`s that take a kept column from what it is to what it will be, in an order
/// PostgreSQL accepts: expression and identity go first, the default steps aside while the type
/// changes, `NOT NULL` comes before a new identity needs it.
fn alter(matching: &Matching, table: &TablePair, column: &ColumnPair) -> Option<Change> {
    let (from, to) = (column.from, column.to);
    let alter = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table.name.quoted(),
        quote_identifier(&to.name)
    );
    let mut statements = Vec::new();
    let mut review = None;
    if from.generated.is_some() && to.generated.is_none() {
        statements.push(format!("{alter} DROP EXPRESSION;"));
    }
    if from.identity.is_some() && to.identity.is_none() {
        statements.push(format!("{alter} DROP IDENTITY;"));
        // A serial column again: its sequence takes the identity's name, free only now.
        if let Some((name, sequence)) =
            sequences::serial_after_identity(matching, table.name, column)
        {
            statements.push(sequences::create(name, sequence));
        }
    }
    let type_changes = from.data_type != to.data_type || from.collation != to.collation;
    // A foreign table holds no rows to convert (and takes no `USING`).
    let rewrites = rewrites_table(&from.data_type, &to.data_type) && table.to.foreign.is_none();
    let default_is_enums = enums::converts_column(matching, column);
    let default_changes = !default_is_enums && from.default != to.default;
    // A default that calls a function created again was dropped before it.
    let mut default_dropped = default_recreated(matching, table, column);
    // A default may not convert to the new type by itself: it steps aside while the type changes.
    if !default_dropped
        && !default_is_enums
        && from.default.is_some()
        && (rewrites || to.default.is_none())
    {
        statements.push(format!("{alter} DROP DEFAULT;"));
        default_dropped = true;
    }
    if type_changes {
        let mut statement = format!("{alter} TYPE {}", to.data_type);
        if let Some(name) = &to.collation {
            statement.push_str(&format!(" COLLATE {}", collation(name)));
        }
        if rewrites {
            if to.generated.is_none() {
                let from_is_enum = Matching::enum_of(matching.from, &from.data_type).is_some();
                statement.push_str(&format!(
                    " USING {}",
                    conversion(&to.name, &to.data_type, from_is_enum)
                ));
            }
            review = Some(format!(
                "changing the type of {}.{} from {} to {} rewrites the table and takes an ACCESS EXCLUSIVE lock",
                table.name, to.name, from.data_type, to.data_type
            ));
        }
        statements.push(format!("{statement};"));
    }
    if let Some(default) = &to.default
        && (default_changes || default_dropped)
    {
        statements.push(format!("{alter} SET DEFAULT {default};"));
    }
    match (from.not_null, to.not_null) {
        (false, true) => statements.push(format!("{alter} SET NOT NULL;")),
        (true, false) => statements.push(format!("{alter} DROP NOT NULL;")),
        _ => {}
    }
    match (from.identity, to.identity) {
        (None, Some(identity)) => {
            // A serial column's sequence gives its name to the identity's: it goes first.
            if let Some(serial) = sequences::serial_taken_by_identity(matching, table.name, column)
            {
                statements.push(format!("DROP SEQUENCE {};", serial.quoted()));
                review.get_or_insert_with(|| {
                    format!(
                        "{}.{} becomes an identity column: its serial sequence {serial} is dropped \
                         and the identity counts from its start again; set where it goes on with \
                         ALTER TABLE ... ALTER COLUMN ... RESTART WITH",
                        table.name.name, to.name
                    )
                });
            }
            statements.push(format!(
                "{alter} ADD {}{};",
                identity_clause(identity),
                identity_options(matching.to, table.name, &to.name)
            ));
        }
        (Some(old), Some(new)) if old != new => {
            let kind = match new {
                Identity::Always => "ALWAYS",
                Identity::ByDefault => "BY DEFAULT",
            };
            statements.push(format!("{alter} SET GENERATED {kind};"));
        }
        _ => {}
    }
    (!statements.is_empty()).then(|| Change {
        sql: statements.join("\n"),
        review,
    })
}
