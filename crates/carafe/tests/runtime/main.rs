//! The runtime library against a real PostgreSQL: TLS as `sslmode` asks, and the migration lock.

mod lock;
mod tls;
