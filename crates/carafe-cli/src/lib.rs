//! The `carafe` command line: one file per command under [`commands`], no migration policy of its own
//! (every check lives in `carafe-core` or `carafe`).
//!
//! [`main`] reads migrations from the workspace's `migrations/` directory; [`main_with_embedded`] runs the
//! same commands on a set compiled into an app (SAQ Sommelier's `migrate` binary), and [`main_with`]
//! on that set and the app's models, which are then the declared schema.

#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod output;

mod args;
pub mod commands;
mod context;
mod dotenv;
mod exit;
mod failure;
mod workspace;

pub use exit::Exit;
pub use failure::Failure;

use args::Cli;
use clap::Parser;
use std::process::ExitCode;

/// Runs `carafe` with the process's arguments, on migrations read from disk.
pub fn main() -> ExitCode {
    run(None, carafe::model::Models::none())
}

/// Runs the same commands on a set compiled into an app; `revision` and `rehash` still write to the
/// directory the set was compiled from, found as `carafe` finds it.
pub fn main_with_embedded(set: &'static carafe::MigrationSet) -> ExitCode {
    run(Some(set), carafe::model::Models::none())
}

/// An app's `migrate` binary, its `env.py`: the compiled-in set and the app's models
/// (`carafe::models![Product, Producer]`). With the `dev` feature, `revision --autogenerate`,
/// `check` and `diff` take the models as the declared schema (with `schema.sql`, when there is
/// one, for what structs cannot express); without it, the models cost nothing.
pub fn main_with(set: &'static carafe::MigrationSet, models: carafe::model::Models) -> ExitCode {
    run(Some(set), models)
}

fn run(embedded: Option<&'static carafe::MigrationSet>, models: carafe::model::Models) -> ExitCode {
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = arguments.iter().any(|argument| argument == "--json");
    let cli = match Cli::try_parse_from(&arguments) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            say_raw!("{}", error.render());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let text = error.render().to_string();
            let mut text = text
                .strip_prefix("error: ")
                .unwrap_or(&text)
                .trim_end()
                .to_owned();
            let unknown = error.kind() == clap::error::ErrorKind::InvalidSubcommand;
            if unknown
                && !cfg!(feature = "dev")
                && let Some(hint) = development_command_hint(&arguments)
            {
                text = format!("{text}\n{hint}");
            }
            return report(&Failure::new(Exit::Usage, text), &arguments, json);
        }
    };
    match commands::dispatch(&cli, embedded, models) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure, &arguments, json),
    }
}

/// The commands only a build with the `dev` feature has.
const DEVELOPMENT_COMMANDS: [&str; 11] = [
    "init", "revision", "check", "verify", "diff", "rehash", "renumber", "squash", "db", "import",
    "adopt",
];

/// For a binary built without `dev` (an app's deploy binary) that was given a development
/// command: what to do instead.
fn development_command_hint(arguments: &[std::ffi::OsString]) -> Option<String> {
    let command = arguments
        .iter()
        .skip(1)
        .filter_map(|argument| argument.to_str())
        .find(|argument| DEVELOPMENT_COMMANDS.contains(argument))?;
    Some(format!(
        "`{command}` is a development command, and this binary was built without carafe-cli's `dev` feature: build it with the feature (an app's `migrate`: `cargo run --bin migrate --features dev -- {command} ...`), or use the `carafe` command"
    ))
}

/// Prints a failure — as a JSON object on stdout under `--json`, as `error: ...` on stderr
/// otherwise — with every URL's credentials and every argument that looks like one masked.
fn report(failure: &Failure, arguments: &[std::ffi::OsString], json: bool) -> ExitCode {
    if json && failure.is_said_in_json() {
        return failure.exit().into();
    }
    let message = redact_arguments(&failure.to_string(), arguments);
    match json {
        true => say!(
            "{}",
            serde_json::json!({ "error": { "message": message, "exit": failure.exit().code(), "kind": failure.exit().name() } })
        ),
        false => tell!("error: {message}"),
    }
    failure.exit().into()
}

/// `message` with every URL's credentials masked, and every argument that holds a URL, or looks
/// like `user:password` (typed where a revision goes), replaced by its masked form wherever it
/// appears whole.
fn redact_arguments(message: &str, arguments: &[std::ffi::OsString]) -> String {
    let mut message = message.to_owned();
    for argument in arguments.iter().filter_map(|argument| argument.to_str()) {
        if !message.contains(argument) {
            continue;
        }
        if let Some(user) = credentials_user(argument) {
            message = message.replace(argument, &format!("{user}:***"));
        } else if argument.contains("://") {
            message = message.replace(argument, &carafe::redact_url(argument));
        }
    }
    carafe::redact(&message)
}

/// The user of an argument shaped `user:password` (found by review: `stamp app:s3cret` echoed
/// it): a word before the first `:` that is no option, path, `TABLE.COLUMN` or `scheme://`.
fn credentials_user(argument: &str) -> Option<&str> {
    let (user, password) = argument.split_once(':')?;
    let word = !user.is_empty()
        && !user.starts_with('-')
        && !user.contains(['.', '/', '=', ' '])
        && !password.starts_with("//");
    (word && !password.is_empty()).then_some(user)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_argument_shaped_user_password_is_masked_and_a_rename_is_not() {
        let arguments: Vec<std::ffi::OsString> = [
            "carafe",
            "stamp",
            "app:s3cr:et@x",
            "--rename",
            "products.name:title",
        ]
        .iter()
        .map(Into::into)
        .collect();
        assert_eq!(
            super::redact_arguments(
                "`app:s3cr:et@x` is not a revision; `products.name:title` is fine",
                &arguments
            ),
            "`app:***` is not a revision; `products.name:title` is fine"
        );
        assert_eq!(super::credentials_user("postgresql://a:b@h"), None);
        assert_eq!(super::credentials_user("--x:y"), None);
        assert_eq!(super::credentials_user("app:"), None);
    }

    #[test]
    fn a_development_command_given_to_a_deploy_build_names_the_feature() {
        let arguments: Vec<std::ffi::OsString> = ["migrate", "--dir", "m", "revision", "-m", "x"]
            .iter()
            .map(Into::into)
            .collect();
        assert_eq!(
            super::development_command_hint(&arguments).as_deref(),
            Some(
                "`revision` is a development command, and this binary was built without carafe-cli's `dev` feature: build it with the feature (an app's `migrate`: `cargo run --bin migrate --features dev -- revision ...`), or use the `carafe` command"
            )
        );
        let deploy: Vec<std::ffi::OsString> =
            ["migrate", "upgrde"].iter().map(Into::into).collect();
        assert_eq!(super::development_command_hint(&deploy), None);
    }
}
