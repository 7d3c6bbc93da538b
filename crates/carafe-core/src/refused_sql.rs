//! What a section's SQL may not hold, found statement by statement through the splitter: transaction
//! control in a section carafe wraps in its own transaction, psql meta-commands, and
//! `COPY ... FROM STDIN`, whose rows would have to come from the client.

use crate::migration::{Section, Transaction};
use crate::parse::LineProblem;
use crate::problem::ProblemKind;
use crate::statements::{leading_words, meta_commands, split_statements};

/// The problems of one section's SQL, each at the line of its statement (or meta-command line).
/// `marker` is the section's marker line as written by the user (`-- migrate:up`), for the fix.
pub(crate) fn refused_sql(section: &Section, marker: &'static str) -> Vec<LineProblem> {
    let sql = section.sql.as_ref();
    let line_of = |offset: usize| {
        let newlines = sql[..offset].bytes().filter(|&byte| byte == b'\n').count();
        section
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX))
    };
    let mut problems = Vec::new();
    // The rows after a `COPY ... FROM STDIN` are data up to a `\.` line, not SQL: read the text
    // in chunks around them.
    let mut chunk_start = 0;
    while chunk_start < sql.len() {
        let chunk = &sql[chunk_start..];
        let mut chunk_end = sql.len();
        let mut next_start = sql.len();
        for statement in split_statements(chunk) {
            let words: Vec<(usize, &str)> = leading_words(statement.sql).take(4).collect();
            let Some(&(first_offset, _)) = words.first() else {
                continue;
            };
            let line = line_of(chunk_start + statement.offset + first_offset);
            if is_copy_from_stdin(statement.sql) {
                problems.push((line, ProblemKind::CopyFromStdin));
                let data_start = chunk_start + statement.offset + statement.sql.len();
                chunk_end = data_start;
                next_start = end_of_copy_data(sql, data_start);
                break;
            }
            if section.transaction == Transaction::Wrapped {
                let words: Vec<&str> = words.iter().map(|(_, word)| *word).collect();
                if let Some(statement) = transaction_control(&words) {
                    problems.push((
                        line,
                        ProblemKind::TransactionControl {
                            statement: statement.to_owned(),
                            marker,
                        },
                    ));
                }
            }
        }
        for (offset, text) in meta_commands(chunk) {
            if chunk_start + offset >= chunk_end {
                break;
            }
            let command = text.split_whitespace().next().unwrap_or(text);
            problems.push((
                line_of(chunk_start + offset),
                ProblemKind::MetaCommand {
                    command: command.to_owned(),
                },
            ));
        }
        chunk_start = next_start;
    }
    problems.sort_by_key(|(line, _)| *line);
    problems
}

/// Where the SQL resumes after the data of a `COPY ... FROM STDIN` that ends at `data_start`: after
/// the `\.` line, as psql reads it, or at the end of the text.
fn end_of_copy_data(sql: &str, data_start: usize) -> usize {
    let mut offset = data_start;
    for line in sql[data_start..].split_inclusive('\n') {
        offset += line.len();
        if line.trim() == "\\." {
            return offset;
        }
    }
    sql.len()
}

/// The transaction control command `statement` (one statement of [`split_statements`]) is —
/// `BEGIN`, `COMMIT`, `END`, `ROLLBACK`, ... — or `None` (savepoints, `ROLLBACK TO SAVEPOINT`,
/// anything else): the same judgement as the file check's, for tools that rewrite SQL.
pub fn transaction_control_statement(statement: &str) -> Option<&'static str> {
    let words: Vec<&str> = leading_words(statement)
        .take(4)
        .map(|(_, word)| word)
        .collect();
    transaction_control(&words)
}

/// The transaction control command a statement starting with `words` is, or `None` (savepoints,
/// `ROLLBACK TO SAVEPOINT`, anything else).
fn transaction_control(words: &[&str]) -> Option<&'static str> {
    let word = |index: usize| words.get(index).map(|word| word.to_ascii_uppercase());
    let first = word(0)?;
    let second = word(1);
    Some(match (first.as_str(), second.as_deref()) {
        ("BEGIN", _) => "BEGIN",
        ("START", Some("TRANSACTION")) => "START TRANSACTION",
        ("COMMIT", Some("PREPARED")) => "COMMIT PREPARED",
        ("COMMIT", _) => "COMMIT",
        ("END", _) => "END",
        ("ROLLBACK", Some("PREPARED")) => "ROLLBACK PREPARED",
        ("ROLLBACK", _) if rolls_back_to_savepoint(words) => return None,
        ("ROLLBACK", _) => "ROLLBACK",
        ("ABORT", _) => "ABORT",
        ("PREPARE", Some("TRANSACTION")) => "PREPARE TRANSACTION",
        _ => return None,
    })
}

/// `ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name`.
fn rolls_back_to_savepoint(words: &[&str]) -> bool {
    let rest = match words.get(1) {
        Some(word)
            if word.eq_ignore_ascii_case("work") || word.eq_ignore_ascii_case("transaction") =>
        {
            &words[2..]
        }
        _ => &words[1..],
    };
    rest.first()
        .is_some_and(|word| word.eq_ignore_ascii_case("to"))
}

