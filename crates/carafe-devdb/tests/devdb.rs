//! carafe-devdb against real PostgreSQL servers started from the system's binaries: temporary
//! clusters, the development cluster, the watchdog, and finding the binaries.

use std::{
    env,
    io::{BufRead, BufReader},
    net::{Ipv4Addr, TcpStream},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::OnceLock,
    thread,
    time::{Duration, Instant},
};

use carafe_devdb::{BINDIR_VAR, DevCluster, StopOutcome, TempCluster};

/// Set in a copy of this test binary that [`child_process`] runs; names what the copy does.
const CHILD_ROLE: &str = "CARAFE_DEVDB_TEST_CHILD";

/// The line a child prints once its cluster runs: `cluster PORT DIR`.
const CLUSTER_LINE: &str = "cluster ";

/// The one value `sql` returns on the server at `url`.
fn query_one<T: for<'a> postgres::types::FromSql<'a>>(url: &str, sql: &str) -> T {
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|error| panic!("connect to {url}: {error}"));
    client
        .query_one(sql, &[])
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .get(0)
}

fn postgres_db_on(port: u16) -> String {
    format!("postgresql://postgres@127.0.0.1:{port}/postgres")
}

fn refuses_connections(port: u16) -> bool {
    TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(1)).is_err()
}

/// Polls `condition` for up to ten seconds.
fn eventually(condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        thread::sleep(Duration::from_millis(100));
    }
    condition()
}

/// Runs this test binary again as [`child_process`] with `role`, and the extra environment.
fn child_command(role: &str) -> Command {
    let exe = env::current_exe().expect("the test binary's path");
    let mut command = Command::new(exe);
    command
        .args(["child_process", "--exact", "--ignored", "--nocapture"])
        .env(CHILD_ROLE, role)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    command
}

/// Reads `cluster PORT DIR` from a child's output.
fn parse_cluster_line(line: &str) -> Option<(u16, PathBuf)> {
    let rest = line.strip_prefix(CLUSTER_LINE)?;
    let (port, dir) = rest.split_once(' ')?;
    Some((port.parse().ok()?, PathBuf::from(dir.trim_end())))
}

fn assert_cleaned_up(port: u16, dir: &Path) {
    assert!(
        eventually(|| !dir.exists()),
        "`{}` still exists",
        dir.display()
    );
    assert!(
        eventually(|| refuses_connections(port)),
        "port {port} still accepts connections"
    );
}

/// Stops the development cluster in a directory when dropped, even if the test fails.
struct StopOnDrop<'a>(&'a Path);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        let _ = DevCluster::stop(self.0);
    }
}

#[test]
fn a_temp_cluster_answers_queries() {
    let cluster = TempCluster::start().expect("start a temp cluster");
    assert_eq!(query_one::<i32>(&cluster.url("postgres"), "select 1"), 1);
    assert_eq!(
        query_one::<String>(&cluster.url("postgres"), "show fsync"),
        "off"
    );
    assert_eq!(
        cluster.url("postgres"),
        format!(
            "postgresql://postgres@127.0.0.1:{}/postgres",
            cluster.port()
        )
    );
}

#[test]
fn two_temp_clusters_run_at_once_on_different_ports() {
    let first = TempCluster::start().expect("start the first temp cluster");
    let second = TempCluster::start().expect("start the second temp cluster");
    assert_ne!(first.port(), second.port());
    assert_ne!(first.dir(), second.dir());
    assert_eq!(query_one::<i32>(&first.url("postgres"), "select 1"), 1);
    assert_eq!(query_one::<i32>(&second.url("postgres"), "select 1"), 1);
}

#[test]
fn dropping_a_temp_cluster_stops_its_server_and_deletes_its_directory() {
    let cluster = TempCluster::start().expect("start a temp cluster");
    let (port, dir) = (cluster.port(), cluster.dir().to_path_buf());
    assert!(dir.join("data").join("PG_VERSION").is_file());
    drop(cluster);
    assert!(!dir.exists(), "`{}` still exists", dir.display());
    assert!(
        refuses_connections(port),
        "port {port} still accepts connections"
    );
}

