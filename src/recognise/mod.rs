//! Recognise: an error the user already has — a status, a body, a traceback —
//! read into the same evidence the probe produces, so that `explain` can ask
//! the same diagnosis rules. Nothing is invented: what the text does not say
//! stays unknown.

mod clean;
mod extract;
mod forms;
mod literal;

pub(crate) use forms::Form;
mod phrases;
pub(crate) mod scan;
mod services;

use serde::Serialize;

use crate::vocab::client::Client;
use crate::vocab::{Answer, ApiError, Body, MissingSetting, NotSent, Observed, ResponseHeaders, Sdk, text};

/// Said when nothing was recognised.
pub(crate) const LOOKED_FOR: &str = "Looked for: an HTTP status (`Error code: 429`, `HTTP/1.1 401`, `status code: 401`, `401 Incorrect…`, or a bare `429`), an OpenAI error body (JSON, the Python SDK's `{'error': {…}}`, Node's `error: { … }`), an SDK exception (Python, Node, LangChain, LiteLLM, Go, Java, .NET, PHP, Ruby), one of the servers' own messages (`Incorrect API key provided`, `You exceeded your current quota`, …), a refused Authorization header, or a client's missing-key error.";

#[derive(Debug, Clone, Serialize)]
pub struct Recognised {
    /// "Python SDK traceback, status 429, code insufficient_quota".
    pub recognised: String,
    /// The kinds of text found: the client (`python_sdk`, `node_sdk`, …), a
    /// wrapper (`langchain`, `litellm`, `llama_index`), `azure`,
    /// `http_response`, `error_body`, `status_code`.
    pub forms: Vec<Form>,
    pub exception: Option<&'static str>,
    pub status: Option<u16>,
    pub error: Option<ApiError>,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    /// The other service the text is about, when it is not OpenAI's.
    pub other_service: Option<&'static str>,
    /// Where that service's credentials are made or checked.
    #[serde(skip)]
    pub other_service_keys: Option<&'static str>,
    /// What the text says happened to the request.
    #[serde(skip)]
    pub observed: Observed,
    /// The SDK that wrote the text, when it says so.
    #[serde(skip)]
    pub sdk: Option<Sdk>,
    /// Whose settings the steps should name: an Azure, LangChain, Node or
    /// Python text.
    #[serde(skip)]
    pub client: Option<Client>,
    /// The word a request dump shows in place of a key (`Bearer undefined`).
    #[serde(skip)]
    pub sent_word: Option<String>,
}

