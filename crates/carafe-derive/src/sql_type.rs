//! `#[carafe(sql_type = "...")]` checked at build time: a built-in PostgreSQL type, with its
//! modifiers and array brackets, or a schema-qualified name for a type that `schema.sql` or an
//! extension declares (which only the server can know).

/// The built-in type names, lowercase, with single spaces.
const BUILT_IN: &[&str] = &[
    "smallint",
    "int2",
    "integer",
    "int",
    "int4",
    "bigint",
    "int8",
    "real",
    "float4",
    "double precision",
    "float8",
    "float",
    "numeric",
    "decimal",
    "boolean",
    "bool",
    "text",
    "character varying",
    "varchar",
    "character",
    "char",
    "bpchar",
    "\"char\"",
    "name",
    "bytea",
    "date",
    "time",
    "time without time zone",
    "time with time zone",
    "timetz",
    "timestamp",
    "timestamp without time zone",
    "timestamp with time zone",
    "timestamptz",
    "interval",
    "uuid",
    "json",
    "jsonb",
    "jsonpath",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "money",
    "xml",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "tsvector",
    "tsquery",
    "bit",
    "bit varying",
    "varbit",
    "oid",
    "regclass",
    "regtype",
    "regproc",
    "pg_lsn",
    "smallserial",
    "serial",
    "bigserial",
    "serial2",
    "serial4",
    "serial8",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
];

/// Why `written` is not a type PostgreSQL has, or `None` when it is one.
pub(crate) fn problem(written: &str) -> Option<String> {
    let trimmed = written.trim();
    if trimmed.is_empty() {
        return Some("`sql_type` is empty: write a PostgreSQL type, e.g. `numeric(10, 2)`".into());
    }
    let Some(base) = base_name(trimmed) else {
        return Some(format!(
            "`{trimmed}` is not a type: modifiers are numbers in parentheses (`numeric(10, 2)`), arrays end in `[]`"
        ));
    };
    if base.contains('.') || (base.starts_with('"') && base != "\"char\"") {
        return None;
    }
    let interval = base
        .strip_prefix("interval ")
        .is_some_and(|fields| fields.split(' ').all(is_interval_field));
    match BUILT_IN.contains(&base.as_str()) || interval {
        true => None,
        false => Some(format!(
            "PostgreSQL has no built-in type `{base}`: write a built-in type, or qualify a type that `schema.sql` or an extension declares (`public.{base}`)"
        )),
    }
}

fn is_interval_field(word: &str) -> bool {
    ["year", "month", "day", "hour", "minute", "second", "to"].contains(&word)
}

/// The type without its modifiers and array brackets, lowercase with single spaces; `None` when a
/// parenthesis or bracket holds something other than numbers.
fn base_name(written: &str) -> Option<String> {
    let mut base = String::new();
    let mut rest = written;
    while let Some(open) = rest.find(['(', '[']) {
        base.push_str(&rest[..open]);
        let close = match rest.as_bytes()[open] {
            b'(' => ')',
            _ => ']',
        };
        let end = rest[open..].find(close)? + open;
        let inside = &rest[open + 1..end];
        if !inside
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
        {
            return None;
        }
        base.push(' ');
        rest = &rest[end + 1..];
    }
    base.push_str(rest);
    let words: Vec<&str> = base.split_whitespace().collect();
    Some(words.join(" ").to_lowercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn built_in_types_with_modifiers_and_arrays_are_accepted() {
        for written in [
            "numeric(10, 2)",
            "varchar(20)",
            "character varying(20)[]",
            "timestamp(3) with time zone",
            "TIMESTAMPTZ",
            "integer[][]",
            "int[3]",
            "interval day to second",
            "public.citext",
            "\"Colour\"",
            "\"char\"",
        ] {
            assert_eq!(super::problem(written), None, "{written}");
        }
    }

    #[test]
    fn unknown_and_malformed_types_are_refused() {
        for (written, expected) in [
            (
                "strng",
                "PostgreSQL has no built-in type `strng`: write a built-in type, or qualify a type that `schema.sql` or an extension declares (`public.strng`)",
            ),
            (
                "citext",
                "PostgreSQL has no built-in type `citext`: write a built-in type, or qualify a type that `schema.sql` or an extension declares (`public.citext`)",
            ),
            (
                "numeric(10, x)",
                "`numeric(10, x)` is not a type: modifiers are numbers in parentheses (`numeric(10, 2)`), arrays end in `[]`",
            ),
            (
                "numeric(10",
                "`numeric(10` is not a type: modifiers are numbers in parentheses (`numeric(10, 2)`), arrays end in `[]`",
            ),
            (
                "  ",
                "`sql_type` is empty: write a PostgreSQL type, e.g. `numeric(10, 2)`",
            ),
        ] {
            assert_eq!(
                super::problem(written).as_deref(),
                Some(expected),
                "{written}"
            );
        }
    }
}
