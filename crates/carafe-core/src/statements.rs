//! `split_statements`: cut SQL into statements at top-level semicolons, respecting quotes, dollar
//! quotes and comments. `transaction:false` sections need it: PostgreSQL runs a multi-statement
//! query string as one implicit transaction, which `CREATE INDEX CONCURRENTLY` refuses.

/// A statement and the byte offset where it starts in the text it was cut from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement, without its terminating semicolon, trimmed.
    pub sql: &'a str,
    /// Byte offset of `sql` in the original text (to map an error back to a line).
    pub offset: usize,
}

/// The statements of `sql`, in order; empty statements (only whitespace and comments) are dropped.
pub fn split_statements(sql: &str) -> Vec<Statement<'_>> {
    let bytes = sql.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        index = match bytes[index] {
            b';' => {
                push_statement(sql, start, index, &mut statements);
                start = index + 1;
                index + 1
            }
            b'\'' => skip_quoted(bytes, index, b'\'', backslash_escapes(bytes, index)),
            b'"' => skip_quoted(bytes, index, b'"', false),
            b'-' if bytes.get(index + 1) == Some(&b'-') => skip_line(bytes, index),
            b'/' if bytes.get(index + 1) == Some(&b'*') => skip_block_comment(bytes, index),
            b'$' => skip_dollar_quoted(sql, index),
            _ => index + 1,
        };
    }
    push_statement(sql, start, bytes.len(), &mut statements);
    statements
}

fn push_statement<'a>(sql: &'a str, start: usize, end: usize, statements: &mut Vec<Statement<'a>>) {
    let piece = &sql[start..end.min(sql.len())];
    let trimmed_start = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !is_only_comments(trimmed) {
        statements.push(Statement {
            sql: trimmed,
            offset: start + trimmed_start,
        });
    }
}

fn is_only_comments(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        index = match bytes[index] {
            byte if byte.is_ascii_whitespace() => index + 1,
            b'-' if bytes.get(index + 1) == Some(&b'-') => skip_line(bytes, index),
            b'/' if bytes.get(index + 1) == Some(&b'*') => skip_block_comment(bytes, index),
            _ => return false,
        };
    }
    true
}

/// Whether the quote at `index` opens an `E'...'` string, where backslash escapes a quote.
fn backslash_escapes(bytes: &[u8], index: usize) -> bool {
    index > 0
        && matches!(bytes[index - 1], b'E' | b'e')
        && (index < 2 || !(bytes[index - 2].is_ascii_alphanumeric() || bytes[index - 2] == b'_'))
}

fn skip_quoted(bytes: &[u8], open: usize, quote: u8, backslash: bool) -> usize {
    let mut index = open + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if backslash => index += 2,
            byte if byte == quote && bytes.get(index + 1) == Some(&quote) => index += 2,
            byte if byte == quote => return index + 1,
            _ => index += 1,
        }
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(bytes.len(), |offset| start + offset + 1)
}

/// Block comments nest in PostgreSQL.
fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut index = start;
    while index < bytes.len() {
        if bytes[index] == b'/' && bytes.get(index + 1) == Some(&b'*') {
            depth += 1;
            index += 2;
        } else if bytes[index] == b'*' && bytes.get(index + 1) == Some(&b'/') {
            depth -= 1;
            index += 2;
            if depth == 0 {
                return index;
            }
        } else {
            index += 1;
        }
    }
    bytes.len()
}

/// `$tag$ ... $tag$` (the tag may be empty); a `$` that opens no quote (`$1`) is skipped alone.
fn skip_dollar_quoted(sql: &str, start: usize) -> usize {
    let rest = &sql[start + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let opens = rest[tag_len..].starts_with('$')
        && !rest[..tag_len].starts_with(|c: char| c.is_ascii_digit());
    if !opens {
        return start + 1;
    }
    let delimiter = &sql[start..start + tag_len + 2];
    let body_start = start + delimiter.len();
    match sql[body_start..].find(delimiter) {
        Some(offset) => body_start + offset + delimiter.len(),
        None => sql.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: &[&str]) {
        let statements: Vec<&str> = split_statements(sql).iter().map(|s| s.sql).collect();
        assert_eq!(statements, expected, "{sql}");
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        check("select 1; select 2;", &["select 1", "select 2"]);
        check(
            "select ';' ; select 'it''s;'",
            &["select ';'", "select 'it''s;'"],
        );
        check(
            "select E'a\\';b'; select 2",
            &["select E'a\\';b'", "select 2"],
        );
        check("select \"a;b\" from t;", &["select \"a;b\" from t"]);
        check(
            "-- a; comment\nselect 1; /* x; /* nested; */ y; */ select 2;",
            &[
                "-- a; comment\nselect 1",
                "/* x; /* nested; */ y; */ select 2",
            ],
        );
        check(
            "create function f() returns int as $body$ begin return 1; end; $body$ language plpgsql; select $1",
            &[
                "create function f() returns int as $body$ begin return 1; end; $body$ language plpgsql",
                "select $1",
            ],
        );
        check(
            "do $$ begin perform 1; end $$;",
            &["do $$ begin perform 1; end $$"],
        );
        check("  ;\n-- only a comment\n;", &[]);
        check("select 'unterminated; ", &["select 'unterminated;"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let sql = "select 1;\n  create index concurrently i on t (c);";
        let statements = split_statements(sql);
        assert_eq!(
            &sql[statements[1].offset..statements[1].offset + 6],
            "create"
        );
    }
}
