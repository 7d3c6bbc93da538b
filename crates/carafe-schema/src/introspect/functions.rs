//! Functions (window functions included) and procedures: each as `pg_get_functiondef` prints it,
//! with what `CREATE OR REPLACE` cannot change (arguments, result), its language and its comment.
//! Aggregates have their own query ([`super::aggregates`]).

use super::{Kind, name_at};
use crate::{Function, RoutineKind, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "functions",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, p.proname, oidvectortypes(p.proargtypes), p.prokind = 'p', \
            l.lanname, pg_get_functiondef(p.oid), pg_get_function_arguments(p.oid), \
            pg_get_function_result(p.oid), comment.description \
     FROM pg_proc p \
     JOIN pg_namespace n ON n.oid = p.pronamespace \
     JOIN pg_language l ON l.oid = p.prolang \
     LEFT JOIN pg_description comment \
       ON comment.objoid = p.oid AND comment.classoid = 'pg_proc'::regclass \
      AND comment.objsubid = 0 \
     WHERE p.prokind IN ('f', 'p', 'w') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_proc", "p.oid"),
    " AND ",
    not_type_constructor!("p.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let signature = Signature {
            name: name_at(row, 0)?,
            arguments: row.try_get(2)?,
        };
        let procedure: bool = row.try_get(3)?;
        let function = Function {
            kind: match procedure {
                true => RoutineKind::Procedure,
                false => RoutineKind::Function,
            },
            language: row.try_get(4)?,
            definition: row.try_get(5)?,
            arguments: row.try_get(6)?,
            result: match procedure {
                true => None,
                false => row.try_get(7)?,
            },
            comment: row.try_get(8)?,
        };
        schema.functions.insert(signature, function);
    }
    Ok(())
}
