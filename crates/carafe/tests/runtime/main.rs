//! The runtime library against a real PostgreSQL: TLS as `sslmode` asks, the migration lock, and
//! scratch databases swept after a killed run.

mod lock;
mod scratch;
mod tls;
