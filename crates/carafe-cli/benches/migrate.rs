//! The migration benchmark, `cargo bench -p carafe-cli --bench migrate`: it prints figures and
//! verdicts, it is not a timed test.
//!
//! One durable local cluster (fsync on, so commit costs are real), created for the run under
//! `target/tmp` and stopped and deleted at the end, serves every contender, and each measured run
//! gets a fresh database; contenders take turns, so a slow spell of the machine hits them alike.
//! The `carafe` binary is timed from spawn to exit against `psql` running the same SQL:
//!
//! - (a) 100 revisions, each adding a column to one table;
//! - (b) 1,000 revisions, each creating a table;
//! - (c) a no-op `upgrade head` on an up-to-date database, against `psql -c 'select 1'`;
//! - (d) `downgrade base` of (a).
//!
//! With `CARAFE_BENCH_BASELINE=PATH` set to another `carafe` binary (an earlier commit's, built in
//! a worktree), (a) and (b) also time it, so a change's cost is measured against its own before in
//! the same run.
//!
//! The floor is `psql -1 -f` of the concatenated SQL: one process, one transaction, no bookkeeping.
//! carafe's overhead per revision is (its median − the floor's median) / revisions, so it carries
//! carafe's fixed costs (start-up, connections, history table) spread over the revisions; the same
//! from the minimums is printed beside it, as the figure least disturbed by other work.

use carafe_core::{SUM_FILE_NAME, load_dir};
use carafe_devdb::{Binaries, DevCluster};
use postgres::{Client, NoTls};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The issue's target: at most this much per revision over the floor, in milliseconds.
const TARGET_OVERHEAD_MS: f64 = 0.5;
/// The issue's target: a no-op `upgrade head`, process start-up included, under this many ms.
const TARGET_NO_OP_MS: f64 = 20.0;
/// `--one-transaction` counts as close to the floor within this much per revision, in ms.
const CLOSE_TO_FLOOR_MS: f64 = 0.1;

/// Peers measured earlier on this machine, quoted from the issue (not measured by this run):
/// name, overhead per revision over `psql -1` in ms, no-op upgrade in ms.
const PEERS: [(&str, f64, f64); 3] = [
    ("refinery 0.10", 0.7, 25.0),
    ("sqlx-cli 0.9", 1.1, 40.0),
    ("Alembic 1.20", 6.0, 760.0),
];

/// How often each contender runs in each scenario.
const RUNS_ADD_COLUMNS: usize = 7;
const RUNS_CREATE_TABLES: usize = 3;
/// `psql -f` per file spawns 1,000 processes in (b): once is enough for a reference.
const RUNS_CREATE_TABLES_PER_FILE: usize = 1;
const RUNS_DOWNGRADE: usize = 7;
const RUNS_NO_OP: usize = 30;
const WARM_UP_NO_OP: usize = 3;

fn main() {
    let cluster_dir = ClusterDir::create();
    let mut bench = Bench::start(&cluster_dir);
    bench.print_environment();

    let add_columns = Workload::add_columns(100);
    let create_tables = Workload::create_tables(1000);

    let a = bench.upgrade_scenario(
        "(a) 100 revisions, each `ALTER TABLE wide ADD COLUMN c_NNNN integer`",
        &add_columns,
        RUNS_ADD_COLUMNS,
        RUNS_ADD_COLUMNS,
    );
    let b = bench.upgrade_scenario(
        "(b) 1,000 revisions, each `CREATE TABLE t_NNNN (id bigint NOT NULL)`",
        &create_tables,
        RUNS_CREATE_TABLES,
        RUNS_CREATE_TABLES_PER_FILE,
    );
    let c = bench.no_op_scenario(&add_columns);
    let d = bench.downgrade_scenario(&add_columns);
    print_summary(&a, &b, &c, &d);
    bench.drop_databases();
    println!("  load average at the end: {}", load_average());
}

/// The cluster's directory under `target/tmp`; dropping it stops the server (on a panic too) and
/// then deletes the directory.
struct ClusterDir(tempfile::TempDir);

