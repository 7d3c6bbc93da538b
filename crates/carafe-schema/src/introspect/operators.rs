//! Operators (`pg_operator`) of user schemas that no extension made: their arguments, function,
//! commutator, negator, estimators, hash and merge flags, and comments.

use super::{Kind, name_at};
use crate::{Operator, OperatorSignature, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "operators",
    query: QUERY,
    file,
};

/// A shell operator (one a commutator names before it is created) has no function: left out.
const QUERY: &str = concat!(
    "SELECT n.nspname, o.oprname, nullif(format_type(o.oprleft, NULL), '-'), \
            format_type(o.oprright, NULL), function_namespace.nspname, f.proname, \
            oidvectortypes(f.proargtypes), \
            (SELECT 'OPERATOR(' || quote_ident(cn.nspname) || '.' || c.oprname || ')' \
             FROM pg_operator c JOIN pg_namespace cn ON cn.oid = c.oprnamespace \
             WHERE c.oid = o.oprcom), \
            (SELECT 'OPERATOR(' || quote_ident(nn.nspname) || '.' || ng.oprname || ')' \
             FROM pg_operator ng JOIN pg_namespace nn ON nn.oid = ng.oprnamespace \
             WHERE ng.oid = o.oprnegate), \
            nullif(o.oprrest::regproc::text, '-'), nullif(o.oprjoin::regproc::text, '-'), \
            o.oprcanhash, o.oprcanmerge, comment.description \
     FROM pg_operator o \
     JOIN pg_namespace n ON n.oid = o.oprnamespace \
     JOIN pg_proc f ON f.oid = o.oprcode \
     JOIN pg_namespace function_namespace ON function_namespace.oid = f.pronamespace \
     LEFT JOIN pg_description comment ON comment.objoid = o.oid \
      AND comment.classoid = 'pg_operator'::regclass AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_operator", "o.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let signature = OperatorSignature {
            name: name_at(row, 0)?,
            left: row.try_get(2)?,
            right: row.try_get(3)?,
        };
        let operator = Operator {
            function: Signature {
                name: name_at(row, 4)?,
                arguments: row.try_get(6)?,
            },
            commutator: row.try_get(7)?,
            negator: row.try_get(8)?,
            restrict: row.try_get(9)?,
            join: row.try_get(10)?,
            hashes: row.try_get(11)?,
            merges: row.try_get(12)?,
            comment: row.try_get(13)?,
        };
        schema.operators.insert(signature, operator);
    }
    Ok(())
}