/// Reads one (already cleaned and masked) error report; `None` when
/// nothing in it is an OpenAI error.
pub(crate) fn recognise(text: &str) -> Option<Recognised> {
    let exception = extract::exception(text);
    let body = extract::error_body(text);
    let mut status = extract::status(text);
    let unsendable = extract::unsendable_key(text);
    let connection = match (status, &body, &unsendable) {
        (None, None, None) => extract::connection_failure(text),
        _ => None,
    };
    // The server's sentence, where the text has no body: after the status
    // (`Error code: 401 - …`), else wherever a known sentence stands.
    let phrase = phrases::last_message(text);
    let error = body.as_ref().map(|(e, _)| e.clone()).or_else(|| {
        extract::message_after_status(text)
            .or_else(|| phrase.as_ref().map(|(m, _)| text::escape_controls(m, false)))
            .map(|message| ApiError {
                message: Some(message),
                ..ApiError::default()
            })
    });
    status = status
        .or_else(|| exception.and_then(extract::status_of_exception))
        .or_else(|| {
            error
                .as_ref()
                .and_then(|e| e.code.as_deref().or(e.kind.as_deref()))
                .and_then(extract::status_of_code)
        })
        .or_else(|| phrase.as_ref().map(|(_, s)| *s));
    let headers = ResponseHeaders {
        request_id: extract::header(text, "x-request-id"),
        organization: extract::header(text, "openai-organization"),
        project: extract::header(text, "openai-project"),
        retry_after: extract::header(text, "retry-after"),
        retry_after_ms: extract::header(text, "retry-after-ms"),
        content_type: extract::header(text, "content-type"),
        ..ResponseHeaders::default()
    };
    let service = services::other_service(text);
    let observed = if let Some(reason) = extract::not_sent(text) {
        Observed::NotSent(reason)
    } else if let Some(reason) = unsendable {
        Observed::NotSent(reason)
    } else if let Some(failure) = connection {
        Observed::NoAnswer(failure)
    } else if status.is_some() || error.is_some() || extract::answered_not_json(text) {
        // The SDKs print a message only when the body was a JSON error; a
        // content type curl showed, or the SDK failing on a string where it
        // wanted an object, says what the body was; else nobody knows.
        let not_json = extract::answered_not_json(text)
            || headers
                .content_type
                .as_deref()
                .is_some_and(|t| !t.to_ascii_lowercase().contains("json"));
        Observed::Answer(Box::new(Answer {
            status,
            body: match (&error, not_json) {
                (Some(_), _) => Body::Json,
                (None, true) => Body::NotJson,
                (None, false) => Body::Unseen,
            },
            error: error.clone(),
            headers: headers.clone(),
        }))
    } else if service.is_some() {
        // Another service's error need not look like OpenAI's to be told.
        Observed::Answer(Box::new(Answer {
            status: None,
            body: Body::Unseen,
            error: None,
            headers: headers.clone(),
        }))
    } else {
        return None;
    };

    let (forms, sdk) = forms::of(text, body.as_ref().map(|(_, f)| *f), status);
    let client = forms::client(&forms);
    let mut recognised = Recognised {
        recognised: String::new(),
        forms,
        exception,
        status,
        error,
        request_id: headers.request_id,
        retry_after: headers.retry_after,
        other_service: service.map(|s| s.name),
        other_service_keys: service.map(|s| s.keys),
        observed,
        sdk,
        client,
        sent_word: extract::word_sent_as_key(text).map(str::to_string),
    };
    recognised.recognised = describe(&recognised);
    Some(recognised)
}

fn describe(r: &Recognised) -> String {
    if r.forms == [Form::StatusCode] {
        return format!("status code {} alone", r.status.unwrap_or_default());
    }
    let service;
    let form = match r.forms.first().copied() {
        _ if r.other_service.is_some() => {
            service = format!("{} error", r.other_service.unwrap_or_default());
            service.as_str()
        }
        Some(Form::PythonSdk) if r.exception.is_some() => "Python SDK exception",
        Some(form) => form.title(),
        None => "error text",
    };
    let wrapper = r.forms.iter().find_map(|f| f.via());
    let form = format!("{form}{}", wrapper.unwrap_or_default());
    let mut parts = vec![match r.exception {
        Some(name) => format!("{form} ({name})"),
        None => form,
    }];
    match &r.observed {
        Observed::NotSent(NotSent::EmptyKey) => parts.push("an empty key in the Authorization header".into()),
        Observed::NotSent(NotSent::KeyUnsendable) => {
            parts.push("a key the HTTP library refused to send".into());
        }
        Observed::NotSent(NotSent::SettingMissing(MissingSetting::ApiVersion)) => {
            parts.push("no API version set when the client was created".into());
        }
        Observed::NotSent(NotSent::SettingMissing(MissingSetting::Endpoint { .. })) => {
            parts.push("no endpoint set when the client was created".into());
        }
        Observed::NotSent(NotSent::BaseUrl(_)) => parts.push("a request URL without a scheme".into()),
        Observed::NotSent(_) => parts.push("no key found when the client was created".into()),
        Observed::NoAnswer(f) => {
            let kind: &'static str = f.kind.into();
            parts.push(format!("no HTTP answer ({kind})"));
        }
        Observed::Answer(_) => {}
    }
    if let Some(s) = r.status {
        parts.push(format!("status {s}"));
    }
    let error = r.error.as_ref();
    if let Some(code) = error.and_then(|e| e.code.as_deref()) {
        parts.push(format!("code {code}"));
    } else if let Some(kind) = error.and_then(|e| e.kind.as_deref()) {
        parts.push(format!("type {kind}"));
    }
    parts.join(", ")
}
