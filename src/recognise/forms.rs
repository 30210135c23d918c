//! Whose text it is: which client printed the error, which wrapper was
//! around it, and what else the text holds. The first form names the text
//! in the report ("Node SDK error (AuthenticationError), …").

use super::extract::BodyForm;
use crate::vocab::Sdk;

/// (form, how the report names it, words only that client prints)
const CLIENTS: &[(&str, &str, &[&str])] = &[
    ("python_sdk_0", "Python SDK 0.x exception", &["openai.error."]),
    (
        "ai_sdk",
        "Vercel AI SDK error",
        &["AI_APICallError", "AI_RetryError", "vercel.ai"],
    ),
    (
        "node_sdk_3",
        "Node SDK 3.x (axios) error",
        &["isAxiosError", "AxiosError"],
    ),
    (
        "go_sdk",
        "Go client error",
        &["error, status code: ", "map[code:", ".go:"],
    ),
    (
        "java_sdk",
        "Java client exception",
        &[
            "com.openai.errors.",
            "com.azure.",
            "Exception in thread \"",
            "\tat com.",
            "\tat java.",
        ],
    ),
    (
        "dotnet_sdk",
        ".NET client exception",
        &[
            "ClientResultException",
            "RequestFailedException",
            "Unhandled exception. System.",
        ],
    ),
    (
        "php_sdk",
        "PHP client error",
        &["OpenAI\\Exceptions\\", "GuzzleHttp\\", "resulted in a `"],
    ),
    (
        "ruby_sdk",
        "Ruby client error",
        &["Faraday::", "OpenAI::Error", ".rb:"],
    ),
];

/// Libraries that wrap an SDK and add their own words.
const WRAPPERS: &[(&str, &[&str])] = &[
    ("langchain", &["langchain"]),
    ("litellm", &["litellm", "OpenAIException - "]),
    ("llama_index", &["llama_index"]),
];

pub fn of(text: &str, body: Option<BodyForm>, status: Option<u16>) -> (Vec<&'static str>, Option<Sdk>) {
    let mut forms: Vec<&'static str> = Vec::new();
    let client = CLIENTS
        .iter()
        .find(|(_, _, words)| words.iter().any(|w| text.contains(w)));
    // `openai.RateLimitError`, not `platform.openai.com`.
    let python_exception = text
        .match_indices("openai.")
        .any(|(at, _)| text[at + "openai.".len()..].starts_with(|c: char| c.is_ascii_uppercase()));
    let python = python_exception
        || text.contains("Traceback (most recent call last)")
        || text.contains("Error code: ")
        || body == Some(BodyForm::PythonDict);
    let node = text.contains("node_modules")
        || text.contains("    at ")
        || text.lines().any(|l| l.trim_start().starts_with("Error: "));
    let wrapped = |name: &str| {
        WRAPPERS
            .iter()
            .any(|(form, words)| *form == name && words.iter().any(|w| text.contains(w)))
    };
    let mut sdk = None;
    match client {
        Some((form, ..)) => forms.push(form),
        None if python => {
            forms.push("python_sdk");
            // Only openai-python ≥ 1 retries by itself; LiteLLM and
            // LlamaIndex set their own retries.
            if !wrapped("litellm") && !wrapped("llama_index") {
                sdk = Some(Sdk::Python);
            }
        }
        None if node => {
            forms.push("node_sdk");
            sdk = Some(Sdk::Node);
        }
        None => {}
    }
    for (form, words) in WRAPPERS {
        if words.iter().any(|w| text.contains(w)) {
            forms.push(form);
        }
    }
    if text.contains("azure") || text.contains("Azure") || text.contains("subscription key") {
        forms.push("azure");
    }
    if text
        .lines()
        .any(|l| l.trim_start_matches(['<', ' ']).starts_with("HTTP/"))
    {
        forms.push("http_response");
    }
    if body.is_some() {
        forms.push("error_body");
    }
    if text.trim().len() == 3 && status.is_some() {
        forms.push("status_code");
    }
    (forms, sdk)
}

/// How the report names a text whose first form is `form`.
pub fn name(form: &str) -> Option<&'static str> {
    CLIENTS
        .iter()
        .find(|(f, ..)| *f == form)
        .map(|(_, name, _)| *name)
}
