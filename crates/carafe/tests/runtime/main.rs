//! The runtime library against a real PostgreSQL: TLS as `sslmode` asks, the migration lock, and
//! the start-up guard on tokio.

mod guard;
mod lock;
mod tls;
