//! `carafe downgrade [-N|NNNN|base] [--sql]`: undo revisions, or print the script.

use crate::Failure;
use crate::args::Offline;
use crate::context::Context;
use carafe::{Direction, RunMode};

pub(crate) fn run(context: &Context<'_>, target: &str, offline: &Offline) -> Result<(), Failure> {
    super::apply::run(
        context,
        Direction::Downgrade,
        target,
        offline,
        RunMode::PerRevision,
    )
}
