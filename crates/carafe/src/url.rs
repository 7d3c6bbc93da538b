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
    secrets: Secrets,
    config: postgres::Config,
    tls: TlsMode,
    roots: RootCertificates,
    client: ClientCertificate,
    /// The setting it came from, for the fix an error names (`DATABASE_URL`, `--scratch-url`).
    setting: String,
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
        let secrets = Secrets::of(rest);
        let shown = mask(&url, &secrets);
        let refuse = |reason: String| UrlError {
            shown: shown.clone(),
            reason,
        };
        // The connection parser ends the user info at the first `@`, so `u:p@ss@host` would go to
        // host `ss@host` (found by review: "failed to lookup address information").
        let host = rest
            .split_once('@')
            .and_then(|(_, after)| after.split(['/', '?']).next());
        if host.is_some_and(|host| host.contains('@')) {
            return Err(refuse(
                "the password holds `@`: percent-encode it as `%40`".to_owned(),
            ));
        }
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
        let mut config: postgres::Config = client_url
            .parse()
            .map_err(|error: postgres::Error| refuse(secrets.scrub(&error.to_string())))?;
        // The password as the connection will send it is one more spelling to scrub.
        let password = config
            .get_password()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned());
        let mut secrets = secrets;
        if let Some(password) = &password {
            secrets.add(password);
        }
        if config.get_application_name().is_none() {
            config.application_name("carafe");
        }
        config.ssl_mode(tls.negotiation());
        Ok(DatabaseUrl {
            url,
            password,
            secrets,
            config,
            tls,
            roots,
            client,
            setting: "DATABASE_URL".to_owned(),
        })
    }

    /// The same URL, said to come from `setting` (`` `--scratch-url` ``) in the fixes errors name.
    pub fn from_setting(mut self, setting: &str) -> DatabaseUrl {
        self.setting = setting.to_owned();
        self
    }

    /// The setting the URL came from, as errors name it: `DATABASE_URL` unless told otherwise.
    pub fn setting(&self) -> &str {
        &self.setting
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
        self.secrets.scrub(text)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(&self.url, &self.secrets))
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
fn mask(url: &str, secrets: &Secrets) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return mask_unparsed(url);
    };
    let masked = match password_span(rest) {
        Some(span) => format!("{scheme}://{}***{}", &rest[..span.start], &rest[span.end..]),
        None => url.to_owned(),
    };
    secrets.scrub(&mask_query_password(&masked))
}

/// Where the password is in a URL after its `scheme://`, as the connection parser reads it: the
/// user information ends at the first `@` (tokio-postgres' `parse_credentials`), so an unencoded `/`,
/// `?` or `#` in a password is part of it. The span runs to the last `@` of the URL, so that a
/// password with an unencoded `@` — which the parser cuts short and reads the rest as the host — is
/// still masked whole. `None` when there is no `user:password@`.
pub(crate) fn password_span(rest: &str) -> Option<std::ops::Range<usize>> {
    let first_at = rest.find('@')?;
    let colon = rest[..first_at].find(':')?;
    let last_at = rest.rfind('@').unwrap_or(first_at);
    Some(colon + 1..last_at)
}

/// [`password_span`] in running text, where a `:` after words (`... PostgreSQL): write it as
/// postgresql://user:password@host`) begins no password: a user name holds no space or backtick.
fn credential_span(rest: &str) -> Option<std::ops::Range<usize>> {
    let span = password_span(rest)?;
    let user = &rest[..span.start - 1];
    match user.contains(|c: char| c.is_whitespace() || c == '`') {
        true => None,
        false => Some(span),
    }
}

/// Every spelling of a URL's password that a message could echo: as written, percent-decoded, and
/// as the connection parser decoded it.
#[derive(Clone, Default)]
struct Secrets {
    forms: Vec<String>,
}

impl Secrets {
    fn of(rest: &str) -> Secrets {
        let mut secrets = Secrets::default();
        if let Some(span) = password_span(rest) {
            let raw = &rest[span];
            secrets.add(raw);
            secrets.add(&percent_decode(raw));
            if let Some(first_at) = raw.find('@') {
                secrets.add(&raw[..first_at]);
                secrets.add(&raw[first_at + 1..]);
            }
        }
        for part in rest.split(['?', '&']) {
            if let Some(("password" | "sslpassword", value)) = part.split_once('=') {
                secrets.add(value);
                secrets.add(&percent_decode(value));
            }
        }
        secrets
    }

    /// Remembers one spelling; ones too short to tell from ordinary text are kept out.
    fn add(&mut self, form: &str) {
        if form.chars().count() >= MIN_SCRUBBED_CHARS
            && !self.forms.iter().any(|known| known == form)
        {
            self.forms.push(form.to_owned());
            self.forms
                .sort_by_key(|known| std::cmp::Reverse(known.len()));
        }
    }

