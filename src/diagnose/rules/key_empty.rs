//! The key the program reads is set but empty.
//!
//! ## What it means
//! An empty variable still wins over every later source: python-dotenv's
//! `load_dotenv()` and Node's dotenv do not override a variable that exists,
//! so an empty `OPENAI_API_KEY` hides a good key in `.env`. openai-python
//! 3.x refuses it when the client is created; 1.x sends no Authorization
//! header and gets 401 "You didn't provide an API key".
//!
//! ## Usual causes
//! A pull request from a fork in GitHub Actions (no secrets are passed);
//! docker compose expanding `${OPENAI_API_KEY}` from a shell that did not
//! set it; `export OPENAI_API_KEY=` in a startup file; an empty
//! `AZURE_OPENAI_AD_TOKEN` in front of a good Azure key.
//!
//! ## Example
//! `Error code: 401 - {'error': {'message': "You didn't provide an API key.
//! …", 'type': 'invalid_request_error', 'param': None, 'code': None}}`

use crate::diagnose::words::{client_flag, fork_secret_advice};
use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::resolve::{KeySource, SourceState};
use crate::vocab::{Client, DiagnosisId, EnvVars, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::KeyEmpty,
    title: "The API key is empty",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.not_sent() == Some(&NotSent::EmptyKey) || e.no_key_arrived_in_text(),
    doctor,
    text,
};

fn doctor(_: &Evidence, d: Context) -> Vec<String> {
    let used = d.tested();
    let client = d.resolution.client;
    let mut list = vec![
        format!(
            "{} is set but empty, and an empty value still wins over every later source.",
            used.map_or("The key", |u| u.source.label())
        ),
        match used.map(|u| u.source) {
            // Observed with 3.57: `Bearer ` with nothing after it is refused by the HTTP layer.
            Some(KeySource::AzureAdToken) => "`AzureOpenAI()` takes the empty token over AZURE_OPENAI_API_KEY, then fails every call with `APIConnectionError: Connection error.` and sends nothing.".to_string(),
            _ => client.rules().empty_key.to_string(),
        },
    ];
    let variable = match used.map(|u| u.source) {
        Some(source @ (KeySource::AzureAdToken | KeySource::AzureApiKey)) => source.label(),
        _ => EnvVars::OPENAI_API_KEY,
    };
    let why = client.rules().dotenv_does_not_override;
    if let Some(hidden) = d
        .resolution
        .sources
        .iter()
        .find(|s| s.state() == SourceState::Set)
    {
        list.push(format!(
            "It hides the key in {} ({}): {why}. Run `unset {variable}`, or put a value in the variable.",
            hidden.source.label(),
            hidden.location,
        ));
    }
    // openai-node's AzureOpenAI reads no token variable (observed with 6.49).
    if used.is_some_and(|u| u.source == KeySource::AzureAdToken) {
        list.push(format!(
            "A Node program is not affected: openai-node's AzureOpenAI reads no {}, and sends {} (check that key with `env -u {} openai-keycheck doctor --client azure`).",
            EnvVars::AZURE_OPENAI_AD_TOKEN,
            EnvVars::AZURE_OPENAI_API_KEY,
            EnvVars::AZURE_OPENAI_AD_TOKEN
        ));
    }
    if used.is_some_and(|u| u.source == KeySource::Env) {
        list.extend(where_an_empty_variable_comes_from(d));
    }
    list
}

/// Where an empty variable comes from depends on where this runs.
fn where_an_empty_variable_comes_from(d: Context) -> Vec<String> {
    let ci = &d.resolution.ci;
    if ci.in_ci {
        return vec![fork_secret_advice(ci)];
    }
    let mut list = Vec::new();
    let empties: Vec<String> = d
        .resolution
        .shell_exports
        .iter()
        .filter(|x| x.empty)
        .map(|x| x.place())
        .collect();
    if !empties.is_empty() {
        list.push(format!(
            "{} sets OPENAI_API_KEY to nothing: remove the line or put the key there, then open a new shell.",
            empties.join(" and ")
        ));
    }
    list.push("Other places an empty OPENAI_API_KEY comes from on a machine like this: docker compose expanding `${OPENAI_API_KEY}` to \"\" because the variable was not set in the shell that ran it; an IDE run configuration that defines it empty; an `export OPENAI_API_KEY=` typed earlier in this shell.".into());
    list
}

fn text(e: &Evidence) -> Vec<String> {
    // Azure (and API Management in front of it) takes its key in the
    // `api-key` or `Ocp-Apim-Subscription-Key` header.
    if e.no_key_arrived_in_text() && e.is_azure() {
        return vec![
            format!("The service received no key{}", crate::diagnose::words::colon(e.message())),
            format!("{}; check that it is not empty where the program runs (`echo ${{#AZURE_OPENAI_API_KEY}}` prints its length).", Client::Azure.rules().set_key),
            "Behind Azure API Management, the gateway wants its own subscription key, in the `Ocp-Apim-Subscription-Key` header (or the header its API names): pass it with default_headers= (Node: defaultHeaders) if the program talks to the gateway.".into(),
        ];
    }
    if e.no_key_arrived_in_text() {
        let client = e.client.unwrap_or_default();
        return vec![
            format!(
                "The server received no key: the request had no Authorization header, or `Bearer ` with nothing after it. {}",
                client.rules().sends_without_key
            ),
            "Check the variable where the program runs: `echo ${#OPENAI_API_KEY}` prints its length (0: empty or unset). In CI, map the secret into the step's environment; a secret is empty in a pull request from a fork.".into(),
            format!(
                "Run `openai-keycheck doctor{}` there to see every place a key could come from. Only if the key is set and not empty: a proxy or gateway between the program and OpenAI dropped the Authorization header.",
                client_flag(client)
            ),
        ];
    }
    vec![
        "The HTTP library refused the header `Authorization: Bearer ` (nothing after `Bearer `), so nothing was sent: the key the program read is empty.".into(),
        "Set OPENAI_API_KEY where the program runs and check it is not empty (`echo ${#OPENAI_API_KEY}` prints its length); an empty value still wins over a .env file, since load_dotenv() does not override a variable that exists.".into(),
        "Run `openai-keycheck doctor` there to see every place a key could come from.".into(),
    ]
}
