//! Diagnose: what was observed becomes one diagnosis with its checklist.
//! The diagnoses themselves are rows of [`table::RULES`]; this module holds
//! the evidence they read and the words they share.
//!
//! The evidence is the same whether the probe made the request or `explain`
//! read about it in an error text; what only `doctor` knows (where the key
//! came from, what was sent, the options) is a separate, optional context,
//! so a checklist line can only use such a fact where it exists.

mod echo;
mod meanings;
mod table;
mod words;

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use crate::inspect::Inspection;
use crate::plan::{CredentialRole, PlanOptions, ProbeRequest, SentCredential};
use crate::resolve::{Origin, Resolution, Source};
use crate::vocab::{
    Answer, ApiError, Body, DiagnosisId, ExitStatus, Finding, NetworkFailure, NotSent, Observed, Sdk,
    Severity, Verdict,
};

use meanings::meanings_of_status;
pub use table::RULES;

/// Everything a diagnosis may look at.
pub struct Evidence<'a> {
    pub observed: &'a Observed,
    /// The SDK whose error text this is, when the text says so.
    pub sdk: Option<Sdk>,
    /// What only `doctor` knows; `explain` has none of it.
    pub doctor: Option<Context<'a>>,
}

/// The run around the request, as `doctor` knows it.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub resolution: &'a Resolution,
    pub inspection: Option<&'a Inspection>,
    /// The request, when one was made.
    pub request: Option<&'a ProbeRequest>,
    pub options: &'a PlanOptions<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Retry {
    /// Fix something first: the same request will fail the same way.
    Never,
    /// Wait, then retry (the server said how long, or will).
    After,
    /// A passing fault: retry later, with backoff.
    Later,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub id: DiagnosisId,
    pub title: &'static str,
    #[serde(skip)]
    pub verdict: Verdict,
    pub retry: Retry,
    pub retry_after_seconds: Option<u64>,
    pub checklist: Vec<String>,
    /// What `--strict` failed a passing run for (finding ids, or the
    /// diagnosis itself when it passes only with a warning).
    #[serde(skip)]
    pub strict_failures: Vec<&'static str>,
}

impl Diagnosis {
    /// The one place a diagnosis becomes an exit status.
    pub fn exit_status(&self) -> ExitStatus {
        if self.strict_failures.is_empty() {
            self.verdict.into()
        } else {
            ExitStatus::Fix
        }
    }
}

/// The errors of one kind in an input, in the order they first appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub id: DiagnosisId,
    pub status: Option<u16>,
    pub first_line: u64,
    pub last_line: u64,
    pub count: u64,
}

/// Counts errors by diagnosis and status; a handful of entries however
/// long the input.
#[derive(Debug, Default)]
pub struct Occurrences(pub Vec<Occurrence>);

impl Occurrences {
    pub fn add(&mut self, id: DiagnosisId, status: Option<u16>, first_line: u64, last_line: u64) {
        match self.0.iter_mut().find(|o| o.id == id && o.status == status) {
            Some(o) => {
                o.count += 1;
                o.last_line = last_line;
            }
            None => self.0.push(Occurrence {
                id,
                status,
                first_line,
                last_line,
                count: 1,
            }),
        }
    }
}

/// One row of the table: when it applies, what it is called, what to do.
pub struct Rule {
    pub id: DiagnosisId,
    pub title: &'static str,
    pub verdict: Verdict,
    pub retry: Retry,
    pub when: fn(&Evidence) -> bool,
    pub checklist: fn(&Evidence) -> Vec<String>,
}

/// The diagnoses an answer known only by its status could mean (no body,
/// no message: `explain 429`), and how to tell them apart.
pub fn meanings_of_bare_status(observed: &Observed) -> Option<(&'static [DiagnosisId], &'static str)> {
    observed
        .answer()
        .filter(|a| a.error.is_none() && a.body == Body::Unseen)
        .and_then(|a| a.status)
        .and_then(meanings_of_status)
}

