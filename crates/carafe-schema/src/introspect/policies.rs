//! Row-level security policies: command, permissive or restrictive, roles, `USING` and
//! `WITH CHECK` expressions, comment. The server prints no policy whole, so the parts are kept.

use super::{Kind, name_at};
use crate::{Policy, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "policies",
    query: QUERY,
    file,
};

/// Role 0 in `polroles` stands for `PUBLIC`.
const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, p.polname, p.polpermissive, \
            CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' \
                          WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, \
            ARRAY(SELECT CASE WHEN role = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(role)) END \
                  FROM unnest(p.polroles) AS role ORDER BY 1), \
            pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), \
            comment.description \
     FROM pg_policy p \
     JOIN pg_class c ON c.oid = p.polrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = p.oid AND comment.classoid = 'pg_policy'::regclass \
      AND comment.objsubid = 0 \
     WHERE ",
    user_table!(),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let policy = Policy {
            permissive: row.try_get(3)?,
            command: row.try_get(4)?,
            roles: row.try_get(5)?,
            using: row.try_get(6)?,
            with_check: row.try_get(7)?,
            comment: row.try_get(8)?,
        };
        // The tables query read every table this one can name, from the same snapshot.
        if let Some(table) = schema.tables.get_mut(&name_at(row, 0)?) {
            table.policies.insert(row.try_get(2)?, policy);
        }
    }
    Ok(())
}
