//! The DDL that creates a registry's models, written the way a person writes `schema.sql` (column
//! constraints on the column, names left to PostgreSQL), so the server names every constraint and
//! index as it would for hand-written SQL.

use super::{Column, Enum, Identity, Index, Models, Table};
use crate::quote::{identifier, literal};
use std::fmt::Write;

/// A registry whose models cannot be created together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Two models declare the same table.
    #[error(
        "models `{first}` and `{second}` both declare table `{table}`: rename one with `#[carafe(table = \"...\")]`"
    )]
    DuplicateTable {
        /// The first model.
        first: &'static str,
        /// The second.
        second: &'static str,
        /// The table, qualified.
        table: String,
    },
    /// Two enums declare the same type.
    #[error(
        "enums `{first}` and `{second}` both declare type `{name}`: rename one with `#[carafe(name = \"...\")]`"
    )]
    DuplicateEnum {
        /// The first enum.
        first: &'static str,
        /// The second.
        second: &'static str,
        /// The type, qualified.
        name: String,
    },
    /// A foreign key names a different number of columns than the key it refers to.
    #[error(
        "`{model}`'s foreign key ({columns}) refers to `{target}`, whose {key} has {expected} column(s): name as many columns on both sides"
    )]
    KeyShape {
        /// The referring model.
        model: &'static str,
        /// The referring columns.
        columns: String,
        /// The referenced model.
        target: &'static str,
        /// `primary key` or `columns (a, b)`.
        key: String,
        /// How many the referenced side has.
        expected: usize,
    },
    /// A foreign key refers to a model without a primary key and names no columns.
    #[error(
        "`{model}`'s foreign key ({columns}) refers to `{target}`, which has no primary key: give `{target}` one, or name the referenced columns (`referenced_column`, `referenced_columns(...)`)"
    )]
    NoPrimaryKey {
        /// The referring model.
        model: &'static str,
        /// The referring columns.
        columns: String,
        /// The referenced model.
        target: &'static str,
    },
    /// A foreign key names a column the referenced model does not have.
    #[error(
        "`{model}`'s foreign key refers to `{target}.{column}`, which `{target}` does not declare"
    )]
    UnknownReferencedColumn {
        /// The referring model.
        model: &'static str,
        /// The referenced model.
        target: &'static str,
        /// The missing column.
        column: &'static str,
    },
}

/// One statement of a registry's DDL and the model (Rust type) it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStatement {
    /// The model or enum that declares it (`Product`); empty for a `CREATE SCHEMA`.
    pub model: &'static str,
    /// The statement, ending in `;`.
    pub sql: String,
}

/// See [`Models::create_statements`].
pub(super) fn create_statements(models: &Models) -> Result<Vec<ModelStatement>, Vec<ModelError>> {
    let tables = models.tables();
    let enums = models.enums();
    let problems = problems(&tables, &enums);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut statements = Vec::new();
    let mut schemas: Vec<&str> = Vec::new();
    let named_schemas = enums
        .iter()
        .map(|definition| definition.schema)
        .chain(tables.iter().map(|table| table.schema));
    for schema in named_schemas {
        if schema != "public" && !schemas.contains(&schema) {
            schemas.push(schema);
            statements.push(ModelStatement {
                model: "",
                sql: format!("CREATE SCHEMA IF NOT EXISTS {};", identifier(schema)),
            });
        }
    }
    for definition in &enums {
        let mut sql = String::new();
        write_enum(&mut sql, definition);
        statements.push(ModelStatement {
            model: definition.rust_name,
            sql,
        });
    }
    for table in &tables {
        let mut sql = String::new();
        write_table(&mut sql, table);
        statements.push(ModelStatement {
            model: table.rust_name,
            sql,
        });
    }
    for table in &tables {
        let mut sql = String::new();
        write_foreign_keys(&mut sql, table);
        if !sql.is_empty() {
            statements.push(ModelStatement {
                model: table.rust_name,
                sql,
            });
        }
    }
    Ok(statements)
}

/// `schema.name`, quoted.
fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", identifier(schema), identifier(name))
}

fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| identifier(name)).collect();
    quoted.join(", ")
}

