//! The error is another service's, not OpenAI's: this tool cannot diagnose
//! it.
//!
//! ## What it means
//! The text names another service — its host, SDK, exception, variable or
//! key prefix (Hugging Face, Anthropic, Google Gemini, Stripe, …) — and
//! nothing in it ties the error to an OpenAI or OpenAI-compatible call.
//! Advice about OpenAI keys would be wrong here, so `explain` says whose
//! error it is and exits 5, as it does for a text it does not recognise. A
//! gateway or proxy that forwarded to OpenAI (LiteLLM's OpenAI provider,
//! `OpenAIException`) keeps the error OpenAI's.
//!
//! ## Usual causes
//! A log that holds several services' errors, pasted whole; a program that
//! calls more than one provider; an error from a library next to the OpenAI
//! call.
//!
//! ## Example
//! `huggingface_hub.utils._errors.HfHubHTTPError: 401 Client Error:
//! Unauthorized for url: https://huggingface.co/api/models/…`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub const RULE: Rule = Rule {
    id: DiagnosisId::OtherService,
    title: "This is another service's error, not OpenAI's",
    verdict: Verdict::NotOurs,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.other_service.is_some(),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let Some((name, keys)) = e.other_service else {
        return vec!["This error is not OpenAI's.".into()];
    };
    vec![
        format!(
            "This error comes from {name}, not from OpenAI: nothing in the text ties it to an OpenAI API call, so openai-keycheck cannot diagnose it, and an OpenAI key is not what to change."
        ),
        // A limit or an outage there is not about the credential.
        match e.status() {
            Some(429) => format!("{name} is limiting the program's requests (429): wait and retry, or see {name}'s rate limits; its key is not the problem."),
            Some(status) if status >= 500 => format!("{name}'s service failed or is overloaded ({status}): retry later; its key is not the problem."),
            _ => format!("Check the {name} credential the program uses: {keys}."),
        },
        "If the program also calls OpenAI and fails there, run `openai-keycheck explain` on that error's own lines, or `openai-keycheck doctor` where the program runs.".into(),
    ]
}