impl ClusterDir {
    fn create() -> ClusterDir {
        // Under the target directory rather than /tmp, which may be a tmpfs where fsync is free.
        let dir = tempfile::Builder::new()
            .prefix("carafe-bench-pg-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("create the cluster's directory");
        ClusterDir(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for ClusterDir {
    fn drop(&mut self) {
        if let Err(error) = DevCluster::stop(self.path()) {
            eprintln!(
                "warning: could not stop the benchmark's cluster in {}: {error}",
                self.path().display()
            );
        }
    }
}

/// Everything a run needs: the cluster, a connection to its `postgres` database, the programs.
struct Bench {
    cluster: DevCluster,
    admin: Client,
    psql: PathBuf,
    carafe: PathBuf,
    /// `CARAFE_BENCH_BASELINE`: an earlier `carafe` to time beside this one.
    baseline: Option<PathBuf>,
    /// The working directory of every process, so no `.env` or `migrations/` leaks in.
    scratch: tempfile::TempDir,
    /// Every database made, dropped at the end: dropping them as the run goes would delete
    /// thousands of files, and ext4 then creates files slowly for minutes (it skips recently freed
    /// inodes), which would slow the `CREATE TABLE`s measured next.
    databases: Vec<String>,
}

/// A database on the bench's cluster.
struct Database {
    url: String,
}

impl Bench {
    fn start(cluster_dir: &ClusterDir) -> Bench {
        eprintln!(
            "starting a durable cluster in {}",
            cluster_dir.path().display()
        );
        let cluster =
            DevCluster::ensure_running(cluster_dir.path()).expect("start a durable cluster");
        let admin = Client::connect(&cluster.url("postgres"), NoTls)
            .expect("connect to the cluster's `postgres` database");
        let psql = Binaries::locate()
            .expect("find the PostgreSQL binaries")
            .bindir()
            .join("psql");
        Bench {
            cluster,
            admin,
            psql,
            carafe: PathBuf::from(env!("CARGO_BIN_EXE_carafe")),
            baseline: std::env::var_os("CARAFE_BENCH_BASELINE").map(PathBuf::from),
            scratch: tempfile::Builder::new()
                .prefix("carafe-bench-cwd-")
                .tempdir()
                .expect("create a scratch working directory"),
            databases: Vec::new(),
        }
    }

    /// Creates an empty database, runs `prepare` in it, and checkpoints so that no flush of the
    /// creation lands in a measured run.
    fn fresh_database(&mut self, prepare: &str) -> Database {
        let name = format!("bench_{}", self.databases.len() + 1);
        self.databases.push(name.clone());
        self.admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a database");
        let database = Database {
            url: self.cluster.url(&name),
        };
        if !prepare.is_empty() {
            connect(&database)
                .batch_execute(prepare)
                .expect("prepare the database");
        }
        self.admin.batch_execute("CHECKPOINT").expect("checkpoint");
        database
    }

    /// Drops every database the run made.
    fn drop_databases(&mut self) {
        for name in std::mem::take(&mut self.databases) {
            self.admin
                .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .expect("drop a database");
        }
    }

    /// `carafe --dir DIR --database-url URL`, with carafe's other settings at their defaults.
    fn carafe(&self, database: &Database, dir: &Path) -> Command {
        self.carafe_binary(&self.carafe, database, dir)
    }

    /// The same with another `carafe` binary (the baseline).
    fn carafe_binary(&self, binary: &Path, database: &Database, dir: &Path) -> Command {
        let mut command = Command::new(binary);
        command
            .arg("--dir")
            .arg(dir)
            .arg("--database-url")
            .arg(&database.url)
            .current_dir(self.scratch.path());
        for variable in [
            "DATABASE_URL",
            "CARAFE_MIGRATIONS_DIR",
            "CARAFE_HISTORY_TABLE",
            "CARAFE_LOCK_WAIT",
            "CARAFE_LOCK_TIMEOUT",
        ] {
            command.env_remove(variable);
        }
        command
    }

    /// `psql -X -q -v ON_ERROR_STOP=1 -d URL`.
    fn psql(&self, database: &Database) -> Command {
        let mut command = Command::new(&self.psql);
        command
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&database.url)
            .current_dir(self.scratch.path());
        command
    }

    fn print_environment(&mut self) {
        let setting = |admin: &mut Client, name: &str| -> String {
            admin
                .query_one(&format!("SHOW {name}"), &[])
                .expect("read a server setting")
                .get(0)
        };
        let version = setting(&mut self.admin, "server_version");
        let fsync = setting(&mut self.admin, "fsync");
        let synchronous_commit = setting(&mut self.admin, "synchronous_commit");
        let wal_sync_method = setting(&mut self.admin, "wal_sync_method");
        let full_page_writes = setting(&mut self.admin, "full_page_writes");
        let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
        let psql_version = run_ok(Command::new(&self.psql).arg("--version"));
        let probe = self.probe_costs();

        println!("carafe migration benchmark");
        println!("  PostgreSQL {version} (local cluster, 127.0.0.1, TCP)");
        println!(
            "  fsync = {fsync}, synchronous_commit = {synchronous_commit}, wal_sync_method = {wal_sync_method}, full_page_writes = {full_page_writes}"
        );
        println!("  cluster directory: {}", self.cluster.dir().display());
        let load = load_average();
        println!("  cores: {cores}; load average at the start: {load}");
        if load
            .split_whitespace()
            .next()
            .and_then(|one_minute| one_minute.parse::<f64>().ok())
            .is_some_and(|one_minute| one_minute > cores as f64 / 2.0)
        {
            println!(
                "  note: the machine is busy, so figures are noisy; the minimums are the least disturbed"
            );
        }
        println!("  carafe: {}", self.carafe.display());
        println!(
            "  psql: {} ({})",
            self.psql.display(),
            String::from_utf8_lossy(&psql_version.stdout).trim()
        );
        println!(
            "  carafe gets --dir and --database-url, and its default settings otherwise (no --lock-timeout or --lock-wait)"
        );
        println!(
            "  measured here: round trip {}, autocommit INSERT {} durable / {} with synchronous_commit off (commit flush ≈ {})",
            ms(probe.round_trip),
            ms(probe.durable_insert),
            ms(probe.deferred_insert),
            ms(probe.durable_insert - probe.deferred_insert),
        );
        println!();
    }

    /// What a round trip and a durable commit cost on this cluster, per operation, in ms.
    fn probe_costs(&mut self) -> ProbeCosts {
        const REPEATS: u32 = 300;
        let database = self.fresh_database("CREATE TABLE probe (x integer)");
        let mut client = connect(&database);
        let per_operation = |client: &mut Client, sql: &str| {
            let started = Instant::now();
            for _ in 0..REPEATS {
                client.batch_execute(sql).expect("probe the server");
            }
            millis(started.elapsed()) / f64::from(REPEATS)
        };
        let round_trip = per_operation(&mut client, "SELECT 1");
        let durable_insert = per_operation(&mut client, "INSERT INTO probe VALUES (1)");
        client
            .batch_execute("SET synchronous_commit = off")
            .expect("turn synchronous_commit off");
        let deferred_insert = per_operation(&mut client, "INSERT INTO probe VALUES (1)");
        ProbeCosts {
            round_trip,
            durable_insert,
            deferred_insert,
        }
    }

    /// Runs `contenders` in turn, each as many times as it says, every run on a fresh database;
    /// checks each run left the schema where it should.
    fn measure(
        &mut self,
        workload: &Workload,
        contenders: &[(Contender, usize)],
    ) -> Vec<(Contender, Samples)> {
        let mut results: Vec<_> = contenders
            .iter()
            .map(|&(contender, _)| (contender, Samples::default()))
            .collect();
        let rounds = contenders.iter().map(|&(_, runs)| runs).max().unwrap_or(0);
        for round in 1..=rounds {
            eprintln!("  round {round}/{rounds}");
            for ((contender, samples), &(_, runs)) in results.iter_mut().zip(contenders) {
                if round > runs {
                    continue;
                }
                let database = self.fresh_database(workload.prepare);
                contender.set_up(self, &database, workload);
                let elapsed = contender.run(self, &database, workload);
                let expected = match contender.direction() {
                    Way::Up => workload.probe_at_head,
                    Way::Down => workload.probe_at_base,
                };
                let found = probe(&database, workload.probe);
                assert_eq!(
                    found,
                    expected,
                    "`{}` left the schema at {found}, not {expected}",
                    contender.label(workload)
                );
                samples.0.push(elapsed);
            }
        }
        results
    }

    fn upgrade_scenario(
        &mut self,
        title: &str,
        workload: &Workload,
        runs: usize,
        per_file_runs: usize,
    ) -> Overheads {
        eprintln!("{title}");
        let mut contenders = vec![
            (Contender::PsqlOneTransaction, runs),
            (Contender::PsqlPerFile, per_file_runs),
            (Contender::CarafeUpgrade, runs),
            (Contender::CarafeUpgradeOneTransaction, runs),
        ];
        if self.baseline.is_some() {
            contenders.push((Contender::BaselineUpgrade, runs));
        }
        let results = self.measure(workload, &contenders);
        print_table(title, workload, &results);
        let floor = samples_of(&results, Contender::PsqlOneTransaction);
        let revisions = workload.revisions.len();
        Overheads {
            revisions,
            per_revision: overhead(
                samples_of(&results, Contender::CarafeUpgrade),
                floor,
                revisions,
            ),
            one_transaction: Some(overhead(
                samples_of(&results, Contender::CarafeUpgradeOneTransaction),
                floor,
                revisions,
            )),
        }
    }

    fn downgrade_scenario(&mut self, workload: &Workload) -> Overheads {
        let title =
            "(d) `downgrade base` of (a): 100 revisions, each `ALTER TABLE wide DROP COLUMN`";
        eprintln!("{title}");
        let contenders = [
            (Contender::PsqlDownOneTransaction, RUNS_DOWNGRADE),
            (Contender::CarafeDowngrade, RUNS_DOWNGRADE),
        ];
        let results = self.measure(workload, &contenders);
        print_table(title, workload, &results);
        let revisions = workload.revisions.len();
        Overheads {
            revisions,
            per_revision: overhead(
                samples_of(&results, Contender::CarafeDowngrade),
                samples_of(&results, Contender::PsqlDownOneTransaction),
                revisions,
            ),
            one_transaction: None,
        }
    }

    /// Whole processes against one up-to-date database, interleaved, after a warm-up.
    fn no_op_scenario(&mut self, workload: &Workload) -> NoOp {
        let title = "(c) no-op `upgrade head` on a database at head (100 revisions applied)";
        eprintln!("{title}");
        let database = self.fresh_database(workload.prepare);
        run_ok(
            self.carafe(&database, &workload.migrations())
                .args(["upgrade", "head"]),
        );

        let dir = workload.migrations();
        let commands: [(&str, Command); 4] = [
            ("psql -c 'select 1'", {
                let mut command = self.psql(&database);
                command.args(["-c", "select 1"]);
                command
            }),
            ("carafe upgrade head (nothing to do)", {
                let mut command = self.carafe(&database, &dir);
                command.args(["upgrade", "head"]);
                command
            }),
            ("  breakdown: carafe --version", {
                let mut command = self.carafe(&database, &dir);
                command.arg("--version");
                command
            }),
            ("  breakdown: carafe heads (reads 100 files)", {
                let mut command = self.carafe(&database, &dir);
                command.arg("heads");
                command
            }),
        ];
        let mut results: Vec<(&str, Command, Samples)> = commands
            .into_iter()
            .map(|(label, command)| (label, command, Samples::default()))
            .collect();
        for (_, command, _) in &mut results {
            for _ in 0..WARM_UP_NO_OP {
                run_ok(command);
            }
        }
        let said = run_ok(self.carafe(&database, &dir).args(["upgrade", "head"]));
        let said = String::from_utf8_lossy(&said.stdout);
        assert!(
            said.contains("nothing to do"),
            "the no-op upgrade did something: {said}"
        );
        for _ in 0..RUNS_NO_OP {
            for (_, command, samples) in &mut results {
                samples.0.push(timed(command));
            }
        }

        println!("{title}; {RUNS_NO_OP} runs each, after {WARM_UP_NO_OP} warm-up runs");
        println!(
            "  {:<44}{:>10}{:>10}{:>10}",
            "whole process, spawn to exit", "median", "p90", "min"
        );
        for (label, _, samples) in &results {
            println!(
                "  {label:<44}{:>10}{:>10}{:>10}",
                ms(samples.median()),
                ms(samples.p90()),
                ms(samples.min())
            );
        }
        let psql = &results[0].2;
        let carafe = &results[1].2;
        println!(
            "  carafe no-op over psql -c: {} (median), × {:.2}",
            ms(carafe.median() - psql.median()),
            carafe.median() / psql.median()
        );
        println!();
        NoOp {
            median: carafe.median(),
            min: carafe.min(),
            p90: carafe.p90(),
        }
    }
}

/// Per-operation costs measured on the cluster, in ms.
struct ProbeCosts {
    round_trip: f64,
    durable_insert: f64,
    deferred_insert: f64,
}

/// One way of running a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Contender {
    /// `psql -1 -f` of every up section: the floor.
    PsqlOneTransaction,
    /// `psql -f` of each revision's file, one process each: a shell-loop deploy.
    PsqlPerFile,
    /// `carafe upgrade head`: a transaction per revision.
    CarafeUpgrade,
    /// `carafe upgrade head --one-transaction`.
    CarafeUpgradeOneTransaction,
    /// `carafe upgrade head` with the binary `CARAFE_BENCH_BASELINE` names.
    BaselineUpgrade,
    /// `psql -1 -f` of every down section, newest first, on a database `psql -1` brought to head.
    PsqlDownOneTransaction,
    /// `carafe downgrade base` on a database carafe brought to head.
    CarafeDowngrade,
}

/// Which way a contender moves the schema.
enum Way {
    Up,
    Down,
}

impl Contender {
    fn label(self, workload: &Workload) -> String {
        match self {
            Contender::PsqlOneTransaction => "psql -1 -f all.sql (floor)".to_owned(),
            Contender::PsqlPerFile => {
                format!("psql -f per file ({} processes)", workload.revisions.len())
            }
            Contender::CarafeUpgrade => "carafe upgrade head".to_owned(),
            Contender::BaselineUpgrade => "baseline carafe upgrade head".to_owned(),
            Contender::CarafeUpgradeOneTransaction => {
                "carafe upgrade head --one-transaction".to_owned()
            }
            Contender::PsqlDownOneTransaction => "psql -1 -f all_down.sql (floor)".to_owned(),
            Contender::CarafeDowngrade => "carafe downgrade base".to_owned(),
        }
    }

    fn is_floor(self) -> bool {
        matches!(
            self,
            Contender::PsqlOneTransaction | Contender::PsqlDownOneTransaction
        )
    }

    fn direction(self) -> Way {
        match self {
            Contender::PsqlDownOneTransaction | Contender::CarafeDowngrade => Way::Down,
            _ => Way::Up,
        }
    }

    /// Untimed: brings a fresh database to where this contender starts.
    fn set_up(self, bench: &Bench, database: &Database, workload: &Workload) {
        match self {
            Contender::PsqlDownOneTransaction => {
                run_ok(
                    bench
                        .psql(database)
                        .arg("-1")
                        .arg("-f")
                        .arg(workload.all_up()),
                );
            }
            Contender::CarafeDowngrade => {
                run_ok(bench.carafe(database, &workload.migrations()).args([
                    "upgrade",
                    "head",
                    "--one-transaction",
                ]));
            }
            _ => {}
        }
    }

    /// Timed: the processes this contender runs, spawn to exit.
    fn run(self, bench: &Bench, database: &Database, workload: &Workload) -> Duration {
        let dir = workload.migrations();
        match self {
            Contender::PsqlOneTransaction => timed(
                bench
                    .psql(database)
                    .arg("-1")
                    .arg("-f")
                    .arg(workload.all_up()),
            ),
            Contender::PsqlPerFile => (1..=workload.revisions.len())
                .map(|number| timed(bench.psql(database).arg("-f").arg(workload.up_file(number))))
                .sum(),
            Contender::CarafeUpgrade => {
                timed(bench.carafe(database, &dir).args(["upgrade", "head"]))
            }
            Contender::BaselineUpgrade => {
                let baseline = bench.baseline.as_deref().expect("a baseline binary");
                timed(
                    bench
                        .carafe_binary(baseline, database, &dir)
                        .args(["upgrade", "head"]),
                )
            }
            Contender::CarafeUpgradeOneTransaction => {
                timed(
                    bench
                        .carafe(database, &dir)
                        .args(["upgrade", "head", "--one-transaction"]),
                )
            }
            Contender::PsqlDownOneTransaction => timed(
                bench
                    .psql(database)
                    .arg("-1")
                    .arg("-f")
                    .arg(workload.all_down()),
            ),
            Contender::CarafeDowngrade => {
                timed(bench.carafe(database, &dir).args(["downgrade", "base"]))
            }
        }
    }
}

/// One revision's SQL.
struct RevisionSql {
    slug: String,
    up: String,
    down: String,
}

/// A set of revisions, written out as a carafe migrations directory (with `carafe.sum`) and as
/// plain SQL files for psql.
struct Workload {
    /// Run untimed on every fresh database, before any contender.
    prepare: &'static str,
    /// A query returning one `bigint` that tells how far the schema got.
    probe: &'static str,
    probe_at_base: i64,
    probe_at_head: i64,
    revisions: Vec<RevisionSql>,
    files: tempfile::TempDir,
}

impl Workload {
    /// `revisions` revisions, each adding an integer column to the table `wide`.
    fn add_columns(revisions: usize) -> Workload {
        let revisions: Vec<_> = (1..=revisions)
            .map(|number| RevisionSql {
                slug: format!("add_c_{number:04}"),
                up: format!("ALTER TABLE wide ADD COLUMN c_{number:04} integer;"),
                down: format!("ALTER TABLE wide DROP COLUMN c_{number:04};"),
            })
            .collect();
        Workload::write(Workload {
            prepare: "CREATE TABLE wide (id bigint PRIMARY KEY)",
            probe: "SELECT count(*) FROM pg_attribute WHERE attrelid = 'wide'::regclass AND attnum > 0 AND NOT attisdropped",
            probe_at_base: 1,
            probe_at_head: i64::try_from(revisions.len()).expect("a small count") + 1,
            revisions,
            files: scratch_dir("carafe-bench-columns-"),
        })
    }

    /// `revisions` revisions, each creating a one-column table: the cheapest table PostgreSQL makes
    /// (no index, no TOAST table), so the tool's share shows.
    fn create_tables(revisions: usize) -> Workload {
        let revisions: Vec<_> = (1..=revisions)
            .map(|number| RevisionSql {
                slug: format!("create_t_{number:04}"),
                up: format!("CREATE TABLE t_{number:04} (id bigint NOT NULL);"),
                down: format!("DROP TABLE t_{number:04};"),
            })
            .collect();
        Workload::write(Workload {
            prepare: "",
            probe: r"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'",
            probe_at_base: 0,
            probe_at_head: i64::try_from(revisions.len()).expect("a small count"),
            revisions,
            files: scratch_dir("carafe-bench-tables-"),
        })
    }

    /// Writes the files: `migrations/` with `carafe.sum`, `all_up.sql`, `all_down.sql` (newest
    /// first) and `up/NNNN.sql`.
    fn write(workload: Workload) -> Workload {
        let migrations = workload.migrations();
        let up_dir = workload.files.path().join("up");
        fs::create_dir(&migrations).expect("create the migrations directory");
        fs::create_dir(&up_dir).expect("create the per-file directory");
        let mut all_up = String::new();
        let mut all_down = String::new();
        for (index, revision) in workload.revisions.iter().enumerate() {
            let number = index + 1;
            let file = format!(
                "-- Benchmark revision {number}.\n\n-- migrate:up\n{}\n\n-- migrate:down\n{}\n",
                revision.up, revision.down
            );
            fs::write(
                migrations.join(format!("{number:04}_{}.sql", revision.slug)),
                file,
            )
            .expect("write a migration");
            fs::write(workload.up_file(number), format!("{}\n", revision.up))
                .expect("write a per-file SQL file");
            all_up.push_str(&revision.up);
            all_up.push('\n');
        }
        for revision in workload.revisions.iter().rev() {
            all_down.push_str(&revision.down);
            all_down.push('\n');
        }
        fs::write(workload.all_up(), all_up).expect("write all_up.sql");
        fs::write(workload.all_down(), all_down).expect("write all_down.sql");
        let loaded = load_dir(&migrations).expect("read the generated migrations");
        fs::write(migrations.join(SUM_FILE_NAME), loaded.sum_file().render())
            .expect("write carafe.sum");
        let problems = load_dir(&migrations)
            .expect("read the generated migrations")
            .problems;
        assert!(
            problems.is_empty(),
            "the generated migrations have problems: {problems:?}"
        );
        workload
    }

    fn migrations(&self) -> PathBuf {
        self.files.path().join("migrations")
    }

    fn all_up(&self) -> PathBuf {
        self.files.path().join("all_up.sql")
    }

    fn all_down(&self) -> PathBuf {
        self.files.path().join("all_down.sql")
    }

    fn up_file(&self, number: usize) -> PathBuf {
        self.files
            .path()
            .join("up")
            .join(format!("{number:04}.sql"))
    }
}

/// Wall times of one contender.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn sorted_millis(&self) -> Vec<f64> {
        let mut values: Vec<f64> = self.0.iter().copied().map(millis).collect();
        values.sort_by(f64::total_cmp);
        values
    }

