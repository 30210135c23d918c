//! The base URL does not lead to an OpenAI-compatible API.
//!
//! ## What it means
//! The base URL is unusable, or what answered there is not the API: a 404
//! on `/models` (most often a missing `/v1`), a redirect (the key is not
//! sent on to another address), or a body that is not JSON — a captive
//! portal, a proxy's login page, another web server.
//!
//! ## Usual causes
//! `OPENAI_BASE_URL=https://api.openai.com` without `/v1`, or with `/v1`
//! twice; a hotel or company network's login page; an Azure endpoint with
//! `/openai` added by hand.
//!
//! ## Example
//! `openai.NotFoundError: Error code: 404 - {'error': {'message': 'Invalid
//! URL (GET /v1/v1/models)', …}}`

use crate::diagnose::words::{AZURE_GA_VERSION, colon};
use crate::diagnose::{Evidence, Retry, Rule, Step};
use crate::resolve::Origin;
use crate::vocab::{BaseUrlProblem, Body, DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::WrongBaseUrl,
    title: "The base URL does not lead to an OpenAI-compatible API",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[Step::BareStatus],
    when: |e| {
        matches!(e.not_sent(), Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(_))))
            || e.status().is_some_and(|s| {
                (300..400).contains(&s)
                    || (s == 404 && (e.model_flag().is_none() || azure_path_not_found(e)))
                    || !e.may_be_the_api()
            })
            // An error text that shows a body that was not JSON, without its status.
            || e.answer().is_some_and(|a| a.status.is_none() && a.body == Body::NotJson)
    },
    doctor: |e, d| {
        let sent = d.request.map(|r| format!("GET {}", r.url));
        let mut list = checklist(
            e,
            sent.as_deref(),
            format!(
                "The base URL came from {}; OpenAI's is https://api.openai.com/v1 (with /v1).",
                d.base_url_origin()
            ),
        );
        // A local server (Ollama, LM Studio, vLLM) answers a path it does
        // not serve with a short text: no portal, a base URL without /v1.
        let local = matches!(d.host().as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
        if local
            && e.status() == Some(404)
            && !d
                .resolution
                .settings
                .base_url
                .value
                .trim_end_matches('/')
                .ends_with("/v1")
        {
            list[0] = format!(
                "The local server answered 404{}: it serves the OpenAI API under /v1 (Ollama, LM Studio, vLLM and LiteLLM all do), and the base URL lacks it.",
                sent.as_deref().map(|s| format!(" to {s}")).unwrap_or_default()
            );
        }
        // A setting that stopped the client says where it is itself.
        if e.not_sent().is_some() && d.resolution.settings.base_url.origin == Origin::Default {
            list.truncate(1);
        }
        list
    },
    text: |e| {
        let setting = e
            .client_rules()
            .map_or("base_url= or OPENAI_BASE_URL", |r| r.base_url_setting);
        checklist(
            e,
            None,
            format!(
                "Check the base URL the program uses ({setting}); OpenAI's is https://api.openai.com/v1 (with /v1)."
            ),
        )
    },
};

