//! SAQ Sommelier's database crate: its compiled-in migration set is the one on disk.

mod parity;
