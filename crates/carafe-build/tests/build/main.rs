//! carafe-build's integration tests: the generated module as text, and real `cargo build`s of small
//! fixture crates that show what a user sees when their migrations are broken.

mod fixture;
mod generated;
mod real_builds;