fn problems(tables: &[&'static Table], enums: &[&'static Enum]) -> Vec<ModelError> {
    let mut problems = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let same = tables[..index]
            .iter()
            .find(|seen| seen.schema == table.schema && seen.name == table.name);
        if let Some(first) = same {
            problems.push(ModelError::DuplicateTable {
                first: first.rust_name,
                second: table.rust_name,
                table: format!("{}.{}", table.schema, table.name),
            });
        }
        for key in table.foreign_keys {
            let target = (key.references)();
            let referenced: &[&str] = match key.referenced_columns.is_empty() {
                true => target.primary_key,
                false => key.referenced_columns,
            };
            for column in key.referenced_columns {
                if !target
                    .columns
                    .iter()
                    .any(|declared| declared.name == *column)
                {
                    problems.push(ModelError::UnknownReferencedColumn {
                        model: table.rust_name,
                        target: target.rust_name,
                        column,
                    });
                }
            }
            if referenced.is_empty() {
                problems.push(ModelError::NoPrimaryKey {
                    model: table.rust_name,
                    columns: key.columns.join(", "),
                    target: target.rust_name,
                });
            } else if referenced.len() != key.columns.len() {
                problems.push(ModelError::KeyShape {
                    model: table.rust_name,
                    columns: key.columns.join(", "),
                    target: target.rust_name,
                    key: match key.referenced_columns.is_empty() {
                        true => "primary key".to_owned(),
                        false => format!("columns ({})", key.referenced_columns.join(", ")),
                    },
                    expected: referenced.len(),
                });
            }
        }
    }
    for (index, definition) in enums.iter().enumerate() {
        let same = enums[..index]
            .iter()
            .find(|seen| seen.schema == definition.schema && seen.name == definition.name);
        if let Some(first) = same {
            problems.push(ModelError::DuplicateEnum {
                first: first.rust_name,
                second: definition.rust_name,
                name: format!("{}.{}", definition.schema, definition.name),
            });
        }
    }
    problems
}

fn write_enum(sql: &mut String, definition: &Enum) {
    let values: Vec<String> = definition
        .values
        .iter()
        .map(|value| literal(value))
        .collect();
    let name = qualified(definition.schema, definition.name);
    let _ = writeln!(sql, "CREATE TYPE {name} AS ENUM ({});", values.join(", "));
    if let Some(comment) = definition.comment {
        let _ = writeln!(sql, "COMMENT ON TYPE {name} IS {};", literal(comment));
    }
}

fn write_table(sql: &mut String, table: &Table) {
    let name = qualified(table.schema, table.name);
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| column_definition(table, column))
        .collect();
    if table.primary_key.len() > 1 {
        lines.push(format!("PRIMARY KEY ({})", list(table.primary_key)));
    }
    for unique in table.uniques {
        lines.push(format!("UNIQUE ({})", list(unique)));
    }
    for check in table.checks {
        lines.push(format!("CHECK ({check})"));
    }
    let _ = writeln!(
        sql,
        "CREATE TABLE {name} (\n    {}\n);",
        lines.join(",\n    ")
    );
    if let Some(comment) = table.comment {
        let _ = writeln!(sql, "COMMENT ON TABLE {name} IS {};", literal(comment));
    }
    for column in table.columns {
        if let Some(comment) = column.comment {
            let column_name = identifier(column.name);
            let _ = writeln!(
                sql,
                "COMMENT ON COLUMN {name}.{column_name} IS {};",
                literal(comment)
            );
        }
    }
    for index in table.indexes {
        write_index(sql, &name, index);
    }
}

fn column_definition(table: &Table, column: &Column) -> String {
    let mut definition = format!("{} {}", identifier(column.name), column.sql_type.sql());
    if let Some(collation) = column.collation {
        let _ = write!(definition, " COLLATE {}", identifier(collation));
    }
    if let Some(expression) = column.generated {
        let _ = write!(definition, " GENERATED ALWAYS AS ({expression}) STORED");
    }
    match column.identity {
        Some(Identity::Always) => definition.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Some(Identity::ByDefault) => definition.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        None => {}
    }
    if let Some(default) = column.default {
        let _ = write!(definition, " DEFAULT {default}");
    }
    let sole_key = table.primary_key == [column.name];
    match (sole_key, column.sql_type.nullable) {
        (true, _) => definition.push_str(" PRIMARY KEY"),
        (false, false) if !table.primary_key.contains(&column.name) => {
            definition.push_str(" NOT NULL")
        }
        _ => {}
    }
    for check in column.checks {
        let _ = write!(definition, " CHECK ({check})");
    }
    definition
}

fn write_index(sql: &mut String, table: &str, index: &Index) {
    let unique = match index.unique {
        true => "UNIQUE ",
        false => "",
    };
    let name = match index.name {
        Some(name) => format!("{} ", identifier(name)),
        None => String::new(),
    };
    let method = match index.method {
        Some(method) => format!(" USING {method}"),
        None => String::new(),
    };
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|key| match index.expression {
            true => format!("({key})"),
            false => identifier(key),
        })
        .collect();
    let predicate = match index.predicate {
        Some(predicate) => format!(" WHERE {predicate}"),
        None => String::new(),
    };
    let _ = writeln!(
        sql,
        "CREATE {unique}INDEX {name}ON {table}{method} ({}){predicate};",
        keys.join(", ")
    );
}

fn write_foreign_keys(sql: &mut String, table: &Table) {
    for key in table.foreign_keys {
        let target = (key.references)();
        let mut statement = format!(
            "ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {}",
            qualified(table.schema, table.name),
            list(key.columns),
            qualified(target.schema, target.name)
        );
        if !key.referenced_columns.is_empty() {
            let _ = write!(statement, " ({})", list(key.referenced_columns));
        }
        if let Some(action) = key.on_update {
            let _ = write!(statement, " ON UPDATE {}", action.sql());
        }
        if let Some(action) = key.on_delete {
            let _ = write!(statement, " ON DELETE {}", action.sql());
        }
        let _ = writeln!(sql, "{statement};");
    }
}
