//! `carafe rehash`: record the checksums of the files as they are now in `carafe.sum`.

use crate::Failure;
use std::path::Path;

pub(crate) fn run(dir: &Path) -> Result<(), Failure> {
    let loaded = super::read_dir(dir)?;
    super::write_sum(dir, &loaded)?;
    say!(
        "recorded {} revision(s) in `{}`",
        loaded.checksums.len(),
        dir.join(carafe_core::SUM_FILE_NAME).display()
    );
    for problem in super::file_problems(dir, &loaded) {
        tell!("warning: {problem}");
    }
    Ok(())
}
