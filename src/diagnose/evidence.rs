//! What a rule may ask of the evidence, and of the context only `doctor`
//! has: small questions with names, so that the rules read as sentences.

use super::{Context, Evidence};
use crate::plan::{CredentialRole, ProbeRequest, SentCredential};
use crate::resolve::Source;
use crate::vocab::client::{Client, ClientRules};
use crate::vocab::{Answer, ApiError, Body, Finding, NetworkFailure, NotSent, Observed, Severity};

impl Evidence<'_> {
    pub(crate) fn not_sent(&self) -> Option<&NotSent> {
        match self.observed {
            Observed::NotSent(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn failure(&self) -> Option<&NetworkFailure> {
        match self.observed {
            Observed::NoAnswer(f) => Some(f),
            _ => None,
        }
    }

    pub(crate) fn answer(&self) -> Option<&Answer> {
        self.observed.answer()
    }

    /// The HTTP status, when an answer came back.
    pub(crate) fn status(&self) -> Option<u16> {
        self.answer().and_then(|a| a.status)
    }

    pub(crate) fn status_in(&self, statuses: &[u16]) -> bool {
        self.status().is_some_and(|s| statuses.contains(&s))
    }

    /// Whether the answer may be the API's: its body was a JSON object, or
    /// nobody saw the body (an error text with a status alone).
    pub(crate) fn may_be_the_api(&self) -> bool {
        self.answer().is_some_and(|a| a.body != Body::NotJson)
    }

    pub(crate) fn code(&self) -> &str {
        self.error_field(|e| e.code.as_deref())
    }

    pub(crate) fn error_type(&self) -> &str {
        self.error_field(|e| e.kind.as_deref())
    }

    pub(crate) fn message(&self) -> &str {
        self.error_field(|e| e.message.as_deref())
    }

    /// The server's message, lower-cased, for matching.
    pub(crate) fn message_has(&self, needles: &[&str]) -> bool {
        let message = self.message().to_lowercase();
        needles.iter().any(|n| message.contains(n))
    }

    fn error_field(&self, pick: impl Fn(&ApiError) -> Option<&str>) -> &str {
        self.answer()
            .and_then(|a| a.error.as_ref())
            .and_then(pick)
            .unwrap_or("")
    }

    /// `--model`, when doctor was asked about one.
    pub(crate) fn model_flag(&self) -> Option<&str> {
        self.doctor.and_then(|d| d.options.model)
    }

    /// "the key from OPENAI_API_KEY in the environment (sk-proj-…wxyz)", or
    /// "the key" when the key is not at hand.
    pub(crate) fn key_phrase(&self) -> String {
        self.doctor
            .map_or_else(|| "the key".to_string(), |d| d.key_phrase())
    }

    /// Seconds to wait: `retry-after-ms`, then `retry-after` (as the SDK reads
    /// them), then "try again in 20s" in the message.
    pub(crate) fn retry_after_seconds(&self) -> Option<u64> {
        let headers = &self.answer()?.headers;
        let from_ms = headers
            .retry_after_ms
            .as_deref()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|ms| ms / 1000.0);
        let from_s = headers
            .retry_after
            .as_deref()
            .and_then(|v| v.trim().parse::<f64>().ok());
        let seconds = from_ms
            .or(from_s)
            .or_else(|| seconds_in_message(self.message()))?;
        (seconds.is_finite() && seconds >= 0.0).then(|| seconds.ceil() as u64)
    }

    /// An error text (not a request of ours) in which the server says it
    /// received no key.
    pub(crate) fn no_key_arrived_in_text(&self) -> bool {
        self.doctor.is_none()
            && self.status() == Some(401)
            && self.message_has(&[
                "didn't provide an api key",
                "did not provide an api key",
                "you need to provide your api key",
                "missing api key",
                // Azure API Management, in front of Azure OpenAI.
                "missing subscription key",
            ])
    }

    /// This run follows Azure OpenAI's rules, or the answer is plainly Azure's.
    pub(crate) fn is_azure(&self) -> bool {
        match self.doctor {
            Some(d) => d.resolution.client.rules().service == crate::vocab::client::Service::Azure,
            None => {
                self.client == Some(Client::Azure)
                    || self.message_has(&["subscription key", "azure", "audience is incorrect"])
            }
        }
    }

    /// The rules of the client whose words fit: doctor's, or the one an
    /// error text shows (none for a text that does not say).
    pub(crate) fn client_rules(&self) -> Option<&'static ClientRules> {
        match self.doctor {
            Some(d) => Some(d.resolution.client.rules()),
            None => self.client.map(Client::rules),
        }
    }

    /// `doctor PROGRAM`: a model the program's code names is not in the
    /// list the key's request answered with.
    pub(crate) fn models_missing(&self) -> &[crate::vocab::program::ModelInCode] {
        self.doctor.map_or(&[], |d| d.models_missing)
    }

    /// Azure with `--model`: the empty chat request was refused as it is
    /// meant to be, which proves the key, the version and the deployment.
    pub(crate) fn deployment_answered(&self) -> bool {
        self.doctor
            .and_then(|d| d.request)
            .is_some_and(|r| r.body.is_some())
            && self.status() == Some(400)
            && (self.message_has(&["too short", "'messages'"]) || self.code() == "OperationNotSupported")
    }
}

