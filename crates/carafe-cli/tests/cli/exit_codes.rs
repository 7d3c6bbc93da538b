//! The exit codes a user reads about are the ones carafe returns: every `--help` text and the
//! README's table agree with `carafe_cli::Exit`.

use carafe_cli::Exit;
use std::collections::BTreeSet;
use std::process::Command;

fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_carafe"))
        .args(args)
        .arg("--help")
        .output()
        .expect("run carafe --help");
    assert!(output.status.success(), "{args:?} --help");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every number written as `exit N`, `exits N` or `exit with code N` in `text`.
fn mentioned_codes(text: &str) -> BTreeSet<u8> {
    let lower = text.to_lowercase();
    let mut codes = BTreeSet::new();
    for (index, _) in lower.match_indices("exit") {
        let rest = lower[index + 4..]
            .trim_start_matches('s')
            .trim_start()
            .trim_start_matches("with code")
            .trim_start_matches("code")
            .trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(code) = digits.parse() {
            codes.insert(code);
        }
    }
    codes
}

#[test]
fn every_help_text_names_the_exit_code_the_command_returns() {
    // Regression: `current --help` said exit 8 (the lock timeout's code); it is 9.
    let expected: [(&[&str], &[Exit]); 6] = [
        (&["current"], &[Exit::NotAtHead]),
        (&["check"], &[Exit::Differs]),
        (&["verify"], &[Exit::Differs]),
        (&["diff"], &[Exit::Differs]),
        (&["revision"], &[]),
        (&[], &[Exit::Differs]),
    ];
    for (command, codes) in expected {
        let text = help(command);
        let wanted: BTreeSet<u8> = codes.iter().map(|exit| exit.code()).collect();
        assert_eq!(
            mentioned_codes(&text),
            wanted,
            "carafe {command:?} --help:\n{text}"
        );
    }
    for command in [
        "upgrade",
        "downgrade",
        "heads",
        "history",
        "show",
        "stamp",
        "rehash",
        "db",
    ] {
        let text = help(&[command]);
        assert_eq!(
            mentioned_codes(&text),
            BTreeSet::new(),
            "carafe {command} --help:\n{text}"
        );
    }
}

#[test]
fn the_readme_lists_every_exit_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("read README.md");
    let section = readme
        .split("### Exit codes")
        .nth(1)
        .expect("an exit-code section");
    let listed: BTreeSet<u8> = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            line.trim_start_matches('|')
                .split('|')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .collect();
    let mut codes: BTreeSet<u8> = Exit::ALL.iter().map(|exit| exit.code()).collect();
    codes.insert(0);
    assert_eq!(listed, codes);
    // Each command the README's command table describes with a code uses the right one.
    for (row, exit) in [
        ("`carafe current", Exit::NotAtHead),
        ("`carafe check`", Exit::Differs),
    ] {
        let line = readme
            .lines()
            .find(|line| line.starts_with(&format!("| {row}")))
            .expect("a row");
        assert_eq!(
            mentioned_codes(line),
            BTreeSet::from([exit.code()]),
            "{line}"
        );
    }
}