pub fn diagnose(evidence: &Evidence) -> Diagnosis {
    let rule = RULES
        .iter()
        .find(|r| (r.when)(evidence))
        .unwrap_or_else(|| RULES.last().expect("the table is not empty"));
    let mut checklist = Vec::new();
    let (mut verdict, mut retry) = (rule.verdict, rule.retry);
    // A status with nothing around it can mean several things: say which.
    // If one of them is "never retry", it is no reason to retry: the
    // verdict is "fix" until the error's code says otherwise.
    let mut unknown_code = None;
    if let Some((meanings, how_to_tell)) = meanings_of_bare_status(evidence.observed) {
        checklist.push(how_to_tell.to_string());
        let never = meanings
            .iter()
            .find(|id| **id != rule.id && RULES.iter().any(|r| r.id == **id && r.retry == Retry::Never));
        if let Some(never) = never.filter(|_| retry != Retry::Never) {
            (verdict, retry) = (Verdict::Fix, Retry::Never);
            unknown_code = Some(format!(
                "Until the error's code is known, this counts as needing a fix (exit {}), not a retry: if it is {never}, retrying never helps.",
                ExitStatus::Fix.code()
            ));
        }
    }
    // A key wrapped onto two lines of a .env: joining them comes first.
    if let Some(d) = evidence.doctor
        && let Some((tested, next)) = d.tested().and_then(|t| Some((t, t.continued_on?)))
    {
        checklist.push(format!(
            "The key in {} continues on line {next}, which does not parse: it was wrapped onto two lines, and only the first was read. Join the two lines into one; the rest of this checklist is about the part that was read.",
            tested.location
        ));
    }
    // Which key was tested, when it is not the one programs use.
    if let Some(d) = evidence
        .doctor
        .filter(|d| d.resolution.source_flag.is_some() && d.tests_another_source())
    {
        checklist.push(format!(
            "This run tested {} (--source); your programs use {}.",
            d.key_phrase(),
            d.used()
                .map_or("no key at all".to_string(), |u| u.source.label().to_string())
        ));
    }
    if let Some(d) = evidence.doctor
        && let Some(instead) = d.sent_instead_of_key()
    {
        let replaced = d.tested().map_or("the key".to_string(), |t| {
            format!("the key from {}", t.source.label())
        });
        checklist.push(match instead.role {
            CredentialRole::GatewayKey => format!(
                "The request carried {}, as langchain-openai does through LangSmith's gateway: it replaces {replaced}, which was not sent.",
                instead.describe()
            ),
            _ => format!(
                "The request carried {}, as the SDKs (Python 3.x, Node 6.x) do: it replaces {replaced}, which was not sent, and whoever owns that credential's account sees your programs' requests. Remove that line from OPENAI_CUSTOM_HEADERS unless it is meant to win.",
                instead.describe()
            ),
        });
    }
    checklist.extend((rule.checklist)(evidence));
    // A request id helps support with a failed request, not a passing one.
    if let Some(id) = evidence.answer().and_then(|a| a.headers.request_id.as_ref())
        && !ExitStatus::from(rule.verdict).is_success()
        && !evidence.status().is_some_and(|s| (200..300).contains(&s))
    {
        checklist.push(format!(
            "If you contact {} support, quote the request id {id}.",
            if evidence.is_azure() { "Azure" } else { "OpenAI" }
        ));
    }
    checklist.extend(unknown_code);
    Diagnosis {
        id: rule.id,
        title: rule.title,
        verdict,
        retry,
        retry_after_seconds: (retry == Retry::After)
            .then(|| evidence.retry_after_seconds())
            .flatten(),
        checklist,
        strict_failures: Vec::new(),
    }
}

/// `--strict`: warnings, and errors the server overruled, fail a passing
/// run; so does a pass that carries a warning (a restricted key).
pub fn apply_strict(diagnosis: &mut Diagnosis, findings: &[Finding]) {
    if !ExitStatus::from(diagnosis.verdict).is_success() {
        return;
    }
    let mut failures: Vec<&'static str> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.id.name())
        .collect();
    if diagnosis.verdict == Verdict::PassWithWarning {
        failures.push(diagnosis.id.name());
    }
    failures.dedup();
    if failures.is_empty() {
        return;
    }
    diagnosis.checklist.push(format!(
        "--strict: {} count as a failure; fix them or drop --strict.",
        failures.join(", ")
    ));
    diagnosis.strict_failures = failures;
}

