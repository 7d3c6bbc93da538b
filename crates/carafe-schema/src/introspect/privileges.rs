//! Privileges: the access lists of schemas, relations, columns, functions and types (`relacl`,
//! `attacl`, `proacl`, `typacl`, `nspacl`) where they differ from the owner's default
//! (`acldefault`), and `ALTER DEFAULT PRIVILEGES` (`pg_default_acl`). Each list comes exploded
//! (`aclexplode`) as three aligned arrays: grantees (`PUBLIC`, `CURRENT_USER` for the role reading
//! the schema, as owners are relative to it, or the quoted role), privileges, whether each may be
//! granted on.

use super::{Kind, name_at};
use crate::{DefaultScope, Grant, Privileges, Schema, Securable, Signature};
use postgres::Row;
use std::collections::BTreeSet;

pub(super) const KIND: Kind = Kind {
    what: "privileges",
    query: QUERY,
    file,
};

pub(super) const DEFAULTS_KIND: Kind = Kind {
    what: "default privileges",
    query: DEFAULTS_QUERY,
    file: file_defaults,
};

/// Each row: kind, schema (a wrapper's or server's name), name, detail (a column, or a function's
/// argument types), owner, the
/// extension it belongs to, then the access list and the default one. An extension's members
/// count from what its script left them (`pg_init_privs`), not from the owner's default, and are
/// read only where that changed (functions, relations, sequences and foreign-data wrappers, such as
/// `postgres_fdw`'s, which a non-superuser needs `USAGE` on to create a server).
const QUERY: &str = concat!(
    "WITH objects AS ( \
       SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END AS kind, \
              n.nspname AS schema, c.relname AS name, '' AS detail, c.relowner AS owner, \
              c.relacl AS acl, \
              acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner) AS defaults, \
              NULL::name AS extension \
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relacl IS NOT NULL AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " UNION ALL \
       SELECT 'column', n.nspname, c.relname, a.attname, c.relowner, a.attacl, NULL::aclitem[], NULL \
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
       JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped \
         AND a.attacl IS NOT NULL AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_class", "c.oid"),
    " UNION ALL \
       SELECT 'function', n.nspname, p.proname, oidvectortypes(p.proargtypes), p.proowner, \
              p.proacl, acldefault('f', p.proowner), NULL \
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
       WHERE p.prokind IN ('f', 'p', 'a', 'w') AND p.proacl IS NOT NULL AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " AND ",
    not_type_constructor!("p.oid"),
    " UNION ALL \
       SELECT 'type', n.nspname, t.typname, '', t.typowner, t.typacl, acldefault('T', t.typowner), NULL \
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
       LEFT JOIN pg_class rc ON rc.oid = t.typrelid \
       WHERE t.typtype IN ('e', 'd', 'c', 'r', 'm') AND coalesce(rc.relkind, 'c') = 'c' \
         AND t.typacl IS NOT NULL AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_type", "t.oid"),
    " UNION ALL \
       SELECT 'schema', n.nspname, '', '', n.nspowner, n.nspacl, acldefault('n', n.nspowner), NULL \
       FROM pg_namespace n WHERE n.nspacl IS NOT NULL AND ",
    user_namespace!(),
    " UNION ALL \
       SELECT 'wrapper', w.fdwname, '', '', w.fdwowner, w.fdwacl, acldefault('F', w.fdwowner), NULL \
       FROM pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL AND ",
    not_extension_member!("pg_foreign_data_wrapper", "w.oid"),
    " UNION ALL \
       SELECT 'server', s.srvname, '', '', s.srvowner, s.srvacl, acldefault('S', s.srvowner), NULL \
       FROM pg_foreign_server s WHERE s.srvacl IS NOT NULL AND ",
    not_extension_member!("pg_foreign_server", "s.oid"),
    " UNION ALL \
       SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END, n.nspname, c.relname, '', \
              c.relowner, coalesce(c.relacl, defaults.acl), coalesce(init.initprivs, defaults.acl), \
              x.extname \
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
       JOIN pg_depend member ON member.classid = 'pg_class'::regclass AND member.objid = c.oid \
        AND member.objsubid = 0 AND member.refclassid = 'pg_extension'::regclass AND member.deptype = 'e' \
       JOIN pg_extension x ON x.oid = member.refobjid \
       LEFT JOIN pg_init_privs init ON init.classoid = 'pg_class'::regclass AND init.objoid = c.oid \
        AND init.objsubid = 0 AND init.privtype = 'e' \
       CROSS JOIN LATERAL (SELECT acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", \
                                             c.relowner) AS acl) defaults \
       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') \
         AND coalesce(c.relacl, defaults.acl) IS DISTINCT FROM coalesce(init.initprivs, defaults.acl) \
     UNION ALL \
       SELECT 'wrapper', w.fdwname, '', '', w.fdwowner, coalesce(w.fdwacl, defaults.acl), \
              coalesce(init.initprivs, defaults.acl), x.extname \
       FROM pg_foreign_data_wrapper w \
       JOIN pg_depend member ON member.classid = 'pg_foreign_data_wrapper'::regclass \
        AND member.objid = w.oid AND member.refclassid = 'pg_extension'::regclass \
        AND member.deptype = 'e' \
       JOIN pg_extension x ON x.oid = member.refobjid \
       LEFT JOIN pg_init_privs init ON init.classoid = 'pg_foreign_data_wrapper'::regclass \
        AND init.objoid = w.oid AND init.objsubid = 0 AND init.privtype = 'e' \
       CROSS JOIN LATERAL (SELECT acldefault('F', w.fdwowner) AS acl) defaults \
       WHERE coalesce(w.fdwacl, defaults.acl) IS DISTINCT FROM coalesce(init.initprivs, defaults.acl) \
     UNION ALL \
       SELECT 'function', n.nspname, p.proname, oidvectortypes(p.proargtypes), p.proowner, \
              coalesce(p.proacl, acldefault('f', p.proowner)), \
              coalesce(init.initprivs, acldefault('f', p.proowner)), x.extname \
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
       JOIN pg_depend member ON member.classid = 'pg_proc'::regclass AND member.objid = p.oid \
        AND member.refclassid = 'pg_extension'::regclass AND member.deptype = 'e' \
       JOIN pg_extension x ON x.oid = member.refobjid \
       LEFT JOIN pg_init_privs init ON init.classoid = 'pg_proc'::regclass AND init.objoid = p.oid \
        AND init.objsubid = 0 AND init.privtype = 'e' \
       WHERE coalesce(p.proacl, acldefault('f', p.proowner)) \
             IS DISTINCT FROM coalesce(init.initprivs, acldefault('f', p.proowner)) \
     ) \
     SELECT o.kind, o.schema, o.name, o.detail, \
            CASE WHEN pg_get_userbyid(o.owner) = current_user THEN 'CURRENT_USER' \
                 ELSE quote_ident(pg_get_userbyid(o.owner)) END, o.extension, \
            granted.grantees, granted.privileges, granted.grantable, \
            by_default.grantees, by_default.privileges, by_default.grantable \
     FROM objects o \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(CASE WHEN e.grantee = 0 THEN 'PUBLIC' \
                WHEN pg_get_userbyid(e.grantee) = current_user THEN 'CURRENT_USER' \
                ELSE quote_ident(pg_get_userbyid(e.grantee)) END ORDER BY e.grantee, e.privilege_type), '{}') AS grantees, \
              coalesce(array_agg(e.privilege_type ORDER BY e.grantee, e.privilege_type), '{}') AS privileges, \
              coalesce(array_agg(e.is_grantable ORDER BY e.grantee, e.privilege_type), '{}') AS grantable \
       FROM aclexplode(o.acl) e) granted \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(CASE WHEN e.grantee = 0 THEN 'PUBLIC' \
                WHEN pg_get_userbyid(e.grantee) = current_user THEN 'CURRENT_USER' \
                ELSE quote_ident(pg_get_userbyid(e.grantee)) END ORDER BY e.grantee, e.privilege_type), '{}') AS grantees, \
              coalesce(array_agg(e.privilege_type ORDER BY e.grantee, e.privilege_type), '{}') AS privileges, \
              coalesce(array_agg(e.is_grantable ORDER BY e.grantee, e.privilege_type), '{}') AS grantable \
       FROM aclexplode(o.defaults) e) by_default",
);

