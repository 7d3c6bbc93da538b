//! `carafe upgrade [head|+N|NNNN] [--sql] [--one-transaction]`: apply revisions, or print the script.

use crate::Failure;
use crate::args::Offline;
use crate::context::Context;
use carafe::{Direction, RunMode};

pub(crate) fn run(
    context: &Context<'_>,
    target: &str,
    offline: &Offline,
    one_transaction: bool,
) -> Result<(), Failure> {
    let mode = match one_transaction {
        true => RunMode::OneTransaction,
        false => RunMode::PerRevision,
    };
    super::apply::run(context, Direction::Upgrade, target, offline, mode)
}
