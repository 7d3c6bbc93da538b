//! `Notice`: a `NOTICE` or `WARNING` the server raised while a revision ran (`RAISE NOTICE`, "table
//! does not exist, skipping", "there is no transaction in progress"), collected per revision so the
//! caller can show it beside the revision instead of losing it in a log.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// One message the server sent that was not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// `NOTICE`, `WARNING`, `INFO`, ...
    pub severity: String,
    /// The message.
    pub message: String,
    /// The server's detail, if any.
    pub detail: Option<String>,
    /// The server's hint, if any.
    pub hint: Option<String>,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)?;
        if let Some(detail) = &self.detail {
            write!(f, "; detail: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}

/// Where a connection's notices go until the runner takes them.
#[derive(Clone, Default)]
pub(crate) struct NoticeSink {
    notices: Arc<Mutex<Vec<Notice>>>,
}

impl NoticeSink {
    /// The callback a connection hands each notice to.
    pub(crate) fn callback(&self) -> impl Fn(postgres::error::DbError) + Send + Sync + 'static {
        let notices = Arc::clone(&self.notices);
        move |notice| {
            notices
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Notice {
                    severity: notice.severity().to_owned(),
                    message: notice.message().to_owned(),
                    detail: notice.detail().map(str::to_owned),
                    hint: notice.hint().map(str::to_owned),
                });
        }
    }

    /// The notices received since the last call.
    pub(crate) fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
