//! Casts (`pg_cast`) made after `initdb` (object ids from 16384, `FirstNormalObjectId`), not by
//! an extension nor by the server for a type (a range's casts to its multirange): their types,
//! method, function, context and comment.

use super::Kind;
use crate::{Cast, CastContext, CastMethod, CastTypes, Name, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "casts",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT format_type(c.castsource, NULL), format_type(c.casttarget, NULL), \
            c.castmethod::text, function_namespace.nspname, f.proname, \
            oidvectortypes(f.proargtypes), c.castcontext::text, comment.description \
     FROM pg_cast c \
     LEFT JOIN pg_proc f ON f.oid = c.castfunc \
     LEFT JOIN pg_namespace function_namespace ON function_namespace.oid = f.pronamespace \
     LEFT JOIN pg_description comment ON comment.objoid = c.oid \
      AND comment.classoid = 'pg_cast'::regclass AND comment.objsubid = 0 \
     WHERE c.oid >= 16384 \
       AND NOT EXISTS (SELECT FROM pg_depend made WHERE made.classid = 'pg_cast'::regclass \
                         AND made.objid = c.oid AND made.deptype = 'i') AND ",
    not_extension_member!("pg_cast", "c.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let method = match row.try_get::<_, &str>(2)? {
            "i" => CastMethod::InOut,
            "b" => CastMethod::Binary,
            _ => CastMethod::Function(Signature {
                name: Name::new(row.try_get::<_, String>(3)?, row.try_get::<_, String>(4)?),
                arguments: row.try_get(5)?,
            }),
        };
        let context = match row.try_get::<_, &str>(6)? {
            "a" => CastContext::Assignment,
            "i" => CastContext::Implicit,
            _ => CastContext::Explicit,
        };
        let types = CastTypes {
            source: row.try_get(0)?,
            target: row.try_get(1)?,
        };
        let cast = Cast {
            method,
            context,
            comment: row.try_get(7)?,
        };
        schema.casts.insert(types, cast);
    }
    Ok(())
}
