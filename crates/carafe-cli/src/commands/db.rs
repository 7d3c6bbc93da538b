//! `carafe db up|down|url`: the local development server under `target/carafe-pg`.

use crate::args::DbAction;
use crate::context::{Context, DEV_DATABASE, ensure_dev_database};
use crate::workspace::dev_cluster_dir;
use crate::{Exit, Failure};
use carafe_devdb::{DevCluster, StopOutcome};

pub(crate) fn run(context: &Context<'_>, action: &DbAction) -> Result<(), Failure> {
    let dir = dev_cluster_dir(&context.dir()?);
    let failed = |error: carafe_devdb::Error| {
        Failure::new(
            Exit::Environment,
            format_args!("local development server: {error}"),
        )
    };
    match action {
        DbAction::Up => {
            let cluster = DevCluster::ensure_running(&dir).map_err(failed)?;
            ensure_dev_database(&cluster)?;
            let started = match cluster.started_now() {
                true => "started",
                false => "already running",
            };
            say!(
                "local PostgreSQL {started} in `{}`: {}; it keeps running: `carafe db down` stops it",
                dir.display(),
                cluster.url(DEV_DATABASE)
            );
        }
        DbAction::Down => match DevCluster::stop(&dir).map_err(failed)? {
            StopOutcome::Stopped => say!("stopped the local PostgreSQL in `{}`", dir.display()),
            StopOutcome::WasNotRunning => say!(
                "the local PostgreSQL in `{}` was not running",
                dir.display()
            ),
        },
        DbAction::Url => {
            let cluster = DevCluster::ensure_running(&dir).map_err(failed)?;
            ensure_dev_database(&cluster)?;
            if cluster.started_now() {
                tell!(
                    "note: started the local PostgreSQL in `{}`; it keeps running: `carafe db down` stops it",
                    dir.display()
                );
            }
            say!("{}", cluster.url(DEV_DATABASE));
        }
    }
    Ok(())
}
