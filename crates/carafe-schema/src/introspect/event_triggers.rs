//! Event triggers (`CREATE EVENT TRIGGER`): the event, the command tags they fire for, the function
//! they run, when they fire, and their comments. They belong to the database, not to a schema.

use super::Kind;
use crate::{EventTrigger, Firing, Name, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "event triggers",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT e.evtname, e.evtevent, coalesce(e.evttags, '{}'), function_namespace.nspname, \
            f.proname, oidvectortypes(f.proargtypes), e.evtenabled::text, comment.description \
     FROM pg_event_trigger e \
     JOIN pg_proc f ON f.oid = e.evtfoid \
     JOIN pg_namespace function_namespace ON function_namespace.oid = f.pronamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = e.oid AND comment.classoid = 'pg_event_trigger'::regclass \
      AND comment.objsubid = 0 \
     WHERE ",
    not_extension_member!("pg_event_trigger", "e.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let trigger = EventTrigger {
            event: row.try_get(1)?,
            tags: row.try_get(2)?,
            function: Signature {
                name: Name::new(row.try_get::<_, String>(3)?, row.try_get::<_, String>(4)?),
                arguments: row.try_get(5)?,
            },
            firing: Firing::from_catalog(row.try_get(6)?),
            comment: row.try_get(7)?,
        };
        schema.event_triggers.insert(row.try_get(0)?, trigger);
    }
    Ok(())
}
