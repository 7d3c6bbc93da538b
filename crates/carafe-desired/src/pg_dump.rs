//! `PgDump`: the schema of a database as `pg_dump --schema-only` writes it — the judge that shares
//! nothing with carafe's schema model — and the normal form two dumps are compared in.

use crate::{Error, dump_options};
use carafe::{DatabaseUrl, HistoryTable};
use std::path::PathBuf;
use std::process::Command;

/// A `pg_dump` program (from the server's binaries: it must be as new as the server).
#[derive(Clone, Debug)]
pub struct PgDump {
    program: PathBuf,
}

impl PgDump {
    /// The `pg_dump` at `program`.
    pub fn new(program: impl Into<PathBuf>) -> PgDump {
        PgDump {
            program: program.into(),
        }
    }

    /// `pg_dump --schema-only --no-owner` of the database at `url`, without carafe's history
    /// table. The connection goes through libpq's environment, so the password is never on a
    /// command line.
    pub fn schema(&self, url: &DatabaseUrl, history: &HistoryTable) -> Result<String, Error> {
        self.dump(url, history, false)
    }

    /// [`PgDump::schema`] with the owners that are not the role `url` connects as: what a revision
    /// running as that role must give away (`ALTER ... OWNER TO role;`), without the lines that
    /// name that role, which owns what the revision creates wherever it runs.
    pub fn schema_with_owners(
        &self,
        url: &DatabaseUrl,
        history: &HistoryTable,
    ) -> Result<String, Error> {
        let dump = self.dump(url, history, true)?;
        let Some(role) = url.config().get_user().map(str::to_owned) else {
            return Ok(dump);
        };
        let mut kept = String::with_capacity(dump.len());
        for line in dump.lines() {
            if owner_named(line).is_none_or(|owner| owner != role) {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        Ok(kept)
    }

    fn dump(
        &self,
        url: &DatabaseUrl,
        history: &HistoryTable,
        owners: bool,
    ) -> Result<String, Error> {
        let config = url.config();
        let mut command = Command::new(&self.program);
        command.arg("--schema-only");
        if !owners {
            command.arg("--no-owner");
        }
        command
            .arg(format!(
                "--exclude-table={}.{}",
                carafe_core::quote::identifier(history.schema()),
                carafe_core::quote::identifier(history.table())
            ))
            .env_remove("PGSERVICE")
            .env("PGCONNECT_TIMEOUT", "10");
        // Every host and port, as libpq takes a list (`host1,host2`): pg_dump tries them in the
        // order the connection does.
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .map(|host| match host {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        if !hosts.is_empty() {
            command.env("PGHOST", hosts.join(","));
        }
        let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
        if !ports.is_empty() {
            command.env("PGPORT", ports.join(","));
        }
        if config.get_target_session_attrs() == postgres::config::TargetSessionAttrs::ReadWrite {
            command.env("PGTARGETSESSIONATTRS", "read-write");
        }
        if let Some(user) = config.get_user() {
            command.env("PGUSER", user);
        }
        match url.password() {
            Some(password) => command.env("PGPASSWORD", password),
            None => command.env_remove("PGPASSWORD"),
        };
        if let Some(dbname) = config.get_dbname() {
            command.env("PGDATABASE", dbname);
        }
        let sslmode = match url.tls_mode() {
            carafe::TlsMode::Disable => "disable",
            carafe::TlsMode::Prefer => "prefer",
            carafe::TlsMode::Require => "require",
            carafe::TlsMode::VerifyCa => "verify-ca",
            carafe::TlsMode::VerifyFull => "verify-full",
        };
        command.env("PGSSLMODE", sslmode);
        let output = command.output().map_err(|error| Error::PgDump {
            message: format!(
                "cannot run `{}` ({error}): install the PostgreSQL client programs as new as the server",
                self.program.display()
            ),
        })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            // pg_dump names itself (`pg_dump: error: ...`); the error says `pg_dump:` once.
            let first = stderr.lines().next().unwrap_or("failed");
            let first = first.strip_prefix("pg_dump: ").unwrap_or(first);
            return Err(Error::PgDump {
                message: url.scrub(first),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// The role an `ALTER ... OWNER TO role;` line of a dump gives an object to, unquoted.
fn owner_named(line: &str) -> Option<String> {
    if !line.starts_with("ALTER ") {
        return None;
    }
    let role = line.rsplit_once(" OWNER TO ")?.1.strip_suffix(';')?;
    Some(
        match role
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
        {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => role.to_owned(),
        },
    )
}

/// A dump as SQL a revision may hold: without pg_dump's comments, the psql meta-commands it writes
/// (`\restrict`, `\unrestrict`), and the session settings a revision does not need (timeouts,
/// encoding, messages). Kept: `search_path` emptied (every name in a dump is qualified) and
/// `check_function_bodies = false` (a dump creates functions before what their bodies use).
pub fn dump_as_sql(dump: &str) -> String {
    const DROPPED_SETTINGS: &[&str] = &[
        "SET statement_timeout",
        "SET lock_timeout",
        "SET idle_in_transaction_session_timeout",
        "SET transaction_timeout",
        "SET client_encoding",
        "SET standard_conforming_strings",
        "SET xmloption",
        "SET client_min_messages",
        "SET row_security",
    ];
    let mut sql = String::with_capacity(dump.len());
    let mut blank = true;
    for line in dump.lines() {
        let is_dump_comment = line == "--"
            || (line.starts_with("-- ")
                && ["-- Name: ", "-- PostgreSQL database dump", "-- Dumped "]
                    .iter()
                    .any(|prefix| line.starts_with(prefix)));
        let dropped = is_dump_comment
            || line.starts_with("\\restrict ")
            || line.starts_with("\\unrestrict ")
            || DROPPED_SETTINGS
                .iter()
                .any(|setting| line.starts_with(setting));
        if dropped {
            continue;
        }
        if line.trim().is_empty() {
            if !blank {
                sql.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        sql.push_str(line);
        sql.push('\n');
    }
    sql.trim_end().to_owned() + "\n"
}

/// Two dumps compared as schemas: the lines of `dump_as_sql` of each, the first that differ, or
/// `None` when they are the same.
pub fn dump_difference(expected: &str, actual: &str) -> Option<String> {
    let expected = dump_as_sql(expected);
    let actual = dump_as_sql(actual);
    if expected == actual {
        return None;
    }
    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    let show = |lines: &[&str]| -> String {
        lines
            .get(first..(first + 3).min(lines.len()))
            .map(|lines| {
                let shown: Vec<String> = lines
                    .iter()
                    .map(|line| dump_options::redacted(line))
                    .collect();
                shown.join(" / ")
            })
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| "(end of dump)".to_owned())
    };
    Some(format!(
        "at line {}: expected `{}`, found `{}`",
        first + 1,
        show(&expected_lines),
        show(&actual_lines)
    ))
}

/// Two dumps compared as carafe compares schemas: [`dump_difference`] after putting the columns
/// of each `CREATE TABLE` in name order, since carafe documents that column order is no
/// difference (a column added goes last), each run of `GRANT` / `REVOKE` lines in order
/// (pg_dump prints an access list in the order the grants were made), and the items of each
/// `WITH (...)` and `SET (...)` option list in order (printed in the order they were set), and
/// the `OPTIONS (` blocks of foreign data in order without secrets ([`dump_options::normal`]).
pub fn schema_difference(expected: &str, actual: &str) -> Option<String> {
    let normal = |dump: &str| {
        let options: Vec<String> = dump.lines().map(options_sorted).collect();
        grants_sorted(&columns_sorted(&dump_options::normal(&options.join("\n"))))
    };
    dump_difference(&normal(expected), &normal(actual))
}

/// `line` with the items of each `WITH (...)` and `SET (...)` list in name order: pg_dump prints
/// storage parameters and view and column options in the order they were set, which means nothing.
fn options_sorted(line: &str) -> String {
    let mut result = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = ["WITH (", "SET ("]
        .iter()
        .filter_map(|opening| rest.find(opening).map(|at| at + opening.len()))
        .min()
    {
        result.push_str(&rest[..start]);
        rest = &rest[start..];
        let mut quoted = false;
        let mut items = vec![String::new()];
        let mut end = rest.len();
        for (at, character) in rest.char_indices() {
            match character {
                '\'' => quoted = !quoted,
                ')' if !quoted => {
                    end = at;
                    break;
                }
                ',' if !quoted => {
                    items.push(String::new());
                    continue;
                }
                _ => {}
            }
            if let Some(item) = items.last_mut() {
                item.push(character);
            }
        }
        let mut items: Vec<&str> = items.iter().map(|item| item.trim()).collect();
        items.sort_unstable();
        result.push_str(&items.join(", "));
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

/// The dump with each run of consecutive `GRANT` and `REVOKE` lines sorted.
fn grants_sorted(dump: &str) -> String {
    let mut result = String::with_capacity(dump.len());
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, result: &mut String| {
        run.sort_unstable();
        for line in run.drain(..) {
            result.push_str(line);
            result.push('\n');
        }
    };
    for line in dump.lines() {
        if line.starts_with("GRANT ") || line.starts_with("REVOKE ") {
            run.push(line);
            continue;
        }
        if !line.trim().is_empty() {
            flush(&mut run, &mut result);
        }
        result.push_str(line);
        result.push('\n');
    }
    flush(&mut run, &mut result);
    result
}

/// The dump with the lines of every `CREATE TABLE` body sorted, each without its trailing comma.
fn columns_sorted(dump: &str) -> String {
    let mut result = String::with_capacity(dump.len());
    let mut body: Option<Vec<&str>> = None;
    for line in dump.lines() {
        match &mut body {
            Some(lines) if line.starts_with(')') => {
                lines.sort_unstable();
                for column in lines.drain(..) {
                    result.push_str(column);
                    result.push('\n');
                }
                body = None;
                result.push_str(line);
                result.push('\n');
            }
            Some(lines) => lines.push(line.trim_end_matches(',')),
            None => {
                if [
                    "CREATE TABLE ",
                    "CREATE UNLOGGED TABLE ",
                    "CREATE FOREIGN TABLE ",
                ]
                .iter()
                .any(|start| line.starts_with(start))
                {
                    body = Some(Vec::new());
                }
                result.push_str(line);
                result.push('\n');
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_line_names_its_role_unquoted() {
        assert_eq!(
            owner_named("ALTER TABLE public.products OWNER TO keeper;").as_deref(),
            Some("keeper")
        );
        assert_eq!(
            owner_named(r#"ALTER FUNCTION public.f(integer) OWNER TO "Cellar ""A"" Keeper";"#)
                .as_deref(),
            Some(r#"Cellar "A" Keeper"#)
        );
        assert_eq!(owner_named("CREATE TABLE public.owners (x int);"), None);
        assert_eq!(
            owner_named("ALTER TABLE public.t ADD CONSTRAINT c CHECK (x > 0);"),
            None
        );
    }

    #[test]
    fn the_order_grants_were_made_in_is_no_difference_but_a_grant_is() {
        let dump = |grants: &str| {
            format!(
                "CREATE TABLE public.t (\n    id integer\n);\n\n--\n-- Name: TABLE t; Type: ACL\n--\n\n{grants}"
            )
        };
        let one = dump(
            "GRANT SELECT ON TABLE public.t TO clerk;\nGRANT INSERT ON TABLE public.t TO auditor;\n",
        );
        let other = dump(
            "GRANT INSERT ON TABLE public.t TO auditor;\nGRANT SELECT ON TABLE public.t TO clerk;\n",
        );
        let fewer = dump("GRANT SELECT ON TABLE public.t TO clerk;\n");
        assert_eq!(schema_difference(&one, &other), None);
        assert!(schema_difference(&one, &fewer).is_some());
    }

    #[test]
    fn the_order_options_were_set_in_is_no_difference_but_a_value_is() {
        let table = |options: &str| {
            format!("CREATE TABLE public.t (\n    id integer\n)\nWITH ({options});\n")
        };
        let one = table("fillfactor='80', autovacuum_enabled='false'");
        let other = table("autovacuum_enabled='false', fillfactor='80'");
        assert_eq!(schema_difference(&one, &other), None);
        assert!(
            schema_difference(&one, &table("fillfactor='70', autovacuum_enabled='false'"))
                .is_some()
        );
        assert_eq!(
            options_sorted(
                "ALTER TABLE ONLY public.t ALTER COLUMN c SET (n_distinct='-1', a='x, y');"
            ),
            "ALTER TABLE ONLY public.t ALTER COLUMN c SET (a='x, y', n_distinct='-1');"
        );
    }

    #[test]
    fn column_order_is_no_difference_but_a_column_is() {
        let ab = "CREATE TABLE public.t (\n    a integer,\n    b text\n);\n";
        let ba = "CREATE TABLE public.t (\n    b text,\n    a integer\n);\n";
        assert_eq!(schema_difference(ab, ba), None);
        assert!(schema_difference(ab, &ba.replace("b text", "b varchar")).is_some());
        assert!(dump_difference(ab, ba).is_some());
    }

    #[test]
    fn a_dump_becomes_revision_sql_without_comments_meta_commands_or_noise() {
        let dump = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\n-- Dumped from database version 15.18\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\n\n--\n-- Name: products; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.products (\n    sku text NOT NULL\n);\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n\n";
        assert_eq!(
            dump_as_sql(dump),
            "SELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\n\nCREATE TABLE public.products (\n    sku text NOT NULL\n);\n"
        );
        assert_eq!(dump_difference(dump, &dump.replace("abc123", "xyz")), None);
        assert_eq!(
            dump_difference(dump, &dump.replace("sku text", "sku integer")),
            Some("at line 5: expected `    sku text NOT NULL / );`, found `    sku integer NOT NULL / );`".to_owned())
        );
    }
}
