//! Probe: the one HTTP request. Never retried, never redirected, bounded in
//! time as a whole (a server that drips its body still ends on time) and in
//! how much of the answer is read. The only stage on the network.

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, redirect};

use crate::plan::{CredentialRole, ProbeRequest};
use crate::vocab::urls;
use crate::vocab::{
    Answer, ApiError, Body, NetworkErrorKind, NetworkFailure, Observed, ResponseHeaders, Secrets,
};

/// Enough for any OpenAI error body; a captive portal or a 10 MB page is cut here.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// What `--verbose` shows of the raw body.
const EXCERPT_CHARS: usize = 2000;

/// What only the probe knows about its exchange, besides what it observed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trace {
    /// The status line, when it arrived (also when the body then did not).
    pub status: Option<u16>,
    pub elapsed_ms: u64,
    /// The start of the body, masked, for `--verbose`.
    pub body_excerpt: String,
    /// A model list's ids (`{"data": [{"id": …}]}` of a 2xx answer), read
    /// whole: what the program's models are checked against.
    pub model_ids: Option<Vec<String>>,
}

/// Makes the request; what comes back is an answer or no answer, never
/// [`Observed::NotSent`].
///
/// The exchange runs on its own thread, and this one waits for it no longer
/// than the deadline: a name lookup (`getaddrinfo` blocks) or a trust store
/// that never finishes reading (`SSL_CERT_FILE` naming a FIFO) would
/// otherwise hold the run past `--timeout`. An abandoned thread ends with the
/// process.
pub(crate) fn probe(request: &ProbeRequest) -> (Observed, Trace) {
    let started = Instant::now();
    let (sender, receiver) = std::sync::mpsc::channel();
    let own = request.clone();
    let spawned = std::thread::Builder::new().name("probe".into()).spawn(move || {
        let _ = sender.send(exchange_within_deadline(&own));
    });
    let watchdog = request.timeout + CONNECT_GRACE + WATCHDOG_SLACK;
    let (finished, partial) = match spawned.map(|_| receiver.recv_timeout(watchdog)) {
        Ok(Ok(done)) => done,
        Ok(Err(_)) => (
            Err(NetworkFailure {
                kind: NetworkErrorKind::Timeout,
                address: None,
                detail: Some(format!(
                    "nothing within {} s: the name lookup or the trust store did not finish (a slow DNS server, or SSL_CERT_FILE / SSL_CERT_DIR naming something that is not a file)",
                    request.timeout.as_secs()
                )),
            }),
            Partial::default(),
        ),
        Err(e) => (
            Err(NetworkFailure {
                kind: NetworkErrorKind::Other,
                detail: Some(format!("no thread for the request: {e}")),
                address: None,
            }),
            Partial::default(),
        ),
    };
    let trace = Trace {
        status: partial.status,
        elapsed_ms: started.elapsed().as_millis() as u64,
        body_excerpt: partial.body_excerpt,
        model_ids: partial.model_ids,
    };
    let observed = match finished {
        Err(failure) => Observed::NoAnswer(failure),
        Ok(answer) => Observed::Answer(Box::new(answer)),
    };
    (observed, trace)
}

/// How long past the deadline the waiting thread gives the exchange to
/// report a timeout in its own, more precise words.
const WATCHDOG_SLACK: Duration = Duration::from_millis(400);

fn exchange_within_deadline(request: &ProbeRequest) -> (Result<Answer, NetworkFailure>, Partial) {
    let secrets = &request.secrets;
    let mut partial = Partial::default();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let finished = match runtime {
        Err(e) => Err(NetworkFailure {
            kind: NetworkErrorKind::Other,
            detail: Some(format!("no I/O runtime: {e}")),
            address: None,
        }),
        // The whole exchange, body included, under one deadline; connecting
        // has its own (reqwest's) so that a connect timeout can be told apart.
        Ok(rt) => {
            let result = rt.block_on(async {
                let deadline = request.timeout + CONNECT_GRACE;
                match tokio::time::timeout(deadline, exchange(request, secrets, &mut partial)).await {
                    Ok(done) => done,
                    Err(_) => Err(NetworkFailure {
                        kind: NetworkErrorKind::Timeout,
                        address: None,
                        detail: Some(match partial.status {
                            Some(status) => format!(
                                "read: HTTP {status} arrived, but the body did not finish within {} s",
                                request.timeout.as_secs()
                            ),
                            None => format!(
                                "read: connected, but no response within {} s",
                                request.timeout.as_secs()
                            ),
                        }),
                    }),
                }
            });
            // A lookup still running on a blocking thread is not waited for.
            rt.shutdown_background();
            result
        }
    };
    (finished, partial)
}

