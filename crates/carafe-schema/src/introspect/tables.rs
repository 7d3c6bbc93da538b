//! Tables and their columns: one row per column (or one for a table without columns), each with
//! its type, nullability, default, identity, generated expression, collation and comment; and the
//! table's row-level security switches, and (PostgreSQL 18) the names of its `NOT NULL`
//! constraints; whether it is unlogged, its storage parameters and replica identity, and each
//! column's storage, compression, statistics target and options where they are not the default.
//! A partitioned table's key, a partition's parent and bound, the tables one inherits from, and
//! which columns only come from a parent. A foreign table's server and options, and its columns'.

use super::{Kind, name_at, optional_name_at};
use crate::{
    Column, ColumnSettings, ForeignOptions, ForeignTable, Generated, Identity, Name, PartitionOf,
    ReplicaIdentity, RowSecurity, Schema, Storage, Table,
};
use postgres::Row;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const KIND: Kind = Kind {
    what: "tables",
    query: QUERY,
    file,
};

/// A stored generated column keeps its expression in `pg_attrdef` like a default does. A default
/// cannot name a column, so it is printed without the table as context (`pg_get_expr(adbin, 0)`),
/// which spares the server opening every table; a generated expression needs the table. The
/// collation is kept only when it differs from the type's own. Rows come in no particular order
/// (sorting them would cost the server more than grouping them here), with `attnum` to order them.
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, table_comment.description, \
            a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
            a.attidentity::text, a.attgenerated::text, \
            pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END), \
            CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END, \
            column_comment.description, a.attnum, c.relrowsecurity, c.relforcerowsecurity, \
            (SELECT nn.conname FROM pg_constraint nn WHERE nn.conrelid = c.oid \
               AND nn.contype = 'n' AND nn.conkey[1] = a.attnum), \
            c.relpersistence = 'u', coalesce(c.reloptions, '{}'), \
            CASE WHEN c.relkind = 'f' THEN 'd' ELSE c.relreplident::text END, \
            (SELECT replica.relname FROM pg_index ri JOIN pg_class replica ON replica.oid = ri.indexrelid \
             WHERE ri.indrelid = c.oid AND ri.indisreplident), \
            CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END, t.typstorage::text, \
            nullif(a.attcompression::text, ''), \
            CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::integer END, \
            coalesce(a.attoptions, '{}'), \
            pg_get_partkeydef(c.oid), parent_namespace.nspname, parent.relname, \
            pg_get_expr(c.relpartbound, c.oid), \
            coalesce(a.attinhcount > 0 AND (c.relispartition OR NOT a.attislocal), false), \
            ARRAY(SELECT ancestor_namespace.nspname FROM pg_inherits i \
                  JOIN pg_class ancestor ON ancestor.oid = i.inhparent \
                  JOIN pg_namespace ancestor_namespace ON ancestor_namespace.oid = ancestor.relnamespace \
                  WHERE i.inhrelid = c.oid AND NOT c.relispartition ORDER BY i.inhseqno), \
            ARRAY(SELECT ancestor.relname FROM pg_inherits i \
                  JOIN pg_class ancestor ON ancestor.oid = i.inhparent \
                  WHERE i.inhrelid = c.oid AND NOT c.relispartition ORDER BY i.inhseqno), \
            coalesce((SELECT toast.reloptions FROM pg_class toast WHERE toast.oid = c.reltoastrelid), '{}'), \
            foreign_server.srvname, coalesce(foreign_table.ftoptions, '{}'), \
            coalesce(a.attfdwoptions, '{}'), \
            coalesce((SELECT nn.conislocal AND nn.coninhcount > 0 FROM pg_constraint nn \
               WHERE nn.conrelid = c.oid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum), false) \
     FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description table_comment \
       ON table_comment.objoid = c.oid AND table_comment.classoid = 'pg_class'::regclass \
      AND table_comment.objsubid = 0 \
     LEFT JOIN pg_inherits partition ON c.relispartition AND partition.inhrelid = c.oid \
     LEFT JOIN pg_class parent ON parent.oid = partition.inhparent \
     LEFT JOIN pg_namespace parent_namespace ON parent_namespace.oid = parent.relnamespace \
     LEFT JOIN pg_foreign_table foreign_table ON foreign_table.ftrelid = c.oid \
     LEFT JOIN pg_foreign_server foreign_server ON foreign_server.oid = foreign_table.ftserver \
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
     LEFT JOIN pg_type t ON t.oid = a.atttypid \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     LEFT JOIN pg_description column_comment \
       ON column_comment.objoid = c.oid AND column_comment.classoid = 'pg_class'::regclass \
      AND column_comment.objsubid = a.attnum \
     WHERE ",
    user_table!(),
);

