//! Probe: the one HTTP request. Never retried, never redirected, bounded in
//! time and in how much of the answer is read. The only stage on the network.

use std::error::Error as _;
use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Url, redirect};

use serde::Serialize;

use crate::secret::{self, ApiKey};

/// Enough for any OpenAI error body; a captive portal or a 10 MB page is cut here.
const MAX_BODY_BYTES: u64 = 64 * 1024;
/// What `--verbose` shows of the raw body.
const EXCERPT_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub url: Url,
    pub key: ApiKey,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub timeout: Duration,
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
    /// The body parsed as JSON (an OpenAI answer always does).
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
    match send(request) {
        Err(e) => outcome.network_error = Some(classify(&e, &secrets)),
        Ok(response) => {
            outcome.status = Some(response.status().as_u16());
            outcome.headers = read_headers(response.headers(), &secrets);
            match read_body(response, &secrets) {
                Ok(body) => {
                    let parsed = serde_json::from_slice::<serde_json::Value>(&body).ok();
                    outcome.body_is_json = parsed.is_some();
                    outcome.error = parsed.as_ref().and_then(|v| api_error(v, &secrets));
                    let text = String::from_utf8_lossy(&body);
                    outcome.body_excerpt =
                        secret::redact(&text.chars().take(EXCERPT_CHARS).collect::<String>(), &secrets);
                }
                Err(e) => outcome.network_error = Some(e),
            }
        }
    }
    outcome.elapsed_ms = started.elapsed().as_millis() as u64;
    outcome
}

fn send(request: &ProbeRequest) -> reqwest::Result<reqwest::blocking::Response> {
    // reqwest is built without a default crypto provider; ring builds faster
    // than aws-lc. A second install (already set) is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::builder()
        .timeout(request.timeout)
        .connect_timeout(request.timeout)
        .redirect(redirect::Policy::none())
        .user_agent(concat!("openai-keycheck/", env!("CARGO_PKG_VERSION")))
        .build()?;
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
    client.get(request.url.clone()).headers(headers).send()
}

fn read_body(response: reqwest::blocking::Response, secrets: &[&str]) -> Result<Vec<u8>, NetworkError> {
    let mut body = Vec::new();
    match response.take(MAX_BODY_BYTES).read_to_end(&mut body) {
        Ok(_) => Ok(body),
        // The blocking reader wraps reqwest's own error (a timeout mid-body).
        Err(e) => Err(
            match e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>()) {
                Some(inner) => classify(inner, secrets),
                None => NetworkError {
                    kind: NetworkErrorKind::Other,
                    detail: format!(
                        "the body could not be read: {}",
                        secret::redact(&e.to_string(), secrets)
                    ),
                },
            },
        ),
    }
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
fn api_error(body: &serde_json::Value, secrets: &[&str]) -> Option<ApiError> {
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

fn classify(error: &reqwest::Error, secrets: &[&str]) -> NetworkError {
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = error.source();
    while let Some(e) = cause {
        chain.push(e.to_string());
        cause = e.source();
    }
    let text = chain.join(": ").to_lowercase();
    let kind = if error.is_timeout() || text.contains("timed out") {
        NetworkErrorKind::Timeout
    } else if [
        "dns error",
        "failed to lookup",
        "name or service not known",
        "no address associated",
    ]
    .iter()
    .any(|m| text.contains(m))
    {
        NetworkErrorKind::Dns
    } else if ["certificate", "tls", "handshake", "unknownissuer"]
        .iter()
        .any(|m| text.contains(m))
    {
        NetworkErrorKind::Tls
    } else if text.contains("proxy") || text.contains("tunnel") {
        NetworkErrorKind::Proxy
    } else if error.is_connect() {
        NetworkErrorKind::Connect
    } else {
        NetworkErrorKind::Other
    };
    let detail = chain.last().cloned().unwrap_or_else(|| error.to_string());
    NetworkError {
        kind,
        detail: secret::redact(&detail, secrets),
    }
}
