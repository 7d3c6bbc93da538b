//! Rules on tables (`CREATE RULE ... ON INSERT TO t DO INSTEAD ...`): each as `pg_get_ruledef`
//! prints it, with whether it fires (`ALTER TABLE ... DISABLE RULE`) and its comment. A view's
//! `_RETURN` rule is the view itself, and tables have none.

use super::{Kind, name_at};
use crate::{Firing, Rule, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "rules",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, r.rulename, pg_get_ruledef(r.oid), r.ev_enabled::text, \
            comment.description \
     FROM pg_rewrite r \
     JOIN pg_class c ON c.oid = r.ev_class \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = r.oid AND comment.classoid = 'pg_rewrite'::regclass \
      AND comment.objsubid = 0 \
     WHERE r.rulename <> '_RETURN' AND ",
    user_table!(),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let firing = Firing::from_catalog(row.try_get(4)?);
        let rule = Rule {
            definition: row.try_get(3)?,
            firing,
            comment: row.try_get(5)?,
        };
        // The tables query read every table this one can name, from the same snapshot.
        if let Some(table) = schema.tables.get_mut(&name_at(row, 0)?) {
            table.rules.insert(row.try_get(2)?, rule);
        }
    }
    Ok(())
}
