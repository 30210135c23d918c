//! Too many requests for the key's organization or project right now.
//!
//! ## What it means
//! A 429 that is not about billing: a limit on requests or tokens per
//! minute or day. It passes: wait `retry-after-ms`, `retry-after` or the
//! time the message names (`retry_after_seconds` in the JSON), then retry.
//!
//! ## Usual causes
//! A burst of requests; another program using the same limits; a low usage
//! tier.
//!
//! ## Example
//! `Rate limit reached for gpt-4o in organization org-… on requests per min
//! (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`

use crate::diagnose::words::{PYTHON_RETRIED, colon};
use crate::diagnose::{Evidence, Retry, Rule, Step};
use crate::vocab::{DiagnosisId, Sdk, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::RateLimited,
    title: "Rate limited: retry later",
    verdict: Verdict::Retry,
    retry: Retry::After,
    steps: &[Step::BareStatus],
    when: |e| e.status() == Some(429),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let wait = e
        .retry_after_seconds()
        .map_or("a little".to_string(), |s| format!("{s} s"));
    let mut list: Vec<String> = Vec::new();
    if e.sdk == Some(Sdk::Python) {
        list.push(PYTHON_RETRIED.into());
    }
    list.extend([
        format!(
            "Too many requests for this key's organization or project right now{}",
            colon(e.message())
        ),
        format!("Wait {wait} and try again; the SDK retries a 429 twice and honours retry-after up to 120 s."),
        "If one request is already too many, another program is using up the same limits: check Settings, Limits.".into(),
    ]);
    list
}
