//! SAQ Sommelier's database crate: its compiled-in migration set is the one on disk, its `migrate`
//! binary deploys it, and the app refuses to start on an older schema.

mod app;
mod parity;
