//! The desired-state library against a real PostgreSQL: scratch databases swept after a killed run.

mod models;
mod scratch;
mod templates;
mod test_databases;
