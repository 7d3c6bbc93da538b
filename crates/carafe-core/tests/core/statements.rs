//! The splitter against an oracle it does not share: the statements psql 15 sent to the server for
//! a real `pg_dump` (a rule with two actions, `BEGIN ATOMIC` bodies with nested `CASE`, a plpgsql
//! body, `E'...'` comments), read from the server's log.

use carafe_core::split_statements;

const DUMP: &str = include_str!("data/pg_dump_15.sql");
const SENT_BY_PSQL: &str = include_str!("data/pg_dump_15.psql.txt");

/// A statement as psql sends it: without the comment lines before it (psql drops them) and
/// without psql meta-command lines (psql runs them itself; carafe refuses them at load).
fn as_psql_sends(sql: &str) -> String {
    sql.lines()
        .filter(|line| !line.starts_with('\\'))
        .skip_while(|line| line.trim().is_empty() || line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_real_dump_splits_where_psql_splits_it() {
    let ours: Vec<String> = split_statements(DUMP)
        .iter()
        .map(|statement| as_psql_sends(statement.sql))
        .filter(|statement| !statement.is_empty())
        .collect();
    let psql: Vec<&str> = SENT_BY_PSQL.trim_end().split("\n~~~~\n").collect();
    assert_eq!(ours, psql);
}

#[test]
fn a_real_dump_in_a_migration_names_its_psql_lines() {
    let text = format!("-- migrate:up\n{DUMP}-- migrate:down irreversible\n");
    let sum = carafe_core::SumFile::from_checksums([(
        "0001_dump.sql".to_owned(),
        carafe_core::Checksum::of(text.as_bytes()),
    )]);
    let loaded = carafe_core::load(&[
        carafe_core::SourceFile::new("0001_dump.sql", text.as_bytes()),
        carafe_core::SourceFile::new("carafe.sum", sum.render()),
    ]);
    let problems: Vec<String> = loaded
        .problems
        .iter()
        .map(|problem| {
            let line = problem.line.unwrap_or(0);
            let message = problem.kind.to_string();
            format!(
                "{line}: {}",
                message.split(" is a psql").next().unwrap_or(&message)
            )
        })
        .collect();
    let unrestrict = 1 + DUMP
        .lines()
        .position(|line| line.starts_with("\\unrestrict"))
        .expect("pg_dump 15.18 writes \\unrestrict");
    assert_eq!(
        problems,
        [
            "6: `\\restrict`".to_owned(),
            format!("{}: `\\unrestrict`", unrestrict + 1)
        ]
    );
}
