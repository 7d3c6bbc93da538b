//! Names from Rust names: snake case, a table's plural, doc comments, and PostgreSQL's 63-byte
//! limit on identifiers.

use heck::ToSnakeCase;

/// PostgreSQL cuts identifiers longer than this many bytes.
const MAX_IDENTIFIER_BYTES: usize = 63;

/// `ProductReview` → `product_review`.
pub(crate) fn snake(name: &str) -> String {
    name.trim_start_matches("r#").to_snake_case()
}

/// The table a struct declares by default: its snake-case name in the plural
/// (`Product` → `products`, `Category` → `categories`, `Box` → `boxes`).
pub(crate) fn table_name(struct_name: &str) -> String {
    plural(&snake(struct_name))
}

/// English plurals for the names tables usually have; anything else takes `table = "..."`.
fn plural(word: &str) -> String {
    let (stem, last) = match word.rfind('_') {
        Some(at) => word.split_at(at + 1),
        None => ("", word),
    };
    let irregular = match last {
        "person" => Some("people"),
        "child" => Some("children"),
        "datum" => Some("data"),
        _ => None,
    };
    if let Some(plural) = irregular {
        return format!("{stem}{plural}");
    }
    for (ending, replacement) in [
        ("lf", "lves"),
        ("eaf", "eaves"),
        ("oaf", "oaves"),
        ("fe", "ves"),
    ] {
        if let Some(front) = word.strip_suffix(ending) {
            return format!("{front}{replacement}");
        }
    }
    let consonant_y = word.ends_with('y')
        && !word
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|before| "aeiou".contains(before));
    if consonant_y {
        return format!("{}ies", &word[..word.len() - 1]);
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|ending| word.ends_with(ending))
    {
        return format!("{word}es");
    }
    format!("{word}s")
}

/// An error when `name` is longer than PostgreSQL keeps.
pub(crate) fn check_length(name: &str, span: proc_macro2::Span, what: &str) -> syn::Result<()> {
    match name.len() > MAX_IDENTIFIER_BYTES {
        true => Err(syn::Error::new(
            span,
            format!(
                "{what} `{name}` is {} bytes; PostgreSQL keeps {MAX_IDENTIFIER_BYTES} and would cut it: give a shorter name",
                name.len()
            ),
        )),
        false => Ok(()),
    }
}

/// The item's doc comment, one space after `///` dropped and the lines joined; `None` when empty.
pub(crate) fn doc_comment(attributes: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attribute in attributes.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attribute.meta
        {
            let line = text.value();
            lines.push(
                line.strip_prefix(' ')
                    .unwrap_or(&line)
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_are_snake_case_plurals() {
        for (name, table) in [
            ("Product", "products"),
            ("Producer", "producers"),
            ("Category", "categories"),
            ("Day", "days"),
            ("Box", "boxes"),
            ("Address", "addresses"),
            ("Match", "matches"),
            ("ProductReview", "product_reviews"),
            ("HTTPLog", "http_logs"),
            ("Shelf", "shelves"),
            ("Knife", "knives"),
            ("Leaf", "leaves"),
            ("Person", "people"),
            ("SalesPerson", "sales_people"),
            ("Chef", "chefs"),
        ] {
            assert_eq!(super::table_name(name), table, "{name}");
        }
    }
}
