//! Range types (`CREATE TYPE ... AS RANGE`): the subtype and every option that is not its
//! default, the multirange type that comes with it, and the comment. The constructor functions the
//! server makes for a range are its own, not read as functions.

use super::{Kind, name_at};
use crate::{RangeType, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "range types",
    query: QUERY,
    file,
};

/// Names come as `regtype`, `regproc` and `regcollation` text, qualified where `search_path =
/// pg_catalog` needs it; the operator class by schema and name.
const QUERY: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(r.rngsubtype, NULL), \
            CASE WHEN NOT opclass.opcdefault THEN opclass_namespace.nspname END, \
            CASE WHEN NOT opclass.opcdefault THEN opclass.opcname END, \
            CASE WHEN r.rngcollation <> subtype.typcollation THEN r.rngcollation::regcollation::text END, \
            nullif(r.rngcanonical::oid, 0)::regproc::text, nullif(r.rngsubdiff::oid, 0)::regproc::text, \
            multirange_namespace.nspname, multirange.typname, comment.description \
     FROM pg_range r \
     JOIN pg_type t ON t.oid = r.rngtypid \
     JOIN pg_namespace n ON n.oid = t.typnamespace \
     JOIN pg_type subtype ON subtype.oid = r.rngsubtype \
     JOIN pg_opclass opclass ON opclass.oid = r.rngsubopc \
     JOIN pg_namespace opclass_namespace ON opclass_namespace.oid = opclass.opcnamespace \
     JOIN pg_type multirange ON multirange.oid = r.rngmultitypid \
     JOIN pg_namespace multirange_namespace ON multirange_namespace.oid = multirange.typnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = t.oid AND comment.classoid = 'pg_type'::regclass AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let opclass_schema: Option<String> = row.try_get(3)?;
        let opclass: Option<String> = row.try_get(4)?;
        let range = RangeType {
            subtype: row.try_get(2)?,
            subtype_opclass: opclass_schema
                .zip(opclass)
                .map(|(schema, name)| crate::Name::new(schema, name)),
            collation: row.try_get(5)?,
            canonical: row.try_get(6)?,
            subtype_diff: row.try_get(7)?,
            multirange: name_at(row, 8)?,
            comment: row.try_get(10)?,
        };
        schema.ranges.insert(name_at(row, 0)?, range);
    }
    Ok(())
}
