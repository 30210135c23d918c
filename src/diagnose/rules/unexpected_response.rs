//! An answer no other rule explains.
//!
//! ## What it means
//! The last rule: it catches whatever the rules before it did not, so every
//! run has a diagnosis. The checklist quotes the status and the message.
//!
//! ## Usual causes
//! A status the API does not send for this request (418, 409), or a
//! gateway's own error format.
//!
//! ## Example
//! `HTTP/1.1 418 I'm a teapot` with `{}`

use crate::diagnose::words::colon;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::UnexpectedResponse,
    title: "Unexpected response",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |_| true,
    doctor: |e, _| {
        let mut list = checklist(e);
        list.push("Run again with --verbose to see the response body and headers.".into());
        list
    },
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    vec![match e.status() {
        Some(s) => format!("HTTP {s} was not expected for this request{}", colon(e.message())),
        None => format!(
            "This error was not expected for this request{}",
            colon(e.message())
        ),
    }]
}
