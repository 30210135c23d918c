//! The service does not accept the API version the request names.
//!
//! ## What it means
//! A 400 or 404 that says the API version is not supported: Azure OpenAI
//! takes `api-version` on every request (`OPENAI_API_VERSION`, or
//! `api_version=` in code), and only versions it lists.
//!
//! ## Usual causes
//! A retired preview version; a version typed by hand; an endpoint that
//! ends in `/openai/v1`, the v1 API, which takes no version at all.
//!
//! ## Example
//! `{"error":{"code":"404","message": "API version not supported"}}`

use crate::diagnose::words::{AZURE_GA_VERSION, colon};
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ApiVersionUnsupported,
    title: "The service does not accept this API version",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status_in(&[400, 404])
            && (e.message_has(&[
                "api version not supported",
                "api-version",
                "unsupported api version",
                "enabled only for api version",
                "unsupported openai-version header",
            ]) || e.code() == "UnsupportedApiVersion")
    },
    doctor: |e, d| {
        let version = d
            .resolution
            .settings
            .azure
            .as_ref()
            .and_then(|a| a.api_version.as_ref())
            .map(|v| format!(" `{}` (from {})", v.value, v.origin_words()));
        let mut list = checklist(e, &version.unwrap_or_default());
        if d.resolution.settings.base_url.value.contains("/openai/v1") {
            list.push("The endpoint ends in /openai/v1, the v1 API, which takes no api-version: use OpenAI(base_url=\"https://NAME.openai.azure.com/openai/v1/\") instead of AzureOpenAI(), or give AzureOpenAI() the bare endpoint.".into());
        }
        list
    },
    text: |e| checklist(e, ""),
};

fn checklist(e: &Evidence, version: &str) -> Vec<String> {
    let rejected = format!(
        "The service rejected the API version{version}{}",
        colon(e.message())
    );
    // OpenAI takes no API version: an Azure one reached api.openai.com.
    if e.message_has(&["unsupported openai-version header"]) {
        return vec![
            rejected,
            "api.openai.com was sent an Azure OpenAI API version (the 0.x SDK sends openai.api_version as the OpenAI-Version header): the program set an API version for Azure but its requests go to OpenAI.".into(),
            "For OpenAI, remove the version (OPENAI_API_VERSION, openai.api_version) and use an OpenAI key; for Azure, set the endpoint too (AzureOpenAI(azure_endpoint=…), or in 0.x openai.api_type = \"azure\" and openai.api_base).".into(),
        ];
    }
    // "Model o3 is enabled only for api versions 2024-12-01-preview and later".
    if let Some(needed) = needed_version(e.message()) {
        return vec![
            rejected,
            format!(
                "This model or feature needs API version {needed} or later: set `OPENAI_API_VERSION={needed}` (or api_version= where the client is made; LangChain: openai_api_version=)."
            ),
        ];
    }
    vec![
        rejected,
        format!(
            "Use a version the service lists, e.g. `OPENAI_API_VERSION={AZURE_GA_VERSION}` (GA); preview features need a recent `-preview` version."
        ),
    ]
}

/// The version a message asks for: "…enabled only for api versions
/// 2024-12-01-preview and later", "…enabled only for api-version 2025-03-01-preview".
fn needed_version(message: &str) -> Option<&str> {
    let lower = message.to_ascii_lowercase();
    let at = lower.find("enabled only for api")?;
    message[at..]
        .split_whitespace()
        .find(|w| w.starts_with("20") && w.len() >= 10)
        .map(|w| w.trim_end_matches(['.', ',', '\'', '"']))
}
