//! Collations (`CREATE COLLATION`): provider, locale, whether they are deterministic, ICU rules,
//! and their comments. The catalog's locale columns were renamed between versions
//! (`colliculocale` up to 16, `colllocale` from 17), so they are read by name from the row as JSON.

use super::{Kind, name_at};
use crate::{Collation, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "collations",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, c.collname, c.collprovider::text, c.collisdeterministic, \
            fields.value ->> 'collcollate', fields.value ->> 'collctype', \
            coalesce(fields.value ->> 'colllocale', fields.value ->> 'colliculocale'), \
            fields.value ->> 'collicurules', comment.description \
     FROM pg_collation c \
     JOIN pg_namespace n ON n.oid = c.collnamespace \
     CROSS JOIN LATERAL (SELECT to_jsonb(c) AS value) fields \
     LEFT JOIN pg_description comment \
       ON comment.objoid = c.oid AND comment.classoid = 'pg_collation'::regclass \
      AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_collation", "c.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let provider = match row.try_get::<_, &str>(2)? {
            "i" => "icu",
            "b" => "builtin",
            "d" => "default",
            _ => "libc",
        };
        let collation = Collation {
            provider: provider.to_owned(),
            deterministic: row.try_get(3)?,
            lc_collate: row.try_get(4)?,
            lc_ctype: row.try_get(5)?,
            locale: row.try_get(6)?,
            rules: row.try_get(7)?,
            comment: row.try_get(8)?,
        };
        schema.collations.insert(name_at(row, 0)?, collation);
    }
    Ok(())
}
