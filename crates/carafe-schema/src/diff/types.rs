//! Column types as `format_type` prints them: which type names an enum, which change of type
//! rewrites the table, and the `USING` that converts a column's values.

use super::sql::quote_identifier_if_needed;
use crate::Name;
use crate::model::quote_identifier;

/// The ways the server may print type `name`: qualified (quoted or not), and bare when it is in
/// `public`.
pub(super) fn type_forms(name: &Name) -> Vec<String> {
    let schema_forms = [
        quote_identifier_if_needed(&name.schema),
        quote_identifier(&name.schema),
    ];
    let name_forms = [
        quote_identifier_if_needed(&name.name),
        quote_identifier(&name.name),
    ];
    let mut forms = Vec::new();
    for schema in &schema_forms {
        for type_name in &name_forms {
            forms.push(format!("{schema}.{type_name}"));
        }
    }
    if name.schema == "public" {
        forms.extend(name_forms);
    }
    forms.dedup();
    forms
}

/// Whether `data_type` (as `format_type` prints it, maybe an array) is the type `name`.
pub(super) fn type_refers_to(data_type: &str, name: &Name) -> bool {
    let base = data_type.trim_end_matches("[]");
    type_forms(name).iter().any(|form| form == base)
}

/// The array dimensions of a type (`integer[]` has one).
fn array_depth(data_type: &str) -> usize {
    let mut depth = 0;
    let mut rest = data_type;
    while let Some(inner) = rest.strip_suffix("[]") {
        depth += 1;
        rest = inner;
    }
    depth
}

/// A type split into its name and its modifiers: `numeric(10,2)` is `numeric` with `[10, 2]`;
/// `timestamp(3) with time zone` is `timestamp with time zone` with `[3]`.
fn split_modifiers(data_type: &str) -> (String, Vec<i64>) {
    let Some(open) = data_type.find('(') else {
        return (data_type.to_owned(), Vec::new());
    };
    let Some(close) = data_type[open..].find(')').map(|offset| open + offset) else {
        return (data_type.to_owned(), Vec::new());
    };
    let modifiers = data_type[open + 1..close]
        .split(',')
        .filter_map(|modifier| modifier.trim().parse().ok())
        .collect();
    let name = format!("{}{}", &data_type[..open], &data_type[close + 1..]);
    (name, modifiers)
}

/// Whether changing a column from type `from` to type `to` makes PostgreSQL rewrite the table (or
/// scan it under an `ACCESS EXCLUSIVE` lock). Only the changes PostgreSQL knows to be free are not:
/// a longer `varchar`, `varchar` to `text`, more precision for `numeric` (same scale) or for times,
/// `cidr` to `inet`.
pub(super) fn rewrites_table(from: &str, to: &str) -> bool {
    if from == to {
        return false;
    }
    if array_depth(from) != array_depth(to) {
        return true;
    }
    let depth = array_depth(from);
    let (from_name, from_modifiers) = split_modifiers(&from[..from.len() - 2 * depth]);
    let (to_name, to_modifiers) = split_modifiers(&to[..to.len() - 2 * depth]);
    let free = match (from_name.as_str(), to_name.as_str()) {
        ("character varying", "text") | ("text", "character varying") => to_modifiers.is_empty(),
        ("cidr", "inet") => true,
        ("character varying", "character varying") | ("bit varying", "bit varying") => {
            widens(&from_modifiers, &to_modifiers)
        }
        ("numeric", "numeric") => match (from_modifiers.as_slice(), to_modifiers.as_slice()) {
            (_, []) => true,
            ([from_precision, from_scale], [to_precision, to_scale]) => {
                from_scale == to_scale && to_precision >= from_precision
            }
            _ => false,
        },
        (from_name, to_name) if from_name == to_name => {
            is_time_type(from_name) && widens(&from_modifiers, &to_modifiers)
        }
        _ => false,
    };
    !free
}

/// Whether a length or precision modifier only grows (or goes, which means unlimited).
fn widens(from: &[i64], to: &[i64]) -> bool {
    match (from, to) {
        (_, []) => true,
        ([from], [to]) => to >= from,
        _ => false,
    }
}

fn is_time_type(name: &str) -> bool {
    matches!(
        name,
        "timestamp without time zone"
            | "timestamp with time zone"
            | "time without time zone"
            | "interval"
    )
}

/// The `USING` expression that converts column `column` from `from` to `to`: through `text` when
/// the old type is an enum (an enum has no cast to another enum), a plain cast otherwise.
pub(super) fn conversion(column: &str, to: &str, from_is_enum: bool) -> String {
    let column = quote_identifier(column);
    match from_is_enum {
        true => {
            let text = format!("text{}", "[]".repeat(array_depth(to)));
            match text == to {
                true => format!("{column}::{to}"),
                false => format!("{column}::{text}::{to}"),
            }
        }
        false => format!("{column}::{to}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_free_type_changes_rewrite_nothing() {
        let free = [
            ("character varying(10)", "character varying(20)"),
            ("character varying(10)", "character varying"),
            ("character varying(10)", "text"),
            ("text", "character varying"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric"),
            ("timestamp(3) with time zone", "timestamp(6) with time zone"),
            (
                "timestamp(3) without time zone",
                "timestamp without time zone",
            ),
            ("character varying(10)[]", "character varying(20)[]"),
            ("cidr", "inet"),
        ];
        let rewriting = [
            ("character varying(20)", "character varying(10)"),
            ("text", "character varying(10)"),
            ("text", "integer"),
            ("integer", "bigint"),
            ("numeric(10,2)", "numeric(12,3)"),
            ("numeric", "numeric(10,2)"),
            ("timestamp without time zone", "timestamp with time zone"),
            ("text", "text[]"),
            ("character(2)", "text"),
            ("public.colour", "text"),
        ];
        for (from, to) in free {
            assert!(!rewrites_table(from, to), "{from} -> {to} is free");
        }
        for (from, to) in rewriting {
            assert!(rewrites_table(from, to), "{from} -> {to} rewrites");
        }
    }

    #[test]
    fn enum_types_are_recognised_however_they_are_printed() {
        let colour = Name::new("public", "colour");
        let mixed = Name::new("Cellar", "Hue");
        assert!(type_refers_to("public.colour", &colour));
        assert!(type_refers_to("colour[]", &colour));
        assert!(type_refers_to("\"Cellar\".\"Hue\"", &mixed));
        assert!(!type_refers_to("public.colours", &colour));
        assert!(!type_refers_to("Hue", &mixed));
    }

    #[test]
    fn conversions_go_through_text_from_an_enum() {
        assert_eq!(conversion("c", "integer", false), "\"c\"::integer");
        assert_eq!(
            conversion("c", "public.hue[]", true),
            "\"c\"::text[]::public.hue[]"
        );
        assert_eq!(conversion("c", "text", true), "\"c\"::text");
    }
}
