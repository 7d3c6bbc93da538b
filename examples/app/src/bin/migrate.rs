//! The deploy binary: `DATABASE_URL=... migrate upgrade head`, migrations compiled in.

fn main() -> std::process::ExitCode {
    carafe_cli::main_with_embedded(&carafe_example_app::migrations::MIGRATIONS)
}
