//! Views and materialised views: the `SELECT` as `pg_get_viewdef` prints it, the relations it
//! reads, its options, and its comments and its columns'. (Indexes and triggers come with theirs.)

use super::{Kind, name_at};
use crate::{Name, Schema, View};
use postgres::Row;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const KIND: Kind = Kind {
    what: "views",
    query: QUERY,
    file,
};

/// A view's dependencies are the relations its rewrite rule (`_RETURN`) depends on, itself
/// excepted; they come as two aligned arrays, schemas and names, sorted. The columns it reads
/// (`refobjsubid`) of the relations it does not also read as a whole (a dependency on column 0)
/// come as `schema`, `relation`, `column` joined by the unit separator (`chr(31)`).
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true), \
            comment.description, dependencies.schemas, dependencies.names, \
            coalesce(c.reloptions, '{}'), column_comments.columns, column_comments.descriptions, \
            read_columns.columns \
     FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = c.oid AND comment.classoid = 'pg_class'::regclass \
      AND comment.objsubid = 0 \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(used_namespace.nspname ORDER BY used_namespace.nspname, used.relname), '{}') AS schemas, \
              coalesce(array_agg(used.relname ORDER BY used_namespace.nspname, used.relname), '{}') AS names \
       FROM pg_class used \
       JOIN pg_namespace used_namespace ON used_namespace.oid = used.relnamespace \
       WHERE used.oid IN ( \
         SELECT dependency.refobjid \
         FROM pg_rewrite r \
         JOIN pg_depend dependency \
           ON dependency.classid = 'pg_rewrite'::regclass AND dependency.objid = r.oid \
          AND dependency.refclassid = 'pg_class'::regclass \
         WHERE r.ev_class = c.oid AND dependency.refobjid <> c.oid) \
     ) dependencies \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(a.attname ORDER BY a.attnum), '{}') AS columns, \
              coalesce(array_agg(d.description ORDER BY a.attnum), '{}') AS descriptions \
       FROM pg_description d \
       JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid \
       WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0 \
     ) column_comments \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(read.entry ORDER BY read.entry), '{}') AS columns \
       FROM (SELECT DISTINCT used_namespace.nspname || chr(31) || used.relname || chr(31) \
                             || a.attname AS entry \
             FROM pg_rewrite r \
             JOIN pg_depend dependency \
               ON dependency.classid = 'pg_rewrite'::regclass AND dependency.objid = r.oid \
              AND dependency.refclassid = 'pg_class'::regclass AND dependency.refobjsubid > 0 \
             JOIN pg_class used ON used.oid = dependency.refobjid \
             JOIN pg_namespace used_namespace ON used_namespace.oid = used.relnamespace \
             JOIN pg_attribute a ON a.attrelid = dependency.refobjid \
              AND a.attnum = dependency.refobjsubid \
             WHERE r.ev_class = c.oid AND dependency.refobjid <> c.oid \
               AND NOT EXISTS (SELECT FROM pg_depend whole \
                 WHERE whole.classid = 'pg_rewrite'::regclass AND whole.objid = r.oid \
                   AND whole.refclassid = 'pg_class'::regclass \
                   AND whole.refobjid = dependency.refobjid AND whole.refobjsubid = 0)) read \
     ) read_columns \
     WHERE c.relkind IN ('v', 'm') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let schemas: Vec<String> = row.try_get(5)?;
        let names: Vec<String> = row.try_get(6)?;
        let mut options: Vec<String> = row.try_get(7)?;
        options.sort_unstable();
        let columns: Vec<String> = row.try_get(8)?;
        let descriptions: Vec<String> = row.try_get(9)?;
        let mut columns_read: BTreeMap<Name, BTreeSet<String>> = BTreeMap::new();
        for entry in row.try_get::<_, Vec<String>>(10)? {
            let mut parts = entry.splitn(3, '\u{1f}');
            if let (Some(schema), Some(relation), Some(column)) =
                (parts.next(), parts.next(), parts.next())
            {
                columns_read
                    .entry(Name::new(schema, relation))
                    .or_default()
                    .insert(column.to_owned());
            }
        }
        let view = View {
            definition: row.try_get(3)?,
            materialized: row.try_get(2)?,
            depends_on: schemas
                .into_iter()
                .zip(names)
                .map(|(schema, name)| Name::new(schema, name))
                .collect(),
            columns_read,
            options,
            indexes: BTreeMap::new(),
            triggers: BTreeMap::new(),
            comment: row.try_get(4)?,
            column_comments: columns.into_iter().zip(descriptions).collect(),
        };
        schema.views.insert(name_at(row, 0)?, view);
    }
    Ok(())
}
