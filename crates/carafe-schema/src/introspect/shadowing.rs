//! Objects a name in `pg_catalog` hides: `pg_catalog` comes first in every search path that does
//! not list it, so an unqualified `english` (a text search configuration), `lower(text)` or
//! `french_stem` means the built-in one even where a user schema on the path has its own. Not a
//! schema difference (the model keeps both as they are) but a trap worth a warning where a
//! declared schema makes one.

use std::fmt;

/// One user object whose name, written unqualified, resolves to `pg_catalog`'s.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shadowed {
    /// What it is: `function`, `operator`, `type`, `collation`, `text search configuration`,
    /// `text search dictionary`.
    pub kind: String,
    /// The user object, qualified (a function with its argument types, an operator as
    /// `OPERATOR(schema.op)`).
    pub object: String,
    /// How it is written unqualified, which names the `pg_catalog` one instead.
    pub unqualified: String,
}

impl fmt::Display for Shadowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} has the name of pg_catalog's {}: written unqualified, `{}` means the built-in \
             one (pg_catalog comes first in a search path that does not list it); write `{}` where \
             yours is meant",
            self.kind, self.object, self.kind, self.unqualified, self.object
        )
    }
}

/// SQL: the row aliased `o` of catalog `$catalog` (namespace column `$namespace`) is in a user
/// schema `n` and no extension owns it.
macro_rules! user_object {
    ($catalog:literal, $namespace:literal) => {
        concat!(
            " JOIN pg_namespace n ON n.oid = o.",
            $namespace,
            " WHERE ",
            user_namespace!(),
            " AND ",
            not_extension_member!($catalog, "o.oid"),
        )
    };
}

/// SQL: the rows of `$kind` of catalog `$catalog` (namespace and name columns `$namespace`, `$name`)
/// in a user schema whose name `pg_catalog` also has (and where `$also`, about `o` and `c`, holds).
macro_rules! same_name {
    ($kind:literal, $catalog:literal, $namespace:literal, $name:literal, $also:literal) => {
        concat!(
            "SELECT '",
            $kind,
            "', quote_ident(n.nspname) || '.' || quote_ident(o.",
            $name,
            "), \
                    quote_ident(o.",
            $name,
            ") \
             FROM ",
            $catalog,
            " o",
            user_object!($catalog, $namespace),
            " AND EXISTS (SELECT FROM ",
            $catalog,
            " c WHERE c.",
            $namespace,
            " = 'pg_catalog'::regnamespace AND c.",
            $name,
            " = o.",
            $name,
            $also,
            ")",
        )
    };
}

/// Each row: kind, the object qualified, the object unqualified. One query for every kind.
const QUERY: &str = concat!(
    same_name!(
        "text search configuration",
        "pg_ts_config",
        "cfgnamespace",
        "cfgname",
        ""
    ),
    " UNION ALL ",
    same_name!(
        "text search dictionary",
        "pg_ts_dict",
        "dictnamespace",
        "dictname",
        ""
    ),
    " UNION ALL ",
    same_name!(
        "collation",
        "pg_collation",
        "collnamespace",
        "collname",
        " AND c.collencoding IN (-1, o.collencoding)"
    ),
    " UNION ALL ",
    // Not the array and multirange types the server makes with another, nor a table's row type.
    same_name!(
        "type",
        "pg_type",
        "typnamespace",
        "typname",
        " AND o.typtype IN ('b', 'c', 'd', 'e', 'r') \
          AND NOT EXISTS (SELECT FROM pg_type element WHERE element.typarray = o.oid) \
          AND (o.typrelid = 0 OR EXISTS (SELECT FROM pg_class r \
               WHERE r.oid = o.typrelid AND r.relkind = 'c'))"
    ),
    " UNION ALL \
     SELECT 'function', \
            quote_ident(n.nspname) || '.' || quote_ident(o.proname) || '(' || oidvectortypes(o.proargtypes) || ')', \
            quote_ident(o.proname) || '(' || oidvectortypes(o.proargtypes) || ')' \
     FROM pg_proc o",
    user_object!("pg_proc", "pronamespace"),
    " AND EXISTS (SELECT FROM pg_proc c \
       WHERE c.pronamespace = 'pg_catalog'::regnamespace AND c.proname = o.proname \
         AND c.proargtypes = o.proargtypes) \
     UNION ALL \
     SELECT 'operator', \
            'OPERATOR(' || quote_ident(n.nspname) || '.' || o.oprname || ')', \
            o.oprname \
     FROM pg_operator o",
    user_object!("pg_operator", "oprnamespace"),
    " AND EXISTS (SELECT FROM pg_operator c \
       WHERE c.oprnamespace = 'pg_catalog'::regnamespace AND c.oprname = o.oprname \
         AND c.oprleft = o.oprleft AND c.oprright = o.oprright) \
     ORDER BY 1, 2",
);

/// The user objects of `client`'s database that a `pg_catalog` name hides, in kind and name order.
pub fn shadowed(client: &mut postgres::Client) -> Result<Vec<Shadowed>, postgres::Error> {
    client
        .query(QUERY, &[])?
        .iter()
        .map(|row| {
            Ok(Shadowed {
                kind: row.try_get(0)?,
                object: row.try_get(1)?,
                unqualified: row.try_get(2)?,
            })
        })
        .collect()
}