#[test]
fn a_temp_cluster_kept_in_a_static_is_cleaned_up_after_its_process_exits() {
    let output = child_command("static").output().expect("run the child");
    assert!(output.status.success(), "child failed: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (port, dir) = stdout
        .lines()
        .find_map(parse_cluster_line)
        .unwrap_or_else(|| panic!("no cluster line in {stdout}"));
    assert_cleaned_up(port, &dir);
}

#[test]
fn a_temp_cluster_is_cleaned_up_after_its_process_is_killed() {
    let mut child = child_command("killed").spawn().expect("run the child");
    let stdout = child.stdout.take().expect("the child's output");
    let (port, dir) = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| parse_cluster_line(&line))
        .expect("the child prints its cluster");
    assert_eq!(
        query_one::<i32>(&postgres_db_on(port), "select 1"),
        1,
        "the child's server runs"
    );
    child.kill().expect("kill the child");
    child.wait().expect("reap the child");
    assert_cleaned_up(port, &dir);
}

/// Found on the CI machine: a runner that ended every process of a job killed the watchdogs too,
/// and left 7 GB of cluster directories in /tmp. The next temporary cluster deletes those whose
/// process and server are gone.
#[test]
fn a_temp_cluster_deletes_directories_that_killed_processes_left() {
    let mut ended = Command::new("true").spawn().expect("true runs");
    let pid = ended.id();
    ended.wait().expect("true ends");
    let left = env::temp_dir().join(format!("carafe-pg-{pid}-0"));
    std::fs::create_dir_all(left.join("data")).expect("a left directory");
    std::fs::write(left.join("data").join("PG_VERSION"), "15\n").expect("a file in it");
    let _cluster = TempCluster::start().expect("start a temp cluster");
    assert!(!left.exists(), "`{}` is still there", left.display());
}

#[test]
fn the_dev_cluster_is_reused_then_stopped_then_restarted_on_the_same_port() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let _stop = StopOnDrop(dir.path());
    let started_at = "select extract(epoch from pg_postmaster_start_time())::text";

    let first = DevCluster::ensure_running(dir.path()).expect("create and start");
    assert_eq!(query_one::<i32>(&first.url("postgres"), "select 1"), 1);
    assert_eq!(
        query_one::<String>(&first.url("postgres"), "show fsync"),
        "on"
    );
    let first_start = query_one::<String>(&first.url("postgres"), started_at);

    let second = DevCluster::ensure_running(dir.path()).expect("reuse");
    assert_eq!(second.port(), first.port());
    assert_eq!(
        query_one::<String>(&second.url("postgres"), started_at),
        first_start
    );

    assert_eq!(
        DevCluster::stop(dir.path()).expect("stop"),
        StopOutcome::Stopped
    );
    assert!(refuses_connections(first.port()));
    assert_eq!(
        DevCluster::stop(dir.path()).expect("stop again"),
        StopOutcome::WasNotRunning
    );

    let third = DevCluster::ensure_running(dir.path()).expect("restart");
    assert_eq!(third.port(), first.port());
    assert_ne!(
        query_one::<String>(&third.url("postgres"), started_at),
        first_start
    );
    assert!(third.log_file().is_file());
}

#[test]
fn the_dev_cluster_moves_to_a_free_port_when_its_port_is_taken() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let _stop = StopOnDrop(dir.path());
    let first = DevCluster::ensure_running(dir.path()).expect("create and start");
    DevCluster::stop(dir.path()).expect("stop");
    let squatter =
        std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, first.port())).expect("take the port");

    let moved = DevCluster::ensure_running(dir.path()).expect("start elsewhere");
    assert_ne!(moved.port(), first.port());
    assert_eq!(query_one::<i32>(&moved.url("postgres"), "select 1"), 1);
    drop(squatter);
    DevCluster::stop(dir.path()).expect("stop");
    let again = DevCluster::ensure_running(dir.path()).expect("restart");
    assert_eq!(again.port(), moved.port(), "the new port is remembered");
}

