//! The server answered 5xx: a fault on its side, not with the key.
//!
//! ## What it means
//! Who answered matters: OpenAI only when the base URL is OpenAI's and the
//! body is OpenAI's JSON; otherwise a gateway, or the error page of a proxy
//! or load balancer in front. It passes: retry later, with backoff.
//!
//! ## Usual causes
//! An outage or overload (status.openai.com); a gateway's upstream failing;
//! a proxy's 502 page.
//!
//! ## Example
//! `openai.InternalServerError: Error code: 503 - {'error': {'message': 'The
//! engine is currently overloaded, please try again later', …}}`

use crate::diagnose::words::{Gateway, capitalise, gateway_words, quoted};
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{Body, DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ServerError,
    title: "Server error: retry later",
    verdict: Verdict::Retry,
    retry: Retry::Later,
    steps: &[],
    when: |e| e.status().is_some_and(|s| s >= 500),
    doctor: |e, d| {
        let elsewhere = (!d.resolution.settings.is_openai()).then(|| d.host());
        checklist(e, elsewhere, format!("The server at {}", d.host()))
    },
    text: |e| checklist(e, None, "The server".into()),
};

/// `elsewhere`: the base URL's host when it is not OpenAI's; `server`: how
/// to name whoever answered otherwise.
fn checklist(e: &Evidence, elsewhere: Option<String>, server: String) -> Vec<String> {
    let status = e.status().unwrap_or(500);
    let page = e.answer().filter(|a| a.body == Body::NotJson);
    // Who answered: OpenAI only when the base URL is OpenAI's and the body
    // is OpenAI's JSON; a proxy's or gateway's page otherwise.
    if page.is_none() && elsewhere.is_none() {
        return vec![
            format!(
                "OpenAI answered {status}{}: a fault on their side, not with the key.",
                quoted(e.message())
            ),
            "Retry in a minute with backoff, and check https://status.openai.com.".into(),
        ];
    }
    let who = match &elsewhere {
        Some(host) => match gateway_words(host) {
            Gateway::Known { name, .. } => format!("{name} ({host}), your base URL,"),
            Gateway::Unknown(who) => format!("{}, your base URL,", capitalise(&who)),
        },
        None => server,
    };
    let what = match page {
        Some(a) => format!(
            " with {} that is not an OpenAI error: the error page of a proxy, load balancer or gateway in front (nginx, Cloudflare, …)",
            a.headers.content_type.as_deref().unwrap_or("a body")
        ),
        None => quoted(e.message()),
    };
    vec![
        format!("{who} answered {status}{what}: the fault is there, not with the key."),
        "Retry in a minute with backoff; if it lasts, look at that server's logs or status page (https://status.openai.com speaks only for OpenAI's own servers).".into(),
    ]
}
