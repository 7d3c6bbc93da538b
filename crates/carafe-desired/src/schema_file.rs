//! The declared schema file as SQL for the server: what of psql's syntax it may hold. A
//! `pg_dump --schema-only` file is a valid declared schema, so the meta-commands pg_dump writes are
//! understood: `\restrict` and `\unrestrict` (pg_dump 17.6, 16.10, 15.14 and later) only guard
//! psql and are dropped; `\connect` is dropped when it names one database only. Any other
//! meta-command, and data (`COPY ... FROM stdin`), is an error naming its line.

use crate::Error;

/// The SQL of a declared schema file, meta-commands dropped; `path` is for messages.
pub(crate) fn server_sql(path: &str, text: &str) -> Result<String, Error> {
    let error = |line: usize, message: String| Error::SchemaFile {
        path: format!("{path}:{line}"),
        message,
    };
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut sql = String::with_capacity(text.len());
    let mut copied = 0;
    let mut connected: Option<(String, usize)> = None;
    for (offset, command) in carafe_core::meta_commands(text) {
        let line = line_of(offset);
        let mut words = command.split_whitespace();
        let name = words.next().unwrap_or(command);
        match name {
            "\\restrict" | "\\unrestrict" => {}
            "\\connect" | "\\c" => {
                let target = words.last().unwrap_or_default().to_owned();
                match &connected {
                    Some((first, first_line)) if *first != target => {
                        return Err(error(
                            line,
                            format!(
                                "`{command}` connects to another database than line {first_line}'s `\\connect {first}`: a declared schema is one database's; dump that database alone (`pg_dump --schema-only DBNAME`)"
                            ),
                        ));
                    }
                    _ => connected = Some((target, line)),
                }
            }
            "\\." => {
                return Err(error(
                    line,
                    "the file holds table data (`COPY ... FROM stdin`): a declared schema is the schema only; dump it with `pg_dump --schema-only`".to_owned(),
                ));
            }
            _ => {
                return Err(error(
                    line,
                    format!(
                        "`{name}` is a psql meta-command, and the declared schema is sent to the server, not through psql: delete the line (only pg_dump's `\\restrict`, `\\unrestrict` and `\\connect` are understood)"
                    ),
                ));
            }
        }
        // Keep the line break, so the server's positions still map to the file's lines.
        sql.push_str(&text[copied..offset]);
        copied = offset + command.len();
    }
    sql.push_str(&text[copied..]);
    Ok(sql)
}

/// The line of the file a server error's position (1-based, in characters) falls on.
pub(crate) fn line_of_position(text: &str, position: u32) -> usize {
    let characters = usize::try_from(position)
        .unwrap_or(usize::MAX)
        .saturating_sub(1);
    let offset = text
        .char_indices()
        .nth(characters)
        .map_or(text.len(), |(offset, _)| offset);
    text[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_dumps_meta_commands_are_understood_and_others_refused() {
        let dump = "\\restrict Kx9\nSET x = 1;\nCREATE TABLE t (c text DEFAULT '\\n');\n\\connect saq\nCREATE VIEW v AS SELECT 1;\n\\unrestrict Kx9\n";
        let sql = server_sql("schema.sql", dump).expect("a dump is understood");
        assert_eq!(
            sql,
            "\nSET x = 1;\nCREATE TABLE t (c text DEFAULT '\\n');\n\nCREATE VIEW v AS SELECT 1;\n\n"
        );
        let refused = |text: &str| {
            server_sql("schema.sql", text)
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            refused("SELECT 1;\n\\i other.sql\n"),
            "schema.sql:2: cannot load the declared schema: `\\i` is a psql meta-command, and the declared schema is sent to the server, not through psql: delete the line (only pg_dump's `\\restrict`, `\\unrestrict` and `\\connect` are understood)"
        );
        assert!(refused("\\connect a\nSELECT 1;\n\\connect b\n").starts_with("schema.sql:3: "));
        assert!(refused("COPY t (c) FROM stdin;\nx\n\\.\n").contains("holds table data"));
    }

    #[test]
    fn a_server_position_maps_to_the_files_line() {
        let text = "SELECT 1;\nSELECT é;\nSELEC 3;\n";
        assert_eq!(line_of_position(text, 1), 1);
        assert_eq!(line_of_position(text, 21), 3);
    }
}
