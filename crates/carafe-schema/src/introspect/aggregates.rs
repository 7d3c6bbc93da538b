//! Aggregates (`CREATE AGGREGATE`): the server prints no definition of one, so it is written here
//! from `pg_aggregate`, every option that is set in the order pg_dump writes them, as a
//! `CREATE OR REPLACE AGGREGATE` that the diff runs as it is. With its arguments, result and comment.

use super::{Kind, name_at};
use crate::model::quote_literal;
use crate::{Function, RoutineKind, Schema, Signature};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "aggregates",
    query: QUERY,
    file,
};

/// The support functions come as `regproc` text, which `search_path = pg_catalog` makes
/// schema-qualified and quoted where needed; a missing one is null. The sort operator comes as its
/// schema and name.
const QUERY: &str = concat!(
    "SELECT n.nspname, p.proname, oidvectortypes(p.proargtypes), \
            pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), comment.description, \
            a.aggkind::text, a.aggtransfn::text, format_type(a.aggtranstype, NULL), a.aggtransspace, \
            nullif(a.aggfinalfn::oid, 0)::regproc::text, a.aggfinalextra, a.aggfinalmodify::text, \
            nullif(a.aggcombinefn::oid, 0)::regproc::text, \
            nullif(a.aggserialfn::oid, 0)::regproc::text, \
            nullif(a.aggdeserialfn::oid, 0)::regproc::text, a.agginitval, \
            nullif(a.aggmtransfn::oid, 0)::regproc::text, \
            nullif(a.aggminvtransfn::oid, 0)::regproc::text, \
            CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END, \
            a.aggmtransspace, nullif(a.aggmfinalfn::oid, 0)::regproc::text, a.aggmfinalextra, \
            a.aggmfinalmodify::text, a.aggminitval, \
            operator_namespace.nspname, operator.oprname, p.proparallel::text \
     FROM pg_aggregate a \
     JOIN pg_proc p ON p.oid = a.aggfnoid \
     JOIN pg_namespace n ON n.oid = p.pronamespace \
     LEFT JOIN pg_operator operator ON operator.oid = a.aggsortop \
     LEFT JOIN pg_namespace operator_namespace ON operator_namespace.oid = operator.oprnamespace \
     LEFT JOIN pg_description comment \
       ON comment.objoid = p.oid AND comment.classoid = 'pg_proc'::regclass \
      AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_proc", "p.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name = name_at(row, 0)?;
        let arguments: String = row.try_get(3)?;
        let definition = format!(
            "CREATE OR REPLACE AGGREGATE {}({}) (\n    {}\n)",
            name.quoted(),
            match arguments.is_empty() {
                true => "*",
                false => arguments.as_str(),
            },
            options(row)?.join(",\n    ")
        );
        let function = Function {
            kind: RoutineKind::Aggregate,
            language: "internal".to_owned(),
            definition,
            arguments,
            result: row.try_get(4)?,
            comment: row.try_get(5)?,
        };
        let signature = Signature {
            name,
            arguments: row.try_get(2)?,
        };
        schema.functions.insert(signature, function);
    }
    Ok(())
}

/// The options of the aggregate a row describes, each `NAME = value`, those at their default left
/// out.
fn options(row: &Row) -> Result<Vec<String>, postgres::Error> {
    let kind: &str = row.try_get(6)?;
    // An ordered-set aggregate's final function may change the state; a plain one's reads it.
    let default_modify = match kind {
        "n" => "r",
        _ => "w",
    };
    let mut options = vec![
        format!("SFUNC = {}", row.try_get::<_, String>(7)?),
        format!("STYPE = {}", row.try_get::<_, String>(8)?),
    ];
    let mut push = |option: String| options.push(option);
    let space: i32 = row.try_get(9)?;
    if space != 0 {
        push(format!("SSPACE = {space}"));
    }
    if let Some(final_function) = row.try_get::<_, Option<String>>(10)? {
        push(format!("FINALFUNC = {final_function}"));
        if row.try_get(11)? {
            push("FINALFUNC_EXTRA".to_owned());
        }
        let modify: &str = row.try_get(12)?;
        if modify != default_modify {
            push(format!("FINALFUNC_MODIFY = {}", modify_name(modify)));
        }
    }
    for (index, option) in [
        (13, "COMBINEFUNC"),
        (14, "SERIALFUNC"),
        (15, "DESERIALFUNC"),
    ] {
        if let Some(function) = row.try_get::<_, Option<String>>(index)? {
            push(format!("{option} = {function}"));
        }
    }
    if let Some(initial) = row.try_get::<_, Option<String>>(16)? {
        push(format!("INITCOND = {}", quote_literal(&initial)));
    }
    if let Some(moving) = row.try_get::<_, Option<String>>(17)? {
        push(format!("MSFUNC = {moving}"));
        if let Some(inverse) = row.try_get::<_, Option<String>>(18)? {
            push(format!("MINVFUNC = {inverse}"));
        }
        if let Some(moving_type) = row.try_get::<_, Option<String>>(19)? {
            push(format!("MSTYPE = {moving_type}"));
        }
        let moving_space: i32 = row.try_get(20)?;
        if moving_space != 0 {
            push(format!("MSSPACE = {moving_space}"));
        }
        if let Some(moving_final) = row.try_get::<_, Option<String>>(21)? {
            push(format!("MFINALFUNC = {moving_final}"));
            if row.try_get(22)? {
                push("MFINALFUNC_EXTRA".to_owned());
            }
            let modify: &str = row.try_get(23)?;
            if modify != default_modify {
                push(format!("MFINALFUNC_MODIFY = {}", modify_name(modify)));
            }
        }
        if let Some(initial) = row.try_get::<_, Option<String>>(24)? {
            push(format!("MINITCOND = {}", quote_literal(&initial)));
        }
    }
    let operator_schema: Option<String> = row.try_get(25)?;
    let operator: Option<String> = row.try_get(26)?;
    if let (Some(schema), Some(operator)) = (operator_schema, operator) {
        push(match schema.as_str() {
            "pg_catalog" => format!("SORTOP = {operator}"),
            _ => format!(
                "SORTOP = OPERATOR({}.{operator})",
                crate::model::quote_identifier(&schema)
            ),
        });
    }
    match row.try_get::<_, &str>(27)? {
        "s" => push("PARALLEL = SAFE".to_owned()),
        "r" => push("PARALLEL = RESTRICTED".to_owned()),
        _ => {}
    }
    if kind == "h" {
        push("HYPOTHETICAL".to_owned());
    }
    Ok(options)
}

/// `pg_aggregate.aggfinalmodify` as `FINALFUNC_MODIFY` spells it.
fn modify_name(code: &str) -> &'static str {
    match code {
        "s" => "SHAREABLE",
        "w" => "READ_WRITE",
        _ => "READ_ONLY",
    }
}
