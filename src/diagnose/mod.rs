//! Diagnose: everything seen so far becomes one diagnosis with its checklist.
//! The diagnoses themselves are rows of [`table::RULES`]; this module holds
//! the evidence they read and the words they share.

mod table;
mod words;

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::inspect::Inspection;
use crate::plan::Skip;
use crate::probe::ProbeOutcome;
use crate::resolve::{Origin, Resolution, Source, origin_label};

pub use table::RULES;

/// What happened to the one request.
#[derive(Debug, Clone)]
pub enum Stage {
    Skipped(Skip),
    Probed(Box<ProbeOutcome>),
}

/// Everything a diagnosis may look at.
pub struct Evidence<'a> {
    pub resolution: &'a Resolution,
    pub inspection: Option<&'a Inspection>,
    pub stage: &'a Stage,
    pub model: Option<&'a str>,
    pub offline: bool,
    pub timeout_seconds: u64,
    /// `--strict`: warnings fail a run that would pass.
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    /// Fix something first: the same request will fail the same way.
    Never,
    /// Wait, then retry (the server said how long, or will).
    After,
    /// A passing fault: retry later, with backoff.
    Later,
}

/// What a diagnosis means for the run; the exit code follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The key works, but something still needs attention.
    PassWithWarning,
    /// Fix something: retrying will not help.
    Fix,
    /// A passing fault on OpenAI's side or a rate limit.
    Retry,
    /// The request never got an answer.
    Unreachable,
}

impl Verdict {
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass | Verdict::PassWithWarning => 0,
            Verdict::Fix => 1,
            Verdict::Retry => 3,
            Verdict::Unreachable => 4,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub id: &'static str,
    pub title: &'static str,
    #[serde(skip)]
    pub verdict: Verdict,
    /// The verdict's exit code, or 1 when `--strict` fails a pass.
    #[serde(skip)]
    pub exit_code: i32,
    pub retry: Retry,
    pub retry_after_seconds: Option<u64>,
    pub checklist: Vec<String>,
    /// The findings that `--strict` turned a pass into a failure for.
    #[serde(skip)]
    pub strict_failures: Vec<String>,
}

/// One row of the table: when it applies, what it is called, what to do.
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub verdict: Verdict,
    pub retry: Retry,
    pub when: fn(&Evidence) -> bool,
    pub checklist: fn(&Evidence) -> Vec<String>,
}

pub fn diagnose(evidence: &Evidence) -> Diagnosis {
    let rule = RULES
        .iter()
        .find(|r| (r.when)(evidence))
        .unwrap_or_else(|| RULES.last().expect("the table is not empty"));
    let mut checklist = (rule.checklist)(evidence);
    if let Some(id) = evidence.outcome().and_then(|o| o.headers.request_id.as_ref())
        && rule.verdict.exit_code() != 0
    {
        checklist.push(format!(
            "If you contact OpenAI support, quote the request id {id}."
        ));
    }
    let mut diagnosis = Diagnosis {
        id: rule.id,
        title: rule.title,
        verdict: rule.verdict,
        exit_code: rule.verdict.exit_code(),
        retry: rule.retry,
        retry_after_seconds: (rule.retry == Retry::After)
            .then(|| evidence.retry_after_seconds())
            .flatten(),
        checklist,
        strict_failures: Vec::new(),
    };
    if evidence.strict && diagnosis.exit_code == 0 {
        apply_strict(&mut diagnosis, evidence);
    }
    diagnosis
}

/// Warnings, and errors the server overruled, fail a passing run; so does a
/// restricted key, which passes only "with a warning".
fn apply_strict(diagnosis: &mut Diagnosis, evidence: &Evidence) {
    let inspected = evidence
        .inspection
        .map(|i| i.findings.as_slice())
        .unwrap_or_default();
    let mut failures: Vec<String> = evidence
        .resolution
        .findings
        .iter()
        .chain(inspected)
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.id.name())
        .collect();
    if diagnosis.verdict == Verdict::PassWithWarning {
        failures.push(diagnosis.id.to_string());
    }
    failures.dedup();
    if failures.is_empty() {
        return;
    }
    diagnosis.checklist.push(format!(
        "--strict: {} count as a failure; fix them or drop --strict.",
        failures.join(", ")
    ));
    diagnosis.exit_code = 1;
    diagnosis.strict_failures = failures;
}

