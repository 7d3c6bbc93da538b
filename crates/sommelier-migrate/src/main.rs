//! `migrate`: the deploy commands of `carafe` (upgrade, downgrade, current, heads, history, show,
//! stamp) on SAQ Sommelier's compiled-in migrations: `migrate upgrade head` needs no migration
//! files, no toolchain and no development server on the server.

fn main() -> std::process::ExitCode {
    carafe_cli::main_with_embedded(&sommelier_db::migrations::MIGRATIONS)
}
