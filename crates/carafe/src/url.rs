//! `DatabaseUrl`: a connection URL read once, normalised (SQLAlchemy's `postgresql+asyncpg://` and
//! friends accepted), and shown only with its password masked.

use crate::tls::{ClientCertificate, RootCertificates, TlsMode};
use std::fmt;
use std::path::PathBuf;

/// Why a database URL was refused. Never holds the password.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid database URL `{shown}` ({reason}): write it as `postgresql://user:password@host:5432/database`"
)]
pub struct UrlError {
    shown: String,
    reason: String,
}

/// A PostgreSQL connection URL. `Display` masks the password; [`DatabaseUrl::password`] is the only
/// way to read it, so it can be scrubbed from any message that might echo it.
#[derive(Clone)]
pub struct DatabaseUrl {
    url: String,
    password: Option<String>,
    config: postgres::Config,
    tls: TlsMode,
    roots: RootCertificates,
    client: ClientCertificate,
}

const SCHEMES: &[&str] = &["postgresql", "postgres"];

impl DatabaseUrl {
    /// Reads a URL: `postgresql://`, `postgres://`, or SQLAlchemy's `postgresql+DRIVER://`.
    pub fn parse(text: &str) -> Result<DatabaseUrl, UrlError> {
        let text = text.trim();
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(UrlError {
                shown: mask_unparsed(text),
                reason: "no `postgresql://` scheme".to_owned(),
            });
        };
        let base_scheme = scheme
            .split_once('+')
            .map_or(scheme, |(base, _driver)| base);
        if !SCHEMES.contains(&base_scheme) {
            return Err(UrlError {
                shown: mask_unparsed(text),
                reason: format!("scheme `{scheme}` is not PostgreSQL"),
            });
        }
        let url = format!("postgresql://{rest}");
        let password = password_of(rest);
        let shown = mask(&url, password.as_deref());
        let refuse = |reason: String| UrlError {
            shown: shown.clone(),
            reason,
        };
        let (client_url, tls_params) = take_tls_params(&url);
        let tls = match tls_params.mode.as_deref() {
            None => TlsMode::default(),
            Some(mode) => TlsMode::parse(mode).ok_or_else(|| {
                refuse(format!(
                    "unknown sslmode `{mode}`; use disable, allow, prefer, require, verify-ca or verify-full"
                ))
            })?,
        };
        let roots = match tls_params.root_cert.as_deref() {
            None => RootCertificates::Default,
            Some("system") => RootCertificates::System,
            Some(path) => RootCertificates::File(path.into()),
        };
        if tls_params.key_password {
            return Err(refuse(
                "sslpassword is not supported: carafe reads unencrypted client keys; decrypt the key \
                 (`openssl pkey -in KEY -out KEY.plain`, then `chmod 600 KEY.plain`) and give it as sslkey"
                    .to_owned(),
            ));
        }
        let client = ClientCertificate {
            certificate: tls_params.cert.map(PathBuf::from),
            key: tls_params.key.map(PathBuf::from),
        };
        let mut config: postgres::Config =
            client_url.parse().map_err(|error: postgres::Error| {
                refuse(scrub(&error.to_string(), password.as_deref()))
            })?;
        if config.get_application_name().is_none() {
            config.application_name("carafe");
        }
        config.ssl_mode(tls.negotiation());
        Ok(DatabaseUrl {
            url,
            password,
            config,
            tls,
            roots,
            client,
        })
    }

    /// The client configuration.
    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    /// The same server and credentials with another database.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        let mut copy = self.clone();
        copy.config.dbname(name);
        let (base, query) = match self.url.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (self.url.as_str(), None),
        };
        let authority_start = base.find("://").map_or(0, |index| index + 3);
        let path_start = base[authority_start..]
            .find('/')
            .map_or(base.len(), |index| authority_start + index);
        copy.url = match query {
            Some(query) => format!("{}/{name}?{query}", &base[..path_start]),
            None => format!("{}/{name}", &base[..path_start]),
        };
        copy
    }

    /// The `sslmode`.
    pub fn tls_mode(&self) -> TlsMode {
        self.tls
    }

    /// Where trusted roots come from (`sslrootcert`).
    pub fn root_certificates(&self) -> &RootCertificates {
        &self.roots
    }

    /// The client certificate and key to offer (`sslcert`, `sslkey`).
    pub fn client_certificate(&self) -> &ClientCertificate {
        &self.client
    }

    /// The password, if the URL has one.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The URL as given but for the scheme, with the password still in it: for tools such as `psql`.
    pub fn expose_for_child_process(&self) -> &str {
        &self.url
    }

    /// `text` with every occurrence of this URL's password masked.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, self.password.as_deref())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.url, self.password.as_deref()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// The TLS parameters carafe handles itself, taken out of a URL's query.
