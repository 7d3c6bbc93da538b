//! Foreign data (SQL/MED): foreign-data wrappers, foreign servers and user mappings, which belong to
//! the database rather than to a schema, and the options they and foreign tables carry.
//!
//! Secret options (a password, a passcode, a key, a token: see [`is_secret_option`]) are never read
//! into the model, only their names: carafe does not compare, write, drop or print their values, so
//! a migration never holds a secret and a database keeps the ones its operators set.

use std::collections::{BTreeMap, BTreeSet};

/// A foreign-data wrapper (`CREATE FOREIGN DATA WRAPPER`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignDataWrapper {
    /// `HANDLER`: the function that does the work, as `regproc` prints it; `None` for `NO HANDLER`.
    pub handler: Option<String>,
    /// `VALIDATOR`: the function that checks options; `None` for `NO VALIDATOR`.
    pub validator: Option<String>,
    /// `OPTIONS (...)`.
    pub options: ForeignOptions,
    /// `COMMENT ON FOREIGN DATA WRAPPER`.
    pub comment: Option<String>,
}

/// A foreign server (`CREATE SERVER`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignServer {
    /// `FOREIGN DATA WRAPPER`: the wrapper it connects through (a server cannot change it).
    pub wrapper: String,
    /// `TYPE`, which a server cannot change either.
    pub server_type: Option<String>,
    /// `VERSION`.
    pub version: Option<String>,
    /// `OPTIONS (...)`.
    pub options: ForeignOptions,
    /// `COMMENT ON SERVER`.
    pub comment: Option<String>,
}

/// Whose user mapping: a role on a server.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MappingFor {
    /// The server.
    pub server: String,
    /// The role, or `None` for `PUBLIC`.
    pub role: Option<String>,
}

/// A user mapping (`CREATE USER MAPPING`): how a role signs in to a foreign server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserMapping {
    /// `OPTIONS (...)`: typically the remote user; its password is a secret.
    pub options: ForeignOptions,
}

/// What makes a table a foreign one (`CREATE FOREIGN TABLE ... SERVER ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignTable {
    /// `SERVER`: where its rows live (a foreign table cannot change it).
    pub server: String,
    /// `OPTIONS (...)`, e.g. the remote table's name.
    pub options: ForeignOptions,
}

/// The `OPTIONS (name 'value', ...)` of a wrapper, server, user mapping, foreign table or foreign
/// table's column: in name order (the order they were given means nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForeignOptions {
    /// Every option that is not a secret, by name.
    pub values: BTreeMap<String, String>,
    /// The names of the secret options set; their values are not read.
    pub secrets: BTreeSet<String>,
}

impl ForeignOptions {
    /// The options of a catalog's `name=value` list (`fdwoptions`, `srvoptions`, `umoptions`,
    /// `ftoptions`, `attfdwoptions`), secrets kept by name only.
    pub fn from_catalog(items: &[String]) -> ForeignOptions {
        let mut options = ForeignOptions::default();
        for item in items {
            let (name, value) = item.split_once('=').unwrap_or((item.as_str(), ""));
            match is_secret_option(name) {
                true => {
                    options.secrets.insert(name.to_owned());
                }
                false => {
                    options.values.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        options
    }

    /// Whether no option is set, secrets included.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.secrets.is_empty()
    }
}

/// Whether an option of this name holds a secret: its name has `password`, `passcode`,
/// `passphrase`, `secret` or `token` in it, or ends in `_key` or is `apikey` (`api_key`,
/// `secret_key`; not `sslkey`, which names a file), and is not a `_required` flag
/// (`password_required`).
pub fn is_secret_option(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // A `_required` flag (postgres_fdw's `password_required`) says whether one is needed.
    if name.ends_with("_required") {
        return false;
    }
    ["password", "passcode", "passphrase", "secret", "token"]
        .iter()
        .any(|word| name.contains(word))
        || name.ends_with("_key")
        || name == "apikey"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_kept_by_name_only() {
        let items = [
            "host=db.example.com".to_owned(),
            "password=hunter2".to_owned(),
            "sslkey=/etc/client.key".to_owned(),
            "api_key=abc".to_owned(),
            "note=a=b".to_owned(),
        ];
        let options = ForeignOptions::from_catalog(&items);
        assert_eq!(
            options.values.into_iter().collect::<Vec<_>>(),
            [
                ("host".to_owned(), "db.example.com".to_owned()),
                ("note".to_owned(), "a=b".to_owned()),
                ("sslkey".to_owned(), "/etc/client.key".to_owned()),
            ]
        );
        assert_eq!(
            options.secrets.into_iter().collect::<Vec<_>>(),
            ["api_key", "password"]
        );
    }

    #[test]
    fn secret_names() {
        for secret in [
            "password",
            "SSLPassword",
            "passcode",
            "Secret_Token",
            "api_key",
            "apikey",
        ] {
            assert!(is_secret_option(secret), "{secret}");
        }
        for plain in [
            "user",
            "host",
            "sslkey",
            "passfile",
            "keys",
            "monkey",
            "password_required",
        ] {
            assert!(!is_secret_option(plain), "{plain}");
        }
    }
}
