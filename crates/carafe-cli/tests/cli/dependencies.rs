//! What an app links: the runtime and a deploy binary stay free of the development tooling
//! (`cargo tree`, offline, on the workspace's lock file).

use std::collections::BTreeSet;
use std::process::Command;

/// The names of every normal (non-dev, non-build) dependency of `package`, itself included.
fn normal_dependencies(package: &str, features: &[&str]) -> BTreeSet<String> {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .args(["--format", "{p}", "-p", package])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn assert_links_none(package: &str, features: &[&str], forbidden: &[&str]) {
    let linked = normal_dependencies(package, features);
    let found: Vec<&&str> = forbidden
        .iter()
        .filter(|name| linked.contains(**name))
        .collect();
    assert!(
        found.is_empty(),
        "{package} links {found:?} ({} crates in all)",
        linked.len()
    );
}

#[test]
fn the_runtime_links_no_schema_model_cli_or_dotenv() {
    assert_links_none(
        "carafe",
        &[],
        &[
            "carafe-schema",
            "carafe-desired",
            "carafe-devdb",
            "carafe-cli",
            "carafe-import",
            "clap",
            "cargo_metadata",
            "dotenvy",
        ],
    );
}

#[test]
fn the_deploy_entry_point_links_no_schema_model_dev_server_or_cargo_metadata() {
    let forbidden = [
        "carafe-schema",
        "carafe-desired",
        "carafe-devdb",
        "carafe-import",
        "cargo_metadata",
    ];
    assert_links_none("sommelier-migrate", &[], &forbidden);
    assert_links_none("carafe-cli", &["--no-default-features"], &forbidden);
    // The check can fail: the development tool does link them.
    let tool = normal_dependencies("carafe-cli", &[]);
    assert!(
        forbidden.iter().all(|name| tool.contains(*name)),
        "{tool:?}"
    );
}
