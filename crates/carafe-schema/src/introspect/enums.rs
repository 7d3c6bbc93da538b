//! Enum types: their labels in sort order, and their comments.

use super::{Kind, name_at};
use crate::{EnumType, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "enums",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, t.typname, \
            ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), \
            comment.description \
     FROM pg_type t \
     JOIN pg_namespace n ON n.oid = t.typnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = t.oid AND comment.classoid = 'pg_type'::regclass AND comment.objsubid = 0 \
     WHERE t.typtype = 'e' AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let enum_type = EnumType {
            labels: row.try_get(2)?,
            comment: row.try_get(3)?,
        };
        let name = name_at(row, 0)?;
        schema.enums.insert(name, enum_type);
    }
    Ok(())
}