impl Evidence<'_> {
    pub fn skip(&self) -> Option<&Skip> {
        match self.stage {
            Stage::Skipped(s) => Some(s),
            Stage::Probed(_) => None,
        }
    }

    pub fn outcome(&self) -> Option<&ProbeOutcome> {
        match self.stage {
            Stage::Probed(o) => Some(o),
            Stage::Skipped(_) => None,
        }
    }

    /// The HTTP status, when an answer came back.
    pub fn status(&self) -> Option<u16> {
        self.outcome()
            .filter(|o| o.network_error.is_none())
            .and_then(|o| o.status)
    }

    pub fn status_in(&self, statuses: &[u16]) -> bool {
        self.status().is_some_and(|s| statuses.contains(&s))
    }

    /// An OpenAI-shaped JSON answer.
    pub fn is_json(&self) -> bool {
        self.outcome().is_some_and(|o| o.body_is_json)
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

    fn error_field(&self, pick: impl Fn(&crate::probe::ApiError) -> Option<&str>) -> &str {
        self.outcome()
            .and_then(|o| o.error.as_ref())
            .and_then(pick)
            .unwrap_or("")
    }

    pub fn used(&self) -> Option<&Source> {
        self.resolution.used()
    }

    /// "the key from OPENAI_API_KEY in the environment (sk-proj-…wxyz)".
    pub fn key_phrase(&self) -> String {
        match (self.used(), self.inspection) {
            (Some(used), Some(i)) => format!("the key from {} ({})", used.source.label(), i.cleaned.masked()),
            (Some(used), None) => format!("the key from {}", used.source.label()),
            _ => "the key".to_string(),
        }
    }

    /// Where the user should change the key.
    pub fn key_location(&self) -> String {
        self.used()
            .map_or_else(|| "where the key is stored".into(), |u| u.location.clone())
    }

    pub fn has_error_findings(&self) -> bool {
        self.inspection
            .is_some_and(|i| i.findings.iter().any(|f| f.severity == Severity::Error))
    }

    pub fn error_findings(&self) -> Vec<&Finding> {
        self.inspection
            .map(|i| {
                i.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn base_url(&self) -> &str {
        &self.resolution.settings.base_url.value
    }

    pub fn base_url_origin(&self) -> String {
        origin_label(self.resolution.settings.base_url.origin, "OPENAI_BASE_URL")
    }

    /// "OpenAI-Organization: org-… (from OPENAI_ORG_ID in the environment)".
    pub fn sent_header(&self, header: &str, variable: &str) -> Option<String> {
        let settings = &self.resolution.settings;
        let valued = if header == "OpenAI-Organization" {
            &settings.org
        } else {
            &settings.project
        };
        valued.as_ref().map(|v| {
            let from = match v.origin {
                Origin::Flag => "the command line".to_string(),
                other => origin_label(other, variable),
            };
            format!("{header}: {} (from {from})", v.value)
        })
    }

    /// Seconds to wait: `retry-after-ms`, then `retry-after` (as the SDK reads
    /// them), then "try again in 20s" in the message.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        let headers = &self.outcome()?.headers;
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
}

impl Evidence<'_> {
    /// The 401 message echoes what the server received — first 8 and last 4
    /// characters, `*` between, same length — which shows whether the key
    /// checked here is the one that arrived.
    pub fn echo_comparison(&self) -> Option<String> {
        let message = self.message();
        let echo = message
            .split("provided: ")
            .nth(1)?
            .split_whitespace()
            .next()?
            .trim_end_matches('.');
        let key = self.inspection?.cleaned.expose();
        if !echo.contains('*') {
            return Some(format!(
                "The server received the text `{}` instead of a key: a variable that was never set (JavaScript's `undefined`, a template left unfilled).",
                crate::secret::mask(echo)
            ));
        }
        let (echo_len, key_len) = (echo.chars().count(), key.chars().count());
        let head = |s: &str| s.chars().take(8).collect::<String>();
        let tail = |s: &str| s.chars().rev().take(4).collect::<String>();
        Some(if echo_len != key_len {
            format!(
                "The server received a key of {echo_len} characters, but the key checked here has {key_len}: it was cut short or padded on the way, or something (a proxy, OPENAI_CUSTOM_HEADERS) sent another key."
            )
        } else if head(echo) == head(key) && tail(echo) == tail(key) {
            "The server received exactly this key (same start, end and length): the key itself is the problem.".into()
        } else {
            "The server received a different key of the same length: something between here and OpenAI replaced it.".into()
        })
    }
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
