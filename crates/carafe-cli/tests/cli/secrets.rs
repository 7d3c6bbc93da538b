//! No password is ever printed: generated passwords from every byte class a URL treats specially,
//! written raw and percent-encoded, driven through every error path a command can reach (and a
//! successful run), and searched for in stdout and stderr in every spelling.

use crate::harness::{Run, carafe_without_url, cluster, sommelier_migrations};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use std::sync::OnceLock;

/// The role whose password each case sets, for the paths that log in.
const ROLE: &str = "carafe_secret";

/// Pieces a password is made of: characters a URL reserves, spaces, quotes, unicode, and
/// percent-encoded forms (which a parser might decode, or not).
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]{1,3}",
        prop::sample::select(vec![
            "/",
            "?",
            "#",
            "@",
            "%",
            ":",
            "://",
            "[",
            "]",
            "&",
            "=",
            "+",
            ";",
            ",",
            "'",
            "\"",
            "\\",
            "`",
            " ",
            "$",
            "!",
            "*",
            "(",
            ")",
            "~",
            "{",
            "}",
            "|",
            "<",
            ">",
            "^",
            // What looks like a second URL starting inside the password (the leak CI found).
            " db://",
            "\u{a0}8://",
            "`pg://",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(vec!["é", "ü", "ß", "密码", "пароль", "🍷", "\u{a0}"])
            .prop_map(str::to_owned),
        prop::sample::select(vec![
            "%2F", "%40", "%3A", "%25", "%3F", "%23", "%20", "%zz", "%4"
        ])
        .prop_map(str::to_owned),
    ]
}

/// A password: a distinctive start (so any leak is unambiguous) and 3 to 12 pieces.
fn password() -> impl Strategy<Value = String> {
    (
        "[A-Z][a-z]{3}[0-9]{2}",
        prop::collection::vec(piece(), 3..12),
    )
        .prop_map(|(start, pieces)| format!("{start}{}", pieces.concat()))
}

