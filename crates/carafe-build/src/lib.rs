//! `carafe-build`: the build-script half of carafe. It compiles a migrations directory into a typed
//! Rust module, so `cargo build` fails on a gap, a duplicate number, a malformed or edited migration.
//!
//! In the app crate's `build.rs`, one line:
//! ```no_run
//! carafe_build::compile("../../migrations");
//! ```
//! and in its `lib.rs`: `pub mod migrations { carafe::include_migrations!(); }`.
//!
//! [`compile`] reads the directory through `carafe-core` (the same code the runtime uses), reports
//! every problem at once as `cargo::error=` lines, asks cargo to rerun when anything in the directory
//! changes, and writes the module ([`render_module`]) to `OUT_DIR`. [`try_compile`] is the same without
//! printing, for tools and tests.

mod codegen;
mod compile;

pub use codegen::{PACKED_FILE_NAME, render_module};
pub use compile::{BuildError, GENERATED_FILE_NAME, compile, try_compile};
