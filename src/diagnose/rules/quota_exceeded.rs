//! The organization or project has no credit left, or reached a spend
//! limit: billing, not a rate limit.
//!
//! ## What it means
//! A 429 `insufficient_quota` (older bodies give only that type), or a
//! billing code (`billing_not_active`, credit or spend limits). Retrying
//! never helps — yet the SDKs retry it twice by default.
//!
//! ## Usual causes
//! A new account without a payment method or prepaid credit; a monthly
//! budget reached; credit added minutes ago.
//!
//! ## Example
//! `openai.RateLimitError: Error code: 429 - {'error': {'message': 'You
//! exceeded your current quota, please check your plan and billing
//! details. …', 'type': 'insufficient_quota', 'code': 'insufficient_quota'}}`

use crate::diagnose::words::{PYTHON_RETRIED, billing_page};
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Sdk, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::QuotaExceeded,
    title: "Quota exceeded: billing, not a rate limit",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        (e.status() == Some(429)
            && (e.error_type() == "insufficient_quota"
                || ["quota", "billing", "credit", "spend", "usage_limit"]
                    .iter()
                    .any(|w| e.code().contains(w))
                || e.message_has(&["exceeded your current quota", "billing details"])))
            // The images endpoint sends a billing limit with 400.
            || (e.status_in(&[400, 429])
                && (e.code() == "billing_hard_limit_reached" || e.message_has(&["billing hard limit"])))
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    if e.sdk == Some(Sdk::Python) {
        list.push(PYTHON_RETRIED.into());
    }
    list.extend([
        "The organization or project has no credit left or reached a spend limit: this is billing, not a rate limit.".into(),
        "Retrying never helps (the SDK still retries it twice by default). Add credit or raise the limit, and check the project's budget.".into(),
    ]);
    list.push(match billing_page(e) {
        Some(page) => format!("Billing: {page}; new credit can take a few minutes to apply."),
        None => "Billing is the answering server's own (its account or its upstream's), not platform.openai.com; new credit can take a few minutes to apply.".into(),
    });
    list
}
