//! The `decant` binary: a shim over [`decant_cli::main`].

fn main() -> std::process::ExitCode {
    decant_cli::main()
}
