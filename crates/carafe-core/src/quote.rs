//! Quoting for SQL text carafe writes itself: identifiers always double-quoted, values always as
//! escaped literals (never formatted in raw), so one simple-query batch can carry them safely.

/// `"name"`, with embedded double quotes doubled.
pub fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `E'text'`, with backslashes and quotes escaped, correct whatever `standard_conforming_strings` is.
pub fn literal(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 3);
    quoted.push_str("E'");
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("''"),
            _ => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_identifiers_and_literals() {
        assert_eq!(identifier("carafe_history"), "\"carafe_history\"");
        assert_eq!(identifier("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(literal("it's a \\ test"), "E'it''s a \\\\ test'");
    }
}
