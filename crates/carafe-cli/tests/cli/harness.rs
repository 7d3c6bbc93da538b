//! The harness: one throwaway cluster per test binary, a fresh database per test, migrations
//! directories to copy and break, and a builder that runs the real `carafe` binary.

use carafe_core::{SUM_FILE_NAME, load_dir};
use carafe_devdb::TempCluster;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's SAQ Sommelier migrations.
pub fn sommelier_migrations() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations")
}

/// The cluster shared by this test binary.
pub fn cluster() -> &'static TempCluster {
    TempCluster::shared().expect("start a throwaway PostgreSQL cluster")
}

/// A fresh, empty database on the shared cluster; its URL.
pub fn fresh_database() -> String {
    cluster()
        .create_database("cli")
        .expect("create a test database")
}

/// A connection for assertions.
pub fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect for assertions")
}

/// A migrations directory of our own: a copy of the sommelier one, or empty, then edited.
pub struct Migrations {
    dir: tempfile::TempDir,
}

impl Migrations {
    pub fn sommelier() -> Migrations {
        let migrations = Migrations::empty();
        for entry in std::fs::read_dir(sommelier_migrations()).expect("read migrations") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), migrations.path().join(entry.file_name())).expect("copy");
        }
        migrations
    }

    pub fn empty() -> Migrations {
        Migrations {
            dir: tempfile::Builder::new()
                .prefix("carafe-migrations-")
                .tempdir()
                .expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file and records the directory in `carafe.sum`, as `carafe revision` + editing +
    /// `carafe rehash` would.
    pub fn write(&self, name: &str, text: &str) -> &Migrations {
        std::fs::write(self.path().join(name), text).expect("write migration");
        self.rehash()
    }

    fn rehash(&self) -> &Migrations {
        let loaded = load_dir(self.path()).expect("read migrations");
        std::fs::write(self.path().join(SUM_FILE_NAME), loaded.sum_file().render())
            .expect("write sum");
        self
    }
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// What a run of `carafe` printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    /// Stderr without the `database: ...` line a connecting command opens it with.
    pub stderr: String,
    /// That line, when it was printed.
    pub banner: Option<String>,
}

impl Run {
    pub fn from(output: Output) -> Run {
        let (banner, stderr) = split_banner(&String::from_utf8_lossy(&output.stderr));
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
            banner,
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "carafe failed:\n{}{}",
            self.stdout, self.stderr
        );
        self.stdout
    }

    /// Asserts failure with `code` and returns stderr.
    #[track_caller]
    pub fn fails(self, code: i32) -> String {
        assert_eq!(
            self.code, code,
            "expected exit {code}:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self.stderr
    }
}

/// Stderr's `database: URL (from SOURCE)` line, which a connecting command prints once before it
/// connects, and the rest.
#[track_caller]
pub fn split_banner(stderr: &str) -> (Option<String>, String) {
    let banners: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("database: "))
        .collect();
    assert!(banners.len() <= 1, "the database is named once: {stderr}");
    let rest: String = stderr
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("database: "))
        .collect();
    (banners.first().map(|line| (*line).to_owned()), rest)
}

/// The `carafe` binary, against `url`, reading `dir`, in a scratch working directory (so no `.env`
/// or `migrations/` of the workspace leaks in).
pub fn carafe(url: &str, dir: &Path) -> Command {
    let mut command = carafe_without_url(dir);
    command.arg("--database-url").arg(url);
    command
}

/// The `carafe` binary reading `dir`, with no database URL given: it comes from the environment.
pub fn carafe_without_url(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carafe"));
    command
        .arg("--dir")
        .arg(dir)
        .current_dir(std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .env_remove("PGPASSWORD")
        .env_remove("CARAFE_MIGRATIONS_DIR")
        .env_remove("CARAFE_HISTORY_TABLE");
    command
}

/// Runs `carafe ARGS` and collects what it printed.
pub fn run(url: &str, dir: &Path, args: &[&str]) -> Run {
    Run::from(carafe(url, dir).args(args).output().expect("run carafe"))
}

/// The revision the history table says the database is at, straight from SQL.
pub fn recorded_revisions(url: &str) -> Vec<i32> {
    client(url)
        .query(
            "SELECT revision FROM carafe_history WHERE state = 'applied' ORDER BY revision",
            &[],
        )
        .map(|rows| rows.iter().map(|row| row.get(0)).collect())
        .unwrap_or_default()
}

/// The columns of `products`, in order.
pub fn product_columns(url: &str) -> Vec<String> {
    client(url)
        .query(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('products') AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            &[],
        )
        .expect("columns")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// `pg_dump --schema-only` of a database, for comparing schemas made two ways.
pub fn schema_dump(url: &str) -> String {
    let bindir = carafe_devdb::Binaries::locate()
        .expect("binaries")
        .bindir()
        .to_owned();
    let output = Command::new(bindir.join("pg_dump"))
        .args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            url,
        ])
        .output()
        .expect("pg_dump");
    assert!(
        output.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| {
            !line.starts_with("--")
                && !line.starts_with("\\restrict")
                && !line.starts_with("\\unrestrict")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waits for a spawned `carafe` (stdout and stderr piped) for at most `limit`; past it, kills the
/// process and fails the test, so a deadlock shows as a failure instead of a hang.
#[track_caller]
pub fn wait_bounded(mut child: std::process::Child, limit: std::time::Duration) -> Run {
    let started = std::time::Instant::now();
    loop {
        match child.try_wait().expect("poll carafe") {
            Some(_) => return Run::from(child.wait_with_output().expect("collect carafe output")),
            None if started.elapsed() > limit => {
                let pid = child.id();
                let _ = child.kill();
                let run = Run::from(child.wait_with_output().expect("collect carafe output"));
                panic!(
                    "carafe (pid {pid}) still ran after {limit:?}; killed it:\nstdout: {}\nstderr: {}",
                    run.stdout, run.stderr
                );
            }
            None => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
}

/// Asserts that no session holds an advisory lock in the database of `url`, allowing the server a
/// moment to notice a client that died (it releases a dead session's locks when it sees the socket
/// close).
#[track_caller]
pub fn assert_no_advisory_lock_left(url: &str) {
    let mut client = client(url);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let held: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                &[],
            )
            .expect("count advisory locks")
            .get(0);
        if held == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{held} advisory lock(s) still held in the database 5 s after every carafe exited"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
