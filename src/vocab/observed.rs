//! The evidence: what is known of the one request, whether the probe made it
//! or an error text tells of it. The diagnosis rules read this, plus a
//! context only `doctor` has, so a rule cannot state a fact nobody gave it.
//! Every string in here is already redacted.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::Secrets;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// No request went out, and why.
    NotSent(NotSent),
    /// A request went out and no HTTP answer came back.
    NoAnswer(NetworkFailure),
    /// An HTTP answer.
    Answer(Box<Answer>),
}

/// Why no request was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSent {
    /// `--pid`: the process's environment cannot be read (another user's),
    /// so nothing is known of the key or settings it runs with.
    ProcessUnreadable,
    /// No source holds a key (the SDK stops when the client is constructed).
    NoKey,
    EmptyKey,
    /// An inspect finding says the value cannot be a working key.
    KeyUnsendable,
    BaseUrl(BaseUrlProblem),
    /// The base URL comes only from a `.env`, and the request would carry
    /// credentials from elsewhere (each described, masked) to it; that
    /// `.env` was not vouched for (`--trust-env-file`).
    DotenvBaseUrl {
        credentials: Vec<String>,
        /// The host is not the project's, but the way there is: a proxy or
        /// certificate authority a project's file sets (in words).
        route: Option<String>,
    },
    /// The client cannot be constructed without this setting (Azure: the
    /// endpoint, the API version).
    SettingMissing(MissingSetting),
    /// The key is plainly for the other service: an OpenAI `sk-` key for an
    /// Azure endpoint.
    ClientMismatch,
    /// The Azure endpoint is OpenAI's API: AzureOpenAI() would send its key
    /// as `api-key`, a header OpenAI ignores.
    AzureEndpointIsOpenai,
    Offline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingSetting {
    /// `OPENAI_API_VERSION` (or `--api-version`): unset.
    ApiVersion,
    /// `AZURE_OPENAI_ENDPOINT` (or `--azure-endpoint`): unset, or empty.
    Endpoint { empty: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseUrlProblem {
    /// Why it cannot be used, in words (the URL in it without credentials).
    Invalid(String),
    /// Plain http to a host that is not this machine: the key would cross
    /// the network in clear text. The URL without credentials.
    Insecure(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFailure {
    pub kind: NetworkErrorKind,
    /// What went wrong in the words of whoever saw it (the HTTP client, or
    /// the line of the error text), when there are such words.
    pub detail: Option<String>,
    /// The host and port the error text names (`ECONNREFUSED 127.0.0.1:3999`),
    /// when only a text was read; `doctor` knows the URL it sent to.
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NetworkErrorKind {
    Dns,
    Connect,
    Tls,
    Timeout,
    Proxy,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Always known to the probe; an error text may show a body without it.
    pub status: Option<u16>,
    pub body: Body,
    pub error: Option<ApiError>,
    pub headers: ResponseHeaders,
}

/// What the body of an answer was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A JSON object, as every answer of the API is.
    Json,
    /// Anything else (an HTML page, text, a JSON array): not the API.
    NotJson,
    /// Not known: the error text gave the status without the body.
    Unseen,
}

/// The SDK that produced an error text, when the text says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    Python,
    Node,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
}

/// The response headers worth reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    pub request_id: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub processing_ms: Option<String>,
    pub retry_after: Option<String>,
    pub retry_after_ms: Option<String>,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub rate_limits: Vec<(String, String)>,
}

impl Observed {
    pub(crate) fn answer(&self) -> Option<&Answer> {
        match self {
            Observed::Answer(a) => Some(a),
            _ => None,
        }
    }
}

impl ApiError {
    /// `{"error": {...}}` with each field a string, null or absent; anything
    /// else is not an OpenAI error body. Each value is kept redacted, its
    /// control characters escaped.
    pub(crate) fn from_json(body: &serde_json::Value, secrets: &Secrets) -> Option<ApiError> {
        let Some(error) = body.get("error") else {
            return Self::from_gateway_json(body, secrets);
        };
        let field = |name: &str| match error.get(name)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(secrets.clean(s, false)),
            other => Some(secrets.clean(&other.to_string(), false)),
        };
        match error {
            serde_json::Value::Object(_) => Some(ApiError {
                kind: field("type"),
                code: field("code"),
                message: field("message"),
                param: field("param"),
            }),
            serde_json::Value::String(s) => Some(ApiError {
                message: Some(secrets.clean(s, false)),
                ..ApiError::default()
            }),
            _ => None,
        }
    }

    /// Azure API Management's own refusals, in front of every Azure OpenAI
    /// resource: `{"statusCode": 401, "message": "Unauthorized. Access token
    /// is missing, invalid, audience is incorrect …"}`.
    fn from_gateway_json(body: &serde_json::Value, secrets: &Secrets) -> Option<ApiError> {
        let message = body.get("message")?.as_str()?;
        let code = match body.get("statusCode")? {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            _ => return None,
        };
        Some(ApiError {
            code: Some(secrets.clean(&code, false)),
            message: Some(secrets.clean(message, false)),
            ..ApiError::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_error_object() {
        let body = serde_json::json!({"error": {"message": "m sk-secret-0123456789", "type": "t", "param": null, "code": 42}});
        let e = ApiError::from_json(&body, &Secrets::of(&["sk-secret-0123456789"])).unwrap();
        assert_eq!(e.message.as_deref(), Some("m sk-…6789"));
        assert_eq!(
            (e.kind.as_deref(), e.code.as_deref(), e.param),
            (Some("t"), Some("42"), None)
        );
        let none = Secrets::default();
        assert!(ApiError::from_json(&serde_json::json!({"error": 5}), &none).is_none());
        assert!(ApiError::from_json(&serde_json::json!([1]), &none).is_none());
        let escape = serde_json::json!({"error": {"message": "a\u{1b}[2Jb\rc"}});
        let e = ApiError::from_json(&escape, &none).unwrap();
        assert_eq!(e.message.as_deref(), Some("a\\u{1b}[2Jb\\rc"));
    }

    #[test]
    fn reads_azure_api_managements_refusal() {
        // The body Azure OpenAI sends for an expired or wrong-audience token.
        let body = serde_json::json!({"statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."});
        let e = ApiError::from_json(&body, &Secrets::default()).unwrap();
        assert_eq!(e.code.as_deref(), Some("401"));
        assert!(
            e.message
                .unwrap()
                .starts_with("Unauthorized. Access token is missing")
        );
        let not_an_error = serde_json::json!({"message": "hello"});
        assert!(ApiError::from_json(&not_an_error, &Secrets::default()).is_none());
    }

    #[test]
    fn network_error_kinds_are_spelt_alike_everywhere() {
        crate::vocab::ids::tests::names_agree::<NetworkErrorKind>();
    }

    proptest! {
        /// Whatever JSON a server sends, reading it neither panics nor lets a
        /// planted key through.
        #[test]
        fn the_error_parser_takes_any_json(text in "\\PC{0,300}", message in "\\PC{0,60}") {
            let key = "sk-proj-PlantedKey0123456789T3BlbkFJabcdefghijklmnopqrst";
            let secrets = Secrets::of(&[key]);
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                let _ = ApiError::from_json(&value, &secrets);
            }
            let body = serde_json::json!({"error": {"message": format!("{message}{key}"), "code": message, "type": [1], "param": {"k": key}}});
            let e = ApiError::from_json(&body, &secrets).unwrap();
            let shown = format!("{e:?}");
            prop_assert!(!shown.contains(key));
        }
    }
}