impl Evidence<'_> {
    pub fn not_sent(&self) -> Option<&NotSent> {
        match self.observed {
            Observed::NotSent(n) => Some(n),
            _ => None,
        }
    }

    pub fn failure(&self) -> Option<&NetworkFailure> {
        match self.observed {
            Observed::NoAnswer(f) => Some(f),
            _ => None,
        }
    }

    pub fn answer(&self) -> Option<&Answer> {
        self.observed.answer()
    }

    /// The HTTP status, when an answer came back.
    pub fn status(&self) -> Option<u16> {
        self.answer().and_then(|a| a.status)
    }

    pub fn status_in(&self, statuses: &[u16]) -> bool {
        self.status().is_some_and(|s| statuses.contains(&s))
    }

    /// Whether the answer may be the API's: its body was a JSON object, or
    /// nobody saw the body (an error text with a status alone).
    pub fn may_be_the_api(&self) -> bool {
        self.answer().is_some_and(|a| a.body != Body::NotJson)
    }

    pub fn code(&self) -> &str {
        self.error_field(|e| e.code.as_deref())
    }

    pub fn error_type(&self) -> &str {
        self.error_field(|e| e.kind.as_deref())
    }

    pub fn message(&self) -> &str {
        self.error_field(|e| e.message.as_deref())
    }

    /// The server's message, lower-cased, for matching.
    pub fn message_has(&self, needles: &[&str]) -> bool {
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
    pub fn model_flag(&self) -> Option<&str> {
        self.doctor.and_then(|d| d.options.model)
    }

    /// "the key from OPENAI_API_KEY in the environment (sk-proj-…wxyz)", or
    /// "the key" when the key is not at hand.
    pub fn key_phrase(&self) -> String {
        self.doctor
            .map_or_else(|| "the key".to_string(), |d| d.key_phrase())
    }

    /// Seconds to wait: `retry-after-ms`, then `retry-after` (as the SDK reads
    /// them), then "try again in 20s" in the message.
    pub fn retry_after_seconds(&self) -> Option<u64> {
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
    pub fn no_key_arrived_in_text(&self) -> bool {
        self.doctor.is_none()
            && self.status() == Some(401)
            && self.message_has(&["didn't provide an api key"])
    }

    /// This run follows Azure OpenAI's rules, or the answer is plainly Azure's.
    pub fn is_azure(&self) -> bool {
        match self.doctor {
            Some(d) => d.resolution.client == crate::vocab::Client::Azure,
            None => self.message_has(&["subscription key", "azure", "audience is incorrect"]),
        }
    }

    /// Azure with `--model`: the empty chat request was refused as it is
    /// meant to be, which proves the key, the version and the deployment.
    pub fn deployment_answered(&self) -> bool {
        self.doctor
            .and_then(|d| d.request)
            .is_some_and(|r| r.body.is_some())
            && self.status() == Some(400)
            && (self.message_has(&["too short", "'messages'"]) || self.code() == "OperationNotSupported")
    }
}

impl<'a> Context<'a> {
    /// Where a program would take its key from.
    pub fn used(&self) -> Option<&'a Source> {
        self.resolution.used()
    }

    /// Where the key this run tested came from.
    pub fn tested(&self) -> Option<&'a Source> {
        self.resolution.tested()
    }

    /// Whether the key tested is not the one a program would use.
    pub fn tests_another_source(&self) -> bool {
        self.tested().map(|t| t.source) != self.used().map(|u| u.source)
    }

    /// What was sent instead of the key — OPENAI_CUSTOM_HEADERS' own
    /// Authorization, or LangSmith's gateway key — when it was.
    pub fn sent_instead_of_key(&self) -> Option<&'a SentCredential> {
        self.request
            .and_then(ProbeRequest::tested)
            .filter(|c| c.role != CredentialRole::Key)
    }

    /// The key as the server received it.
    pub fn sent_key(&self) -> Option<&'a str> {
        match self.sent_instead_of_key() {
            Some(credential) => Some(crate::vocab::secret::unwrap_key(credential.value.expose()).key),
            None => self.inspection.map(|i| i.cleaned.expose()),
        }
    }

    pub fn key_phrase(&self) -> String {
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
    pub fn shadowed_dotenv_key(&self) -> Option<&'a Source> {
        let tested = self
            .tested()
            .filter(|t| t.source == crate::resolve::KeySource::Env && t.used)?;
        let key_of = |s: &Source| {
            s.value
                .as_ref()
                .map(|v| crate::vocab::secret::unwrap_key(v.expose()).key.to_string())
        };
        let ours = key_of(tested);
        self.resolution.sources.iter().find(|s| {
            s.source == crate::resolve::KeySource::Dotenv
                && s.state == crate::resolve::SourceState::Set
                && key_of(s) != ours
        })
    }

    /// The startup-file line that exports the environment's key as it is now.
    pub fn exported_in(&self) -> Option<String> {
        self.tested()
            .filter(|t| t.source == crate::resolve::KeySource::Env)?;
        self.resolution
            .shell_exports
            .iter()
            .find(|x| x.matches_environment && !x.empty)
            .map(|x| x.place())
    }

    /// Where the key the run tested is kept.
    pub fn key_location(&self) -> Option<&'a str> {
        self.tested().map(|u| u.location.as_str())
    }

    pub fn error_findings(&self) -> Vec<&'a Finding> {
        self.inspection
            .map(|i| {
                i.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn has_error_findings(&self) -> bool {
        !self.error_findings().is_empty()
    }

    pub fn base_url_origin(&self) -> String {
        self.resolution.settings.base_url.origin.label("OPENAI_BASE_URL")
    }

    /// The base URL's host, for sentences about reaching it.
    pub fn host(&self) -> String {
        url::Url::parse(&self.resolution.settings.base_url.value)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// "OpenAI-Organization: org-… (from OPENAI_ORG_ID in the environment)".
    pub fn sent_header(&self, header: Header) -> Option<String> {
        let settings = &self.resolution.settings;
        let (name, variable, valued) = match header {
            Header::Organization => ("OpenAI-Organization", "OPENAI_ORG_ID", &settings.org),
            Header::Project => ("OpenAI-Project", "OPENAI_PROJECT_ID", &settings.project),
        };
        valued.as_ref().map(|v| {
            let from = match v.origin {
                Origin::Flag => "the command line".to_string(),
                other => other.label(variable),
            };
            format!("{name}: {} (from {from})", v.value)
        })
    }
}

/// The headers a setting adds to the request.
#[derive(Debug, Clone, Copy)]
pub enum Header {
    Organization,
    Project,
}

/// "Please try again in 20s." / "in 1.5s" / "in 120ms" / "in 6m0s".
fn seconds_in_message(message: &str) -> Option<f64> {
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

#[cfg(test)]
mod tests;
