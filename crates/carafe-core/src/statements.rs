//! `split_statements`: cut SQL into statements at top-level semicolons, the way PostgreSQL's own
//! lexer sees them. `transaction:false` sections need it (PostgreSQL runs a multi-statement query
//! string as one implicit transaction, which `CREATE INDEX CONCURRENTLY` refuses), and the checks
//! of a section's SQL read each statement's first words through it.
//!
//! A semicolon splits only outside quotes (`'...'`, `E'...'`, `U&'...'`, `"..."`, `$tag$...$tag$`),
//! comments (`--`, nested `/* */`), parentheses, and SQL-standard function bodies
//! (`BEGIN ATOMIC ... END` in `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE`, where a
//! `CASE ... END` inside does not close the body; psql draws the same line). String
//! literals are read as with `standard_conforming_strings = on`, PostgreSQL's default.

use std::ops::Range;

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
    let mut statements = Vec::new();
    let mut start = 0;
    let mut paren_depth = 0usize;
    // `BEGIN ATOMIC` opens a body; inside one, `CASE` opens a block and `END` closes the innermost.
    let mut block_depth = 0usize;
    let mut after_begin = false;
    let mut significant = false;
    // The first tokens of the statement, to tell a `CREATE FUNCTION` from anything else.
    let mut head: Vec<&str> = Vec::with_capacity(4);
    for token in tokens(sql) {
        let text = &sql[token.range.clone()];
        if !token.kind.is_significant() {
            continue;
        }
        let follows_begin = std::mem::take(&mut after_begin);
        if head.len() < 4 {
            head.push(text);
        }
        match token.kind {
            TokenKind::Semicolon if paren_depth == 0 && block_depth == 0 => {
                if significant {
                    push_statement(sql, start..token.range.start, &mut statements);
                }
                start = token.range.end;
                significant = false;
                head.clear();
                continue;
            }
            TokenKind::Open => paren_depth += 1,
            TokenKind::Close => paren_depth = paren_depth.saturating_sub(1),
            // Keywords count outside parentheses only, as in psql (a parenthesised `CASE ... END`
            // is balanced by itself).
            TokenKind::Word if paren_depth == 0 => {
                let is = |keyword: &str| text.eq_ignore_ascii_case(keyword);
                if is("begin") {
                    after_begin = creates_routine(&head);
                } else if (follows_begin && is("atomic")) || (block_depth > 0 && is("case")) {
                    block_depth += 1;
                } else if block_depth > 0 && is("end") {
                    block_depth -= 1;
                }
            }
            _ => {}
        }
        significant = true;
    }
    if significant {
        push_statement(sql, start..sql.len(), &mut statements);
    }
    statements
}

/// Whether a statement starting with `head` is `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE`.
fn creates_routine(head: &[&str]) -> bool {
    let is = |index: usize, word: &str| {
        head.get(index)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let routine = |index: usize| is(index, "function") || is(index, "procedure");
    is(0, "create") && (routine(1) || (is(1, "or") && is(2, "replace") && routine(3)))
}

fn push_statement<'a>(sql: &'a str, range: Range<usize>, statements: &mut Vec<Statement<'a>>) {
    let piece = &sql[range.clone()];
    let leading = piece.len() - piece.trim_start().len();
    statements.push(Statement {
        sql: piece.trim(),
        offset: range.start + leading,
    });
}

/// The words of `sql` (a statement) outside quotes, comments and psql meta-command lines, in
/// order, each with its byte offset in `sql`; parenthesised parts are left out. Tools that judge
/// a statement by its words (`carafe-import`: which statements refuse a transaction) read them
/// here, through the same lexer as the splitter.
pub fn top_level_words(sql: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut depth = 0usize;
    tokens(sql).filter_map(move |token| {
        match token.kind {
            TokenKind::Open => depth += 1,
            TokenKind::Close => depth = depth.saturating_sub(1),
            TokenKind::Word if depth == 0 => {
                return Some((token.range.start, &sql[token.range]));
            }
            _ => {}
        }
        None
    })
}

