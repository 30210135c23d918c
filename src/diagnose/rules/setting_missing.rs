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
use crate::vocab::{Client, DiagnosisId, MissingSetting, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::SettingMissing,
    title: "Azure OpenAI needs a setting that is missing",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| matches!(e.not_sent(), Some(NotSent::SettingMissing(_))),
    doctor: |e, d| checklist_of(e, d.resolution.client),
    text: |e| checklist_of(e, e.client.unwrap_or(Client::Azure)),
};

/// In the words of the client whose rules the run follows.
fn checklist_of(e: &Evidence, client: Client) -> Vec<String> {
    let says = &client.rules().azure_setting_errors;
    match e.not_sent() {
        Some(NotSent::SettingMissing(MissingSetting::ApiVersion)) => vec![
            format!(
                "No API version is set, so {}; no request was made.",
                says.no_version
            ),
            format!(
                "Set one: `export OPENAI_API_VERSION={AZURE_GA_VERSION}` (the current GA version; a preview feature needs a preview version), or pass api_version= (Node: apiVersion) to the client (here: --api-version)."
            ),
        ],
        Some(NotSent::SettingMissing(MissingSetting::Endpoint { empty: true })) => {
            vec![format!("{}.", says.empty_endpoint), AZURE_ENDPOINT_HOWTO.into()]
        }
        _ => vec![
            format!(
                "No endpoint is set, so {}; no request was made.",
                says.no_endpoint
            ),
            AZURE_ENDPOINT_HOWTO.into(),
        ],
    }
}
