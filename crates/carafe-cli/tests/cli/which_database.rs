//! Which database a command talks to: named once on stderr, masked, with where it was named; an
//! empty setting is an error naming its source, never a silent switch to another database.

use crate::harness::{Run, carafe_without_url, fresh_database, sommelier_migrations};

const PASSWORD: &str = "Banner-Secret-91";

/// `url` with a password the trusting test cluster ignores.
fn with_password(url: &str) -> String {
    url.replacen("postgres@", &format!("postgres:{PASSWORD}@"), 1)
}

fn run_in(cwd: &std::path::Path, configure: impl FnOnce(&mut std::process::Command)) -> Run {
    let mut command = carafe_without_url(&sommelier_migrations());
    command.current_dir(cwd).arg("current");
    configure(&mut command);
    Run::from(command.output().expect("run carafe"))
}

#[test]
fn every_connecting_command_says_once_which_database_and_from_where() {
    let url = with_password(&fresh_database());
    let shown = url.replace(PASSWORD, "***");
    let cwd = tempfile::tempdir().expect("temp dir");

    let flag = run_in(cwd.path(), |command| {
        command.args(["--database-url", &url]);
    });
    assert_eq!(flag.code, 0, "{}", flag.stderr);
    assert_eq!(
        flag.banner,
        Some(format!("{shown} (from `--database-url`)"))
    );

    let environment = run_in(cwd.path(), |command| {
        command.env("DATABASE_URL", &url);
    });
    assert_eq!(
        environment.banner,
        Some(format!("{shown} (from DATABASE_URL in the environment)"))
    );

    let dotenv = cwd.path().join(".env");
    std::fs::write(&dotenv, format!("DATABASE_URL={url}\n")).expect("write .env");
    let from_file = run_in(cwd.path(), |_| {});
    assert_eq!(
        from_file.banner,
        Some(format!(
            "{shown} (from DATABASE_URL in `{}`)",
            dotenv.display()
        ))
    );
    for run in [&flag, &environment, &from_file] {
        assert!(!run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD));
    }

    let offline = carafe_without_url(&sommelier_migrations())
        .current_dir(cwd.path())
        .args(["upgrade", "head", "--sql"])
        .output()
        .expect("run carafe");
    let offline = Run::from(offline);
    assert_eq!(offline.code, 0, "{}", offline.stderr);
    assert_eq!(offline.banner, None, "`--sql` connects to nothing");
}

#[test]
fn an_empty_setting_is_an_error_naming_its_source_not_another_database() {
    // Regression: an empty DATABASE_URL (a missing CI secret) was read as unset, and the command
    // went on against the local development server.
    let cwd = tempfile::tempdir().expect("temp dir");
    let blank_environment = run_in(cwd.path(), |command| {
        command.env("DATABASE_URL", "  ");
    });
    let blank_flag = run_in(cwd.path(), |command| {
        command.args(["--database-url", ""]);
    });
    let dotenv = cwd.path().join(".env");
    std::fs::write(&dotenv, "DATABASE_URL=\n").expect("write .env");
    let blank_file = run_in(cwd.path(), |_| {});
    for (run, source) in [
        (
            blank_environment,
            "the environment variable DATABASE_URL".to_owned(),
        ),
        (blank_flag, "`--database-url`".to_owned()),
        (
            blank_file,
            format!("DATABASE_URL in `{}`", dotenv.display()),
        ),
    ] {
        assert_eq!(run.banner, None);
        assert_eq!(
            run.fails(7),
            format!(
                "error: {source} is set but empty: set it to the database's URL, or unset it\n"
            )
        );
    }
}

#[test]
fn json_errors_are_json_on_stdout() {
    // Regression: `--json` errors were plain text.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let url = format!("postgresql://app:{PASSWORD}@127.0.0.1:{closed_port}/saq");
    let cwd = tempfile::tempdir().expect("temp dir");
    for (args, exit, kind) in [
        (
            vec!["--database-url", url.as_str(), "--json", "current"],
            5,
            "unreachable",
        ),
        (vec!["--json", "upgrade", "--no-such-flag"], 2, "usage"),
        // Regression: a bad flag was read after the development server had been started.
        (
            vec!["--json", "upgrade", "--lock-wait", "soon"],
            7,
            "settings",
        ),
    ] {
        let output = carafe_without_url(&sommelier_migrations())
            .current_dir(cwd.path())
            .args(&args)
            .output()
            .expect("run carafe");
        let run = Run::from(output);
        assert_eq!(run.code, exit, "{args:?}: {}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
        assert_eq!(json["error"]["exit"], exit);
        assert_eq!(json["error"]["kind"], kind);
        let message = json["error"]["message"].as_str().expect("a message");
        assert!(
            !message.is_empty() && !message.contains(PASSWORD),
            "{message}"
        );
        assert_eq!(run.stderr, "", "{args:?}");
        if kind != "unreachable" {
            assert_eq!(
                run.banner, None,
                "{args:?}: refused before any database was chosen"
            );
        }
    }
}

/// Found by review: a quote left open in `.env` was "not `KEY=VALUE` at character 80", a position
/// in a value running over several lines; it names the line the entry starts on, never its text.
#[test]
fn a_dotenv_syntax_error_names_its_line_not_its_text() {
    let cwd = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        cwd.path().join(".env"),
        format!("FOO=1\nDATABASE_URL=\"postgresql://app:{PASSWORD}@db/saq\nOTHER=1\n"),
    )
    .expect("write .env");
    let run = run_in(cwd.path(), |_| {});
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a line is not `KEY=VALUE` at line 2: fix the file's syntax"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(PASSWORD), "{}", run.stderr);
}