/// What has arrived so far, for the words of a timeout.
#[derive(Default)]
struct Partial {
    status: Option<u16>,
    body_excerpt: String,
    model_ids: Option<Vec<String>>,
}

/// Past the connect timeout, so that reqwest reports a slow connect itself.
const CONNECT_GRACE: Duration = Duration::from_millis(50);

async fn exchange(
    request: &ProbeRequest,
    secrets: &Secrets,
    partial: &mut Partial,
) -> Result<Answer, NetworkFailure> {
    let proxy = request
        .proxy
        .as_ref()
        .map(|p| format!("{} from {}", p.shown(), p.variable));
    let fail = |e: reqwest::Error| classify(&e, proxy.as_deref(), secrets);
    let client = client(request).map_err(fail)?;
    let builder = match request.body {
        None => client.get(request.url.to_send().clone()),
        Some(body) => client
            .post(request.url.to_send().clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body),
    };
    let mut response = builder.headers(headers(request)).send().await.map_err(fail)?;
    let status = response.status().as_u16();
    partial.status = Some(status);
    let headers = read_headers(response.headers(), request.url.to_send(), secrets);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fail)? {
        let room = MAX_BODY_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == MAX_BODY_BYTES {
            break;
        }
    }
    // An OpenAI answer is a JSON object; a gateway's model list may be a bare
    // array (Together's). Anything else did not come from an API.
    let parsed = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .filter(|v| {
            v.is_object()
                || v.as_array()
                    .is_some_and(|list| !list.is_empty() && list.iter().all(serde_json::Value::is_object))
        });
    // A model list, read whole (a body cut at the bound is no list).
    partial.model_ids = parsed
        .as_ref()
        .filter(|_| (200..300).contains(&status))
        .and_then(|v| v.get("data")?.as_array())
        .map(|models| {
            models
                .iter()
                .filter_map(|m| m.get("id")?.as_str().map(str::to_string))
                .collect()
        });
    // Redacted whole, then cut: a key across the cut would leave its start.
    partial.body_excerpt = secrets
        .clean(&String::from_utf8_lossy(&body), true)
        .chars()
        .take(EXCERPT_CHARS)
        .collect();
    Ok(Answer {
        status: Some(status),
        body: if parsed.is_some() {
            Body::Json
        } else {
            Body::NotJson
        },
        error: parsed.as_ref().and_then(|v| ApiError::from_json(v, secrets)),
        headers,
    })
}

fn client(request: &ProbeRequest) -> reqwest::Result<Client> {
    // reqwest is built without a default crypto provider; ring builds faster
    // than aws-lc. A second install (already set) is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let builder = Client::builder()
        // The proxy was decided in resolve; the client must not read the
        // environment again and pick another.
        .no_proxy();
    let builder = match &request.proxy {
        None => builder,
        Some(p) => {
            // Host and port from the one parse; the user and password apart,
            // never inside a URL that another parser would read again.
            let mut proxy = reqwest::Proxy::all(p.url.clone())?;
            if let Some((user, password)) = &p.credentials {
                proxy = proxy.basic_auth(user.expose(), password.expose());
            }
            builder.proxy(proxy)
        }
    };
    // `localhost` is this machine by definition (RFC 6761), as curl has it:
    // no DNS server decides where a clear-text key goes.
    // Port 0: the URL's own port is used.
    let builder = builder.resolve_to_addrs(
        "localhost",
        &[
            (std::net::Ipv4Addr::LOCALHOST, 0).into(),
            (std::net::Ipv6Addr::LOCALHOST, 0).into(),
        ],
    );
    let builder = builder
        .connect_timeout(request.timeout)
        .redirect(redirect::Policy::none())
        .user_agent(concat!("openai-keycheck/", env!("CARGO_PKG_VERSION")));
    let builder = match &request.only_roots {
        Some(roots) => builder.tls_certs_only(roots.iter().chain(&request.extra_roots).cloned()),
        None => builder.tls_certs_merge(request.extra_roots.iter().cloned()),
    };
    builder.build()
}

