//! Foreign data: foreign-data wrappers (their handler, validator, options and comment), foreign
//! servers (wrapper, type, version, options, comment) and user mappings (server, role, options), in
//! one query. Those an extension provides are left out; secret options are kept by name only
//! ([`ForeignOptions::from_catalog`]). A user mapping's options are read from `pg_user_mappings`,
//! which shows them to the server's owner, the mapped role and superusers.

use super::Kind;
use crate::{ForeignDataWrapper, ForeignOptions, ForeignServer, MappingFor, Schema, UserMapping};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "foreign data",
    query: QUERY,
    file,
};

/// Each row: what it is (`wrapper`, `server`, `mapping`), its name (a mapping's server), the
/// server's wrapper, type and version, the wrapper's handler and validator, the options, the
/// comment, and a mapping's role (null for `PUBLIC`).
const QUERY: &str = concat!(
    "SELECT 'wrapper', w.fdwname::text, NULL::text, NULL::text, NULL::text, \
            CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::regproc::text END, \
            CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::regproc::text END, \
            coalesce(w.fdwoptions, '{}'), comment.description, NULL::text \
     FROM pg_foreign_data_wrapper w \
     LEFT JOIN pg_description comment ON comment.objoid = w.oid \
      AND comment.classoid = 'pg_foreign_data_wrapper'::regclass AND comment.objsubid = 0 \
     WHERE ",
    not_extension_member!("pg_foreign_data_wrapper", "w.oid"),
    " UNION ALL \
     SELECT 'server', s.srvname, w.fdwname, s.srvtype, s.srvversion, NULL, NULL, \
            coalesce(s.srvoptions, '{}'), comment.description, NULL \
     FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw \
     LEFT JOIN pg_description comment ON comment.objoid = s.oid \
      AND comment.classoid = 'pg_foreign_server'::regclass AND comment.objsubid = 0 \
     WHERE ",
    not_extension_member!("pg_foreign_server", "s.oid"),
    " UNION ALL \
     SELECT 'mapping', m.srvname, NULL, NULL, NULL, NULL, NULL, coalesce(m.umoptions, '{}'), NULL, \
            CASE WHEN m.umuser <> 0 THEN m.usename::text END \
     FROM pg_user_mappings m WHERE ",
    not_extension_member!("pg_foreign_server", "m.srvid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name: String = row.try_get(1)?;
        let options = ForeignOptions::from_catalog(&row.try_get::<_, Vec<String>>(7)?);
        match row.try_get::<_, &str>(0)? {
            "wrapper" => {
                let wrapper = ForeignDataWrapper {
                    handler: row.try_get(5)?,
                    validator: row.try_get(6)?,
                    options,
                    comment: row.try_get(8)?,
                };
                schema.foreign_data_wrappers.insert(name, wrapper);
            }
            "server" => {
                let server = ForeignServer {
                    wrapper: row.try_get(2)?,
                    server_type: row.try_get(3)?,
                    version: row.try_get(4)?,
                    options,
                    comment: row.try_get(8)?,
                };
                schema.foreign_servers.insert(name, server);
            }
            _ => {
                let mapping = MappingFor {
                    server: name,
                    role: row.try_get(9)?,
                };
                schema
                    .user_mappings
                    .insert(mapping, UserMapping { options });
            }
        }
    }
    Ok(())
}
