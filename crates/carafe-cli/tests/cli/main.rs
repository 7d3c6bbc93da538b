//! The `carafe` binary end to end, against a real PostgreSQL that the harness starts itself.

mod adopt;
mod commands;
mod concurrency;
mod crash;
mod dependencies;
mod desired;
mod exit_codes;
mod failures;
mod harness;
mod import;
mod init;
mod isolation;
mod offline;
mod output;
mod privileges;
mod renumber;
mod secrets;
mod squash;
mod which_database;