/// `COPY ... FROM STDIN`, with `FROM STDIN` outside parentheses.
fn is_copy_from_stdin(sql: &str) -> bool {
    let words: Vec<&str> = crate::statements::top_level_words(sql)
        .map(|(_, word)| word)
        .collect();
    words
        .first()
        .is_some_and(|word| word.eq_ignore_ascii_case("copy"))
        && words.windows(2).any(|pair| {
            pair[0].eq_ignore_ascii_case("from") && pair[1].eq_ignore_ascii_case("stdin")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of `sql` as a section starting on line 2, one `line: message` each.
    fn check(sql: &str, transaction: Transaction, expected: &[&str]) {
        let section = Section {
            sql: sql.to_owned().into(),
            line: 2,
            transaction,
        };
        let problems: Vec<String> = refused_sql(&section, "-- migrate:up")
            .into_iter()
            .map(|(line, kind)| format!("{line}: {kind}"))
            .collect();
        let problems: Vec<&str> = problems.iter().map(String::as_str).collect();
        assert_eq!(problems, expected, "{sql}");
    }

    fn commands(sql: &str) -> Vec<String> {
        let section = Section {
            sql: sql.to_owned().into(),
            line: 1,
            transaction: Transaction::Wrapped,
        };
        refused_sql(&section, "-- migrate:up")
            .into_iter()
            .map(|(line, kind)| match kind {
                ProblemKind::TransactionControl { statement, .. } => format!("{line} {statement}"),
                ProblemKind::MetaCommand { command } => format!("{line} {command}"),
                ProblemKind::CopyFromStdin => format!("{line} COPY"),
                other => format!("{line} {other}"),
            })
            .collect()
    }

    #[test]
    fn every_transaction_control_statement_is_found_at_its_line() {
        assert_eq!(
            commands(
                "BEGIN;\ncreate table t (c int);\nCOMMIT;\nstart transaction isolation level serializable;\nend work;\nrollback;\nabort;\nprepare transaction 'x';\ncommit prepared 'x';\nrollback prepared 'x';\nBegin Transaction;\n-- c\n/* d */ commit and chain;"
            ),
            [
                "1 BEGIN",
                "3 COMMIT",
                "4 START TRANSACTION",
                "5 END",
                "6 ROLLBACK",
                "7 ABORT",
                "8 PREPARE TRANSACTION",
                "9 COMMIT PREPARED",
                "10 ROLLBACK PREPARED",
                "11 BEGIN",
                "13 COMMIT",
            ]
        );
    }

    #[test]
    fn savepoints_bodies_and_lookalikes_are_allowed() {
        assert_eq!(
            commands(
                "savepoint s;\nrollback to savepoint s;\nrollback work to s;\nROLLBACK TRANSACTION TO SAVEPOINT s;\nrelease savepoint s;\nprepare p as select 1;\n\
                 do $$ begin perform 1; commit; end $$;\n\
                 create function f() returns int language sql begin atomic select case when true then 1 end; end;\n\
                 create procedure p() language plpgsql as $function$\nbegin\n  commit;\nend;\n$function$;\n\
                 select 'begin; commit;';\ncreate table \"begin\" (c int);\ncomment on table t is 'end';"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn meta_commands_and_copy_from_stdin_are_refused_in_any_section() {
        assert_eq!(
            commands(
                "\\restrict 4fGh2\nSET statement_timeout = 0;\n\\connect app\n  \\i other.sql\nselect '\n\\x';\nCOPY public.t (a, b) FROM stdin;\n1\tfoo\n\\N\tbar\n\\.\n\n\\set ON_ERROR_STOP on\ncopy (select 1) to stdout;\ncopy t from '/srv/t.csv';\n\\unrestrict 4fGh2\n"
            ),
            [
                "1 \\restrict",
                "3 \\connect",
                "4 \\i",
                "7 COPY",
                "12 \\set",
                "15 \\unrestrict",
            ]
        );
    }

    #[test]
    fn a_section_outside_a_transaction_may_control_transactions() {
        check(
            "begin;\nselect 1;\ncommit;\ncopy t from stdin;\n",
            Transaction::Disabled,
            &[
                "5: `COPY ... FROM STDIN` reads its rows from the client, and carafe sends none: turn the rows into `INSERT` statements (`pg_dump --inserts`), or load the data outside the migration",
            ],
        );
    }

    #[test]
    fn messages_name_the_statement_and_the_fix() {
        insta::assert_debug_snapshot!([
            commands_rendered(
                "BEGIN;\ncreate table t (c int);\nCOMMIT;\n",
                "-- migrate:up"
            ),
            commands_rendered(
                "rollback;\nabort;\nprepare transaction 'x';\ncommit prepared 'x';\n",
                "-- migrate:down"
            ),
            commands_rendered(
                "\\connect app\n\\restrict abc\n\\unrestrict abc\n",
                "-- migrate:up"
            ),
        ]);
    }

    fn commands_rendered(sql: &str, marker: &'static str) -> Vec<String> {
        let section = Section {
            sql: sql.to_owned().into(),
            line: 2,
            transaction: Transaction::Wrapped,
        };
        refused_sql(&section, marker)
            .into_iter()
            .map(|(line, kind)| format!("{line}: {kind}"))
            .collect()
    }
}
