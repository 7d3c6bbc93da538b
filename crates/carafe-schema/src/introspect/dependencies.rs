//! Dependencies (`pg_depend`, normal ones): what each function's signature and `BEGIN ATOMIC` body
//! use, and which views, defaults, constraints, indexes, policies, rules and domains call which
//! functions. Both ends must be user objects that no extension owns; a view reading a relation is
//! filed here too (the view's own `depends_on` says the same for relations only).

use super::Kind;
use crate::{Dependency, Dependent, Name, Referenced, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "dependencies",
    query: QUERY,
    file,
};

/// Each row: the dependent's kind, schema, name and detail (a column, constraint, index, policy or
/// rule name, or a function's argument types), then the same for what it uses. An array type stands
/// for its element type, a table's row type for the table.
const QUERY: &str = concat!(
    "WITH user_namespaces AS ( \
       SELECT n.oid FROM pg_namespace n WHERE ",
    user_namespace!(),
    "), members AS ( \
       SELECT member.classid, member.objid FROM pg_depend member \
       WHERE member.refclassid = 'pg_extension'::regclass AND member.deptype = 'e' \
     ) \
     SELECT DISTINCT dependent.kind, dependent_namespace.nspname, dependent.name, \
            dependent.detail, used.kind, used_namespace.nspname, used.name, used.detail \
     FROM pg_depend d \
     JOIN LATERAL ( \
       SELECT 'function' AS kind, p.pronamespace AS namespace, p.proname AS name, \
              oidvectortypes(p.proargtypes) AS detail \
       FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid \
        AND p.prokind IN ('f', 'p', 'a', 'w') AND ",
    not_type_constructor!("p.oid"),
    " \
       UNION ALL \
       SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'rule' END, c.relnamespace, \
              c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN '' ELSE r.rulename END \
       FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
       WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid \
       UNION ALL \
       SELECT 'default', c.relnamespace, c.relname, a.attname \
       FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid \
       JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum \
       WHERE d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid \
       UNION ALL \
       SELECT CASE WHEN con.contypid <> 0 THEN 'domain constraint' ELSE 'constraint' END, \
              con.connamespace, coalesce(c.relname, t.typname), con.conname \
       FROM pg_constraint con LEFT JOIN pg_class c ON c.oid = con.conrelid \
       LEFT JOIN pg_type t ON t.oid = con.contypid \
       WHERE d.classid = 'pg_constraint'::regclass AND con.oid = d.objid \
       UNION ALL \
       SELECT 'index', ic.relnamespace, tc.relname, ic.relname \
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
       JOIN pg_class tc ON tc.oid = i.indrelid \
       WHERE d.classid = 'pg_class'::regclass AND i.indexrelid = d.objid \
       UNION ALL \
       SELECT 'policy', c.relnamespace, c.relname, pol.polname \
       FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
       WHERE d.classid = 'pg_policy'::regclass AND pol.oid = d.objid \
       UNION ALL \
       SELECT 'domain default', t.typnamespace, t.typname, '' \
       FROM pg_type t WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid \
        AND t.typtype = 'd' AND d.refclassid = 'pg_proc'::regclass \
     ) dependent ON true \
     JOIN LATERAL ( \
       SELECT 'function' AS kind, p.pronamespace AS namespace, p.proname AS name, \
              oidvectortypes(p.proargtypes) AS detail \
       FROM pg_proc p WHERE d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid \
        AND p.prokind IN ('f', 'p', 'a', 'w') AND ",
    not_type_constructor!("p.oid"),
    " \
       UNION ALL \
       SELECT 'relation', c.relnamespace, c.relname, '' \
       FROM pg_class c WHERE d.refclassid = 'pg_class'::regclass AND c.oid = d.refobjid \
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
       UNION ALL \
       SELECT CASE WHEN rc.relkind IN ('r', 'p', 'v', 'm', 'f') THEN 'relation' ELSE 'type' END, \
              t.typnamespace, coalesce(rc.relname, t.typname), '' \
       FROM pg_type named \
       JOIN pg_type t ON t.oid = CASE WHEN named.typcategory = 'A' AND named.typelem <> 0 \
                                      THEN named.typelem ELSE named.oid END \
       LEFT JOIN pg_class rc ON rc.oid = t.typrelid \
       WHERE d.refclassid = 'pg_type'::regclass AND named.oid = d.refobjid \
        AND t.typtype IN ('c', 'd', 'e', 'r', 'm') \
     ) used ON true \
     JOIN pg_namespace dependent_namespace ON dependent_namespace.oid = dependent.namespace \
     JOIN pg_namespace used_namespace ON used_namespace.oid = used.namespace \
     WHERE d.deptype = 'n' \
       AND d.classid IN ('pg_proc'::regclass, 'pg_rewrite'::regclass, 'pg_attrdef'::regclass, \
                         'pg_constraint'::regclass, 'pg_class'::regclass, 'pg_policy'::regclass, \
                         'pg_type'::regclass) \
       AND d.refclassid IN ('pg_proc'::regclass, 'pg_class'::regclass, 'pg_type'::regclass) \
       AND dependent.namespace IN (SELECT oid FROM user_namespaces) \
       AND used.namespace IN (SELECT oid FROM user_namespaces) \
       AND (d.classid, d.objid) NOT IN (SELECT classid, objid FROM members) \
       AND (d.refclassid, d.refobjid) NOT IN (SELECT classid, objid FROM members)",
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name = Name::new(row.try_get::<_, String>(1)?, row.try_get::<_, String>(2)?);
        let detail: String = row.try_get(3)?;
        let dependent = match row.try_get::<_, &str>(0)? {
            "function" => Dependent::Function(Signature {
                name,
                arguments: detail,
            }),
            "view" => Dependent::View(name),
            "rule" => Dependent::Rule(name, detail),
            "default" => Dependent::Default(name, detail),
            "constraint" => Dependent::Constraint(name, detail),
            "domain constraint" => Dependent::DomainConstraint(name, detail),
            "index" => Dependent::Index(name, detail),
            "policy" => Dependent::Policy(name, detail),
            _ => Dependent::DomainDefault(name),
        };
        let used = Name::new(row.try_get::<_, String>(5)?, row.try_get::<_, String>(6)?);
        let on = match row.try_get::<_, &str>(4)? {
            "function" => Referenced::Function(Signature {
                name: used,
                arguments: row.try_get(7)?,
            }),
            "relation" => Referenced::Relation(used),
            _ => Referenced::Type(used),
        };
        let on_itself = match (&dependent, &on) {
            (Dependent::View(view), Referenced::Relation(read)) => view == read,
            (dependent, Referenced::Relation(read)) => dependent.table() == Some(read),
            _ => false,
        };
        if on_itself {
            continue; // a view's own row type, a table's own columns
        }
        schema.dependencies.insert(Dependency { dependent, on });
    }
    Ok(())
}
