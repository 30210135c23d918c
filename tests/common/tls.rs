//! A small HTTPS server on 127.0.0.1 with a certificate from a CA made for
//! the test, for the TLS paths wiremock does not cover.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TlsServer {
    pub port: u16,
    /// The CA that signed the server's certificate, as PEM.
    pub ca_pem: String,
    requests: Arc<AtomicUsize>,
}

impl TlsServer {
    /// Answers every request with `status` and the JSON `body`.
    pub fn start(status: u16, body: &str) -> Self {
        Self::start_as(&["127.0.0.1", "localhost"], status, body)
    }

    /// The same, with a certificate for these names (e.g. `api.openai.com`,
    /// reached through [`super::raw::ConnectProxy::tunnelling_to`]).
    pub fn start_as(names: &[&str], status: u16, body: &str) -> Self {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // Distinct names: OpenSSL takes a leaf named like its issuer for self-signed.
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "openai-keycheck test CA");
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let server_cert = {
            let mut params =
                CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
            params.distinguished_name.push(DnType::CommonName, names[0]);
            params
        }
        .signed_by(&server_key, &issuer)
        .unwrap();

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(server_cert.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .unwrap();
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                    continue;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                // A client that rejects the certificate ends the handshake here.
                let mut reader = BufReader::new(&mut tls);
                let mut line = String::new();
                let mut complete = false;
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        complete = true;
                        break;
                    }
                    line.clear();
                }
                if complete {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = tls.write_all(response.as_bytes());
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
            }
        });
        TlsServer {
            port,
            ca_pem: ca_cert.pem(),
            requests,
        }
    }

    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.port)
    }

    /// Requests that got past the handshake.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}
