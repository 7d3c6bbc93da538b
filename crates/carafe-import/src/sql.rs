//! The SQL rules every source shares: a `BEGIN`/`COMMIT` wrapper the source tool needed is removed
//! (carafe refuses transaction control in a section it wraps), a script with a statement
//! PostgreSQL refuses inside a transaction gets `transaction:false`, and transaction control
//! carafe cannot reproduce is refused. Statements are found with `carafe_core::split_statements`
//! and judged by their words through the same lexer, never with patterns over the raw text.

use crate::Tool;
use carafe_core::{
    Statement, Transaction, split_statements, top_level_words, transaction_control_statement,
};

/// How the source tool runs a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceMode {
    /// In a transaction of its own (sqlx, diesel, refinery, dbmate, goose, Flyway by default).
    Wrapped,
    /// Outside a transaction, because the script or its settings say so; `flag` is that setting
    /// as written in the source (`-- no-transaction`, `transaction:false`, ...).
    NoTransaction {
        /// The setting, as the source spells it.
        flag: &'static str,
    },
    /// As one query string with no transaction of the tool's own (golang-migrate): PostgreSQL runs
    /// a multi-statement query as one implicit transaction, unless the script controls it.
    OneQuery,
}

/// A section ready to write: its SQL, how it runs, and what was decided on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Prepared {
    pub(crate) sql: String,
    pub(crate) transaction: Transaction,
    pub(crate) decisions: Vec<String>,
}

/// Whether `sql` holds no statement at all (whitespace and comments only).
pub(crate) fn is_empty(sql: &str) -> bool {
    split_statements(sql).is_empty()
}

/// `sql` as a carafe section, for a script `tool` runs in `mode`; `Err` with the reason and the
/// fix when carafe cannot run it the way the tool did.
pub(crate) fn prepare(
    tool: Tool,
    sql: &str,
    mode: SourceMode,
    place: Place,
) -> Result<Prepared, String> {
    let statement_line = |sql: &str, statement: &Statement<'_>| place.line(sql, statement);
    let statements = split_statements(sql);
    let controls: Vec<(usize, &'static str)> = statements
        .iter()
        .enumerate()
        .filter_map(|(index, statement)| {
            transaction_control_statement(statement.sql).map(|command| (index, command))
        })
        .collect();
    let mut decisions = Vec::new();
    let last = statements.len().saturating_sub(1);
    let is_wrapper = match controls.as_slice() {
        [(0, open), (close_index, close)] => {
            *close_index == last
                && last > 0
                && matches!(*open, "BEGIN" | "START TRANSACTION")
                && matches!(*close, "COMMIT" | "END")
        }
        _ => false,
    };
    if is_wrapper {
        let open = &statements[0];
        let close = &statements[last];
        let stripped = remove_statements(sql, &[open, close]);
        if let Some((statement, refused)) = first_refusing_transaction(&statements) {
            return Err(format!(
                "`{refused}` at {} runs inside the file's own `{}`...`{}`, which PostgreSQL refuses: fix the source migration first",
                statement_line(sql, statement),
                controls[0].1,
                controls[1].1
            ));
        }
        decisions.push(format!(
            "removed the `{}` ({}) ... `{}` ({}) wrapper: carafe runs the revision in a transaction of its own",
            controls[0].1,
            statement_line(sql, open),
            controls[1].1,
            statement_line(sql, close)
        ));
        return Ok(Prepared {
            sql: tidy(&stripped),
            transaction: Transaction::Wrapped,
            decisions,
        });
    }
    let opens = |&(index, command): &(usize, &str)| {
        index == 0 && matches!(command, "BEGIN" | "START TRANSACTION")
    };
    let closes =
        |&(index, command): &(usize, &str)| index == last && matches!(command, "COMMIT" | "END");
    let inner = controls
        .iter()
        .find(|control| !opens(control) && !closes(control))
        .or(controls.first());
    if let Some(&(index, command)) = inner {
        let line = statement_line(sql, &statements[index]);
        let (first_index, first_command) = controls[0];
        let first_line = statement_line(sql, &statements[first_index]);
        return match mode {
            SourceMode::Wrapped => Err(format!(
                "`{command}` at {line} ends the transaction {tool} runs the migration in, half-way through: carafe cannot reproduce that; split the migration in two at that line, or remove the transaction control"
            )),
            SourceMode::NoTransaction { .. } | SourceMode::OneQuery => {
                decisions.push(format!(
                    "kept its own transaction control (`{first_command}` at {first_line}, ...): runs outside carafe's transaction (`transaction:false`), statement by statement, as {tool} ran it"
                ));
                Ok(Prepared {
                    sql: tidy(sql),
                    transaction: Transaction::Disabled,
                    decisions,
                })
            }
        };
    }
    if let Some((statement, refused)) = first_refusing_transaction(&statements) {
        decisions.push(format!(
            "`{refused}` at {} cannot run inside a transaction: `transaction:false`",
            statement_line(sql, statement)
        ));
        return Ok(Prepared {
            sql: tidy(sql),
            transaction: Transaction::Disabled,
            decisions,
        });
    }
    let transaction = match mode {
        SourceMode::Wrapped => Transaction::Wrapped,
        SourceMode::NoTransaction { flag } => {
            decisions.push(format!(
                "carried `{flag}`: runs outside a transaction (`transaction:false`)"
            ));
            Transaction::Disabled
        }
        SourceMode::OneQuery => {
            decisions.push(format!(
                "{tool} sends the file as one query, which PostgreSQL runs as one transaction: carafe wraps it in a transaction"
            ));
            Transaction::Wrapped
        }
    };
    Ok(Prepared {
        sql: tidy(sql),
        transaction,
        decisions,
    })
}

/// The first statement PostgreSQL refuses to run inside a transaction block, with its command.
fn first_refusing_transaction<'a>(
    statements: &'a [Statement<'a>],
) -> Option<(&'a Statement<'a>, &'static str)> {
    statements.iter().find_map(|statement| {
        refuses_transaction(statement.sql).map(|command| (statement, command))
    })
}

