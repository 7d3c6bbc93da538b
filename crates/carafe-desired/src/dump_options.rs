//! The `OPTIONS (` blocks of a dump (foreign-data wrappers, servers, user mappings, foreign tables,
//! one item a line): in the normal form dumps are compared in, the items in name order and the
//! secret ones left out, since carafe never writes, compares or drops a secret option
//! ([`carafe_schema::model::is_secret_option`]); and any line shown to a person with a secret's
//! value hidden.

use carafe_schema::model::is_secret_option;

/// `dump` with the items of every multi-line `OPTIONS (` block in name order, secrets left out (and
/// a block left empty removed, as pg_dump prints an object without options).
pub(crate) fn normal(dump: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in dump.lines() {
        match &mut block {
            Some(items) if line.starts_with(')') => {
                close(&mut lines, items, line);
                block = None;
            }
            Some(items) => items.push(line.trim().trim_end_matches(',')),
            None => {
                lines.push(line.to_owned());
                if line.ends_with("OPTIONS (") {
                    block = Some(Vec::new());
                }
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Ends a block at its `closing` line.
fn close(lines: &mut Vec<String>, items: &mut Vec<&str>, closing: &str) {
    items.retain(|item| !is_secret_option(option_name(item)));
    items.sort_unstable();
    if !items.is_empty() {
        let last = items.len() - 1;
        for (at, item) in items.iter().enumerate() {
            let comma = if at == last { "" } else { "," };
            lines.push(format!("    {item}{comma}"));
        }
        lines.push(closing.to_owned());
        return;
    }
    let rest = closing.trim_start_matches(')');
    let opening = lines.pop().unwrap_or_default();
    let before = opening.trim_end_matches("OPTIONS (").trim_end();
    match (before.is_empty(), lines.last_mut()) {
        (true, Some(previous)) => previous.push_str(rest),
        _ => lines.push(format!("{before}{rest}")),
    }
}

/// The name of an option item (`"user" 'reader'` → `user`).
fn option_name(item: &str) -> &str {
    let name = match item.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or_default(),
        None => item.split(' ').next().unwrap_or_default(),
    };
    name.trim()
}

/// `line` as it may be shown: an option item of a secret (`password 'x'`) with its value hidden.
pub(crate) fn redacted(line: &str) -> String {
    let item = line.trim().trim_end_matches(',');
    let name = option_name(item);
    let quotes = if item.starts_with('"') { 2 } else { 0 };
    let value = item
        .get(name.len() + quotes..)
        .map(str::trim_start)
        .unwrap_or_default();
    match value.starts_with('\'') && is_secret_option(name) {
        true => {
            let indent = &line[..line.len() - line.trim_start().len()];
            let comma = if line.trim_end().ends_with(',') {
                ","
            } else {
                ""
            };
            format!("{indent}{name} '(secret)'{comma}")
        }
        false => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_order_is_no_difference_and_secrets_are_left_out() {
        let mapping = "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (\n    password 'p1',\n    \"user\" 'reader'\n);\n";
        let reordered = "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (\n    \"user\" 'reader',\n    password 'p2'\n);\n";
        assert_eq!(normal(mapping), normal(reordered));
        assert_eq!(
            normal(mapping),
            "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (\n    \"user\" 'reader'\n);\n"
        );
        let only_secret = "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (\n    api_key 'k'\n);\n";
        assert_eq!(
            normal(only_secret),
            "CREATE SERVER s FOREIGN DATA WRAPPER w;\n"
        );
        let table = "CREATE FOREIGN TABLE public.t (\n    id integer\n)\nSERVER s\nOPTIONS (\n    token 't'\n);\n";
        assert_eq!(
            normal(table),
            "CREATE FOREIGN TABLE public.t (\n    id integer\n)\nSERVER s;\n"
        );
        assert_ne!(
            normal(mapping),
            normal(&mapping.replace("reader", "writer"))
        );
    }

    #[test]
    fn a_secret_shown_is_hidden() {
        assert_eq!(
            redacted("    password 'hunter2',"),
            "    password '(secret)',"
        );
        assert_eq!(redacted("    \"Password\" 'x'"), "    Password '(secret)'");
        assert_eq!(redacted("    \"password\" text"), "    \"password\" text");
        assert_eq!(redacted("    host 'db'"), "    host 'db'");
        assert_eq!(redacted("    password text,"), "    password text,");
        assert_eq!(
            redacted("CREATE TABLE password (id integer);"),
            "CREATE TABLE password (id integer);"
        );
    }
}
