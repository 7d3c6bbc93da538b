//! `sslmode` honoured: a server with a certificate from a throwaway CA, reached in every mode.

use decant::{DatabaseUrl, ErrorKind, connect};
use decant_devdb::TempCluster;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

struct TlsServer {
    cluster: TempCluster,
    ca: PathBuf,
    _certificates: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A cluster serving TLS with a certificate for `localhost` signed by a CA made for the test.
fn server() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let certificates = tempfile::tempdir().expect("tempdir");
        let dir = certificates.path();
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=decant test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
            ],
        );
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        );
        std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n")
            .expect("write extension");
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "san.ext",
                "-out",
                "server.crt",
            ],
        );

        let cluster = TempCluster::start().expect("start a cluster");
        let data = cluster.dir().join("data");
        let owner = std::fs::metadata(&data).expect("data dir");
        for file in ["server.crt", "server.key"] {
            let target = data.join(file);
            std::fs::copy(dir.join(file), &target).expect("copy certificate");
            std::os::unix::fs::chown(&target, Some(owner.uid()), Some(owner.gid()))
                .expect("hand the file to the server's user");
            std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("chmod");
        }
        let mut admin =
            postgres::Client::connect(&cluster.url("postgres"), postgres::NoTls).expect("connect");
        admin
            .batch_execute("ALTER SYSTEM SET ssl = on")
            .expect("ssl on");
        admin
            .batch_execute("SELECT pg_reload_conf()")
            .expect("reload");
        std::thread::sleep(Duration::from_millis(300));
        TlsServer {
            ca: dir.join("ca.crt"),
            cluster,
            _certificates: certificates,
        }
    })
}

/// Connects through decant with `query` appended to the URL; whether the session is encrypted.
fn encrypted(host: &str, port: u16, query: &str) -> Result<bool, decant::Error> {
    let url = DatabaseUrl::parse(&format!(
        "postgresql://postgres@{host}:{port}/postgres{query}"
    ))
    .expect("url");
    let mut client = connect(&url, Duration::from_secs(5))?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl");
    Ok(row.get(0))
}

#[test]
fn each_sslmode_encrypts_and_checks_as_libpq_does() {
    let server = server();
    let port = server.cluster.port();
    let ca = server.ca.display().to_string();
    assert!(!encrypted("localhost", port, "?sslmode=disable").expect("disable"));
    assert!(
        encrypted("localhost", port, "").expect("prefer is the default and takes TLS when offered")
    );
    assert!(
        encrypted("localhost", port, "?sslmode=require")
            .expect("require accepts the certificate unchecked")
    );
    assert!(
        encrypted(
            "localhost",
            port,
            &format!("?sslmode=verify-full&sslrootcert={ca}")
        )
        .expect("verify-full with the CA")
    );
    assert!(
        encrypted(
            "127.0.0.1",
            port,
            &format!("?sslmode=verify-ca&sslrootcert={ca}")
        )
        .expect("verify-ca ignores the host name")
    );

    let wrong_name = encrypted(
        "127.0.0.1",
        port,
        &format!("?sslmode=verify-full&sslrootcert={ca}"),
    )
    .expect_err("the certificate is for localhost");
    assert_eq!(wrong_name.kind(), ErrorKind::Settings);
    assert!(wrong_name.to_string().starts_with(&format!("TLS with the database at postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=verify-full")), "{wrong_name}");

    let unknown_ca = encrypted("localhost", port, "?sslmode=verify-full&sslrootcert=system")
        .expect_err("the test CA is not a system root");
    assert_eq!(unknown_ca.kind(), ErrorKind::Settings);
    assert!(
        unknown_ca
            .to_string()
            .contains("check sslmode and sslrootcert"),
        "{unknown_ca}"
    );
}

#[test]
fn require_refuses_a_server_without_tls() {
    let plain = TempCluster::shared().expect("cluster");
    let error = encrypted("127.0.0.1", plain.port(), "?sslmode=require")
        .expect_err("no TLS on this server");
    assert_eq!(error.kind(), ErrorKind::Settings, "{error}");
    assert!(
        !encrypted("127.0.0.1", plain.port(), "?sslmode=prefer")
            .expect("prefer falls back to plain text")
    );
}

#[test]
fn a_missing_root_certificate_file_is_named() {
    let plain = TempCluster::shared().expect("cluster");
    let error = encrypted(
        "127.0.0.1",
        plain.port(),
        "?sslmode=verify-full&sslrootcert=/no/such/ca.crt",
    )
    .expect_err("no file");
    assert!(
        error
            .to_string()
            .contains("cannot read sslrootcert `/no/such/ca.crt`"),
        "{error}"
    );
}