impl<'a> Context<'a> {
    /// Where a program would take its key from.
    pub(crate) fn used(&self) -> Option<&'a Source> {
        self.resolution.used()
    }

    /// Where the key this run tested came from.
    pub(crate) fn tested(&self) -> Option<&'a Source> {
        self.resolution.tested()
    }

    /// Whether the key tested is not the one a program would use.
    pub(crate) fn tests_another_source(&self) -> bool {
        self.tested().map(|t| t.source) != self.used().map(|u| u.source)
    }

    /// What was sent instead of the key — OPENAI_CUSTOM_HEADERS' own
    /// Authorization, or LangSmith's gateway key — when it was.
    pub(crate) fn sent_instead_of_key(&self) -> Option<&'a SentCredential> {
        self.request
            .and_then(ProbeRequest::tested)
            .filter(|c| c.role != CredentialRole::Key)
    }

    /// The key as the server received it.
    pub(crate) fn sent_key(&self) -> Option<&'a str> {
        match self.sent_instead_of_key() {
            Some(credential) => Some(crate::vocab::secret::unwrap_key(credential.value.expose()).key),
            None => self.inspection.map(|i| i.cleaned.expose()),
        }
    }

    pub(crate) fn key_phrase(&self) -> String {
        if let Some(credential) = self.sent_instead_of_key() {
            return credential.describe();
        }
        match (self.tested(), self.inspection) {
            (Some(used), Some(i)) => format!("the key from {} ({})", used.source.label(), i.cleaned.masked()),
            (Some(used), None) => format!("the key from {}", used.source.label()),
            _ => "the key".to_string(),
        }
    }

    /// A different key in the `.env`, hidden by the environment's: the
    /// most common 401 is a stale exported key in front of a fresh one.
    pub(crate) fn shadowed_dotenv_key(&self) -> Option<&'a Source> {
        let tested = self.tested().filter(|t| {
            t.source == crate::resolve::KeySource::Env && self.resolution.used == Some(t.source)
        })?;
        let key_of = |s: &Source| {
            s.value()
                .map(|v| crate::vocab::secret::unwrap_key(v.expose()).key.to_string())
        };
        let ours = key_of(tested);
        self.resolution.sources.iter().find(|s| {
            s.source == crate::resolve::KeySource::Dotenv
                && s.state() == crate::resolve::SourceState::Set
                && key_of(s) != ours
        })
    }

    /// The startup-file line that exports the environment's key as it is now.
    pub(crate) fn exported_in(&self) -> Option<String> {
        self.tested()
            .filter(|t| t.source == crate::resolve::KeySource::Env)?;
        self.resolution
            .shell_exports
            .iter()
            .find(|x| x.matches_environment && !x.empty)
            .map(|x| x.place())
    }

    /// Where the key the run tested is kept.
    pub(crate) fn key_location(&self) -> Option<&'a str> {
        self.tested().map(|u| u.location.as_str())
    }

    pub(crate) fn error_findings(&self) -> Vec<&'a Finding> {
        self.inspection
            .map(|i| {
                i.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn has_error_findings(&self) -> bool {
        !self.error_findings().is_empty()
    }

    pub(crate) fn base_url_origin(&self) -> String {
        self.resolution.settings.base_url.origin_words()
    }

    /// The base URL's host, for sentences about reaching it.
    pub(crate) fn host(&self) -> String {
        url::Url::parse(&self.resolution.settings.base_url.value)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// "OpenAI-Organization: org-… (from OPENAI_ORG_ID in the environment)".
    pub(crate) fn sent_header(&self, header: Header) -> Option<String> {
        let settings = &self.resolution.settings;
        let (name, valued) = match header {
            Header::Organization => ("OpenAI-Organization", &settings.org),
            Header::Project => ("OpenAI-Project", &settings.project),
        };
        // The variable the client really read (LangChain: OPENAI_ORGANIZATION too).
        valued
            .as_ref()
            .map(|v| format!("{name}: {} (from {})", v.value, v.origin_words()))
    }
}

/// The headers a setting adds to the request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Header {
    Organization,
    Project,
}

/// "Please try again in 20s." / "in 1.5s" / "in 120ms" / "in 6m0s".
pub(super) fn seconds_in_message(message: &str) -> Option<f64> {
    let rest = &message[message.find("try again in ")? + "try again in ".len()..];
    let token = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()?
        .trim_end_matches('.');
    let mut total = 0.0;
    let mut number = String::new();
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let value: f64 = number.parse().ok()?;
        number.clear();
        total += match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                value / 1000.0
            }
            ('h', _) => value * 3600.0,
            ('m', _) => value * 60.0,
            ('s', _) => value,
            _ => return None,
        };
    }
    number.is_empty().then_some(total)
}