/// Each row: role, schema (null for every schema), the kind of object as a letter, then the access
/// list and the built-in one it replaces (for a global scope) or adds to (empty, for a schema).
const DEFAULTS_QUERY: &str = "SELECT CASE WHEN pg_get_userbyid(d.defaclrole) = current_user \
              THEN 'CURRENT_USER' ELSE quote_ident(pg_get_userbyid(d.defaclrole)) END, n.nspname, \
            d.defaclobjtype::text, \
            granted.grantees, granted.privileges, granted.grantable, \
            by_default.grantees, by_default.privileges, by_default.grantable \
     FROM pg_default_acl d \
     LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(CASE WHEN e.grantee = 0 THEN 'PUBLIC' \
                WHEN pg_get_userbyid(e.grantee) = current_user THEN 'CURRENT_USER' \
                ELSE quote_ident(pg_get_userbyid(e.grantee)) END ORDER BY e.grantee, e.privilege_type), '{}') AS grantees, \
              coalesce(array_agg(e.privilege_type ORDER BY e.grantee, e.privilege_type), '{}') AS privileges, \
              coalesce(array_agg(e.is_grantable ORDER BY e.grantee, e.privilege_type), '{}') AS grantable \
       FROM aclexplode(d.defaclacl) e) granted \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(CASE WHEN e.grantee = 0 THEN 'PUBLIC' \
                WHEN pg_get_userbyid(e.grantee) = current_user THEN 'CURRENT_USER' \
                ELSE quote_ident(pg_get_userbyid(e.grantee)) END ORDER BY e.grantee, e.privilege_type), '{}') AS grantees, \
              coalesce(array_agg(e.privilege_type ORDER BY e.grantee, e.privilege_type), '{}') AS privileges, \
              coalesce(array_agg(e.is_grantable ORDER BY e.grantee, e.privilege_type), '{}') AS grantable \
       FROM aclexplode(CASE WHEN d.defaclnamespace = 0 \
                            THEN acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole) \
                            ELSE NULL::aclitem[] END) e) by_default \
     WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN ( \
       SELECT n.oid FROM pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema')";