/// Every byte but the unreserved ones, percent-encoded: how a careful user writes it.
fn encoded(password: &str) -> String {
    password
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The spellings that must never appear: as generated, percent-encoded, and, where the generated
/// text holds percent sequences, decoded.
fn spellings(password: &str) -> Vec<String> {
    let mut forms = vec![password.to_owned(), encoded(password)];
    let decoded = decode(password);
    if decoded != password {
        forms.push(decoded);
    }
    forms
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One way a command can meet the password.
struct ErrorPath {
    name: &'static str,
    /// Whether it succeeds; which failure a failing path gives can depend on the password (a raw
    /// `@` or `%` makes another URL), so only "not a success, not a panic" is asserted.
    expect: Expect,
    /// Builds the invocation for this password.
    build: fn(&Case<'_>) -> Invocation,
}

#[derive(Clone, Copy)]
enum Expect {
    Success,
    Failure,
}

struct Case<'a> {
    password: &'a str,
    port: u16,
    closed_port: u16,
    dir: &'a Path,
}

impl Case<'_> {
    fn raw(&self, tail: &str) -> String {
        format!(
            "postgresql://app:{}@127.0.0.1:{}/saq{tail}",
            self.password, self.closed_port
        )
    }
    fn encoded_closed(&self) -> String {
        format!(
            "postgresql://app:{}@127.0.0.1:{}/saq",
            encoded(self.password),
            self.closed_port
        )
    }
    fn login(&self, database: &str) -> String {
        format!(
            "postgresql://{ROLE}:{}@127.0.0.1:{}/{database}",
            encoded(self.password),
            self.port
        )
    }
    fn wrong_login(&self) -> String {
        format!(
            "postgresql://carafe_pw:{}@127.0.0.1:{}/postgres",
            encoded(self.password),
            self.port
        )
    }
}

#[derive(Default)]
struct Invocation {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    dotenv: Option<String>,
}

fn with_url(url: String, args: &[&str]) -> Invocation {
    let mut all = vec!["--database-url".to_owned(), url];
    all.extend(args.iter().map(|arg| (*arg).to_owned()));
    Invocation {
        args: all,
        ..Invocation::default()
    }
}

/// `args` and then `extra`, against the test cluster (so nothing falls back to a development server).
fn args(args: &[&str], extra: String) -> Invocation {
    let mut all = vec!["--database-url".to_owned(), cluster().url("postgres")];
    all.extend(args.iter().map(|arg| (*arg).to_owned()));
    all.push(extra);
    Invocation {
        args: all,
        ..Invocation::default()
    }
}

fn paths() -> Vec<ErrorPath> {
    use Expect::{Failure, Success};
    vec![
        ErrorPath {
            name: "current, raw password, server down",
            expect: Failure,
            build: |c| with_url(c.raw(""), &["current"]),
        },
        ErrorPath {
            name: "upgrade, raw password, server down",
            expect: Failure,
            build: |c| with_url(c.raw(""), &["upgrade", "head"]),
        },
        ErrorPath {
            name: "downgrade, raw password, server down",
            expect: Failure,
            build: |c| with_url(c.raw(""), &["downgrade", "base"]),
        },
        ErrorPath {
            name: "history, encoded password, server down",
            expect: Failure,
            build: |c| with_url(c.encoded_closed(), &["history"]),
        },
        ErrorPath {
            name: "stamp, encoded password, server down",
            expect: Failure,
            build: |c| with_url(c.encoded_closed(), &["stamp", "0001"]),
        },
        ErrorPath {
            name: "current --json, server down",
            expect: Failure,
            build: |c| with_url(c.raw(""), &["current", "--json"]),
        },
        ErrorPath {
            name: "DATABASE_URL in the environment, server down",
            expect: Failure,
            build: |c| Invocation {
                args: vec!["upgrade".into()],
                env: vec![("DATABASE_URL", c.raw(""))],
                ..Invocation::default()
            },
        },
        ErrorPath {
            name: "DATABASE_URL in .env, server down",
            expect: Failure,
            build: |c| Invocation {
                args: vec!["current".into()],
                dotenv: Some(format!("DATABASE_URL={}\n", c.encoded_closed())),
                ..Invocation::default()
            },
        },
        ErrorPath {
            name: "DATABASE_URL in .env, raw and quoted",
            expect: Failure,
            build: |c| Invocation {
                args: vec!["current".into()],
                dotenv: Some(format!("DATABASE_URL='{}'\n", c.raw(""))),
                ..Invocation::default()
            },
        },
        ErrorPath {
            name: ".env line that is not KEY=VALUE",
            expect: Failure,
            build: |c| Invocation {
                args: vec!["current".into()],
                dotenv: Some(format!("DATABASE_URL {}\n", c.raw(""))),
                ..Invocation::default()
            },
        },
        ErrorPath {
            name: "wrong password (upgrade)",
            expect: Failure,
            build: |c| with_url(c.wrong_login(), &["upgrade"]),
        },
        ErrorPath {
            name: "wrong password (current)",
            expect: Failure,
            build: |c| with_url(c.wrong_login(), &["current"]),
        },
        ErrorPath {
            name: "right password, no such database",
            expect: Failure,
            build: |c| with_url(c.login("carafe_no_such_database"), &["current"]),
        },
        ErrorPath {
            name: "right password, success",
            expect: Success,
            build: |c| with_url(c.login("postgres"), &["history"]),
        },
        ErrorPath {
            name: "adopt, right password, no history table of that tool",
            expect: Failure,
            build: |c| with_url(c.login("postgres"), &["adopt", "--from", "goose"]),
        },
        ErrorPath {
            name: "adopt, unreachable",
            expect: Failure,
            build: |c| with_url(c.raw(""), &["adopt", "--from", "sqlx", "--apply"]),
        },
        ErrorPath {
            name: "malformed port",
            expect: Failure,
            build: |c| {
                with_url(
                    format!("postgresql://app:{}@127.0.0.1:notaport/saq", c.password),
                    &["current"],
                )
            },
        },
        ErrorPath {
            name: "not a PostgreSQL scheme",
            expect: Failure,
            build: |c| {
                with_url(
                    format!("mysql://app:{}@127.0.0.1/saq", c.password),
                    &["current"],
                )
            },
        },
        ErrorPath {
            name: "unknown sslmode",
            expect: Failure,
            build: |c| with_url(c.raw("?sslmode=sometimes"), &["current"]),
        },
        ErrorPath {
            name: "password as sslpassword",
            expect: Failure,
            build: |c| {
                with_url(
                    format!(
                        "postgresql://app@127.0.0.1:{}/saq?sslkey=/k&sslpassword={}",
                        c.closed_port,
                        encoded(c.password)
                    ),
                    &["current"],
                )
            },
        },
        ErrorPath {
            name: "password as a query parameter",
            expect: Failure,
            build: |c| {
                with_url(
                    format!(
                        "postgresql://app@127.0.0.1:{}/saq?password={}",
                        c.closed_port,
                        encoded(c.password)
                    ),
                    &["current"],
                )
            },
        },
        ErrorPath {
            name: "URL where upgrade's target goes",
            expect: Failure,
            build: |c| args(&["upgrade"], c.raw("")),
        },
        ErrorPath {
            name: "URL where downgrade's target goes",
            expect: Failure,
            build: |c| args(&["downgrade"], c.raw("")),
        },
        ErrorPath {
            name: "URL where stamp's revision goes",
            expect: Failure,
            build: |c| args(&["stamp"], c.raw("")),
        },
        ErrorPath {
            name: "user:password where stamp's revision goes",
            expect: Failure,
            build: |c| args(&["stamp"], format!("app:{}", c.password)),
        },
        ErrorPath {
            name: "user:password as an extra argument",
            expect: Failure,
            build: |c| args(&["current"], format!("app:{}", c.password)),
        },
        ErrorPath {
            name: "URL where show's revision goes",
            expect: Failure,
            build: |c| args(&["show"], c.encoded_closed()),
        },
        ErrorPath {
            name: "URL as --lock-timeout",
            expect: Failure,
            build: |c| args(&["upgrade", "--lock-timeout"], c.raw("")),
        },
        ErrorPath {
            name: "URL as --history-table",
            expect: Failure,
            build: |c| args(&["current", "--history-table"], c.raw("")),
        },
        ErrorPath {
            name: "URL as upgrade's target, --json",
            expect: Failure,
            build: |c| args(&["--json", "upgrade"], c.raw("")),
        },
        ErrorPath {
            name: "scratch server down (verify)",
            expect: Failure,
            build: |c| Invocation {
                args: vec![
                    "--database-url".into(),
                    c.login("postgres"),
                    "verify".into(),
                    "--scratch-url".into(),
                    c.raw(""),
                ],
                ..Invocation::default()
            },
        },
    ]
}

/// Sets the role's password for this case (the paths that log in use it).
fn set_password(admin: &mut postgres::Client, password: &str) {
    let literal = password.replace('\'', "''");
    admin
        .batch_execute(&format!("ALTER ROLE {ROLE} PASSWORD '{literal}'"))
        .expect("set the role's password");
}

fn prepare_roles() -> postgres::Client {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        crate::failures::password_role();
        let hba = cluster().dir().join("data/pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(&hba, format!("host all {ROLE} 127.0.0.1/32 scram-sha-256\n{rules}"))
            .expect("write pg_hba.conf");
        let mut admin = crate::harness::client(&cluster().url("postgres"));
        admin
            .batch_execute(&format!("DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; SELECT pg_reload_conf();"))
            .expect("create the role");
    });
    crate::harness::client(&cluster().url("postgres"))
}