#[derive(Default)]
struct TlsParams {
    mode: Option<String>,
    root_cert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    key_password: bool,
}

/// The URL without the TLS parameters carafe handles itself (the `postgres` crate knows only part of
/// `sslmode` and none of the others), and their values.
fn take_tls_params(url: &str) -> (String, TlsParams) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), TlsParams::default());
    };
    let mut params = TlsParams::default();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|part| match part.split_once('=') {
            Some(("sslmode", value)) => {
                params.mode = Some(percent_decode(value));
                false
            }
            Some(("sslrootcert", value)) => {
                params.root_cert = Some(percent_decode(value));
                false
            }
            Some(("sslcert", value)) => {
                params.cert = Some(percent_decode(value));
                false
            }
            Some(("sslkey", value)) => {
                params.key = Some(percent_decode(value));
                false
            }
            Some(("sslpassword", _)) => {
                params.key_password = true;
                false
            }
            _ => !part.is_empty(),
        })
        .collect();
    match kept.is_empty() {
        true => (base.to_owned(), params),
        false => (format!("{base}?{}", kept.join("&")), params),
    }
}

/// The password between `user:` and `@` in the authority, percent-decoded.
fn password_of(rest: &str) -> Option<String> {
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let userinfo = rest[..authority_end].rsplit_once('@')?.0;
    let (_, password) = userinfo.split_once(':')?;
    Some(percent_decode(password))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok());
        match (
            bytes[index],
            hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()),
        ) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The URL with the userinfo's password replaced by `***`.
fn mask(url: &str, password: Option<&str>) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return mask_unparsed(url);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let masked_authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let masked = format!("{scheme}://{masked_authority}{tail}");
    let masked = mask_query_password(&masked);
    scrub(&masked, password)
}

