//! The `carafe` binary: a shim over [`carafe_cli::main`].

fn main() -> std::process::ExitCode {
    carafe_cli::main()
}
