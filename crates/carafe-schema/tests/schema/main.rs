//! carafe-schema against a real PostgreSQL: each test takes a fresh database on the test binary's
//! own throwaway cluster.

mod corpus;
mod diff;
mod introspect;
mod judge;
mod pg_delta;
