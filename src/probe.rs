//! Probe: the one HTTP request. Never retried, never redirected, bounded in
//! time as a whole (a server that drips its body still ends on time) and in
//! how much of the answer is read. The only stage on the network.

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Certificate, Client, Url, redirect};

use serde::Serialize;

use crate::secret::{self, ApiKey};

/// Enough for any OpenAI error body; a captive portal or a 10 MB page is cut here.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// What `--verbose` shows of the raw body.
const EXCERPT_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub url: Url,
    pub key: ApiKey,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub timeout: Duration,
    /// PEM certificates trusted in addition to the system's (`--ca-cert`).
    pub extra_roots: Vec<Certificate>,
    /// The proxy the environment names for this URL, already masked, to
    /// explain a failure to connect.
    pub proxy: Option<String>,
    /// Every form of the key the server might echo back, to be masked.
    pub secrets: Vec<ApiKey>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiError {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
}

/// The response headers worth reading, already masked.
#[derive(Debug, Clone, Default)]
pub struct ResponseHeaders {
    pub request_id: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub processing_ms: Option<String>,
    pub retry_after: Option<String>,
    pub retry_after_ms: Option<String>,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub rate_limits: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkErrorKind {
    Dns,
    Connect,
    Tls,
    Timeout,
    Proxy,
    Other,
}

#[derive(Debug, Clone)]
pub struct NetworkError {
    pub kind: NetworkErrorKind,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<ApiError>,
    /// The body parsed as a JSON object (an OpenAI answer always does).
    pub body_is_json: bool,
    /// The start of the body, masked, for `--verbose`.
    pub body_excerpt: String,
    pub headers: ResponseHeaders,
    pub network_error: Option<NetworkError>,
    pub elapsed_ms: u64,
}

pub fn probe(request: &ProbeRequest) -> ProbeOutcome {
    let started = Instant::now();
    let secrets: Vec<&str> = request.secrets.iter().map(ApiKey::expose).collect();
    let mut outcome = ProbeOutcome {
        url: request.url.to_string(),
        status: None,
        error: None,
        body_is_json: false,
        body_excerpt: String::new(),
        headers: ResponseHeaders::default(),
        network_error: None,
        elapsed_ms: 0,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let finished = match runtime {
        Err(e) => Err(NetworkError {
            kind: NetworkErrorKind::Other,
            detail: format!("no I/O runtime: {e}"),
        }),
        // The whole exchange, body included, under one deadline; connecting
        // has its own (reqwest's) so that a connect timeout can be told apart.
        Ok(rt) => rt.block_on(async {
            let deadline = request.timeout + CONNECT_GRACE;
            match tokio::time::timeout(deadline, exchange(request, &secrets, &mut outcome)).await {
                Ok(done) => done,
                Err(_) => Err(NetworkError {
                    kind: NetworkErrorKind::Timeout,
                    detail: match outcome.status {
                        Some(status) => format!(
                            "read: HTTP {status} arrived, but the body did not finish within {} s",
                            request.timeout.as_secs()
                        ),
                        None => format!(
                            "read: connected, but no response within {} s",
                            request.timeout.as_secs()
                        ),
                    },
                }),
            }
        }),
    };
    if let Err(e) = finished {
        outcome.network_error = Some(e);
    }
    outcome.elapsed_ms = started.elapsed().as_millis() as u64;
    outcome
}

/// Past the connect timeout, so that reqwest reports a slow connect itself.
const CONNECT_GRACE: Duration = Duration::from_millis(50);

async fn exchange(
    request: &ProbeRequest,
    secrets: &[&str],
    outcome: &mut ProbeOutcome,
) -> Result<(), NetworkError> {
    let fail = |e: reqwest::Error| classify(&e, request.proxy.as_deref(), secrets);
    let mut response = client(request)
        .map_err(fail)?
        .get(request.url.clone())
        .headers(headers(request))
        .send()
        .await
        .map_err(fail)?;
    outcome.status = Some(response.status().as_u16());
    outcome.headers = read_headers(response.headers(), secrets);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fail)? {
        let room = MAX_BODY_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == MAX_BODY_BYTES {
            break;
        }
    }
    // An OpenAI answer is always a JSON object; anything else did not come from the API.
    let parsed = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .filter(|v| v.is_object());
    outcome.body_is_json = parsed.is_some();
    outcome.error = parsed.as_ref().and_then(|v| api_error(v, secrets));
    let text: String = String::from_utf8_lossy(&body)
        .chars()
        .take(EXCERPT_CHARS)
        .collect();
    outcome.body_excerpt = secret::redact(&text, secrets);
    Ok(())
}

fn client(request: &ProbeRequest) -> reqwest::Result<Client> {
    // reqwest is built without a default crypto provider; ring builds faster
    // than aws-lc. A second install (already set) is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .connect_timeout(request.timeout)
        .redirect(redirect::Policy::none())
        .user_agent(concat!("openai-keycheck/", env!("CARGO_PKG_VERSION")))
        .tls_certs_merge(request.extra_roots.iter().cloned())
        .build()
}

fn headers(request: &ProbeRequest) -> HeaderMap {
    let mut headers = HeaderMap::new();
    // Inspect refuses keys with control or non-ASCII characters, so this
    // cannot fail for a key that gets here; an empty header is the fallback.
    let mut auth = HeaderValue::from_str(&format!("Bearer {}", request.key.expose()))
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    auth.set_sensitive(true);
    headers.insert(AUTHORIZATION, auth);
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

fn read_headers(headers: &HeaderMap, secrets: &[&str]) -> ResponseHeaders {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| secret::redact(&String::from_utf8_lossy(v.as_bytes()), secrets))
    };
    let mut rate_limits: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-ratelimit-"))
        .map(|(n, v)| {
            (
                n.to_string(),
                secret::redact(&String::from_utf8_lossy(v.as_bytes()), secrets),
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
        location: get("location"),
        content_type: get("content-type"),
        rate_limits,
    }
}

/// `{"error": {...}}` with each field a string, null or absent; anything else
/// is not an OpenAI error body.
pub(crate) fn api_error(body: &serde_json::Value, secrets: &[&str]) -> Option<ApiError> {
    let error = body.get("error")?;
    let field = |name: &str| match error.get(name)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(secret::redact(s, secrets)),
        other => Some(secret::redact(&other.to_string(), secrets)),
    };
    match error {
        serde_json::Value::Object(_) => Some(ApiError {
            kind: field("type"),
            code: field("code"),
            message: field("message"),
            param: field("param"),
        }),
        serde_json::Value::String(s) => Some(ApiError {
            message: Some(secret::redact(s, secrets)),
            ..ApiError::default()
        }),
        _ => None,
    }
}

fn classify(error: &reqwest::Error, proxy: Option<&str>, secrets: &[&str]) -> NetworkError {
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
    NetworkError {
        kind,
        detail: secret::redact(&detail, secrets),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_error_object() {
        let body = serde_json::json!({"error": {"message": "m sk-secret-0123456789", "type": "t", "param": null, "code": 42}});
        let e = api_error(&body, &["sk-secret-0123456789"]).unwrap();
        assert_eq!(e.message.as_deref(), Some("m sk-…6789"));
        assert_eq!(
            (e.kind.as_deref(), e.code.as_deref(), e.param),
            (Some("t"), Some("42"), None)
        );
        assert!(api_error(&serde_json::json!({"error": 5}), &[]).is_none());
        assert!(api_error(&serde_json::json!([1]), &[]).is_none());
    }

    proptest! {
        /// Whatever JSON a server sends, reading it neither panics nor lets a
        /// planted key through.
        #[test]
        fn the_error_parser_takes_any_json(text in "\\PC{0,300}", message in "\\PC{0,60}") {
            let key = "sk-proj-PlantedKey0123456789T3BlbkFJabcdefghijklmnopqrst";
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                let _ = api_error(&value, &[key]);
            }
            let body = serde_json::json!({"error": {"message": format!("{message}{key}"), "code": message, "type": [1], "param": {"k": key}}});
            let e = api_error(&body, &[key]).unwrap();
            let shown = format!("{e:?}");
            prop_assert!(!shown.contains(key));
        }
    }
}
