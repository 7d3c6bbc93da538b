//! Owners (`relowner`, `proowner`, `typowner`, `collowner`, `stxowner`, `dictowner`, `cfgowner`,
//! `nspowner`, `fdwowner`, `srvowner`, `evtowner`) of the objects the model holds, where they are not the role reading the schema.
//! Left out, as they follow something else: serial and identity sequences (their table),
//! a table's row type, a range's constructors, an extension's members, schema `public` (the
//! database's).

use super::{Kind, name_at};
use crate::{OperatorSignature, Owned, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "owners",
    query: QUERY,
    file,
};

/// Each row: kind, schema (a wrapper's, server's or event trigger's name), name, detail (a
/// function's argument types), and the owner, quoted.
const QUERY: &str = concat!(
    "WITH objects AS ( \
       SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END AS kind, \
              n.nspname AS schema, c.relname AS name, '' AS detail, c.relowner AS owner \
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE ",
    user_relation!("'r', 'p', 'v', 'm', 'S', 'f'"),
    " AND NOT EXISTS (SELECT FROM pg_depend linked \
           WHERE c.relkind = 'S' AND linked.classid = 'pg_class'::regclass \
             AND linked.objid = c.oid AND linked.refclassid = 'pg_class'::regclass \
             AND linked.deptype IN ('a', 'i')) \
     UNION ALL \
       SELECT 'function', n.nspname, p.proname, oidvectortypes(p.proargtypes), p.proowner \
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
       WHERE p.prokind IN ('f', 'p', 'a', 'w') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " AND ",
    not_type_constructor!("p.oid"),
    " UNION ALL \
       SELECT 'type', n.nspname, t.typname, '', t.typowner \
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
       LEFT JOIN pg_class rc ON rc.oid = t.typrelid \
       WHERE t.typtype IN ('e', 'd', 'c', 'r') AND coalesce(rc.relkind, 'c') = 'c' AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
    " UNION ALL \
       SELECT 'collation', n.nspname, co.collname, '', co.collowner \
       FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace \
       WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_collation", "co.oid"),
    " UNION ALL \
       SELECT 'operator', n.nspname, o.oprname, \
              coalesce(nullif(format_type(o.oprleft, NULL), '-'), 'NONE') || ',' \
              || format_type(o.oprright, NULL), o.oprowner \
       FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace \
       WHERE o.oprcode <> 0 AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_operator", "o.oid"),
    " UNION ALL \
       SELECT 'statistics', n.nspname, s.stxname, '', s.stxowner \
       FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace \
       WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_statistic_ext", "s.oid"),
    " UNION ALL \
       SELECT 'dictionary', n.nspname, d.dictname, '', d.dictowner \
       FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace \
       WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_ts_dict", "d.oid"),
    " UNION ALL \
       SELECT 'configuration', n.nspname, c.cfgname, '', c.cfgowner \
       FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace \
       WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_ts_config", "c.oid"),
    " UNION ALL \
       SELECT 'schema', n.nspname, '', '', n.nspowner FROM pg_namespace n \
       WHERE n.nspname <> 'public' AND ",
    user_namespace!(),
    " UNION ALL \
       SELECT 'wrapper', w.fdwname, '', '', w.fdwowner FROM pg_foreign_data_wrapper w WHERE ",
    not_extension_member!("pg_foreign_data_wrapper", "w.oid"),
    " UNION ALL \
       SELECT 'server', s.srvname, '', '', s.srvowner FROM pg_foreign_server s WHERE ",
    not_extension_member!("pg_foreign_server", "s.oid"),
    " UNION ALL \
       SELECT 'event trigger', e.evtname, '', '', e.evtowner FROM pg_event_trigger e WHERE ",
    not_extension_member!("pg_event_trigger", "e.oid"),
    " ) \
     SELECT o.kind, o.schema, o.name, o.detail, quote_ident(pg_get_userbyid(o.owner)) \
     FROM objects o WHERE pg_get_userbyid(o.owner) <> current_user",
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name = name_at(row, 1)?;
        let owned = match row.try_get::<_, &str>(0)? {
            "relation" => Owned::Relation(name),
            "sequence" => Owned::Sequence(name),
            "function" => Owned::Function(Signature {
                name,
                arguments: row.try_get(3)?,
            }),
            "type" => Owned::Type(name),
            "collation" => Owned::Collation(name),
            "statistics" => Owned::Statistics(name),
            "operator" => {
                let arguments: String = row.try_get(3)?;
                let (left, right) = arguments.split_once(',').unwrap_or(("NONE", ""));
                Owned::Operator(OperatorSignature {
                    name,
                    left: (left != "NONE").then(|| left.to_owned()),
                    right: right.to_owned(),
                })
            }
            "dictionary" => Owned::TextSearchDictionary(name),
            "configuration" => Owned::TextSearchConfiguration(name),
            "wrapper" => Owned::ForeignDataWrapper(name.schema),
            "server" => Owned::ForeignServer(name.schema),
            "event trigger" => Owned::EventTrigger(name.schema),
            _ => Owned::Schema(name.schema),
        };
        schema.owners.insert(owned, row.try_get(4)?);
    }
    Ok(())
}
