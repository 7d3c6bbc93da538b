//! `sslmode` honoured: a server with a certificate from a throwaway CA, reached in every mode; and
//! a user who logs in with a client certificate (`sslcert`, `sslkey`).

use carafe::{DatabaseUrl, ErrorKind, connect};
use carafe_devdb::TempCluster;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

struct TlsServer {
    cluster: TempCluster,
    ca: PathBuf,
    /// A certificate for the user `certuser`, who may log in only with it, and its key.
    client_certificate: PathBuf,
    client_key: PathBuf,
    _certificates: tempfile::TempDir,
}

/// The user `pg_hba.conf` admits only with a client certificate.
const CERT_USER: &str = "certuser";

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

/// Signs a new key's certificate (X.509 v3, with the extensions in the file `extensions`) for `common_name` with the test CA: `NAME.crt` and `NAME.key`.
fn signed_certificate(dir: &Path, name: &str, common_name: &str, extensions: &str) {
    let key = format!("{name}.key");
    let request = format!("{name}.csr");
    let certificate = format!("{name}.crt");
    let subject = format!("/CN={common_name}");
    openssl(
        dir,
        &[
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", &subject, "-keyout", &key, "-out",
            &request,
        ],
    );
    let mut args = vec![
        "x509",
        "-req",
        "-in",
        &request,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        &certificate,
    ];
    args.extend(["-extfile", extensions]);
    openssl(dir, &args);
    std::fs::set_permissions(
        dir.join(&key),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod key");
}

/// A cluster serving TLS with a certificate for `localhost` signed by a CA made for the test, that
/// asks `certuser` for a client certificate signed by the same CA.
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
                "/CN=carafe test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
            ],
        );
        std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n")
            .expect("write extension");
        signed_certificate(dir, "server", "localhost", "san.ext");
        std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n")
            .expect("write extension");
        signed_certificate(dir, "client", CERT_USER, "client.ext");

        let cluster = TempCluster::start().expect("start a cluster");
        let data = cluster.dir().join("data");
        let owner = std::fs::metadata(&data).expect("data dir");
        for file in ["server.crt", "server.key", "ca.crt"] {
            let target = data.join(file);
            std::fs::copy(dir.join(file), &target).expect("copy certificate");
            std::os::unix::fs::chown(&target, Some(owner.uid()), Some(owner.gid()))
                .expect("hand the file to the server's user");
            std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("chmod");
        }
        let mut admin =
            postgres::Client::connect(&cluster.url("postgres"), postgres::NoTls).expect("connect");
        let hba = data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(
            &hba,
            format!("hostssl all {CERT_USER} all cert\nhost all {CERT_USER} all reject\n{rules}"),
        )
        .expect("write pg_hba.conf");
        for statement in [
            "ALTER SYSTEM SET ssl = on".to_owned(),
            "ALTER SYSTEM SET ssl_ca_file = 'ca.crt'".to_owned(),
            format!("CREATE ROLE {CERT_USER} LOGIN"),
        ] {
            admin.batch_execute(&statement).expect(&statement);
        }
        admin
            .batch_execute("SELECT pg_reload_conf()")
            .expect("reload");
        std::thread::sleep(Duration::from_millis(300));
        TlsServer {
            ca: dir.join("ca.crt"),
            client_certificate: dir.join("client.crt"),
            client_key: dir.join("client.key"),
            cluster,
            _certificates: certificates,
        }
    })
}

/// Connects through carafe with `query` appended to the URL; whether the session is encrypted.
fn encrypted(host: &str, port: u16, query: &str) -> Result<bool, carafe::Error> {
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
            .contains("check sslmode, sslrootcert, sslcert and sslkey"),
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

#[test]
fn a_client_certificate_logs_in_where_the_server_asks_for_one() {
    let server = server();
    let base = format!(
        "postgresql://{CERT_USER}@localhost:{}/postgres?sslmode=verify-full&sslrootcert={}",
        server.cluster.port(),
        server.ca.display()
    );
    let with = |parameters: &str| {
        let url = DatabaseUrl::parse(&format!("{base}{parameters}")).expect("url");
        connect(&url, Duration::from_secs(5))
    };
    let refusal = |parameters: &str| match with(parameters) {
        Ok(_) => panic!("connected with `{parameters}`"),
        Err(error) => error,
    };
    let certificate = server.client_certificate.display();
    let key = server.client_key.display();

    let mut client = with(&format!("&sslcert={certificate}&sslkey={key}"))
        .expect("the certificate logs certuser in");
    let user: String = client
        .query_one("SELECT current_user::text", &[])
        .expect("query")
        .get(0);
    assert_eq!(user, CERT_USER);

    let refused = refusal("");
    assert_eq!(refused.kind(), ErrorKind::Login, "{refused}");
    assert!(
        refused.to_string().contains("sslcert=PATH&sslkey=PATH"),
        "{refused}"
    );

    let missing = refusal(&format!("&sslcert=/no/such/client.crt&sslkey={key}"));
    assert_eq!(missing.kind(), ErrorKind::Settings, "{missing}");
    assert!(
        missing
            .to_string()
            .contains("cannot read sslcert `/no/such/client.crt`"),
        "{missing}"
    );

    let shared = tempfile::tempdir().expect("tempdir");
    let open_key = shared.path().join("client.key");
    std::fs::copy(&server.client_key, &open_key).expect("copy key");
    std::fs::set_permissions(
        &open_key,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .expect("chmod");
    let readable = refusal(&format!(
        "&sslcert={certificate}&sslkey={}",
        open_key.display()
    ));
    assert_eq!(readable.kind(), ErrorKind::Settings, "{readable}");
    assert!(
        readable
            .to_string()
            .contains(&format!("run `chmod 600 {}`", open_key.display())),
        "{readable}"
    );

    let encrypted_key = DatabaseUrl::parse(&format!("{base}&sslpassword=hunter2"))
        .expect_err("sslpassword is refused")
        .to_string();
    assert!(
        encrypted_key.contains("sslpassword is not supported"),
        "{encrypted_key}"
    );
    assert!(!encrypted_key.contains("hunter2"), "{encrypted_key}");
}