    fn median(&self) -> f64 {
        let values = self.sorted_millis();
        let middle = values.len() / 2;
        if values.len() % 2 == 1 {
            values[middle]
        } else {
            (values[middle - 1] + values[middle]) / 2.0
        }
    }

    /// The nearest-rank 90th percentile.
    fn p90(&self) -> f64 {
        let values = self.sorted_millis();
        let rank = (values.len() * 9).div_ceil(10).max(1);
        values[rank - 1]
    }

    fn min(&self) -> f64 {
        self.sorted_millis()[0]
    }

    fn max(&self) -> f64 {
        self.sorted_millis()[self.0.len() - 1]
    }
}

/// carafe's overheads over the floor in one scenario.
struct Overheads {
    revisions: usize,
    per_revision: Overhead,
    /// With `--one-transaction`, where the command has it.
    one_transaction: Option<Overhead>,
}

/// Time over the floor per revision, in ms: from the medians (the figure the targets are about) and
/// from the minimums (the least disturbed by other work on the machine).
#[derive(Clone, Copy)]
struct Overhead {
    median: f64,
    min: f64,
}

/// The no-op upgrade, ms.
struct NoOp {
    median: f64,
    min: f64,
    p90: f64,
}

fn samples_of(results: &[(Contender, Samples)], wanted: Contender) -> &Samples {
    results
        .iter()
        .find(|(contender, _)| *contender == wanted)
        .map(|(_, samples)| samples)
        .expect("the contender was measured")
}