fn headers(request: &ProbeRequest) -> HeaderMap {
    let mut headers = HeaderMap::new();
    // In plan's order: the custom headers, then the one that authenticates
    // (which replaces a custom header of the same name, as in the SDKs).
    // Inspect refuses keys with control or non-ASCII characters, so a key
    // that gets here makes a valid header; an empty one is the fallback.
    for credential in &request.credentials {
        let Ok(name) = HeaderName::from_bytes(credential.header.as_bytes()) else {
            continue;
        };
        let mut value = match HeaderValue::from_str(credential.value.expose()) {
            Ok(value) => value,
            Err(_) if credential.role == CredentialRole::CustomHeader => continue,
            Err(_) => HeaderValue::from_static(""),
        };
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    // An empty value is sent empty, as the Python SDK sends it.
    for (name, value) in [
        ("openai-organization", &request.organization),
        ("openai-project", &request.project),
    ] {
        if let Some(v) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, v);
        }
    }
    headers
}

/// The headers worth keeping, cleaned. A `Location` is read against the URL
/// asked for (`/x?sig=…`, `//host/x` are relative), so that it shows as a
/// whole URL, from the same parse that masks its credentials.
fn read_headers(headers: &HeaderMap, asked: &url::Url, secrets: &Secrets) -> ResponseHeaders {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| secrets.clean(&String::from_utf8_lossy(v.as_bytes()), false))
    };
    let mut rate_limits: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-ratelimit-"))
        .map(|(n, v)| {
            (
                n.to_string(),
                secrets.clean(&String::from_utf8_lossy(v.as_bytes()), false),
            )
        })
        .collect();
    rate_limits.sort();
    ResponseHeaders {
        request_id: get("x-request-id"),
        organization: get("openai-organization"),
        project: get("openai-project"),
        processing_ms: get("openai-processing-ms"),
        retry_after: get("retry-after"),
        retry_after_ms: get("retry-after-ms"),
        location: get("location").map(|l| match asked.join(&l) {
            Ok(url) => urls::shown_parsed(&url),
            Err(_) => urls::shown(&l),
        }),
        content_type: get("content-type"),
        rate_limits,
    }
}

fn classify(error: &reqwest::Error, proxy: Option<&str>, secrets: &Secrets) -> NetworkFailure {
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = error.source();
    while let Some(e) = cause {
        chain.push(e.to_string());
        cause = e.source();
    }
    let text = chain.join(": ").to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let deepest = chain.last().cloned().unwrap_or_else(|| error.to_string());
    let (kind, detail) = if error.is_timeout() || has(&["timed out"]) {
        (NetworkErrorKind::Timeout, format!("connect: {deepest}"))
    } else if has(&[
        "dns error",
        "failed to lookup",
        "name or service not known",
        "no address associated",
    ]) {
        (NetworkErrorKind::Dns, deepest)
    } else if has(&["certificate", "tls", "handshake", "unknownissuer"]) {
        (NetworkErrorKind::Tls, deepest)
    } else if has(&["proxy", "tunnel"]) || (error.is_connect() && proxy.is_some()) {
        let via = proxy
            .map(|p| format!(" (through the proxy {p})"))
            .unwrap_or_default();
        (NetworkErrorKind::Proxy, format!("{deepest}{via}"))
    } else if has(&["connection reset", "reset by peer"]) {
        (NetworkErrorKind::Connect, format!("connection reset: {deepest}"))
    } else if error.is_connect() {
        (NetworkErrorKind::Connect, deepest)
    } else {
        (NetworkErrorKind::Other, deepest)
    };
    NetworkFailure {
        kind,
        detail: Some(secrets.clean(&detail, false)),
        address: None,
    }
}
