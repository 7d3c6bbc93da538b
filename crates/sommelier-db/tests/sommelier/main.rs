//! SAQ Sommelier's database crate: its compiled-in migration set is the one on disk, revision for
//! revision. The deploy binary and the start-up guard are tested in `sommelier-migrate`.

mod catalogue;
mod models;
mod parity;
