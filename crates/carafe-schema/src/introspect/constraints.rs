//! Table constraints: primary key, unique, check, foreign key (with the table it references) and
//! exclusion, each as `pg_get_constraintdef` prints it, with its comment.

use super::{Kind, name_at, optional_name_at};
use crate::{Constraint, ConstraintKind, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "constraints",
    query: QUERY,
    file,
};

/// Constraints of user tables only (not of domains); `NOT NULL` is a column attribute. Those a
/// table inherits (every copy a partition has of its parent's keys, checks and foreign keys, and
/// an `INHERITS` child's checks it does not declare too) are marked so.
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid), \
            referenced_namespace.nspname, referenced.relname, comment.description, \
            k.coninhcount > 0 AND (c.relispartition OR NOT k.conislocal) \
     FROM pg_constraint k \
     JOIN pg_class c ON c.oid = k.conrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_class referenced ON referenced.oid = k.confrelid \
     LEFT JOIN pg_namespace referenced_namespace ON referenced_namespace.oid = referenced.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = k.oid AND comment.classoid = 'pg_constraint'::regclass \
      AND comment.objsubid = 0 \
     WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND ",
    user_table!(),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let kind = match row.try_get::<_, &str>(3)? {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "c" => ConstraintKind::Check,
            "f" => ConstraintKind::ForeignKey,
            _ => ConstraintKind::Exclusion,
        };
        let constraint = Constraint {
            kind,
            definition: row.try_get(4)?,
            references: optional_name_at(row, 5)?,
            inherited: row.try_get(8)?,
            comment: row.try_get(7)?,
        };
        // The tables query read every table this one can name, from the same snapshot.
        if let Some(table) = schema.tables.get_mut(&name_at(row, 0)?) {
            table.constraints.insert(row.try_get(2)?, constraint);
        }
    }
    Ok(())
}