/// The grants in the three aligned arrays starting at column `index`.
fn grants_at(row: &Row, index: usize) -> Result<BTreeSet<Grant>, postgres::Error> {
    let grantees: Vec<String> = row.try_get(index)?;
    let privileges: Vec<String> = row.try_get(index + 1)?;
    let grantable: Vec<bool> = row.try_get(index + 2)?;
    Ok(grantees
        .into_iter()
        .zip(privileges)
        .zip(grantable)
        .map(|((grantee, privilege), grantable)| Grant {
            grantee,
            privilege,
            grantable,
        })
        .collect())
}

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name = name_at(row, 1)?;
        let detail: String = row.try_get(3)?;
        let securable = match row.try_get::<_, &str>(0)? {
            "relation" => Securable::Relation(name),
            "sequence" => Securable::Sequence(name),
            "column" => Securable::Column(name, detail),
            "function" => Securable::Function(Signature {
                name,
                arguments: detail,
            }),
            "type" => Securable::Type(name),
            "wrapper" => Securable::ForeignDataWrapper(name.schema),
            "server" => Securable::ForeignServer(name.schema),
            _ => Securable::Schema(name.schema),
        };
        let mut privileges = Privileges {
            owner: row.try_get(4)?,
            grants: grants_at(row, 6)?,
            defaults: grants_at(row, 9)?,
            extension: row.try_get(5)?,
        };
        if securable == Securable::Schema("public".to_owned()) {
            // Every database starts with what `initdb` gives schema `public`: its owner's
            // privileges and `USAGE` to `PUBLIC` (PostgreSQL 15 on). That is its default here, so
            // a grant on it keeps `PUBLIC`'s, and a down taking the grant back leaves it (the down
            // revoked it, found by review).
            privileges.defaults.insert(Grant {
                grantee: "PUBLIC".to_owned(),
                privilege: "USAGE".to_owned(),
                grantable: false,
            });
        }
        if privileges.grants != privileges.defaults {
            schema.privileges.insert(securable, privileges);
        }
    }
    Ok(())
}

fn file_defaults(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let role: String = row.try_get(0)?;
        let objects = match row.try_get::<_, &str>(2)? {
            "r" => "TABLES",
            "S" => "SEQUENCES",
            "f" => "FUNCTIONS",
            "T" => "TYPES",
            "n" => "SCHEMAS",
            _ => "LARGE OBJECTS",
        };
        let scope = DefaultScope {
            role: role.clone(),
            schema: row.try_get(1)?,
            objects: objects.to_owned(),
        };
        let privileges = Privileges {
            owner: role,
            grants: grants_at(row, 3)?,
            defaults: grants_at(row, 6)?,
            extension: None,
        };
        schema.default_privileges.insert(scope, privileges);
    }
    Ok(())
}