/// `password=` in the query string.
fn mask_query_password(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|part| match part.split_once('=') {
            Some((key, _))
                if key.eq_ignore_ascii_case("password")
                    || key.eq_ignore_ascii_case("sslpassword") =>
            {
                format!("{key}=***")
            }
            _ => part.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// A URL that could not be parsed at all: show only its scheme, never what might be a password.
fn mask_unparsed(text: &str) -> String {
    match text.split_once("://") {
        Some((scheme, _)) => format!("{scheme}://…"),
        None => "…".to_owned(),
    }
}

fn scrub(text: &str, password: Option<&str>) -> String {
    match password {
        Some(password) if !password.is_empty() => text.replace(password, "***"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlalchemy_urls_are_normalised_and_passwords_masked() {
        for (given, shown) in [
            (
                "postgresql+asyncpg://app:s3cret@db:5432/saq",
                "postgresql://app:***@db:5432/saq",
            ),
            (
                "postgresql+psycopg2://app:s3cret@db/saq?sslmode=disable",
                "postgresql://app:***@db/saq?sslmode=disable",
            ),
            (
                "postgres://app@localhost/saq",
                "postgresql://app@localhost/saq",
            ),
            (
                "postgresql://app:p%40ss@localhost/saq",
                "postgresql://app:***@localhost/saq",
            ),
            (
                "postgresql://localhost/saq?user=app&password=s3cret",
                "postgresql://localhost/saq?user=app&password=***",
            ),
        ] {
            let url = DatabaseUrl::parse(given).expect(given);
            assert_eq!(url.to_string(), shown);
            assert_eq!(format!("{url:?}"), format!("DatabaseUrl({shown})"));
        }
        assert_eq!(
            DatabaseUrl::parse("postgresql://app:p%40ss@h/d")
                .expect("parses")
                .password(),
            Some("p@ss")
        );
    }

    #[test]
    fn tls_parameters_are_read_by_carafe() {
        let url = DatabaseUrl::parse(
            "postgresql://app@db/saq?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=5",
        )
        .expect("parses");
        assert_eq!(url.tls_mode(), TlsMode::VerifyFull);
        assert_eq!(
            url.root_certificates(),
            &RootCertificates::File("/etc/ca.pem".into())
        );
        assert_eq!(
            url.config().get_ssl_mode(),
            postgres::config::SslMode::Require
        );
        assert_eq!(
            url.to_string(),
            "postgresql://app@db/saq?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=5"
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://db/saq")
                .expect("parses")
                .tls_mode(),
            TlsMode::Prefer
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://db/saq?sslmode=disable")
                .expect("parses")
                .config()
                .get_ssl_mode(),
            postgres::config::SslMode::Disable
        );
        let error = DatabaseUrl::parse("postgresql://db/saq?sslmode=sometimes")
            .expect_err("refused")
            .to_string();
        assert!(error.contains("unknown sslmode `sometimes`"), "{error}");
    }

    #[test]
    fn client_certificate_parameters_are_read_by_carafe() {
        let url = DatabaseUrl::parse(
            "postgresql://app@db/saq?sslcert=/etc/app.crt&sslkey=%2Fetc%2Fapp.key&sslmode=require",
        )
        .expect("parses: the postgres crate never sees sslcert or sslkey");
        assert_eq!(
            url.client_certificate(),
            &ClientCertificate {
                certificate: Some("/etc/app.crt".into()),
                key: Some("/etc/app.key".into()),
            }
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://db/saq")
                .expect("parses")
                .client_certificate(),
            &ClientCertificate::default()
        );
        let error = DatabaseUrl::parse("postgresql://db/saq?sslkey=/k&sslpassword=hunter2")
            .expect_err("encrypted keys are refused")
            .to_string();
        assert!(error.contains("sslpassword is not supported"), "{error}");
        assert!(error.contains("sslpassword=***"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn another_database_on_the_same_server_keeps_credentials_and_parameters() {
        let url = DatabaseUrl::parse("postgresql://app:s3cret@db:5432/saq?sslmode=disable")
            .expect("parses");
        let scratch = url.with_database("carafe_scratch_1");
        assert_eq!(
            scratch.to_string(),
            "postgresql://app:***@db:5432/carafe_scratch_1?sslmode=disable"
        );
        assert_eq!(scratch.config().get_dbname(), Some("carafe_scratch_1"));
        assert_eq!(scratch.password(), Some("s3cret"));
        let bare = DatabaseUrl::parse("postgresql://db")
            .expect("parses")
            .with_database("x");
        assert_eq!(bare.to_string(), "postgresql://db/x");
    }

    #[test]
    fn malformed_urls_are_refused_without_their_password() {
        for given in [
            "mysql://app:s3cret@db/saq",
            "app:s3cret@db/saq",
            "postgresql://app:s3cret@db:notaport/saq",
        ] {
            let error = DatabaseUrl::parse(given).expect_err(given).to_string();
            assert!(!error.contains("s3cret"), "{error}");
            assert!(error.starts_with("invalid database URL"), "{error}");
        }
    }
}
