//! `AzureOpenAI()` cannot be made: its API version or endpoint is missing.
//!
//! ## What it means
//! openai-python's `AzureOpenAI()` checks, in this order, a credential, an
//! API version and an endpoint when it is created; without the version or
//! the endpoint it raises a `ValueError` and sends nothing. An endpoint set
//! but empty lets the client be made, and every call fails.
//!
//! ## Usual causes
//! `OPENAI_API_VERSION` or `AZURE_OPENAI_ENDPOINT` not exported where the
//! program runs; a quickstart's `.env` that the program does not load.
//!
//! ## Example
//! `ValueError: Must provide either the api_version argument or the
//! OPENAI_API_VERSION environment variable`

use crate::diagnose::words::{AZURE_ENDPOINT_HOWTO, AZURE_GA_VERSION};
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, MissingSetting, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::SettingMissing,
    title: "Azure OpenAI needs a setting that is missing",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| matches!(e.not_sent(), Some(NotSent::SettingMissing(_))),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    match e.not_sent() {
        Some(NotSent::SettingMissing(MissingSetting::ApiVersion)) => vec![
            "No API version is set, so `AzureOpenAI()` raises `ValueError: Must provide either the api_version argument or the OPENAI_API_VERSION environment variable` when it is created; no request was made.".into(),
            format!("Set one: `export OPENAI_API_VERSION={AZURE_GA_VERSION}` (the current GA version; a preview feature needs a preview version), or pass api_version= to the client (here: --api-version)."),
        ],
        Some(NotSent::SettingMissing(MissingSetting::Endpoint { empty: true })) => vec![
            "AZURE_OPENAI_ENDPOINT is set but empty: `AzureOpenAI()` is created, and every call fails with `APIConnectionError: Connection error.` before anything is sent.".into(),
            AZURE_ENDPOINT_HOWTO.into(),
        ],
        _ => vec![
            "No endpoint is set, so `AzureOpenAI()` raises `ValueError: Must provide one of the base_url or azure_endpoint arguments, or the AZURE_OPENAI_ENDPOINT environment variable` when it is created; no request was made.".into(),
            AZURE_ENDPOINT_HOWTO.into(),
        ],
    }
}