/// A table as its rows arrive: its comment, and its columns with their `attnum`.
struct Arriving {
    comment: Option<String>,
    partition_key: Option<String>,
    partition_of: Option<PartitionOf>,
    inherits: Vec<Name>,
    unlogged: bool,
    options: Vec<String>,
    replica_identity: ReplicaIdentity,
    row_security: RowSecurity,
    foreign: Option<ForeignTable>,
    columns: Vec<(i16, Column)>,
    not_null_constraints: BTreeMap<String, String>,
    local_not_null: BTreeSet<String>,
}

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    let mut tables: BTreeMap<Name, Arriving> = BTreeMap::new();
    for row in rows {
        let table = match tables.entry(name_at(row, 0)?) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(Arriving {
                comment: row.try_get(2)?,
                partition_key: row.try_get(24)?,
                partition_of: match (optional_name_at(row, 25)?, row.try_get(27)?) {
                    (Some(parent), Some(bound)) => Some(PartitionOf { parent, bound }),
                    _ => None,
                },
                inherits: {
                    let schemas: Vec<String> = row.try_get(29)?;
                    let names: Vec<String> = row.try_get(30)?;
                    schemas
                        .into_iter()
                        .zip(names)
                        .map(|(schema, name)| Name::new(schema, name))
                        .collect()
                },
                unlogged: row.try_get(15)?,
                options: {
                    // The TOAST table's parameters are set through the table as `toast.*`.
                    let toast: Vec<String> = row.try_get(31)?;
                    let mut options: Vec<String> = row.try_get(16)?;
                    options.extend(toast.iter().map(|option| format!("toast.{option}")));
                    sorted(options)
                },
                replica_identity: match (row.try_get::<_, &str>(17)?, row.try_get(18)?) {
                    ("n", _) => ReplicaIdentity::Nothing,
                    ("f", _) => ReplicaIdentity::Full,
                    ("i", Some(index)) => ReplicaIdentity::Index(index),
                    _ => ReplicaIdentity::Default,
                },
                row_security: match (row.try_get(12)?, row.try_get(13)?) {
                    (false, _) => RowSecurity::Disabled,
                    (true, false) => RowSecurity::Enabled,
                    (true, true) => RowSecurity::Forced,
                },
                foreign: match row.try_get::<_, Option<String>>(32)? {
                    Some(server) => Some(ForeignTable {
                        server,
                        options: ForeignOptions::from_catalog(&row.try_get::<_, Vec<String>>(33)?),
                    }),
                    None => None,
                },
                columns: Vec::new(),
                not_null_constraints: BTreeMap::new(),
                local_not_null: BTreeSet::new(),
            }),
        };
        if let Some(constraint) = row.try_get::<_, Option<String>>(14)?
            && let Some(column) = row.try_get::<_, Option<String>>(3)?
        {
            if row.try_get::<_, bool>(35)? {
                table.local_not_null.insert(column.clone());
            }
            table.not_null_constraints.insert(column, constraint);
        }
        if let Some(column) = column(row)? {
            table.columns.push((row.try_get(11)?, column));
        }
    }
    for (
        name,
        Arriving {
            comment,
            partition_key,
            partition_of,
            inherits,
            unlogged,
            options,
            replica_identity,
            row_security,
            foreign,
            mut columns,
            not_null_constraints,
            local_not_null,
        },
    ) in tables
    {
        columns.sort_unstable_by_key(|(attnum, _)| *attnum);
        let table = Table {
            columns: columns.into_iter().map(|(_, column)| column).collect(),
            comment,
            row_security,
            not_null_constraints,
            local_not_null,
            unlogged,
            options,
            replica_identity,
            partition_key,
            partition_of,
            inherits,
            foreign,
            ..Table::default()
        };
        schema.tables.insert(name, table);
    }
    Ok(())
}

/// The column a row describes; `None` for the one row of a table without columns.
fn column(row: &Row) -> Result<Option<Column>, postgres::Error> {
    let Some(name) = row.try_get::<_, Option<String>>(3)? else {
        return Ok(None);
    };
    let identity = match row.try_get::<_, &str>(6)? {
        "a" => Some(Identity::Always),
        "d" => Some(Identity::ByDefault),
        _ => None,
    };
    let expression: Option<String> = row.try_get(8)?;
    let (default, generated) = match row.try_get::<_, &str>(7)? {
        "" => (expression, None),
        _ => (None, expression.map(|expression| Generated { expression })),
    };
    Ok(Some(Column {
        name,
        data_type: row.try_get(4)?,
        not_null: row.try_get(5)?,
        default,
        identity,
        generated,
        collation: row.try_get(9)?,
        settings: ColumnSettings {
            storage: match row.try_get::<_, Option<&str>>(19)? {
                Some(code) => Some(Storage {
                    chosen: storage_name(code).to_owned(),
                    type_default: storage_name(row.try_get(20)?).to_owned(),
                }),
                None => None,
            },
            compression: row
                .try_get::<_, Option<&str>>(21)?
                .map(|code| compression_name(code).to_owned()),
            statistics: row.try_get(22)?,
            options: sorted(row.try_get(23)?),
            foreign_options: ForeignOptions::from_catalog(&row.try_get::<_, Vec<String>>(34)?),
        },
        inherited: row.try_get(28)?,
        comment: row.try_get(10)?,
    }))
}

/// `pg_attribute.attstorage` as `SET STORAGE` spells it.
fn storage_name(code: &str) -> &str {
    match code {
        "p" => "PLAIN",
        "e" => "EXTERNAL",
        "m" => "MAIN",
        "x" => "EXTENDED",
        other => other,
    }
}

/// `pg_attribute.attcompression` as `SET COMPRESSION` spells it.
fn compression_name(code: &str) -> &str {
    match code {
        "p" => "pglz",
        "l" => "lz4",
        other => other,
    }
}

fn sorted(mut options: Vec<String>) -> Vec<String> {
    options.sort_unstable();
    options
}
