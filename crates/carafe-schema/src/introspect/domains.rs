//! Domains: the base type, nullability, default, collation, `CHECK` constraints and comment.

use super::{Kind, name_at};
use crate::{Domain, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "domains",
    query: QUERY,
    file,
};

/// The collation is kept only when it differs from the base type's own; the constraints come as
/// two aligned arrays, names and definitions, sorted by name.
const QUERY: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, \
            pg_get_expr(t.typdefaultbin, 0), \
            CASE WHEN t.typcollation <> base.typcollation THEN t.typcollation::regcollation::text END, \
            checks.names, checks.definitions, comment.description \
     FROM pg_type t \
     JOIN pg_namespace n ON n.oid = t.typnamespace \
     JOIN pg_type base ON base.oid = t.typbasetype \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(k.conname::text ORDER BY k.conname), '{}') AS names, \
              coalesce(array_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname), '{}') AS definitions \
       FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' \
     ) checks \
     LEFT JOIN pg_description comment \
       ON comment.objoid = t.oid AND comment.classoid = 'pg_type'::regclass AND comment.objsubid = 0 \
     WHERE t.typtype = 'd' AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let names: Vec<String> = row.try_get(6)?;
        let definitions: Vec<String> = row.try_get(7)?;
        let domain = Domain {
            data_type: row.try_get(2)?,
            not_null: row.try_get(3)?,
            default: row.try_get(4)?,
            collation: row.try_get(5)?,
            checks: names.into_iter().zip(definitions).collect(),
            comment: row.try_get(8)?,
        };
        schema.domains.insert(name_at(row, 0)?, domain);
    }
    Ok(())
}
