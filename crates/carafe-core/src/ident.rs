//! Names made from free text: the slug of a new revision (`"Add alcohol column!"` -> `add_alcohol_column`)
//! and the Rust identifier of a generated module, sanitised so any input gives a valid one.

use heck::ToSnakeCase;

/// The longest slug `slug` produces; longer messages are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 60;

/// A file-name slug from a message: snake case, accents folded to ASCII, anything else dropped.
/// Never empty: a message with nothing usable gives `revision`.
pub fn slug(message: &str) -> String {
    let folded: String = message.chars().filter_map(fold_to_ascii).collect();
    let snake = folded.to_snake_case();
    let mut slug = String::with_capacity(snake.len());
    for word in snake
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|word| !word.is_empty())
    {
        if !slug.is_empty() && slug.len() + 1 + word.len() > MAX_SLUG_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('_');
        }
        slug.push_str(word);
    }
    slug.truncate(MAX_SLUG_LEN);
    if slug.is_empty() {
        slug.push_str("revision");
    }
    slug
}

/// A valid Rust identifier from any text: lowercase snake case, other characters turned into `_`,
/// a leading digit or a keyword prefixed so it still compiles (`2fa` -> `_2fa`, `type` -> `type_`).
pub fn rust_ident(text: &str) -> String {
    let mut ident: String = text
        .to_snake_case()
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || c == '_' {
            true => c,
            false => '_',
        })
        .collect();
    if ident.is_empty() || ident == "_" {
        return "unnamed".to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if RUST_KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The module a revision gets in generated code: `m0002_add_vintage_column`.
/// The `m` and the number come first, so a slug such as `2fa` or `type` still gives an identifier;
/// any character a slug should not hold becomes `_`.
pub fn module_name(revision: crate::Revision, slug: &str) -> String {
    let tail: String = slug
        .chars()
        .map(
            |c| match c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                true => c,
                false => '_',
            },
        )
        .collect();
    format!("m{revision}_{tail}")
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Latin letters with diacritics to their ASCII base (French and friends: `année` -> `annee`);
/// other ASCII passes through; anything else becomes a word break.
fn fold_to_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        _ => ' ',
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Revision;

    #[test]
    fn slugs_from_messages() {
        for (message, expected) in [
            (
                "add alcohol column to products",
                "add_alcohol_column_to_products",
            ),
            ("Add vintage column", "add_vintage_column"),
            ("AddPriceIndex", "add_price_index"),
            (
                "Ajouter l'année du millésime",
                "ajouter_l_annee_du_millesime",
            ),
            ("2fa for admins!", "2fa_for_admins"),
            ("  --- ", "revision"),
            ("", "revision"),
            ("日本語", "revision"),
        ] {
            assert_eq!(slug(message), expected, "{message:?}");
        }
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('_'), "{long}");
    }

    #[test]
    fn identifiers_are_always_valid() {
        for (text, expected) in [
            ("2fa", "_2fa"),
            ("type", "type_"),
            ("self", "self_"),
            ("", "unnamed"),
            ("_", "unnamed"),
            ("add-vintage", "add_vintage"),
        ] {
            assert_eq!(rust_ident(text), expected, "{text:?}");
        }
        assert_eq!(module_name(Revision::new(5), "2fa"), "m0005_2fa");
        assert_eq!(module_name(Revision::new(5), "type"), "m0005_type");
        assert_eq!(module_name(Revision::new(5), "Bad-Name"), "m0005__ad__ame");
        assert_eq!(
            module_name(Revision::new(2), "add_vintage_column"),
            "m0002_add_vintage_column"
        );
    }
}
