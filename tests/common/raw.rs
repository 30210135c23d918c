//! A TCP server on 127.0.0.1 that misbehaves on purpose: it hangs, drips,
//! floods or hangs up. Each connection is counted once its request is read.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a misbehaving connection is kept up at most; tests end sooner.
const LIFETIME: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub enum Behaviour {
    /// Reads the request and never answers.
    Hang,
    /// Sends a 200 with a chunked body, one byte every 100 ms, for ever.
    Drip,
    /// Sends these bytes, then closes.
    Reply(Vec<u8>),
    /// Closes the connection without a word.
    HangUp,
}

pub struct RawServer {
    pub port: u16,
    requests: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    /// The request line and headers of each request, as received.
    heads: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    pub fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (counter, accepted, seen) = (requests.clone(), connections.clone(), heads.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (counter, seen) = (counter.clone(), seen.clone());
                let behaviour = behaviour.clone();
                std::thread::spawn(move || serve(stream, &behaviour, &counter, &seen));
            }
        });
        RawServer {
            port,
            requests,
            connections,
            heads,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// What each request said before its body: request line and headers.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// TCP connections accepted, whether or not a request followed.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A response with a status, a content type and a body of any bytes.
    pub fn response(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    }
}

fn serve(mut stream: TcpStream, behaviour: &Behaviour, counter: &AtomicUsize, heads: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
        line.clear();
    }
    heads.lock().unwrap().push(head);
    counter.fetch_add(1, Ordering::SeqCst);
    let started = Instant::now();
    match behaviour {
        Behaviour::Hang => std::thread::sleep(LIFETIME),
        Behaviour::HangUp => {}
        Behaviour::Reply(bytes) => {
            let _ = stream.write_all(bytes);
        }
        Behaviour::Drip => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            while started.elapsed() < LIFETIME && stream.write_all(b"1\r\n \r\n").is_ok() {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// An HTTP proxy on 127.0.0.1 that only tunnels: `CONNECT host:port`, then
/// bytes both ways. It keeps each CONNECT's head to look at.
pub struct ConnectProxy {
    pub port: u16,
    heads: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    pub fn start() -> Self {
        Self::tunnel_to(None)
    }

    /// A proxy that tunnels every CONNECT, whatever host it names, to this
    /// port on 127.0.0.1: OpenAI's base URL without leaving the machine.
    pub fn tunnelling_to(port: u16) -> Self {
        Self::tunnel_to(Some(port))
    }

    fn tunnel_to(fixed: Option<u16>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || tunnel(client, &seen, fixed));
            }
        });
        ConnectProxy { port, heads }
    }

    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn tunnel(client: TcpStream, heads: &Mutex<Vec<String>>, fixed: Option<u16>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut head = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
        head.push_str(&line);
        line.clear();
    }
    heads.lock().unwrap().push(head.clone());
    let target = match fixed {
        Some(port) => format!("127.0.0.1:{port}"),
        None => head.split_whitespace().nth(1).unwrap_or_default().to_string(),
    };
    let Ok(upstream) = TcpStream::connect(&target) else {
        return;
    };
    let mut client_out = client.try_clone().unwrap();
    if client_out
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let mut upstream_in = upstream.try_clone().unwrap();
    let mut upstream_out = upstream;
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut upstream_in);
    });
    let _ = std::io::copy(&mut upstream_out, &mut client_out);
}
