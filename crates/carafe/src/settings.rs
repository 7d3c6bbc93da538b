//! `Settings`: where the database is and how a run behaves. `DATABASE_URL` comes from the
//! environment; the command line adds `--database-url` and `.env` files on top.

use crate::{DatabaseUrl, Error, HistoryTable};
use std::time::Duration;

/// How a run connects and behaves.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The database.
    pub url: DatabaseUrl,
    /// Where the history is kept.
    pub history: HistoryTable,
    /// How long to wait for another run's migration lock.
    pub lock_wait: Duration,
    /// `lock_timeout` for each transactional revision, so one queued behind a long query fails (and
    /// rolls back) instead of freezing the table; `None` keeps the server's setting. Not applied to
    /// `transaction:false` revisions, which cannot roll back.
    pub lock_timeout: Option<Duration>,
    /// How long to wait for the server to answer a connection.
    pub connect_timeout: Duration,
    /// Whether a run applies each revision in its own transaction (the default) or all of them in one.
    pub mode: RunMode,
    /// Told when a run starts waiting for the migration lock, and about every 10 seconds while it
    /// waits, who holds it; `None` waits silently. The CLI prints it on stderr.
    pub on_lock_wait: Option<fn(&crate::LockWait)>,
}

/// How revisions are grouped into transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    /// Each revision commits with its history row: a failure keeps the ones before it.
    PerRevision,
    /// Every transactional revision of the run in one transaction: all or nothing, and fastest.
    /// `transaction:false` revisions still run on their own, between the batches around them.
    OneTransaction,
}

impl Settings {
    /// Settings for `url` with the defaults: `public.carafe_history`, a 5-minute lock wait, a 10-second
    /// `lock_timeout`, a 10-second connect timeout, one transaction per revision.
    pub fn new(url: DatabaseUrl) -> Settings {
        Settings {
            url,
            history: HistoryTable::default(),
            lock_wait: Duration::from_secs(300),
            lock_timeout: Some(Duration::from_secs(10)),
            connect_timeout: Duration::from_secs(10),
            mode: RunMode::PerRevision,
            on_lock_wait: None,
        }
    }
}

/// Where [`database_url_from_env`] says its URL came from.
const ENVIRONMENT: &str = "the environment variable DATABASE_URL";

/// `DATABASE_URL` from the environment: `None` when it is not set; an error when it is set but
/// empty or blank (a missing CI secret must not send a run to another database). Reading `.env`
/// files is the command line's business, not an app's.
pub fn database_url_from_env() -> Result<Option<DatabaseUrl>, Error> {
    let Some(value) = std::env::var_os("DATABASE_URL") else {
        return Ok(None);
    };
    let value = value
        .into_string()
        .map_err(|_| Error::Settings("DATABASE_URL is not valid UTF-8: set it again".to_owned()))?;
    parse_configured_url(&value, ENVIRONMENT).map(Some)
}

/// Parses a configured URL; `source` names where it came from for the error when it is blank.
pub fn parse_configured_url(value: &str, source: &str) -> Result<DatabaseUrl, Error> {
    if value.trim().is_empty() {
        return Err(Error::Settings(format!(
            "{source} is set but empty: set it to the database's URL, or unset it"
        )));
    }
    let setting = match source == ENVIRONMENT {
        true => "DATABASE_URL",
        false => source,
    };
    DatabaseUrl::parse(value)
        .map(|url| url.from_setting(setting))
        .map_err(Error::from)
}

/// The longest duration a setting takes: a day. Longer is a typo (and PostgreSQL's own timeouts
/// stop at 24.8 days of milliseconds).
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

/// Reads a duration as a user writes it: `500ms`, `10s`, `5m`, `1h`, or a bare number of seconds,
/// at most [`MAX_DURATION`]. `0` means "none" and gives `None`.
pub fn parse_duration(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let too_long = || format!("`{text}` is longer than the maximum, 24h: write a shorter duration");
    let number: u64 = match number.parse() {
        Ok(number) => number,
        Err(_) if !number.is_empty() => return Err(too_long()),
        Err(_) => {
            return Err(format!(
                "`{text}` is not a duration: write e.g. `500ms`, `10s` or `5m`"
            ));
        }
    };
    let millis_per_unit: u64 = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s, m or h"
            ));
        }
    };
    let duration = number
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .filter(|duration| *duration <= MAX_DURATION)
        .ok_or_else(too_long)?;
    Ok((!duration.is_zero()).then_some(duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(
            parse_duration("500ms"),
            Ok(Some(Duration::from_millis(500)))
        );
        assert_eq!(parse_duration("10s"), Ok(Some(Duration::from_secs(10))));
        assert_eq!(parse_duration("10"), Ok(Some(Duration::from_secs(10))));
        assert_eq!(parse_duration("5m"), Ok(Some(Duration::from_secs(300))));
        assert_eq!(parse_duration("0"), Ok(None));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("10d").is_err());
        assert_eq!(parse_duration("24h"), Ok(Some(MAX_DURATION)));
        // Regression: `5124095576030432h` overflowed silently.
        for too_long in [
            "25h",
            "5124095576030432h",
            "99999999999999999999999s",
            "86400001ms",
        ] {
            assert_eq!(
                parse_duration(too_long),
                Err(format!(
                    "`{too_long}` is longer than the maximum, 24h: write a shorter duration"
                ))
            );
        }
    }
}
