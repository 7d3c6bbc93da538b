//! Views and materialised views: the `SELECT` as `pg_get_viewdef` prints it, the relations it
//! reads, its options, and its comments and its columns'. (Indexes and triggers come with theirs.)

use super::{Kind, name_at};
use crate::{Name, Schema, View};
use postgres::Row;
use std::collections::BTreeMap;

pub(super) const KIND: Kind = Kind {
    what: "views",
    query: QUERY,
    file,
};

/// A view's dependencies are the relations its rewrite rule (`_RETURN`) depends on, itself
/// excepted; they come as two aligned arrays, schemas and names, sorted.
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true), \
            comment.description, dependencies.schemas, dependencies.names, \
            coalesce(c.reloptions, '{}'), column_comments.columns, column_comments.descriptions \
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
        let view = View {
            definition: row.try_get(3)?,
            materialized: row.try_get(2)?,
            depends_on: schemas
                .into_iter()
                .zip(names)
                .map(|(schema, name)| Name::new(schema, name))
                .collect(),
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
