//! Explain: an error the user already has — a status, a body, a traceback —
//! becomes the same diagnosis and checklist as `doctor`, offline and without
//! a key. Recognising is here; the diagnosis is the same table's.

mod extract;

use serde::Serialize;

use crate::diagnose::{self, Evidence, Stage};
use crate::plan::Skip;
use crate::probe::{ApiError, NetworkError, NetworkErrorKind, ProbeOutcome, ResponseHeaders};
use crate::report::Report;
use crate::resolve::Resolution;

pub use extract::mask_keys;

/// Exit code when nothing in the input was recognised (2 stays clap's).
pub const EXIT_UNRECOGNISED: i32 = 5;

/// Said when nothing was recognised.
pub const LOOKED_FOR: &str = "Looked for: an HTTP status (`Error code: 429`, `HTTP/1.1 401`, `401 Incorrect…`, or a bare `429`), an OpenAI error body (`{\"error\": {…}}`, or the Python SDK's `{'error': {…}}`), an SDK exception (`openai.AuthenticationError`, `APIConnectionError`, …) or the SDK's missing-key message.";

/// The JSON answer when nothing was recognised: no diagnosis to give.
pub fn unrecognised_json() -> String {
    let value = serde_json::json!({
        "schema_version": crate::report::SCHEMA_VERSION,
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "ok": false,
        "exit_code": EXIT_UNRECOGNISED,
        "explain": null,
        "message": format!("could not recognise an OpenAI error in the input. {LOOKED_FOR}"),
    });
    format!("{value:#}\n")
}