/// (`contender` − `floor`) / `revisions`, from medians and from minimums.
fn overhead(contender: &Samples, floor: &Samples, revisions: usize) -> Overhead {
    Overhead {
        median: (contender.median() - floor.median()) / revisions as f64,
        min: (contender.min() - floor.min()) / revisions as f64,
    }
}

fn print_table(title: &str, workload: &Workload, results: &[(Contender, Samples)]) {
    let revisions = workload.revisions.len();
    let floor = results
        .iter()
        .find(|(contender, _)| contender.is_floor())
        .map(|(_, samples)| samples)
        .expect("a floor was measured");
    println!("{title}; a fresh database per run");
    println!(
        "  {:<40}{:>5}{:>10}{:>10}{:>10}{:>10}{:>18}{:>9}",
        "", "", "", "", "", "", "over floor/rev", ""
    );
    println!(
        "  {:<40}{:>5}{:>10}{:>10}{:>10}{:>10}{:>18}{:>9}",
        "contender", "runs", "median", "min", "max", "per rev", "median (min)", "× floor"
    );
    for (contender, samples) in results {
        let over_floor = if contender.is_floor() {
            "—".to_owned()
        } else {
            let overhead = overhead(samples, floor, revisions);
            format!("{} ({})", ms(overhead.median), ms(overhead.min))
        };
        println!(
            "  {:<40}{:>5}{:>10}{:>10}{:>10}{:>10}{:>18}{:>9.2}",
            contender.label(workload),
            samples.0.len(),
            ms(samples.median()),
            ms(samples.min()),
            ms(samples.max()),
            ms(samples.median() / revisions as f64),
            over_floor,
            samples.median() / floor.median()
        );
    }
    println!();
}

