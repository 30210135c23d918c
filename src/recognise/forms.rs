//! Whose text it is: which client printed the error, which wrapper was
//! around it, and what else the text holds. The first form names the text
//! in the report ("Node SDK error (AuthenticationError), …").

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::extract::BodyForm;
use crate::vocab::Sdk;
use crate::vocab::client::Client;

/// A kind of text found (`explain.forms` in the JSON, `$defs.form` in the
/// schema): the client that printed it, a wrapper around it, and what else
/// it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Form {
    PythonSdk,
    #[serde(rename = "python_sdk_0")]
    #[strum(serialize = "python_sdk_0")]
    PythonSdk0,
    NodeSdk,
    #[serde(rename = "node_sdk_3")]
    #[strum(serialize = "node_sdk_3")]
    NodeSdk3,
    AiSdk,
    GoSdk,
    JavaSdk,
    DotnetSdk,
    PhpSdk,
    RubySdk,
    Langchain,
    Litellm,
    LlamaIndex,
    Azure,
    HttpResponse,
    ErrorBody,
    StatusCode,
}

impl Form {
    /// How the report names a text whose first form this is.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Form::PythonSdk => "Python SDK error",
            Form::PythonSdk0 => "Python SDK 0.x exception",
            Form::NodeSdk => "Node SDK error",
            Form::NodeSdk3 => "Node SDK 3.x (axios) error",
            Form::AiSdk => "Vercel AI SDK error",
            Form::GoSdk => "Go client error",
            Form::JavaSdk => "Java client exception",
            Form::DotnetSdk => ".NET client exception",
            Form::PhpSdk => "PHP client error",
            Form::RubySdk => "Ruby client error",
            Form::Langchain => "LangChain error",
            Form::HttpResponse => "HTTP response",
            Form::ErrorBody => "OpenAI error body",
            Form::StatusCode => "status code",
            Form::Litellm | Form::LlamaIndex | Form::Azure => "error text",
        }
    }

    /// " via LiteLLM", for a wrapper.
    pub(crate) fn via(self) -> Option<&'static str> {
        match self {
            Form::Langchain => Some(" via LangChain"),
            Form::Litellm => Some(" via LiteLLM"),
            Form::LlamaIndex => Some(" via LlamaIndex"),
            _ => None,
        }
    }
}

/// (form, words only that client prints)
const CLIENTS: &[(Form, &[&str])] = &[
    (Form::PythonSdk0, &["openai.error."]),
    (Form::AiSdk, &["AI_APICallError", "AI_RetryError", "vercel.ai"]),
    (Form::NodeSdk3, &["isAxiosError", "AxiosError"]),
    (Form::GoSdk, &["error, status code: ", "map[code:", ".go:"]),
    (
        Form::JavaSdk,
        &[
            "com.openai.errors.",
            "com.azure.",
            "Exception in thread \"",
            "\tat com.",
            "\tat java.",
        ],
    ),
    (
        Form::DotnetSdk,
        &[
            "ClientResultException",
            "RequestFailedException",
            "Unhandled exception. System.",
        ],
    ),
    (
        Form::PhpSdk,
        &["OpenAI\\Exceptions\\", "GuzzleHttp\\", "resulted in a `"],
    ),
    (Form::RubySdk, &["Faraday::", "OpenAI::Error", ".rb:"]),
];

/// Libraries that wrap an SDK and add their own words.
const WRAPPERS: &[(Form, &[&str])] = &[
    (Form::Langchain, &["langchain", "ChatOpenAI", "OpenAIEmbeddings"]),
    (Form::Litellm, &["litellm", "OpenAIException - "]),
    (Form::LlamaIndex, &["llama_index"]),
];

pub(crate) fn of(text: &str, body: Option<BodyForm>, status: Option<u16>) -> (Vec<Form>, Option<Sdk>) {
    let mut forms: Vec<Form> = Vec::new();
    let client = CLIENTS
        .iter()
        .find(|(_, words)| words.iter().any(|w| text.contains(w)));
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
        // axios's words (openai-node 3.x), V8's.
        || text.contains("Request failed with status code")
        || text.contains("Cannot read properties of")
        || body == Some(BodyForm::JsObject)
        || text.lines().any(|l| l.trim_start().starts_with("Error: "));
    let wrapped = |name: Form| {
        WRAPPERS
            .iter()
            .any(|(form, words)| *form == name && words.iter().any(|w| text.contains(w)))
    };
    let mut sdk = None;
    match client {
        Some((form, _)) => forms.push(*form),
        None if python => {
            forms.push(Form::PythonSdk);
            // Only openai-python ≥ 1 retries by itself; LiteLLM and
            // LlamaIndex set their own retries.
            if !wrapped(Form::Litellm) && !wrapped(Form::LlamaIndex) {
                sdk = Some(Sdk::Python);
            }
        }
        None if node => {
            forms.push(Form::NodeSdk);
            sdk = Some(Sdk::Node);
        }
        None => {}
    }
    for (form, words) in WRAPPERS {
        if words.iter().any(|w| text.contains(w)) {
            forms.push(*form);
        }
    }
    if text.contains("azure") || text.contains("Azure") || text.contains("subscription key") {
        forms.push(Form::Azure);
    }
    if text
        .lines()
        .any(|l| l.trim_start_matches(['<', ' ']).starts_with("HTTP/"))
    {
        forms.push(Form::HttpResponse);
    }
    if body.is_some() {
        forms.push(Form::ErrorBody);
    }
    if text.trim().len() == 3 && status.is_some() {
        forms.push(Form::StatusCode);
    }
    (forms, sdk)
}

/// Whose rules and words fit the text: Azure's over the wrapper's over
/// the SDK's, since the service decides which settings exist.
pub(crate) fn client(forms: &[Form]) -> Option<Client> {
    [
        (Form::Azure, Client::Azure),
        (Form::Langchain, Client::Langchain),
        (Form::NodeSdk, Client::Node),
        (Form::PythonSdk, Client::Python),
    ]
    .into_iter()
    .find(|(form, _)| forms.contains(form))
    .map(|(_, client)| client)
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn forms_are_spelt_alike_and_as_the_schema_lists_them() {
        crate::vocab::ids::tests::names_agree::<Form>();
        assert_eq!(
            crate::vocab::ids::tests::published("form"),
            crate::vocab::ids::tests::ours::<Form>()
        );
    }
}