    /// `text` with every spelling replaced by `***`, longest first.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), "***");
            }
        }
        text
    }
}

/// Spellings shorter than this are not scrubbed from messages (a one-letter password would blank
/// every occurrence of its letter); the URL itself is masked whatever the password's length.
const MIN_SCRUBBED_CHARS: usize = 3;

/// `text` with the credentials of every `scheme://user:password@` URL in it masked: for echoing
/// anything a user typed (an argument, a value) that might be a URL. A password may hold any
/// character but a line break, backticks and quotes included, so the masked span runs from the
/// user's `:` to the last `@` before the line's end or its next URL.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("://") {
        let after = index + 3;
        let line_end = rest[after..]
            .find(['\n'])
            .map_or(rest.len(), |at| after + at);
        // Up to the next URL on the line, so one URL's mask never swallows another's text.
        let line_end = after + url_extent(&rest[after..line_end]);
        out.push_str(&rest[..after]);
        match credential_span(&rest[after..line_end]) {
            Some(span) => {
                out.push_str(&rest[after..after + span.start]);
                out.push_str("***");
                rest = &rest[after + span.end..];
            }
            None => rest = &rest[after..],
        }
    }
    out.push_str(rest);
    mask_keyword_passwords(&out)
}

/// `text` known to be one URL (an argument a user typed) with its credentials masked: the mask runs
/// from the user's `:` to the last `@`, whatever the password holds (` x://` included).
pub fn redact_url(text: &str) -> String {
    let Some(index) = text.find("://") else {
        return redact(text);
    };
    let after = index + 3;
    match password_span(&text[after..]) {
        Some(span) => format!(
            "{}***{}",
            &text[..after + span.start],
            mask_keyword_passwords(&text[after + span.end..])
        ),
        None => redact(text),
    }
}

/// How far the URL whose `scheme://` ends just before `text` runs: to the next URL on the line,
/// unless that `scheme://` sits inside a password begun (a `:` with no `@` yet) and finished by
/// an `@` after it, as in `u:pa x://ss@h`.
fn url_extent(text: &str) -> usize {
    let mut searched = 0;
    while let Some(found) = next_url_start(&text[searched..]) {
        let at = searched + found;
        let before = &text[..at];
        let inside_password =
            !before.contains('@') && credential_span(text).is_some() && text[at..].contains('@');
        if !inside_password {
            return at;
        }
        searched = at + text[at..].find("://").map_or(0, |to| to + 3);
    }
    text.len()
}

/// Where the next URL in `text` starts: a `scheme://` whose scheme (a letter, then letters,
/// digits, `+`, `.` or `-`) begins the text or follows a space, a quote, a backtick or a bracket.
/// A `://` inside a password (`u:a://b@h`) follows no such scheme, so it does not cut the
/// password's mask short.
fn next_url_start(text: &str) -> Option<usize> {
    let mut searched = 0;
    while let Some(found) = text[searched..].find("://") {
        let at = searched + found;
        let scheme_start = text[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(*c)))
            .map_or(0, |(index, c)| index + c.len_utf8());
        let opens_url = text[scheme_start..at]
            .chars()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic())
            && text[..scheme_start]
                .chars()
                .next_back()
                .is_none_or(|before| before.is_whitespace() || "`'\"([<".contains(before));
        if opens_url {
            return Some(scheme_start);
        }
        searched = at + 3;
    }
    None
}

