//! Sequences: their parameters, and the column that owns them (`OWNED BY` for a serial column,
//! the identity column for its implicit sequence), and its comment.

use super::{Kind, name_at, optional_name_at};
use crate::{Schema, Sequence};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "sequences",
    query: QUERY,
    file,
};

/// The owner is the `pg_depend` row from the sequence to a table column: type `a` (auto, `OWNED
/// BY`) or `i` (internal, an identity column's own sequence). A sequence owned by a table an
/// extension owns goes with that table.
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), \
            s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, \
            owner_namespace.nspname, owner.relname, owner_column.attname, \
            coalesce(owned.deptype = 'i', false), comment.description \
     FROM pg_sequence s \
     JOIN pg_class c ON c.oid = s.seqrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = c.oid AND comment.classoid = 'pg_class'::regclass \
      AND comment.objsubid = 0 \
     LEFT JOIN pg_depend owned \
       ON owned.classid = 'pg_class'::regclass AND owned.objid = c.oid \
      AND owned.refclassid = 'pg_class'::regclass AND owned.refobjsubid > 0 \
      AND owned.deptype IN ('a', 'i') \
     LEFT JOIN pg_class owner ON owner.oid = owned.refobjid \
     LEFT JOIN pg_namespace owner_namespace ON owner_namespace.oid = owner.relnamespace \
     LEFT JOIN pg_attribute owner_column \
       ON owner_column.attrelid = owned.refobjid AND owner_column.attnum = owned.refobjsubid \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " AND ",
    not_extension_member!("pg_class", "coalesce(owned.refobjid, 0)"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let owner_column: Option<String> = row.try_get(11)?;
        let owned_by = optional_name_at(row, 9)?.zip(owner_column);
        let sequence = Sequence {
            data_type: row.try_get(2)?,
            start: row.try_get(3)?,
            increment: row.try_get(4)?,
            min: row.try_get(5)?,
            max: row.try_get(6)?,
            cache: row.try_get(7)?,
            cycle: row.try_get(8)?,
            owned_by,
            identity: row.try_get(12)?,
            comment: row.try_get(13)?,
        };
        let name = name_at(row, 0)?;
        schema.sequences.insert(name, sequence);
    }
    Ok(())
}