/// The command of a statement that cannot run inside a transaction block (PostgreSQL's
/// `PreventInTransactionBlock`), or `None`.
pub(crate) fn refuses_transaction(statement: &str) -> Option<&'static str> {
    let words: Vec<String> = top_level_words(statement)
        .map(|(_, word)| word.to_ascii_uppercase())
        .collect();
    let word = |index: usize| words.get(index).map(String::as_str);
    let has = |wanted: &str| words.iter().any(|word| word == wanted);
    match (word(0), word(1), word(2)) {
        (Some("CREATE"), Some("INDEX"), Some("CONCURRENTLY"))
        | (Some("CREATE"), Some("UNIQUE"), Some("INDEX"))
            if has("CONCURRENTLY") =>
        {
            Some("CREATE INDEX CONCURRENTLY")
        }
        (Some("DROP"), Some("INDEX"), Some("CONCURRENTLY")) => Some("DROP INDEX CONCURRENTLY"),
        (Some("REINDEX"), _, _) if has("CONCURRENTLY") => Some("REINDEX ... CONCURRENTLY"),
        (Some("ALTER"), Some("TABLE"), _) if has("DETACH") && has("CONCURRENTLY") => {
            Some("ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY")
        }
        (Some("VACUUM"), _, _) => Some("VACUUM"),
        (Some("ALTER"), Some("SYSTEM"), _) => Some("ALTER SYSTEM"),
        (Some("CREATE"), Some("DATABASE"), _) => Some("CREATE DATABASE"),
        (Some("DROP"), Some("DATABASE"), _) => Some("DROP DATABASE"),
        (Some("CREATE"), Some("TABLESPACE"), _) => Some("CREATE TABLESPACE"),
        (Some("DROP"), Some("TABLESPACE"), _) => Some("DROP TABLESPACE"),
        (Some("ALTER"), Some("DATABASE"), _) if has("TABLESPACE") => {
            Some("ALTER DATABASE ... SET TABLESPACE")
        }
        (Some("CREATE"), Some("SUBSCRIPTION"), _) => Some("CREATE SUBSCRIPTION"),
        (Some("DROP"), Some("SUBSCRIPTION"), _) => Some("DROP SUBSCRIPTION"),
        _ => None,
    }
}

