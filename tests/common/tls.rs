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
        let (config, ca_pem) = certified(names);
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
            ca_pem,
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

/// A server configuration with a certificate for `names`, signed by a CA
/// made for the test, and that CA as PEM.
fn certified(names: &[&str]) -> (Arc<rustls::ServerConfig>, String) {
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
    (Arc::new(config), ca_cert.pem())
}

/// HTTPS in front of plain HTTP servers on 127.0.0.1 (wiremock's, which
/// route and record): each request is passed on to the port its server
/// name (SNI) picks, or to `default` when the client sent none (an IP
/// address), and the answer is passed back. One request per connection.
pub struct TlsFront {
    pub port: u16,
    /// The CA that signed the front's certificate, as PEM.
    pub ca_pem: String,
}

impl TlsFront {
    pub fn start(names: &[&str], by_name: Vec<(String, u16)>, default: u16) -> Self {
        let (config, ca_pem) = certified(names);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let by_name = Arc::new(by_name);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (config, by_name) = (config.clone(), by_name.clone());
                std::thread::spawn(move || {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    forward(&mut tls, &by_name, default);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsFront { port, ca_pem }
    }
}

fn forward(
    tls: &mut rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>,
    by_name: &[(String, u16)],
    default: u16,
) {
    use std::io::Read;
    // The head, then as many bytes of body as content-length says.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        // A client that rejects the certificate ends the handshake here.
        if !tls.read(&mut byte).is_ok_and(|n| n == 1) {
            return;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let length = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if tls.read_exact(&mut body).is_err() {
        return;
    }
    let upstream = tls
        .conn
        .server_name()
        .and_then(|name| by_name.iter().find(|(n, _)| n == name).map(|(_, p)| *p))
        .unwrap_or(default);
    // One request per connection: the server closes after its answer.
    let head: String = text
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\r\n"))
        .collect();
    let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let sent = server
        .write_all(format!("{head}connection: close\r\n\r\n").as_bytes())
        .and_then(|_| server.write_all(&body));
    let mut answer = Vec::new();
    if sent.is_ok() && server.read_to_end(&mut answer).is_ok() {
        let _ = tls.write_all(&answer);
        let _ = tls.flush();
    }
}
