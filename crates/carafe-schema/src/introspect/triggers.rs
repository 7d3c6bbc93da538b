//! Triggers on tables and views: each as `pg_get_triggerdef` prints it, with the function it
//! executes, when it fires, and its comment. The server's own triggers (those behind foreign keys) and the copies a partition
//! inherits from its parent are not read: they come with the constraint or the parent's trigger.

use super::{Kind, name_at};
use crate::{Firing, Name, Schema, Signature, Trigger};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "triggers",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid), \
            function_namespace.nspname, f.proname, oidvectortypes(f.proargtypes), \
            comment.description, t.tgenabled::text \
     FROM pg_trigger t \
     JOIN pg_class c ON c.oid = t.tgrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_proc f ON f.oid = t.tgfoid \
     JOIN pg_namespace function_namespace ON function_namespace.oid = f.pronamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = t.oid AND comment.classoid = 'pg_trigger'::regclass \
      AND comment.objsubid = 0 \
     WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ",
    user_relation!("'r', 'p', 'v', 'f'"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let trigger = Trigger {
            definition: row.try_get(3)?,
            function: Signature {
                name: Name::new(row.try_get::<_, String>(4)?, row.try_get::<_, String>(5)?),
                arguments: row.try_get(6)?,
            },
            firing: Firing::from_catalog(row.try_get(8)?),
            comment: row.try_get(7)?,
        };
        // The tables and views queries read every relation this one can name, from the same
        // snapshot.
        let relation = name_at(row, 0)?;
        if let Some(table) = schema.tables.get_mut(&relation) {
            table.triggers.insert(row.try_get(2)?, trigger);
        } else if let Some(view) = schema.views.get_mut(&relation) {
            view.triggers.insert(row.try_get(2)?, trigger);
        }
    }
    Ok(())
}
