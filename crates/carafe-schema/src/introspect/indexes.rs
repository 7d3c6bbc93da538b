//! Indexes that do not back a constraint, on tables and materialised views: each as
//! `pg_get_indexdef` prints it (unique, method, expressions, `WHERE` of a partial index), with its
//! comment.

use super::{Kind, name_at};
use crate::{Index, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "indexes",
    query: QUERY,
    file,
};

/// A partition's copy of its parent's index is itself a partition of that index, and marked
/// inherited. An index backs a constraint when a primary key, unique or exclusion constraint of the same table
/// names it in `conindid` (a foreign key's `conindid` is the referenced table's index, not its own).
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, index_class.relname, pg_get_indexdef(i.indexrelid), \
            comment.description, index_class.relispartition \
     FROM pg_index i \
     JOIN pg_class index_class ON index_class.oid = i.indexrelid \
     JOIN pg_class c ON c.oid = i.indrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = i.indexrelid AND comment.classoid = 'pg_class'::regclass \
      AND comment.objsubid = 0 \
     WHERE NOT EXISTS (SELECT FROM pg_constraint k \
                       WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid \
                         AND k.contype IN ('p', 'u', 'x')) \
       AND ",
    user_relation!("'r', 'p', 'm'"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let index = Index {
            definition: row.try_get(3)?,
            comment: row.try_get(4)?,
            inherited: row.try_get(5)?,
        };
        // The tables and views queries read every relation this one can name, from the same
        // snapshot.
        let relation = name_at(row, 0)?;
        if let Some(table) = schema.tables.get_mut(&relation) {
            table.indexes.insert(row.try_get(2)?, index);
        } else if let Some(view) = schema.views.get_mut(&relation) {
            view.indexes.insert(row.try_get(2)?, index);
        }
    }
    Ok(())
}