#[test]
fn a_server_that_does_not_start_shows_its_log() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let _stop = StopOnDrop(dir.path());
    DevCluster::ensure_running(dir.path()).expect("create and start");
    DevCluster::stop(dir.path()).expect("stop");
    let conf = dir.path().join("data").join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).expect("read postgresql.conf");
    text.push_str("no_such_setting = 1\n");
    std::fs::write(&conf, text).expect("write postgresql.conf");

    let error = DevCluster::ensure_running(dir.path()).expect_err("the server cannot start");
    let message = error.to_string();
    let canonical = dir.path().canonicalize().expect("canonical dir");
    let first_line = format!(
        "the PostgreSQL server in `{}` did not start (log `{}`):",
        canonical.join("data").display(),
        canonical.join("server.log").display()
    );
    assert_eq!(message.lines().next(), Some(first_line.as_str()));
    assert!(
        message.contains("unrecognized configuration parameter \"no_such_setting\""),
        "{message}"
    );
}

#[test]
fn concurrent_ensure_running_calls_share_one_server() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let _stop = StopOnDrop(dir.path());
    let ports: Vec<u16> = thread::scope(|scope| {
        let callers: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| DevCluster::ensure_running(dir.path()).map(|c| c.port())))
            .collect();
        callers
            .into_iter()
            .map(|caller| caller.join().expect("no panic").expect("ensure_running"))
            .collect()
    });
    assert!(ports.iter().all(|port| *port == ports[0]), "{ports:?}");
    assert_eq!(query_one::<i32>(&postgres_db_on(ports[0]), "select 1"), 1);
}

#[test]
fn stopping_where_there_is_no_cluster_does_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    assert_eq!(
        DevCluster::stop(dir.path().join("carafe-pg")).expect("stop"),
        StopOutcome::WasNotRunning
    );
}

#[test]
fn an_empty_bindir_asks_to_install_postgresql() {
    let empty = tempfile::tempdir().expect("a temp dir");
    let output = child_command("locate")
        .env(BINDIR_VAR, empty.path())
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let message = stdout
        .lines()
        .find_map(|line| line.strip_prefix("error: "))
        .unwrap_or_else(|| panic!("no error line in {stdout}"));
    assert_eq!(
        message,
        format!(
            "no PostgreSQL server binaries (`initdb`, `pg_ctl`) in `CARAFE_PG_BINDIR` (`{}`): \
             install the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; \
             macOS: brew install postgresql@16), or set CARAFE_PG_BINDIR",
            empty.path().display()
        )
    );
}

/// Not a test of its own: the other tests run this binary again with [`CHILD_ROLE`] set, to
/// watch what happens to a cluster when the process holding it ends.
#[test]
#[ignore = "run by other tests as a child process"]
fn child_process() {
    static CLUSTER: OnceLock<TempCluster> = OnceLock::new();
    match env::var(CHILD_ROLE).as_deref() {
        // Keep the cluster in a static, which is never dropped, and return normally.
        Ok("static") => {
            let cluster = CLUSTER.get_or_init(|| TempCluster::start().expect("start"));
            println!(
                "{CLUSTER_LINE}{} {}",
                cluster.port(),
                cluster.dir().display()
            );
        }
        // Start a cluster, then wait to be killed.
        Ok("killed") => {
            let cluster = TempCluster::start().expect("start");
            println!(
                "{CLUSTER_LINE}{} {}",
                cluster.port(),
                cluster.dir().display()
            );
            thread::sleep(Duration::from_secs(60));
            panic!("the parent test should have killed this process");
        }
        Ok("locate") => match carafe_devdb::Binaries::locate() {
            Ok(binaries) => println!("found: {}", binaries.bindir().display()),
            Err(error) => println!("error: {error}"),
        },
        _ => {}
    }
}
