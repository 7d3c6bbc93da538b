//! TLS, as libpq's `sslmode` describes it. The `postgres` crate only knows disable/prefer/require,
//! so carafe reads `sslmode` and `sslrootcert` from the URL itself and builds a rustls connector:
//!
//! | `sslmode` | encrypted | certificate checked |
//! | --- | --- | --- |
//! | `disable` | never | — |
//! | `allow`, `prefer` (default) | when the server offers it | no |
//! | `require` | always | no |
//! | `verify-ca` | always | chain, against the roots |
//! | `verify-full` | always | chain and host name |
//!
//! Roots: `sslrootcert=PATH` (PEM), `sslrootcert=system` for the system's store; by default
//! `~/.postgresql/root.crt` when it exists, else the system's store.
//!
//! Client certificate (for `cert` authentication, or `clientcert=verify-ca` in `pg_hba.conf`):
//! `sslcert=PATH` and `sslkey=PATH` (PEM, unencrypted), by default `~/.postgresql/postgresql.crt`
//! and `.key` when the certificate exists. Unlike libpq, a file named in the URL that is missing is
//! an error, not a silent connection without a certificate. As libpq does, a key others can read is
//! refused.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsMode {
    /// `disable`: plain text only.
    Disable,
    /// `allow` and `prefer` (the default): TLS when the server offers it, certificate unchecked.
    #[default]
    Prefer,
    /// `require`: TLS, certificate unchecked.
    Require,
    /// `verify-ca`: TLS, certificate chain checked against the roots.
    VerifyCa,
    /// `verify-full`: TLS, chain and host name checked.
    VerifyFull,
}

impl TlsMode {
    /// Reads an `sslmode` value.
    pub fn parse(value: &str) -> Option<TlsMode> {
        Some(match value {
            "disable" => TlsMode::Disable,
            "allow" | "prefer" => TlsMode::Prefer,
            "require" => TlsMode::Require,
            "verify-ca" => TlsMode::VerifyCa,
            "verify-full" => TlsMode::VerifyFull,
            _ => return None,
        })
    }

    /// The mode the `postgres` crate negotiates with.
    pub(crate) fn negotiation(self) -> postgres::config::SslMode {
        match self {
            TlsMode::Disable => postgres::config::SslMode::Disable,
            TlsMode::Prefer => postgres::config::SslMode::Prefer,
            TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        }
    }
}

/// Where trusted root certificates come from (`sslrootcert`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootCertificates {
    /// `~/.postgresql/root.crt` if it exists, else the system's store.
    Default,
    /// `sslrootcert=system`.
    System,
    /// `sslrootcert=PATH`: a PEM file.
    File(PathBuf),
}

/// The certificate and key the client offers (`sslcert`, `sslkey`); each `None` means libpq's
/// default file under `~/.postgresql/`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientCertificate {
    /// `sslcert`: the certificate chain, PEM.
    pub certificate: Option<PathBuf>,
    /// `sslkey`: its private key, PEM, unencrypted.
    pub key: Option<PathBuf>,
}

impl ClientCertificate {
    /// The certificate chain and key to offer, if any: the files named, else the default files when
    /// the default certificate exists.
    fn load(
        &self,
    ) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, String> {
        let named = self.certificate.is_some() || self.key.is_some();
        let certificate = match self
            .certificate
            .clone()
            .or_else(|| default_file("postgresql.crt"))
        {
            Some(path) if named || path.is_file() => path,
            _ => return Ok(None),
        };
        let key = self
            .key
            .clone()
            .or_else(|| default_file("postgresql.key"))
            .ok_or("sslcert is given but not sslkey, and HOME is not set: add sslkey=PATH")?;
        let chain = CertificateDer::pem_file_iter(&certificate)
            .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
            .map_err(|error| {
                format!(
                    "cannot read sslcert `{}`: {error}: give the client certificate (PEM) as sslcert=PATH",
                    certificate.display()
                )
            })?;
        if chain.is_empty() {
            return Err(format!(
                "sslcert `{}` holds no certificate: give the client certificate (PEM) as sslcert=PATH",
                certificate.display()
            ));
        }
        check_key_permissions(&key)?;
        let private_key = PrivateKeyDer::from_pem_file(&key).map_err(|error| {
            format!(
                "cannot read sslkey `{}`: {error}: give the certificate's unencrypted private key (PEM) as sslkey=PATH",
                key.display()
            )
        })?;
        Ok(Some((chain, private_key)))
    }
}

/// libpq's default place for the TLS file `name`: `~/.postgresql/NAME`; `None` without `HOME`.
fn default_file(name: &str) -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".postgresql").join(name))
}

/// libpq's rule: a private key must be readable by its owner only (or also by the group when root
/// owns it).
fn check_key_permissions(key: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(key).map_err(|error| {
        format!(
            "cannot read sslkey `{}`: {error}: give the certificate's private key as sslkey=PATH",
            key.display()
        )
    })?;
    let mode = metadata.mode() & 0o777;
    let allowed = match metadata.uid() {
        0 => 0o640,
        _ => 0o600,
    };
    match mode & !allowed {
        0 => Ok(()),
        _ => Err(format!(
            "sslkey `{}` can be read by others (mode {mode:o}): run `chmod 600 {}`",
            key.display(),
            key.display()
        )),
    }
}

/// A TLS connector for `mode`; building it reads root certificates only for the verifying modes,
/// and the client's certificate and key when there are any.
pub(crate) fn connector(
    mode: TlsMode,
    roots: &RootCertificates,
    client: &ClientCertificate,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => {
            Arc::new(AcceptAnyCertificate(provider.clone()))
        }
        TlsMode::VerifyCa | TlsMode::VerifyFull => {
            let store = Arc::new(root_store(roots)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(store, provider.clone())
                .build()
                .map_err(|error| format!("cannot use the root certificates: {error}"))?;
            match mode {
                TlsMode::VerifyCa => Arc::new(IgnoreHostName(webpki)),
                _ => webpki,
            }
        }
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("cannot set up TLS: {error}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match client.load()? {
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .map_err(|error| format!("cannot use the client certificate and key: {error}"))?,
        None => builder.with_no_client_auth(),
    };
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn root_store(roots: &RootCertificates) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let default_file = default_file("root.crt");
    let file = match roots {
        RootCertificates::File(path) => Some(path.clone()),
        RootCertificates::Default => default_file.filter(|path| path.is_file()),
        RootCertificates::System => None,
    };
    match file {
        Some(path) => {
            let certificates = CertificateDer::pem_file_iter(&path).map_err(|error| {
                format!("cannot read sslrootcert `{}`: {error}", path.display())
            })?;
            for certificate in certificates {
                let certificate = certificate.map_err(|error| {
                    format!("cannot read sslrootcert `{}`: {error}", path.display())
                })?;
                store.add(certificate).map_err(|error| {
                    format!(
                        "sslrootcert `{}` holds an unusable certificate: {error}",
                        path.display()
                    )
                })?;
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            let (added, _ignored) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(
                    "no system root certificates found: give the server's CA with sslrootcert=PATH"
                        .to_owned(),
                );
            }
        }
    }
    Ok(store)
}

/// `prefer` and `require`: encrypt, but accept any certificate (libpq's behaviour for these modes).
/// Handshake signatures are still checked against the certificate presented.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the host name is not compared.
#[derive(Debug)]
struct IgnoreHostName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for IgnoreHostName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0
            .verify_tls12_signature(message, certificate, signature)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0
            .verify_tls13_signature(message, certificate, signature)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