#[test]
fn no_generated_password_is_ever_printed_on_any_error_path() {
    let mut admin = prepare_roles();
    let dir = sommelier_migrations();
    let work = tempfile::tempdir().expect("temp dir");
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let paths = paths();
    let mut runs = vec![0usize; paths.len()];
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = password();
    let mut case_number = 0usize;
    // Round robin, so every path meets the same number of passwords (no shrinking: a leak
    // prints the password and the path, which is all a fix needs).
    while case_number < 1000 {
        let password = strategy
            .new_tree(&mut runner)
            .expect("generate a password")
            .current();
        let index = case_number % paths.len();
        case_number += 1;
        let path = &paths[index];
        let case = Case {
            password: &password,
            port: cluster().port(),
            closed_port,
            dir: &dir,
        };
        let invocation = (path.build)(&case);
        let logs_in = invocation
            .args
            .iter()
            .any(|arg| arg.starts_with(&format!("postgresql://{ROLE}:")));
        if logs_in {
            set_password(&mut admin, &password);
        }
        let cwd = work.path().join(format!("case{index}"));
        std::fs::create_dir_all(&cwd).expect("case dir");
        let dotenv = cwd.join(".env");
        match &invocation.dotenv {
            Some(text) => std::fs::write(&dotenv, text).expect("write .env"),
            None => {
                let _ = std::fs::remove_file(&dotenv);
            }
        }
        let mut command = carafe_without_url(case.dir);
        command.current_dir(&cwd).args(&invocation.args);
        for (key, value) in &invocation.env {
            command.env(key, value);
        }
        let output = command.output().expect("run carafe");
        let everything = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let run = Run::from(output);
        runs[index] += 1;
        for form in spellings(&password) {
            assert!(
                !everything.contains(&form),
                "{}: the password {password:?} was printed (as {form:?}):\n{everything}",
                path.name
            );
        }
        match path.expect {
            Expect::Success => assert_eq!(run.code, 0, "{}: {}", path.name, everything),
            Expect::Failure => assert!(
                run.code != 0 && run.code != 101,
                "{}: exit {} (a failure, not a panic, was expected):\n{}",
                path.name,
                run.code,
                everything
            ),
        }
    }
    assert!(case_number >= 1000, "{case_number} cases");
    for (path, count) in paths.iter().zip(&runs) {
        assert!(*count >= 30, "{}: only {count} passwords", path.name);
    }
    eprintln!(
        "secrets: {case_number} passwords over {} error paths, 0 leaks",
        paths.len()
    );
}