/// `sent`: "GET http://…/v1/models" when a run sent it (an error text seldom
/// says which URL was asked); `where_from`: the line about the base URL.
fn checklist(e: &Evidence, sent: Option<&str>, where_from: String) -> Vec<String> {
    if e.is_azure() && e.status() == Some(404) && e.may_be_the_api() {
        return vec![
            format!(
                "The endpoint answered 404{}: there is no Azure OpenAI API at this address.",
                colon(e.message()).trim_end_matches('.')
            ),
            "AZURE_OPENAI_ENDPOINT must be the bare resource URL, https://NAME.openai.azure.com/ (or NAME.cognitiveservices.azure.com), without /openai or /openai/v1: AzureOpenAI() adds /openai itself. For the /openai/v1/ API, use OpenAI(base_url=\"https://NAME.openai.azure.com/openai/v1/\") instead.".into(),
            format!(
                "If the endpoint is right, the API version may be too old for this operation (Azure answers that with 404 \"Resource not found\" too): try OPENAI_API_VERSION={AZURE_GA_VERSION}."
            ),
        ];
    }
    if let Some(twice) = doubled_path(e.message()) {
        return vec![
            format!(
                "The server answered{}: the path holds {twice} twice, so the base URL already ends in {twice} and something added it again.",
                colon(e.message())
            ),
            "Remove one: with the SDKs, base_url / OPENAI_BASE_URL ends in /v1 (https://api.openai.com/v1) and the paths (/chat/completions, …) are added after it; a library or proxy that adds /v1 or the path itself wants the base URL without it.".into(),
        ];
    }
    let request = sent.unwrap_or("The request");
    let answered = sent.unwrap_or("The server");
    let first = match (e.not_sent(), e.answer()) {
        (Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(why))), _) => {
            format!("The base URL is not usable: {why}.")
        }
        (_, Some(a)) if a.headers.location.is_some() => format!(
            "{request} was redirected to {}: the key is not sent on to another address.",
            a.headers.location.as_deref().unwrap_or("")
        ),
        (_, Some(a)) if a.body != Body::NotJson => format!(
            "{answered} answered {}: there is no OpenAI API at this base URL; the usual cause is a missing `/v1`.",
            status_words(a.status)
        ),
        (_, Some(a)) => format!(
            "{answered} answered {} with {} that is not an OpenAI answer (always a JSON object): a captive portal, a proxy's login page or another web server answered, not the API.",
            status_words(a.status),
            a.headers.content_type.as_deref().unwrap_or("a body")
        ),
        _ => "The base URL does not answer like the OpenAI API.".into(),
    };
    // Azure's client refused its settings: the line about OpenAI's base URL
    // is no help there.
    if e.is_azure() && matches!(e.not_sent(), Some(NotSent::BaseUrl(BaseUrlProblem::Invalid(_)))) {
        return vec![first];
    }
    vec![first, where_from]
}

/// "404"; an error text may show an answer without its status.
fn status_words(status: Option<u16>) -> String {
    status.map_or_else(|| "without a status".to_string(), |s| s.to_string())
}

/// The part of a path that comes twice in a row: `/v1` in `Invalid URL (GET
/// /v1/v1/models)`, `/chat/completions` in `…/chat/completions/chat/completions`.
fn doubled_path(message: &str) -> Option<String> {
    let path = message
        .split_once("Invalid URL (")?
        .1
        .split(')')
        .next()?
        .trim_start_matches(|c: char| c.is_ascii_uppercase() || c == ' ');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    (1..=parts.len() / 2).find_map(|len| {
        (0..=parts.len() - 2 * len)
            .find(|&at| parts[at..at + len] == parts[at + len..at + 2 * len])
            .map(|at| format!("/{}", parts[at..at + len].join("/")))
    })
}

/// Azure answers a missing deployment with DeploymentNotFound, and a path
/// it does not serve (an endpoint holding `/openai` already, so the URL has
/// it twice) with a bare "Resource not found".
pub(crate) fn azure_path_not_found(e: &Evidence) -> bool {
    e.is_azure() && e.status() == Some(404) && e.message_has(&["resource not found"])
}

#[cfg(test)]
mod tests {
    use super::doubled_path;

    #[test]
    fn a_part_of_the_path_twice_is_named() {
        assert_eq!(
            doubled_path("Invalid URL (GET /v1/v1/models)").as_deref(),
            Some("/v1")
        );
        assert_eq!(
            doubled_path("Invalid URL (POST/v1/chat/completions/chat/completions)").as_deref(),
            Some("/chat/completions")
        );
        assert_eq!(doubled_path("Invalid URL (POST /chat/completions)"), None);
        assert_eq!(doubled_path("Invalid URL (GET /models)"), None);
    }
}
