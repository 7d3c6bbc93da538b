//! Choosing a free TCP port on 127.0.0.1, and recognising a server that lost its port to someone else.

use std::net::{Ipv4Addr, TcpListener};

use crate::Error;

/// How many ports to try before giving up when each one turns out to be taken.
pub(crate) const START_ATTEMPTS: usize = 5;

/// A port that was free a moment ago: bind 127.0.0.1:0, read the port the system chose, let it go.
/// Someone may take it before the server binds it; see [`log_says_port_taken`].
pub(crate) fn free_port() -> Result<u16, Error> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map_err(|source| Error::NoFreePort { source })?;
    Ok(listener.port())
}

/// Whether a server's log says it could not listen because the port was already in use.
pub(crate) fn log_says_port_taken(log: &str) -> bool {
    log.contains("Address already in use")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_not_zero() {
        assert_ne!(free_port().ok(), Some(0));
    }

    #[test]
    fn a_bind_failure_is_recognised() {
        let log = "LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use\n\
                   FATAL:  could not create any TCP/IP sockets";
        assert!(log_says_port_taken(log));
        assert!(!log_says_port_taken(
            "FATAL:  data directory has wrong ownership"
        ));
    }
}
