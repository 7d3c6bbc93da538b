//! carafe-core's integration tests: directories in, migration sets and problems out. No database.

mod load;
mod plan;
mod properties;
mod statements;