/// `sql` without these statements, each removed with its semicolon, and its line when nothing
/// else is on it.
fn remove_statements(sql: &str, statements: &[&Statement<'_>]) -> String {
    let mut ranges: Vec<(usize, usize)> = statements
        .iter()
        .map(|statement| {
            let first_word = top_level_words(statement.sql)
                .next()
                .map_or(0, |(offset, _)| offset);
            let mut start = statement.offset + first_word;
            let line_start = sql[..start].rfind('\n').map_or(0, |newline| newline + 1);
            if sql[line_start..start].trim().is_empty() {
                start = line_start;
            }
            let mut end = statement.offset + statement.sql.len();
            let after = &sql[end..];
            let spaces = after.len() - after.trim_start_matches([' ', '\t', '\r', '\n']).len();
            if after[spaces..].starts_with(';') {
                end += spaces + 1;
            }
            let rest = &sql[end..];
            let line_end = rest.find('\n').map_or(rest.len(), |newline| newline + 1);
            if rest[..line_end].trim().is_empty() {
                end += line_end;
            }
            (start, end)
        })
        .collect();
    ranges.sort_unstable();
    let mut text = String::with_capacity(sql.len());
    let mut position = 0;
    for (start, end) in ranges {
        if start >= position {
            text.push_str(&sql[position..start]);
        }
        position = position.max(end);
    }
    text.push_str(&sql[position.min(sql.len())..]);
    text
}

/// Blank lines at the start and whitespace at the end removed, one newline added.
fn tidy(sql: &str) -> String {
    let start = sql
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(sql.len(), |(index, _)| {
            sql[..index].rfind('\n').map_or(0, |newline| newline + 1)
        });
    let trimmed = sql[start..].trim_end();
    match trimmed.is_empty() {
        true => String::new(),
        false => format!("{trimmed}\n"),
    }
}

/// Where a script's text is: a whole file, or one section of a file that holds both directions
/// (dbmate, goose), whose lines are counted from the section's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The script is the whole file.
    File,
    /// The script is the `up` or `down` section of its file.
    Section(&'static str),
}

impl Place {
    /// `line 3` or `line 3 of the up section`: where a statement's first word is (a statement may
    /// begin with comments).
    fn line(self, sql: &str, statement: &Statement<'_>) -> String {
        let first_word = top_level_words(statement.sql)
            .next()
            .map_or(0, |(offset, _)| offset);
        let line = line_of(sql, statement.offset + first_word);
        match self {
            Place::File => format!("line {line}"),
            Place::Section(direction) => format!("line {line} of the {direction} section"),
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, mode: SourceMode, expected_sql: &str, transaction: Transaction) {
        let prepared = prepare(Tool::GolangMigrate, sql, mode, Place::File).expect("prepares");
        assert_eq!(prepared.sql, expected_sql, "{sql}");
        assert_eq!(prepared.transaction, transaction, "{sql}");
    }

    #[test]
    fn a_wrapper_is_removed_with_its_lines() {
        check(
            "BEGIN;\n\nCREATE TABLE t (c int);\nINSERT INTO t VALUES (1);\n\nCOMMIT;\n",
            SourceMode::OneQuery,
            "CREATE TABLE t (c int);\nINSERT INTO t VALUES (1);\n",
            Transaction::Wrapped,
        );
        check(
            "-- header\nstart transaction;\ncreate table t (c int);\nend;",
            SourceMode::Wrapped,
            "-- header\ncreate table t (c int);\n",
            Transaction::Wrapped,
        );
    }

    #[test]
    fn words_in_quotes_bodies_and_comments_are_no_wrapper() {
        let sql = "create function f() returns void language plpgsql as $$\nbegin\n  perform 1;\nend\n$$;\nselect 'begin; commit;';\n-- commit;\n";
        check(sql, SourceMode::Wrapped, sql, Transaction::Wrapped);
    }

    #[test]
    fn statements_that_refuse_a_transaction_turn_it_off() {
        for sql in [
            "create index concurrently i on t (c);",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);",
            "drop index concurrently i;",
            "reindex (verbose) index concurrently i;",
            "vacuum analyze t;",
            "alter system set work_mem = '8MB';",
            "alter table p detach partition c concurrently;",
        ] {
            let prepared =
                prepare(Tool::Sqlx, sql, SourceMode::Wrapped, Place::File).expect("prepares");
            assert_eq!(prepared.transaction, Transaction::Disabled, "{sql}");
        }
        let prepared = prepare(
            Tool::Sqlx,
            "create index i on t (c);",
            SourceMode::Wrapped,
            Place::File,
        )
        .expect("prepares");
        assert_eq!(prepared.transaction, Transaction::Wrapped);
    }

    #[test]
    fn transaction_control_is_kept_outside_a_transaction_and_refused_inside_one() {
        let sql = "begin;\nselect 1;\ncommit;\ncreate index concurrently i on t (c);\n";
        check(sql, SourceMode::OneQuery, sql, Transaction::Disabled);
        let error =
            prepare(Tool::Sqlx, sql, SourceMode::Wrapped, Place::File).expect_err("refused");
        assert!(
            error.starts_with("`COMMIT` at line 3 ends the transaction sqlx runs"),
            "{error}"
        );
        let error = prepare(
            Tool::GolangMigrate,
            "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (c);\nCOMMIT;\n",
            SourceMode::OneQuery,
            Place::File,
        )
        .expect_err("refused");
        assert!(
            error.contains("`CREATE INDEX CONCURRENTLY` at line 2"),
            "{error}"
        );
    }
}
