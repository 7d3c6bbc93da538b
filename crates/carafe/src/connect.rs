//! Opening a connection, with errors that say whether the server is missing or refused the login,
//! and never the password.

use crate::error::describe;
use crate::notice::NoticeSink;
use crate::tls::{TlsMode, connector};
use crate::{DatabaseUrl, Error};
use postgres::error::SqlState;
use postgres::{Client, NoTls};
use std::time::Duration;

/// Connects to `url`, waiting at most `timeout` for the server.
pub fn connect(url: &DatabaseUrl, timeout: Duration) -> Result<Client, Error> {
    connect_with(url, url.config().clone(), timeout)
}

/// Connects to `url`, handing every notice the server sends to `notices`.
pub(crate) fn connect_collecting(
    url: &DatabaseUrl,
    timeout: Duration,
    notices: &NoticeSink,
) -> Result<Client, Error> {
    let mut config = url.config().clone();
    config.notice_callback(notices.callback());
    connect_with(url, config, timeout)
}

fn connect_with(
    url: &DatabaseUrl,
    mut config: postgres::Config,
    timeout: Duration,
) -> Result<Client, Error> {
    config.connect_timeout(timeout);
    // As libpq: a URL without a password takes `PGPASSWORD`'s.
    let from_environment = match config.get_password() {
        None => std::env::var("PGPASSWORD")
            .ok()
            .filter(|password| !password.is_empty()),
        Some(_) => None,
    };
    if let Some(password) = &from_environment {
        config.password(password);
    }
    let connected = match url.tls_mode() {
        TlsMode::Disable => config.connect(NoTls),
        mode => {
            let tls = connector(mode, url.root_certificates(), url.client_certificate())
                .map_err(|reason| Error::Settings(format!("TLS for {url}: {reason}")))?;
            config.connect(tls)
        }
    };
    connected.map_err(|error| connect_error(url, &error, from_environment.as_deref()))
}

fn connect_error(url: &DatabaseUrl, error: &postgres::Error, pgpassword: Option<&str>) -> Error {
    let mut reason = url.scrub(&describe(error));
    // As for a URL's password, one too short to scrub without blanking letters is left.
    if let Some(password) = pgpassword.filter(|password| password.chars().count() >= 3) {
        reason = reason.replace(password, "***");
    }
    let shown = url.to_string();
    let setting = url.setting().to_owned();
    match error.as_db_error().map(|db| db.code().clone()) {
        Some(code)
            if code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && reason.contains("certificate") =>
        {
            Error::Login {
                url: shown,
                reason,
                hint: format!(
                    "the server wants a client certificate for this user: give sslcert=PATH&sslkey=PATH in {setting} (the certificate's CN must be the user name)"
                ),
            }
        }
        Some(code)
            if code == SqlState::INVALID_PASSWORD
                || code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            Error::Login {
                url: shown,
                reason,
                hint: format!("check the user and password in {setting}"),
            }
        }
        Some(code) if code == SqlState::INVALID_CATALOG_NAME => Error::Login {
            url: shown,
            reason,
            hint: format!("create the database (`createdb NAME`) or fix its name in {setting}"),
        },
        Some(_) => Error::Login {
            url: shown,
            reason,
            hint: format!("check {setting} and the server's pg_hba.conf"),
        },
        None if reason.contains("TLS")
            || reason.contains("tls")
            || reason.contains("certificate") =>
        {
            Error::Tls {
                url: shown,
                setting,
                reason,
            }
        }
        // The server asked for a password the client has none for (found by review: it was
        // reported as an unreachable server).
        None if reason.contains("password missing") => Error::Login {
            url: shown,
            reason,
            hint: format!(
                "the server wants a password and {setting} has none: put it in the URL (`postgresql://user:PASSWORD@host/database`, percent-encoded) or set PGPASSWORD"
            ),
        },
        None => Error::Unreachable {
            url: shown,
            setting,
            reason,
        },
    }
}
