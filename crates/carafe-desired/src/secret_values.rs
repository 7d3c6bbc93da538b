//! Secret option values in the declared schema's SQL, so that an error the server reports about it
//! (`syntax error at or near "..."` quotes the text) never shows one.

use carafe_schema::model::is_secret_option;

/// `message` with every value the SQL gives a secret option (`password 'x'`, or a value left
/// unquoted by mistake) replaced by `(secret)`.
pub(crate) fn masked(sql: &str, message: &str) -> String {
    let mut masked = message.to_owned();
    for value in secret_values(sql) {
        masked = masked.replace(&value, "(secret)");
    }
    masked
}

/// The values after each word of `sql` that names a secret option, without quotes; those shorter
/// than four characters are left (they would mask too much).
fn secret_values(sql: &str) -> Vec<String> {
    let mut values = Vec::new();
    let is_word = |character: char| character.is_alphanumeric() || character == '_';
    let mut rest = sql;
    while let Some(start) = rest.find(|character: char| is_word(character)) {
        let word_end = rest[start..]
            .find(|character: char| !is_word(character))
            .map_or(rest.len(), |end| start + end);
        let word = &rest[start..word_end];
        rest = &rest[word_end..];
        if !is_secret_option(word) {
            continue;
        }
        let after = rest.trim_start_matches(['"', ' ', '\t']);
        let value = after.strip_prefix('\'').unwrap_or(after);
        // The whole quoted value (to its quote, or the line's end when it is unterminated), and
        // its first word, which an error may quote alone.
        let quoted = value.split(['\'', '\n']).next().unwrap_or_default();
        let first_word = value
            .split([',', ')', '\n', ' ', ';', '\''])
            .next()
            .unwrap_or_default();
        for value in [quoted, first_word] {
            if value.chars().count() >= 4 {
                values.push(value.to_owned());
            }
        }
    }
    values.sort_by_key(|value| std::cmp::Reverse(value.len()));
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_quoted_in_a_server_error_is_masked() {
        let sql = "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u', password 'p4ss-UNTERMINATED);\nCREATE TABLE t (a int);";
        let message = "unterminated quoted string at or near \"'p4ss-UNTERMINATED); CREATE TABLE t (a int);\"";
        let shown = masked(sql, message);
        assert!(!shown.contains("p4ss"), "{shown}");
        let unquoted = "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (api_key s3cretUNQUOTED);";
        let shown = masked(unquoted, "syntax error at or near \"s3cretUNQUOTED\"");
        assert_eq!(shown, "syntax error at or near \"(secret)\"");
        assert_eq!(
            masked("CREATE TABLE password (id int);", "x id int y"),
            "x id int y"
        );
    }
}
