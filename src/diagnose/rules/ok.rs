//! The key authenticated: the server accepted it.
//!
//! ## What it means
//! `GET /models` answered 2xx with a JSON body. That shows the key is valid,
//! not that it has credit: the request is free, so billing (a 429
//! `insufficient_quota`) shows only on paid calls. Under `--client azure`
//! with `--model`, the deployment was checked too: Azure looked up the key,
//! the API version and the deployment, then refused the empty chat request
//! sent on purpose (400), so no model ran.
//!
//! ## Usual causes
//! A working key.
//!
//! ## Example
//! `HTTP/1.1 200 OK` with `{"object": "list", "data": […]}`

use crate::diagnose::words::{billing_page, capitalise, colon};
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::Ok,
    title: "The key works (authenticated)",
    verdict: Verdict::Pass,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        ((e.status().is_some_and(|s| (200..300).contains(&s)) && e.may_be_the_api())
            || e.deployment_answered())
            && e.models_missing().is_empty()
    },
    // What the run could not see is said by `unseen`, for every passing rule.
    doctor: |e, d| {
        let mut list = checklist(e);
        // A local server (Ollama, LM Studio, vLLM) often takes any key; one
        // that tags its answers as OpenAI's API does (a request id, the
        // organization) is a proxy of an API that checks keys.
        let host = d.host();
        let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
        let tagged = e
            .answer()
            .is_some_and(|a| a.headers.request_id.is_some() || a.headers.organization.is_some());
        if local && !tagged && !e.deployment_answered() {
            list[0] = format!(
                "The server on this machine ({host}) answered {}: the base URL works. Local servers (Ollama, LM Studio, vLLM) often take any key, so this does not show that the key is checked; a LiteLLM proxy does check its virtual keys.",
                e.key_phrase()
            );
            list.truncate(1);
        }
        list
    },
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    if e.deployment_answered() {
        return vec![
            format!(
                "{} authenticated, and the deployment `{}` exists: the service checked both, then refused the empty request that was sent on purpose (400{}), so no model ran and nothing was billed.",
                capitalise(&e.key_phrase()),
                e.model_flag().unwrap_or_default(),
                colon(e.message()).trim_end_matches('.')
            ),
            "This does not show quota or content-filter settings: a real request can still be refused for those.".into(),
        ];
    }
    let org = e.answer().and_then(|a| a.headers.organization.clone());
    vec![
        format!(
            "{} authenticated{}.",
            capitalise(&e.key_phrase()),
            org.map(|o| format!(" for the organization {o}"))
                .unwrap_or_default()
        ),
        match billing_page(e) {
            Some(page) => format!(
                "This shows the key is valid, not that it has credit: GET /models is free, so a 429 insufficient_quota can still come on paid calls. Check credit and spend limits at {page}."
            ),
            None => "This shows the key is valid, not that it has credit: the request made is free, and a paid call can still be refused for billing by the service at the base URL (its own account, not platform.openai.com).".into(),
        },
    ]
}
