//! `migrate`: the `carafe` commands on SAQ Sommelier's compiled-in migrations — what a deploy runs
//! (`migrate upgrade head`), with no migration files needed on the server.

fn main() -> std::process::ExitCode {
    carafe_cli::main_with_embedded(&sommelier_db::migrations::MIGRATIONS)
}
