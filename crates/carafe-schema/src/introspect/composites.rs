//! Composite types made with `CREATE TYPE ... AS (...)` (not the row types of tables): their
//! attributes in order, with type and collation, and their comment.

use super::{Kind, name_at};
use crate::{Attribute, CompositeType, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "composite types",
    query: QUERY,
    file,
};

/// The attributes come as three aligned arrays (names, types, collations or `''`), in order.
const QUERY: &str = concat!(
    "SELECT n.nspname, t.typname, attributes.names, attributes.types, attributes.collations, \
            comment.description \
     FROM pg_type t \
     JOIN pg_namespace n ON n.oid = t.typnamespace \
     JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}') AS names, \
              coalesce(array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum), '{}') AS types, \
              coalesce(array_agg(CASE WHEN a.attcollation <> attribute_type.typcollation \
                                      THEN a.attcollation::regcollation::text ELSE '' END \
                                 ORDER BY a.attnum), '{}') AS collations \
       FROM pg_attribute a JOIN pg_type attribute_type ON attribute_type.oid = a.atttypid \
       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped \
     ) attributes \
     LEFT JOIN pg_description comment \
       ON comment.objoid = t.oid AND comment.classoid = 'pg_type'::regclass AND comment.objsubid = 0 \
     WHERE t.typtype = 'c' AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let names: Vec<String> = row.try_get(2)?;
        let types: Vec<String> = row.try_get(3)?;
        let collations: Vec<String> = row.try_get(4)?;
        let attributes = names
            .into_iter()
            .zip(types)
            .zip(collations)
            .map(|((name, data_type), collation)| Attribute {
                name,
                data_type,
                collation: Some(collation).filter(|collation| !collation.is_empty()),
            })
            .collect();
        let composite = CompositeType {
            attributes,
            comment: row.try_get(5)?,
        };
        schema.composites.insert(name_at(row, 0)?, composite);
    }
    Ok(())
}
