//! The session introspection reads through: one read-only snapshot with a fixed `search_path`,
//! counting every statement it sends.

use super::IntrospectError;
use postgres::{Client, Row};

/// Opens the snapshot: every query sees the same state of the catalogs, and the server's printers
/// qualify every name outside `pg_catalog` (`public.products`, `public.mood`).
///
/// The printers cost the server far more per row than its planner assumes (each one looks up the
/// object, and `pg_get_indexdef` opens the table), so parallel plans are made free to start: when a
/// catalog is big enough for a parallel scan (`min_parallel_table_scan_size`, some thousands of
/// tables), workers share the printing; smaller catalogs are still read by one process. JIT
/// compilation only slows catalog queries down. `SET LOCAL` ends with the transaction, so the
/// caller's session is left as it was.
const OPEN: &str = "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
                    SET LOCAL search_path TO pg_catalog; \
                    SET LOCAL jit TO off; \
                    SET LOCAL parallel_setup_cost TO 0; \
                    SET LOCAL parallel_tuple_cost TO 0";

/// Closes the snapshot. In a transaction a failed query aborted, `COMMIT` rolls back.
const CLOSE: &str = "COMMIT";

/// A client inside the introspection snapshot, and how many statements it has sent.
pub(super) struct Catalog<'client> {
    client: &'client mut Client,
    statements: usize,
}

impl<'client> Catalog<'client> {
    /// Opens the snapshot on `client` (one statement).
    pub(super) fn open(client: &'client mut Client) -> Result<Catalog<'client>, IntrospectError> {
        if let Err(error) = client.batch_execute(OPEN) {
            // The first statement may have started the transaction before the second failed.
            let _ = client.batch_execute("ROLLBACK");
            return Err(IntrospectError::query("opening a snapshot", &error));
        }
        Ok(Catalog {
            client,
            statements: 1,
        })
    }

    /// The rows of `query`, which reads `what` (one statement, one round trip: the query is not
    /// prepared separately).
    pub(super) fn rows(
        &mut self,
        what: &'static str,
        query: &str,
    ) -> Result<Vec<Row>, IntrospectError> {
        self.statements += 1;
        self.client
            .query_typed(query, &[])
            .map_err(|error| IntrospectError::query(what, &error))
    }

    /// Closes the snapshot (one statement) and returns how many statements were sent in all.
    pub(super) fn close(self) -> Result<usize, IntrospectError> {
        self.client
            .batch_execute(CLOSE)
            .map_err(|error| IntrospectError::query("closing the snapshot", &error))?;
        Ok(self.statements + 1)
    }
}
