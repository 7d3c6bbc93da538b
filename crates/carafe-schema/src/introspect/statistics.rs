//! Extended statistics (`pg_statistic_ext`): the table they are on, their definition as
//! `pg_get_statisticsobjdef` prints it, their statistics target and comment.

use super::{Kind, name_at};
use crate::{Schema, Statistics};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "extended statistics",
    query: QUERY,
    file,
};

/// The target is `-1` for the default up to PostgreSQL 16, null from 17.
const QUERY: &str = concat!(
    "SELECT n.nspname, s.stxname, table_namespace.nspname, c.relname, \
            pg_get_statisticsobjdef(s.oid), nullif(s.stxstattarget::integer, -1), \
            comment.description \
     FROM pg_statistic_ext s \
     JOIN pg_namespace n ON n.oid = s.stxnamespace \
     JOIN pg_class c ON c.oid = s.stxrelid \
     JOIN pg_namespace table_namespace ON table_namespace.oid = c.relnamespace \
     LEFT JOIN pg_description comment ON comment.objoid = s.oid \
      AND comment.classoid = 'pg_statistic_ext'::regclass AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_statistic_ext", "s.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let statistics = Statistics {
            table: name_at(row, 2)?,
            definition: row.try_get(4)?,
            target: row.try_get(5)?,
            comment: row.try_get(6)?,
        };
        schema.statistics.insert(name_at(row, 0)?, statistics);
    }
    Ok(())
}