fn print_summary(a: &Overheads, b: &Overheads, no_op: &NoOp, d: &Overheads) {
    println!(
        "summary: verdicts on the medians, against the issue's targets (≈ floor read as within {} per revision)",
        ms(CLOSE_TO_FLOOR_MS)
    );
    let row = |what: &str, median: f64, min: f64, target: &str, met: bool| {
        println!(
            "  {what:<58}{:>10}{:>10}  {target:<20}{}",
            ms(median),
            ms(min),
            if met { "meets" } else { "MISSES" }
        );
    };
    println!(
        "  {:<58}{:>10}{:>10}  {:<20}verdict",
        "", "median", "(min)", "target"
    );
    for (name, what, overheads) in [
        ("(a)", "upgrade", a),
        ("(b)", "upgrade", b),
        ("(d)", "downgrade", d),
    ] {
        let revisions = overheads.revisions;
        let overhead = overheads.per_revision;
        row(
            &format!("{name} {what}, {revisions} rev.: over psql -1, per revision"),
            overhead.median,
            overhead.min,
            &format!("≤ {}", ms(TARGET_OVERHEAD_MS)),
            overhead.median <= TARGET_OVERHEAD_MS,
        );
        if let Some(overhead) = overheads.one_transaction {
            row(
                &format!("{name} upgrade --one-transaction: over psql -1, per revision"),
                overhead.median,
                overhead.min,
                &format!("≤ {} (≈ floor)", ms(CLOSE_TO_FLOOR_MS)),
                overhead.median <= CLOSE_TO_FLOOR_MS,
            );
        }
    }
    row(
        "(c) no-op upgrade head, process start-up included",
        no_op.median,
        no_op.min,
        &format!("< {} ", ms(TARGET_NO_OP_MS)),
        no_op.median < TARGET_NO_OP_MS,
    );
    println!("  (c) no-op upgrade head, p90: {}", ms(no_op.p90));
    println!("peers, measured earlier on this machine (quoted from the issue, not run here):");
    for (name, overhead, no_op) in PEERS {
        println!(
            "  {name:<16} over psql -1 {:>8} per revision, no-op upgrade {:>8}",
            ms(overhead),
            ms(no_op)
        );
    }
}

/// The 1-, 5- and 15-minute load averages: other work on the machine disturbs every figure.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `command` to completion and returns its wall time, spawn to exit.
fn timed(command: &mut Command) -> Duration {
    let started = Instant::now();
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    let elapsed = started.elapsed();
    check_success(command, &output);
    elapsed
}

/// Runs `command` to completion, untimed, and returns what it printed.
fn run_ok(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    check_success(command, &output);
    output
}

fn check_success(command: &Command, output: &Output) {
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn connect(database: &Database) -> Client {
    Client::connect(&database.url, NoTls).expect("connect to a benchmark database")
}

fn probe(database: &Database, sql: &str) -> i64 {
    connect(database)
        .query_one(sql, &[])
        .expect("probe the schema")
        .get(0)
}

fn scratch_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("create a directory for generated files")
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Milliseconds, with more decimals for small values.
fn ms(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0} ms")
    } else if value.abs() >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}
