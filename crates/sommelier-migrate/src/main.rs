//! `migrate`: SAQ Sommelier's `env.py`. The deploy commands of `carafe` (upgrade, downgrade,
//! current, heads, history, show, stamp) on the compiled-in migrations, so `migrate upgrade head`
//! needs no migration files, no toolchain and no development server; built with `--features dev`
//! it also autogenerates and checks revisions against the app's models.

fn main() -> std::process::ExitCode {
    carafe_cli::main_with(
        &sommelier_db::migrations::MIGRATIONS,
        sommelier_db::models::MODELS,
    )
}