/// `password=VALUE` in a libpq keyword/value string or a query, masked.
fn mask_keyword_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("password=") {
        let value_start = index + "password=".len();
        let value_end = rest[value_start..]
            .find(|c: char| c.is_whitespace() || c == '&' || c == '`')
            .map_or(rest.len(), |at| value_start + at);
        out.push_str(&rest[..value_start]);
        out.push_str("***");
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
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
    fn an_at_sign_in_the_password_asks_to_percent_encode_it() {
        let error = DatabaseUrl::parse("postgresql://app:p@ss@db:5432/saq")
            .expect_err("two @ in the authority")
            .to_string();
        assert_eq!(
            error,
            "invalid database URL `postgresql://app:***@db:5432/saq` (the password holds `@`: percent-encode it as `%40`): write it as `postgresql://user:password@host:5432/database`"
        );
        assert!(!redact("postgresql://app:p@ss@db/saq").contains("p@ss"));
        assert!(DatabaseUrl::parse("postgresql://app:pa/s@s@db/saq").is_err());
        assert!(DatabaseUrl::parse("postgresql://app:p%40ss@db/saq").is_ok());
        assert!(DatabaseUrl::parse("postgresql://app@db/saq?options=a@b").is_ok());
    }

    /// Found by review: redacting the refusal of a `mysql://` URL masked its fix text, from the
    /// `:` after `PostgreSQL)` to the example's `@` (`...PostgreSQL):***@host:5432/database`).
    #[test]
    fn a_refused_scheme_keeps_its_fix_text_when_redacted() {
        for typed in [
            "mysql://root:S3cr3tpw@localhost/db",
            "host=h user=u password=S3cr3tpw",
        ] {
            let message = DatabaseUrl::parse(typed)
                .expect_err("not a PostgreSQL URL")
                .to_string();
            let redacted = super::redact(&message);
            assert!(
                redacted.ends_with(": write it as `postgresql://user:***@host:5432/database`"),
                "{redacted}"
            );
            assert!(!redacted.contains("S3cr3tpw"), "{redacted}");
        }
        assert_eq!(
            super::redact("at postgresql://app:pa ss@db/saq"),
            "at postgresql://app:***@db/saq"
        );
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

    #[test]
    fn passwords_are_masked_where_the_connection_parser_reads_them() {
        // Regression: the mask cut the user information at the first `/` or `?`, the connection
        // parser at the first `@`, so `pa/ss` logged in and every error printed it.
        for password in [
            "pa/ss", "pa?ss", "pa#ss", "pa ss", "pa:ss", "pä[ss]", "pa%2Fss",
        ] {
            let given = format!("postgresql://app:{password}@db:5432/saq?application_name=x");
            let url = DatabaseUrl::parse(&given).expect(&given);
            let shown = url.to_string();
            assert_eq!(
                shown, "postgresql://app:***@db:5432/saq?application_name=x",
                "{given}"
            );
            assert!(!redact(&given).contains(password), "{}", redact(&given));
        }
        let url = DatabaseUrl::parse("postgresql://app:pa/ss?x@db/saq").expect("parses");
        assert_eq!(
            url.password(),
            Some("pa/ss?x"),
            "the parser the connection uses decides"
        );
        assert_eq!(url.scrub("login as pa/ss?x failed"), "login as *** failed");
        let encoded = DatabaseUrl::parse("postgresql://app:pa%2Fss@db/saq").expect("parses");
        assert_eq!(encoded.scrub("pa%2Fss and pa/ss"), "*** and ***");
    }

    #[test]
    fn anything_typed_is_redacted_before_it_is_echoed() {
        for (typed, shown) in [
            (
                "unknown revision `postgresql://app:s3cret@db/saq`",
                "unknown revision `postgresql://app:***@db/saq`",
            ),
            (
                "value postgres://u:a/b?c@h/d for --lock-timeout",
                "value postgres://u:***@h/d for --lock-timeout",
            ),
            (
                "host=db password=s3cret dbname=saq",
                "host=db password=*** dbname=saq",
            ),
            ("postgresql://app@db/saq", "postgresql://app@db/saq"),
            (
                "invalid `postgresql://app:s3cret@db:x/saq` (invalid port): write it as `postgresql://u@h/d`",
                "invalid `postgresql://app:***@db:x/saq` (invalid port): write it as `postgresql://u@h/d`",
            ),
            // Regression: a `://` inside a password was read as the next URL, and the mask stopped there.
            (
                "unknown revision `postgresql://app:pa://ss@db/saq`",
                "unknown revision `postgresql://app:***@db/saq`",
            ),
            (
                "`postgresql://app:aü://b@db/saq`",
                "`postgresql://app:***@db/saq`",
            ),
            // Regression (CI, stop 15): a password holding a no-break space and `8://` was cut
            // there, as if a second URL began, and its tail was printed.
            (
                "`postgresql://app:Dzkk252/\u{a0}8://%40)%25%3A@127.0.0.1:37225/saq` is not a target",
                "`postgresql://app:***@127.0.0.1:37225/saq` is not a target",
            ),
            (
                "`postgresql://app:pa x://ss@db/saq` then postgres://u:v@h/d",
                "`postgresql://app:***@db/saq` then postgres://u:***@h/d",
            ),
            (
                "postgresql://a:p@h1/x and postgresql://b:q@h2/y",
                "postgresql://a:***@h1/x and postgresql://b:***@h2/y",
            ),
            ("no url here", "no url here"),
        ] {
            assert_eq!(redact(typed), shown);
        }
        // An argument is one URL, so even `@` then ` x://` inside its password is masked.
        assert_eq!(
            redact_url("postgresql://app:p@q x://r@db/saq?password=zz"),
            "postgresql://app:***@db/saq?password=***"
        );
    }
}