/// What a bare status can mean, and how to tell the meanings apart.
const STATUS_MEANINGS: &[(u16, &[&str], &str)] = &[
    (
        401,
        &[
            "invalid_api_key",
            "restricted_key",
            "organization_mismatch",
            "project_mismatch",
            "ip_not_allowed",
            "account_disabled",
        ],
        "401 has several meanings; the error's code and message tell them apart: invalid_api_key (a wrong or revoked key), mismatched_organization / mismatched_project (a header from OPENAI_ORG_ID or OPENAI_PROJECT_ID), \"Missing scopes\" (a restricted key that is valid), \"IP not authorized\" (an allowlist).",
    ),
    (
        403,
        &[
            "permission_denied",
            "unsupported_region",
            "model_not_found",
            "restricted_key",
        ],
        "403 has several meanings: unsupported_country_region_territory (where the request comes from), model_not_found (the project may not use the model), \"Missing scopes\" (a restricted key), or another permission.",
    ),
    (
        404,
        &["wrong_base_url", "model_not_found"],
        "404 has two meanings: an OpenAI body with code model_not_found is about the model; an HTML page or a 404 on /models means the base URL is wrong (often a missing /v1).",
    ),
    (
        429,
        &["rate_limited", "quota_exceeded"],
        "429 has two meanings: code or type insufficient_quota means billing (no credit or a spend limit; retrying never helps), rate_limit_exceeded means too many requests (wait retry-after). Look at the error's code.",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct Recognised {
    /// "Python SDK traceback, status 429, code insufficient_quota".
    pub recognised: String,
    /// The kinds of text found: `python_sdk`, `node_sdk`, `langchain`, `http_response`, `error_body`, `status_code`.
    pub forms: Vec<&'static str>,
    pub exception: Option<&'static str>,
    pub status: Option<u16>,
    pub error: Option<ApiError>,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    /// Other diagnoses the same input could mean (a bare status).
    pub alternatives: Vec<&'static str>,
    #[serde(skip)]
    failure: Failure,
    #[serde(skip)]
    headers: ResponseHeaders,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Failure {
    #[default]
    Http,
    Connection(NetworkErrorKind),
    MissingKey,
}

/// Reads the (already masked) text; `None` when nothing in it is an OpenAI error.
pub fn recognise(text: &str) -> Option<Recognised> {
    let exception = extract::exception(text);
    let body = extract::error_body(text);
    let mut status = extract::status(text);
    let failure = if extract::missing_key(text) {
        Failure::MissingKey
    } else if let (None, None, Some(kind)) = (status, &body, extract::connection_failure(text)) {
        Failure::Connection(kind)
    } else {
        Failure::Http
    };
    let error = body.as_ref().map(|(e, _)| e.clone()).or_else(|| {
        extract::message_after_status(text).map(|message| ApiError {
            message: Some(message),
            ..ApiError::default()
        })
    });
    status = status
        .or_else(|| exception.and_then(extract::status_of_exception))
        .or_else(|| {
            error
                .as_ref()
                .and_then(|e| e.code.as_deref().or(e.kind.as_deref()))
                .and_then(extract::status_of_code)
        });
    if failure == Failure::Http && status.is_none() && error.is_none() {
        return None;
    }

    let mut forms: Vec<&'static str> = Vec::new();
    let node = text.contains("node_modules") || text.contains("    at ");
    // `openai.RateLimitError`, not `platform.openai.com`.
    let python_exception = text
        .match_indices("openai.")
        .any(|(at, _)| text[at + "openai.".len()..].starts_with(|c: char| c.is_ascii_uppercase()));
    let python = python_exception
        || text.contains("Traceback (most recent call last)")
        || text.contains("Error code: ")
        || body
            .as_ref()
            .is_some_and(|(_, f)| *f == extract::BodyForm::PythonDict);
    if python {
        forms.push("python_sdk");
    } else if node || text.lines().any(|l| l.trim_start().starts_with("Error: ")) {
        forms.push("node_sdk");
    }
    if text.to_ascii_lowercase().contains("langchain") {
        forms.push("langchain");
    }
    if text.lines().any(|l| l.trim_start().starts_with("HTTP/")) {
        forms.push("http_response");
    }
    if body.is_some() {
        forms.push("error_body");
    }
    if text.trim().len() == 3 && status.is_some() {
        forms.push("status_code");
    }

    let headers = ResponseHeaders {
        request_id: extract::header(text, "x-request-id"),
        organization: extract::header(text, "openai-organization"),
        project: extract::header(text, "openai-project"),
        retry_after: extract::header(text, "retry-after"),
        retry_after_ms: extract::header(text, "retry-after-ms"),
        content_type: extract::header(text, "content-type"),
        ..ResponseHeaders::default()
    };
    let alternatives = match (&error, status) {
        (None, Some(s)) if failure == Failure::Http => STATUS_MEANINGS
            .iter()
            .find(|(code, ..)| *code == s)
            .map(|(_, ids, _)| ids.to_vec())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut recognised = Recognised {
        recognised: String::new(),
        forms,
        exception,
        status,
        error,
        request_id: headers.request_id.clone(),
        retry_after: headers.retry_after.clone(),
        alternatives,
        failure,
        headers,
    };
    recognised.recognised = describe(&recognised);
    Some(recognised)
}

fn describe(r: &Recognised) -> String {
    if r.forms == ["status_code"] {
        return format!("status code {} alone", r.status.unwrap_or_default());
    }
    let form = match r.forms.first().copied() {
        Some("python_sdk") if r.exception.is_some() => "Python SDK exception",
        Some("python_sdk") => "Python SDK error",
        Some("node_sdk") => "Node SDK error",
        Some("langchain") => "LangChain error",
        Some("http_response") => "HTTP response",
        Some("error_body") => "OpenAI error body",
        Some("status_code") => "status code",
        _ => "error text",
    };
    let mut parts = vec![match r.exception {
        Some(name) => format!("{form} ({name})"),
        None => form.to_string(),
    }];
    match r.failure {
        Failure::MissingKey => parts.push("no key found when the client was created".into()),
        Failure::Connection(kind) => {
            parts.push(format!("no HTTP answer ({})", crate::report::wire_name(&kind)))
        }
        Failure::Http => {}
    }
    if let Some(s) = r.status {
        parts.push(format!("status {s}"));
    }
    let error = r.error.as_ref();
    if let Some(code) = error.and_then(|e| e.code.as_deref()) {
        parts.push(format!("code {code}"));
    } else if let Some(kind) = error.and_then(|e| e.kind.as_deref()) {
        parts.push(format!("type {kind}"));
    }
    parts.join(", ")
}

/// The diagnosis of `doctor`'s table for what was recognised, as a report.
pub fn report(r: &Recognised) -> Report {
    let stage = match r.failure {
        Failure::MissingKey => Stage::Skipped(Skip::NoKey),
        Failure::Connection(kind) => Stage::Probed(Box::new(outcome(r, Some(kind)))),
        Failure::Http => Stage::Probed(Box::new(outcome(r, None))),
    };
    let resolution = Resolution::nothing();
    let mut diagnosis = diagnose::diagnose(&Evidence {
        resolution: &resolution,
        inspection: None,
        stage: &stage,
        model: None,
        offline: false,
        timeout_seconds: 0,
        strict: false,
    });
    diagnosis.checklist.splice(0..0, hints(r));
    let mut report = Report::new(&resolution, None, &stage, diagnosis, false);
    // The stage above is what the text says happened; no request was made here.
    report.probe = None;
    report.explain = Some(r.clone());
    report
}

fn outcome(r: &Recognised, network: Option<NetworkErrorKind>) -> ProbeOutcome {
    ProbeOutcome {
        url: String::new(),
        status: r.status,
        error: r.error.clone(),
        // A status on its own is taken to come from the API.
        body_is_json: r.error.is_some() || r.status.is_some(),
        body_excerpt: String::new(),
        headers: r.headers.clone(),
        network_error: network.map(|kind| NetworkError {
            kind,
            detail: "as the error text says".into(),
        }),
        elapsed_ms: 0,
    }
}

/// What the text itself adds to the table's checklist.
fn hints(r: &Recognised) -> Vec<String> {
    let mut hints = Vec::new();
    if let Some((_, _, meanings)) = STATUS_MEANINGS
        .iter()
        .find(|(s, ..)| r.error.is_none() && Some(*s) == r.status)
    {
        hints.push((*meanings).to_string());
    }
    if r.failure == Failure::Connection(NetworkErrorKind::Other) && r.forms.contains(&"python_sdk") {
        hints.push("In Python this is also what a key with a trailing newline gives: the SDK refuses the header and sends nothing. Run `openai-keycheck doctor --offline` to check the key's form.".into());
    }
    if r.status == Some(429) && r.forms.contains(&"python_sdk") {
        hints.push("The Python SDK had already retried this twice before raising it.".into());
    }
    hints
}

#[cfg(test)]
mod tests;
