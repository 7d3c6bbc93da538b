//! Connection URLs for a local cluster: `postgresql://postgres@127.0.0.1:PORT/DBNAME`.

/// The superuser every carafe-devdb cluster is created with (`initdb -U`).
pub(crate) const SUPERUSER: &str = "postgres";

/// The URL of database `dbname` on the local server listening on `port`, with the database name
/// percent-encoded.
pub(crate) fn database_url(port: u16, dbname: &str) -> String {
    format!(
        "postgresql://{SUPERUSER}@127.0.0.1:{port}/{}",
        percent_encode(dbname)
    )
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_superuser_port_and_database() {
        assert_eq!(
            database_url(54321, "sommelier"),
            "postgresql://postgres@127.0.0.1:54321/sommelier"
        );
    }

    #[test]
    fn unusual_database_names_are_percent_encoded() {
        assert_eq!(
            database_url(5432, "a b/c?é"),
            "postgresql://postgres@127.0.0.1:5432/a%20b%2Fc%3F%C3%A9"
        );
    }
}