/// The words a statement starts with (its first word is its command), each with its byte offset
/// in `sql`, up to the first token that is no word; comments and psql meta-command lines are
/// skipped.
pub(crate) fn leading_words(sql: &str) -> impl Iterator<Item = (usize, &str)> {
    tokens(sql)
        .filter(|token| token.kind.is_significant() && token.kind != TokenKind::MetaCommand)
        .map_while(|token| {
            (token.kind == TokenKind::Word).then(|| (token.range.start, &sql[token.range]))
        })
}

/// The psql meta-command lines of `sql` (a line whose first non-blank character is `\`, outside
/// quotes and comments), each with its byte offset and its text up to the end of the line.
pub fn meta_commands(sql: &str) -> impl Iterator<Item = (usize, &str)> {
    tokens(sql)
        .filter(|token| token.kind == TokenKind::MetaCommand)
        .map(|token| (token.range.start, sql[token.range].trim_end()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    /// Spaces, tabs, newlines.
    Space,
    /// `-- ...` to the end of the line, or a (nested) `/* ... */`.
    Comment,
    /// A string or quoted identifier of any form, or a dollar-quoted string.
    Quoted,
    /// An identifier, keyword or number.
    Word,
    Semicolon,
    Open,
    Close,
    /// A psql meta-command: from a `\` that starts a line to the end of the line.
    MetaCommand,
    /// Any other character (operators, `,`, `.`, a `$1` parameter's `$`).
    Other,
}

impl TokenKind {
    fn is_significant(self) -> bool {
        !matches!(self, TokenKind::Space | TokenKind::Comment)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    kind: TokenKind,
    range: Range<usize>,
}

/// The tokens of `sql`, covering it end to end. Every boundary falls on an ASCII byte or the end,
/// so each range slices `sql` safely.
fn tokens(sql: &str) -> impl Iterator<Item = Token> + '_ {
    let bytes = sql.as_bytes();
    let mut index = 0;
    std::iter::from_fn(move || {
        if index >= bytes.len() {
            return None;
        }
        let start = index;
        let (kind, end) = next_token(sql, start);
        index = end.clamp(start + 1, bytes.len());
        Some(Token {
            kind,
            range: start..index,
        })
    })
}

fn next_token(sql: &str, start: usize) -> (TokenKind, usize) {
    let bytes = sql.as_bytes();
    let byte = bytes[start];
    let next = bytes.get(start + 1).copied();
    match byte {
        b';' => (TokenKind::Semicolon, start + 1),
        b'(' => (TokenKind::Open, start + 1),
        b')' => (TokenKind::Close, start + 1),
        b'\'' => (TokenKind::Quoted, skip_quoted(bytes, start, b'\'', false)),
        b'"' => (TokenKind::Quoted, skip_quoted(bytes, start, b'"', false)),
        b'-' if next == Some(b'-') => (TokenKind::Comment, skip_line(bytes, start)),
        b'/' if next == Some(b'*') => (TokenKind::Comment, skip_block_comment(bytes, start)),
        b'$' => match dollar_quote_end(sql, start) {
            Some(end) => (TokenKind::Quoted, end),
            None => (TokenKind::Other, start + 1),
        },
        b'\\' if starts_line(bytes, start) => (TokenKind::MetaCommand, skip_line(bytes, start)),
        byte if byte.is_ascii_whitespace() => {
            let end = bytes[start..]
                .iter()
                .position(|byte| !byte.is_ascii_whitespace())
                .map_or(bytes.len(), |offset| start + offset);
            (TokenKind::Space, end)
        }
        byte if is_word_byte(byte) => {
            let end = bytes[start..]
                .iter()
                .position(|&byte| !is_word_byte(byte))
                .map_or(bytes.len(), |offset| start + offset);
            // `E'...'` (or `e'...'`): a string where backslash escapes.
            if end == start + 1 && matches!(byte, b'E' | b'e') && bytes.get(end) == Some(&b'\'') {
                return (TokenKind::Quoted, skip_quoted(bytes, end, b'\'', true));
            }
            (TokenKind::Word, end)
        }
        _ => (TokenKind::Other, start + 1),
    }
}

/// Identifier characters: ASCII letters, digits, `_`, `$` (after the first) and any non-ASCII byte.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

/// Whether only blanks stand between the start of the line and `index`.
fn starts_line(bytes: &[u8], index: usize) -> bool {
    bytes[..index]
        .iter()
        .rev()
        .take_while(|&&byte| byte != b'\n')
        .all(|&byte| matches!(byte, b' ' | b'\t' | b'\r'))
}

/// The end of the quoted text opening at `open`; a doubled quote stands for itself, and with
/// `backslash` a backslash escapes the next byte.
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

/// The end of the dollar-quoted string opening at `start` (`$$` or `$tag$`, where the tag is an
/// identifier without `$`), or `None` when the `$` opens none (`$1`, a lone `$`).
fn dollar_quote_end(sql: &str, start: usize) -> Option<usize> {
    let bytes = sql.as_bytes();
    let tag_start = start + 1;
    let tag_len = bytes[tag_start..]
        .iter()
        .position(|&byte| !(byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80))
        .unwrap_or(bytes.len() - tag_start);
    let tag_end = tag_start + tag_len;
    if bytes.get(tag_end) != Some(&b'$') || bytes.get(tag_start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let delimiter = &sql[start..=tag_end];
    let body_start = tag_end + 1;
    Some(match sql[body_start..].find(delimiter) {
        Some(offset) => body_start + offset + delimiter.len(),
        None => sql.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(sql: &str, expected: &[&str]) {
        let statements = split_statements(sql);
        let texts: Vec<&str> = statements.iter().map(|s| s.sql).collect();
        assert_eq!(texts, expected, "{sql}");
        for statement in &statements {
            assert_eq!(
                &sql[statement.offset..statement.offset + statement.sql.len()],
                statement.sql
            );
        }
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        check("select 1; select 2;", &["select 1", "select 2"]);
        check(
            "select ';' ; select 'it''s;'",
            &["select ';'", "select 'it''s;'"],
        );
        check(
            "select E'a\\';b'; select e'\\\\'; select 'c\\'; select 2",
            &[
                "select E'a\\';b'",
                "select e'\\\\'",
                "select 'c\\'",
                "select 2",
            ],
        );
        check("select \"a;b\" from t;", &["select \"a;b\" from t"]);
        check("select \"a\"\";b\";", &["select \"a\"\";b\""]);
        check(
            "select U&'d\\0061t;a'; select U&\"x;\"\"y\"; select 3",
            &["select U&'d\\0061t;a'", "select U&\"x;\"\"y\"", "select 3"],
        );
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
    fn dollar_signs_inside_words_and_parameters_open_no_quote() {
        check(
            "select a$b$c from t; select 1",
            &["select a$b$c from t", "select 1"],
        );
        check(
            "prepare p as select $1, $2; select 2",
            &["prepare p as select $1, $2", "select 2"],
        );
        check(
            "select $a$ ; $b$ ; $a$; select 2",
            &["select $a$ ; $b$ ; $a$", "select 2"],
        );
        check("select $é$;$é$; select 2", &["select $é$;$é$", "select 2"]);
    }

    #[test]
    fn parentheses_and_function_bodies_hold_their_semicolons() {
        check(
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); select 1",
            &[
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
                "select 1",
            ],
        );
        check(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; select 3",
            &[
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
                "select 3",
            ],
        );
        check(
            "create procedure p(x int) language sql begin /* c */ atomic\n  insert into t values (case when x > 0 then 1 else case x when 0 then 0 end end);\n  select case x when 1 then 'end;' end;\nend;\nselect 4;",
            &[
                "create procedure p(x int) language sql begin /* c */ atomic\n  insert into t values (case when x > 0 then 1 else case x when 0 then 0 end end);\n  select case x when 1 then 'end;' end;\nend",
                "select 4",
            ],
        );
        // `BEGIN` alone is the transaction statement; `CASE ... END` outside a body changes nothing.
        check(
            "begin; select case when true then 1 end; commit;",
            &["begin", "select case when true then 1 end", "commit"],
        );
        check(
            "select \"begin\" atomic; select 'begin atomic'; select 2",
            &[
                "select \"begin\" atomic",
                "select 'begin atomic'",
                "select 2",
            ],
        );
        // Only a routine has a body: elsewhere `begin atomic` are two names.
        check(
            "select begin atomic from t; create table x (c int); select 2",
            &[
                "select begin atomic from t",
                "create table x (c int)",
                "select 2",
            ],
        );
        check("select (1;", &["select (1;"]);
        check("select 1); select 2", &["select 1)", "select 2"]);
    }

    /// Real files, as projects write them.
    #[test]
    fn real_project_files() {
        check(
            "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\n\nCREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $function$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$function$;\n\n--\n-- Name: t; Type: TABLE\n--\n\nCREATE TABLE public.t (\n    id integer NOT NULL,\n    note text DEFAULT 'a;b'::text\n);\n",
            &[
                "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0",
                "SET client_encoding = 'UTF8'",
                "SET standard_conforming_strings = on",
                "SELECT pg_catalog.set_config('search_path', '', false)",
                "SET check_function_bodies = false",
                "CREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $function$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$function$",
                "--\n-- Name: t; Type: TABLE\n--\n\nCREATE TABLE public.t (\n    id integer NOT NULL,\n    note text DEFAULT 'a;b'::text\n)",
            ],
        );
        check(
            "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP\n    EXECUTE format('ALTER TABLE %I OWNER TO app;', r.tablename);\n  END LOOP;\nEND\n$$;\nCREATE INDEX i ON t (c);",
            &[
                "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP\n    EXECUTE format('ALTER TABLE %I OWNER TO app;', r.tablename);\n  END LOOP;\nEND\n$$",
                "CREATE INDEX i ON t (c)",
            ],
        );
        check(
            "CREATE RULE protect AS ON DELETE TO accounts DO INSTEAD (UPDATE accounts SET deleted = true WHERE id = old.id; NOTIFY accounts);\nCREATE OR REPLACE FUNCTION public.grade(score integer) RETURNS text\n    LANGUAGE sql IMMUTABLE\nBEGIN ATOMIC\n SELECT\n         CASE\n             WHEN (grade.score >= 90) THEN 'A'::text\n             ELSE 'B'::text\n         END AS \"case\";\nEND;\nALTER FUNCTION public.grade(integer) OWNER TO app;",
            &[
                "CREATE RULE protect AS ON DELETE TO accounts DO INSTEAD (UPDATE accounts SET deleted = true WHERE id = old.id; NOTIFY accounts)",
                "CREATE OR REPLACE FUNCTION public.grade(score integer) RETURNS text\n    LANGUAGE sql IMMUTABLE\nBEGIN ATOMIC\n SELECT\n         CASE\n             WHEN (grade.score >= 90) THEN 'A'::text\n             ELSE 'B'::text\n         END AS \"case\";\nEND",
                "ALTER FUNCTION public.grade(integer) OWNER TO app",
            ],
        );
    }

    #[test]
    fn words_and_meta_commands_are_read_outside_quotes() {
        let words = |sql| -> Vec<&str> { leading_words(sql).map(|(_, word)| word).collect() };
        assert_eq!(
            words("-- c\n/* d */ ROLLBACK TO SAVEPOINT s"),
            ["ROLLBACK", "TO", "SAVEPOINT", "s"]
        );
        assert_eq!(
            words("\\connect db\ncommit prepared 'x'"),
            ["commit", "prepared"]
        );
        let top: Vec<&str> = top_level_words("copy t (a, b) from stdin")
            .map(|(_, word)| word)
            .collect();
        assert_eq!(top, ["copy", "t", "from", "stdin"]);
        let metas: Vec<(usize, &str)> =
            meta_commands("\\restrict abc\nselect '\n\\x';\n  \\i other.sql\nselect 1 \\g")
                .collect();
        assert_eq!(metas, [(0, "\\restrict abc"), (30, "\\i other.sql")]);
    }

    /// One piece of a generated statement, with no `;` outside quotes, comments, parentheses and
    /// bodies.
    fn piece(bodies: bool) -> impl Strategy<Value = String> {
        let text = "[a-z;'\"$()\\\\ */-]{0,8}";
        let word = "[a-zA-Z_][a-zA-Z0-9_$]{0,5}".prop_filter("no block keyword", |word| {
            !["begin", "atomic", "case", "end", "e"]
                .iter()
                .any(|keyword| word.eq_ignore_ascii_case(keyword))
        });
        let tag = "([a-z_][a-z0-9_]{0,3})?";
        let leaf = prop_oneof![
            word.prop_map(|word| word.to_string()),
            text.prop_map(|t| format!("'{}'", t.replace('\'', "''"))),
            text.prop_map(|t| format!("E'{}'", t.replace('\\', "\\\\").replace('\'', "\\'"))),
            text.prop_map(|t| format!("e'{}'", t.replace('\'', "''").replace('\\', "\\\\"))),
            text.prop_map(|t| format!("U&'{}'", t.replace('\'', "''"))),
            text.prop_map(|t| format!("\"{}\"", t.replace('"', "\"\""))),
            text.prop_map(|t| format!("U&\"{}\"", t.replace('"', "\"\""))),
            (tag, text)
                .prop_map(|(tag, t)| (format!("${tag}$"), t))
                .prop_filter("body holds no delimiter", |(delimiter, t)| {
                    format!("{t}{delimiter}").find(delimiter.as_str()) == Some(t.len())
                })
                .prop_map(|(delimiter, t)| format!("{delimiter}{t}{delimiter}")),
            "[1-9]".prop_map(|digit| format!("${digit}")),
            "[^\n]{0,8}".prop_map(|t| format!("-- {t}\n")),
            text.prop_filter("no comment marks", |t| !t.contains("/*")
                && !t.contains("*/"))
                .prop_map(|t| format!("/* {t} /* {t} */ */")),
            prop_oneof![Just(","), Just("="), Just("::"), Just("."), Just("+")]
                .prop_map(str::to_owned),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            let pieces = proptest::collection::vec(inner, 1..4).prop_map(|p| p.join(" "));
            let parenthesised = proptest::collection::vec(pieces.clone(), 1..3)
                .prop_map(|statements| format!("({})", statements.join("; ")));
            let body = (proptest::collection::vec(pieces.clone(), 1..3), pieces).prop_map(
                |(statements, case_body)| {
                    format!(
                        "BEGIN ATOMIC {}; select CASE {case_body} END; End",
                        statements.join("; ")
                    )
                },
            );
            match bodies {
                true => prop_oneof![parenthesised, body].boxed(),
                false => parenthesised.boxed(),
            }
        })
    }

    /// A statement of generated pieces; only a routine's may hold a `BEGIN ATOMIC` body.
    fn statement() -> impl Strategy<Value = String> {
        let pieces = |bodies| {
            proptest::collection::vec(piece(bodies), 0..6).prop_map(|pieces| pieces.join(" "))
        };
        prop_oneof![
            pieces(false).prop_map(|pieces| format!("select {pieces} x")),
            pieces(true).prop_map(|pieces| format!("create function f() {pieces} x")),
            pieces(true).prop_map(|pieces| format!("CREATE OR REPLACE PROCEDURE p() {pieces} x")),
        ]
    }

    proptest! {
        /// Statements built from every quoting form, comment, parenthesis and body, joined with
        /// `;`, split back into exactly those statements, at their offsets.
        #[test]
        fn joined_statements_split_back(
            statements in proptest::collection::vec(statement(), 0..5),
            separator in "[ \n]{0,2}",
            trailing in any::<bool>(),
        ) {
            let mut sql = statements.join(&format!(";{separator}"));
            if trailing {
                sql.push(';');
            }
            let split = split_statements(&sql);
            let texts: Vec<&str> = split.iter().map(|s| s.sql).collect();
            prop_assert_eq!(&texts, &statements, "{}", sql);
            for statement in &split {
                prop_assert!(sql[statement.offset..].starts_with(statement.sql));
            }
        }
    }
}
