//! Report: the result of a run as one value, and the ways to print it.
//! The JSON output is a serde view of [`Report`]; each format is one file.
//! What the report is about — a `doctor` run or an `explain`ed text — is its
//! [`Subject`], so no format has to guess from fields that happen to be empty.

mod github;
mod human;
mod json;
mod markdown;
mod quiet;

use serde::Serialize;

use crate::diagnose::{Diagnosis, Occurrence};
use crate::inspect::Inspection;
use crate::plan::{CredentialOrigin, CredentialRole, ProbeRequest, SentCredential};
use crate::probe::Trace;
use crate::recognise::scan::InputSummary;
use crate::recognise::{self, Recognised};
use crate::resolve::{KeySource, Origin, Resolution, SourceState, Valued};
use crate::vocab::program::{
    ClientInCode, DotenvInCode, KeyInCode, ModelInCode, Program, SettingInCode, SettingRole,
};
use crate::vocab::{ApiError, Client, DiagnosisId, ExitStatus, Finding, NetworkErrorKind, Observed, text};
use crate::vocab::{KeyKind, Provider};
use crate::vocab::{secret, urls};

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use markdown::Markdown;
pub use quiet::Quiet;

/// Bumped only when a field changes meaning or goes away; new fields are added freely.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// A way to print a report.
pub trait Render {
    fn render(&self, report: &Report) -> String;
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub ok: bool,
    pub exit_code: ExitStatus,
    /// `--strict` was given: warnings fail a passing run.
    pub strict: bool,
    pub diagnosis: Diagnosis,
    #[serde(flatten)]
    pub subject: Subject,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Subject {
    Doctor(Box<DoctorView>),
    Explain(Box<ExplainView>),
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// A `doctor` run: the key, where it came from, the settings and the request.
#[derive(Debug, Serialize)]
pub struct DoctorView {
    /// For the human report's `~/…`; every other format shows whole paths.
    #[serde(skip)]
    pub home: Option<std::path::PathBuf>,
    /// Whose rules the run followed (`--client`).
    pub client: Client,
    pub base_url: String,
    pub key: Option<KeyView>,
    /// The credential that authenticated the request — the key, or what
    /// the SDKs send instead of it — when a request was made.
    pub credential: Option<CredentialView>,
    pub sources: Vec<SourceView>,
    pub findings: Vec<Finding>,
    pub probe: Option<ProbeView>,
    pub settings: SettingsView,
    /// `doctor PROGRAM`: what the program's code says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<crate::vocab::program::Program>,
}

/// An `explain`ed text. No key, source, finding, base URL or request is known
/// from a text: the fields every report has are null or empty.
#[derive(Debug, Serialize)]
pub struct ExplainView {
    pub base_url: (),
    pub key: (),
    pub sources: [(); 0],
    pub findings: [(); 0],
    pub probe: (),
    pub explain: ExplainFacts,
}

#[derive(Debug, Serialize)]
pub struct ExplainFacts {
    #[serde(flatten)]
    pub recognised: Recognised,
    /// Other diagnoses the same input could mean (a status alone).
    pub alternatives: Vec<DiagnosisId>,
    /// Every error recognised in the input, by diagnosis and status, in the
    /// order they first appeared; the last one read is the diagnosis.
    pub occurrences: Vec<Occurrence>,
    /// How much was read, and what was skipped.
    pub input: InputSummary,
}

#[derive(Debug, Serialize)]
pub struct KeyView {
    pub source: KeySource,
    pub location: String,
    pub masked: String,
    /// None for a key too short to hide behind a hash.
    pub fingerprint: Option<String>,
    pub kind: KeyKind,
    pub provider: Option<Provider>,
    pub length: usize,
}

#[derive(Debug, Serialize)]
pub struct CredentialView {
    pub role: CredentialRole,
    /// The header it went in (`authorization`, `api-key`).
    pub header: String,
    pub origin: CredentialOrigin,
    /// The flag, variable or file it came from.
    pub variable: String,
    pub masked: String,
    pub fingerprint: Option<String>,
}

impl From<&SentCredential> for CredentialView {
    fn from(c: &SentCredential) -> Self {
        CredentialView {
            role: c.role,
            header: local(&c.header),
            origin: c.origin,
            variable: local(&c.variable),
            masked: c.masked(),
            fingerprint: c.fingerprint(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub source: KeySource,
    pub location: String,
    pub state: SourceState,
    pub used: bool,
    /// Its key is the one this run tested (`--source`, or a key file's when
    /// a program would have none).
    pub tested: bool,
    pub masked: Option<String>,
    pub fingerprint: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ProbeView {
    pub method: &'static str,
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<ApiError>,
    pub request_id: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub network_error: Option<NetworkErrorKind>,
    pub network_error_detail: Option<String>,
    pub elapsed_ms: u64,
    /// `openai-processing-ms` as the server sent it.
    pub processing_ms: Option<String>,
    /// The same as a number, when it is one.
    pub processing_time_ms: Option<u64>,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub rate_limits: std::collections::BTreeMap<String, String>,
    #[serde(skip)]
    pub body_excerpt: String,
}

#[derive(Debug, Serialize)]
pub struct SettingsView {
    pub base_url: SettingView,
    pub organization: Option<SettingView>,
    pub project: Option<SettingView>,
    /// The proxy the request goes through, credentials masked.
    pub proxy: Option<ProxyView>,
    /// `OPENAI_CUSTOM_HEADERS`: header names only, never values.
    pub custom_headers: Option<CustomHeadersView>,
    /// `OPENAI_ADMIN_KEY`, masked.
    pub admin_key: Option<AdminKeyView>,
    /// `--client azure`: the endpoint and the API version (null when unset,
    /// and for the other clients).
    pub azure_endpoint: Option<SettingView>,
    pub api_version: Option<SettingView>,
}

#[derive(Debug, Serialize)]
pub struct CustomHeadersView {
    pub names: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct AdminKeyView {
    pub masked: String,
    pub fingerprint: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct ProxyView {
    pub url: String,
    pub variable: &'static str,
}

#[derive(Debug, Serialize)]
pub struct SettingView {
    pub value: String,
    pub origin: Origin,
    /// The variable it was read from.
    pub variable: &'static str,
}

impl From<&Valued> for SettingView {
    fn from(v: &Valued) -> Self {
        SettingView {
            value: local(&urls::shown(&v.value)),
            origin: v.origin,
            variable: v.variable,
        }
    }
}

/// A string from this machine — a path, a variable's value — as the report
/// keeps it: a file name or a planted `.env` may hold escape sequences too.
fn local(text: &str) -> String {
    text::escape_controls(text, false)
}

/// The program as read, every text from its files (paths, names, values)
/// with its control characters escaped, as every other path is shown.
fn shown_program(p: &Program) -> Program {
    let many = |list: &[String]| list.iter().map(|t| local(t)).collect();
    let maybe = |t: &Option<String>| t.as_deref().map(local);
    let dotenv = |d: &DotenvInCode| DotenvInCode {
        at: local(&d.at),
        path: maybe(&d.path),
        overrides: d.overrides,
    };
    Program {
        files: many(&p.files),
        clients: p
            .clients
            .iter()
            .map(|c| ClientInCode {
                class: local(&c.class),
                at: local(&c.at),
                ..c.clone()
            })
            .collect(),
        key: match &p.key {
            KeyInCode::Environment => KeyInCode::Environment,
            KeyInCode::Variable {
                variable,
                at,
                falls_back,
                env_file,
            } => KeyInCode::Variable {
                variable: local(variable),
                at: local(at),
                falls_back: *falls_back,
                env_file: maybe(env_file),
            },
            KeyInCode::Literal { at, token, value } => KeyInCode::Literal {
                at: local(at),
                token: *token,
                value: value.clone(),
            },
            KeyInCode::NotFollowed { at, argument, token } => KeyInCode::NotFollowed {
                at: local(at),
                argument: local(argument),
                token: *token,
            },
        },
        settings: p
            .settings
            .iter()
            .map(|s| SettingInCode {
                argument: local(&s.argument),
                role: s.role,
                at: local(&s.at),
                // A URL written in code is shown as every URL is: without
                // its user and password, used or not.
                value: s.value.as_deref().map(|v| match s.role {
                    SettingRole::BaseUrl | SettingRole::AzureEndpoint => local(&urls::shown(v)),
                    _ => local(v),
                }),
                variable: maybe(&s.variable),
            })
            .collect(),
        dotenv: p.dotenv.as_ref().map(dotenv),
        dotenv_too_late: p.dotenv_too_late.as_ref().map(dotenv),
        models: p
            .models
            .iter()
            .map(|m| ModelInCode {
                id: local(&m.id),
                at: local(&m.at),
                deployment: m.deployment,
                variable: m.variable.clone(),
            })
            .collect(),
        not_followed: many(&p.not_followed),
        ..p.clone()
    }
}

/// Everything a `doctor` run found out, for its report.
pub(crate) struct DoctorRun<'a> {
    pub resolution: &'a Resolution,
    pub inspection: Option<&'a Inspection>,
    pub observed: &'a Observed,
    /// The request and what the probe saw of it, when one was made.
    pub sent: Option<(&'a ProbeRequest, &'a Trace)>,
    /// Resolve's and inspect's findings, in the order they were made.
    pub findings: &'a [Finding],
}

impl Report {
    fn new(diagnosis: Diagnosis, strict: bool, subject: Subject) -> Self {
        let exit_code = diagnosis.exit_status();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            ok: exit_code.is_success(),
            exit_code,
            strict,
            diagnosis,
            subject,
        }
    }

    pub(crate) fn explain(
        recognised: Recognised,
        alternatives: Vec<DiagnosisId>,
        occurrences: Vec<Occurrence>,
        input: InputSummary,
        diagnosis: Diagnosis,
    ) -> Self {
        let view = ExplainView {
            base_url: (),
            key: (),
            sources: [],
            findings: [],
            probe: (),
            explain: ExplainFacts {
                recognised,
                alternatives,
                occurrences,
                input,
            },
        };
        Report::new(diagnosis, false, Subject::Explain(Box::new(view)))
    }

    pub(crate) fn doctor(run: &DoctorRun, mut diagnosis: Diagnosis, strict: bool) -> Self {
        // A checklist line may quote a file's name or a program's code.
        for line in &mut diagnosis.checklist {
            *line = local(line);
        }
        for unseen in &mut diagnosis.unseen {
            unseen.says = local(&unseen.says);
        }
        let resolution = run.resolution;
        let key = resolution
            .tested()
            .zip(run.inspection)
            .map(|(source, inspection)| KeyView {
                source: source.source,
                location: local(&source.location),
                masked: inspection.cleaned.masked(),
                fingerprint: inspection.cleaned.fingerprint(),
                kind: inspection.kind,
                provider: inspection.provider,
                length: inspection.cleaned.len(),
            });
        let sources = resolution
            .sources
            .iter()
            .map(|s| {
                let held = s.value().filter(|_| s.state() == SourceState::Set);
                SourceView {
                    source: s.source,
                    location: local(&s.location),
                    state: s.state(),
                    used: resolution.used == Some(s.source),
                    tested: resolution.tested == Some(s.source),
                    masked: held.map(|v| v.masked()),
                    fingerprint: held.and_then(|v| secret::fingerprint(secret::unwrap_key(v.expose()).key)),
                    detail: s.detail().map(local),
                }
            })
            .collect();
        let mut findings: Vec<Finding> = run
            .findings
            .iter()
            .map(|f| Finding {
                message: local(&f.message),
                ..f.clone()
            })
            .collect();
        findings.sort_by_key(|f| f.severity);
        let probe = run
            .sent
            .map(|(request, trace)| probe_view(request, trace, run.observed));
        let settings = &resolution.settings;
        let view = DoctorView {
            program: resolution.program.as_ref().map(shown_program),
            client: resolution.client,
            home: resolution.home.clone(),
            base_url: urls::shown(&settings.base_url.value),
            key,
            credential: run.sent.and_then(|(request, _)| request.tested()).map(Into::into),
            sources,
            findings,
            probe,
            settings: SettingsView {
                base_url: (&settings.base_url).into(),
                organization: settings.org.as_ref().map(Into::into),
                project: settings.project.as_ref().map(Into::into),
                proxy: settings.network.proxy.as_ref().map(|p| ProxyView {
                    url: p.shown(),
                    variable: p.variable,
                }),
                custom_headers: settings.custom_headers.as_ref().map(|h| CustomHeadersView {
                    names: h.names().iter().map(|n| local(n)).collect(),
                    origin: h.origin,
                }),
                admin_key: settings.admin_key.as_ref().map(|(key, origin)| AdminKeyView {
                    masked: key.masked(),
                    fingerprint: key.fingerprint(),
                    origin: *origin,
                }),
                azure_endpoint: settings
                    .azure
                    .as_ref()
                    .and_then(|a| a.endpoint.as_ref())
                    .map(Into::into),
                api_version: settings
                    .azure
                    .as_ref()
                    .and_then(|a| a.api_version.as_ref())
                    .map(Into::into),
            },
        };
        Report::new(diagnosis, strict, Subject::Doctor(Box::new(view)))
    }

    /// The findings of a doctor run; a text has none.
    pub(crate) fn findings(&self) -> &[Finding] {
        match &self.subject {
            Subject::Doctor(d) => &d.findings,
            Subject::Explain(_) => &[],
        }
    }

    /// The credential a doctor run's request was judged on.
    pub fn credential(&self) -> Option<&CredentialView> {
        match &self.subject {
            Subject::Doctor(d) => d.credential.as_ref(),
            Subject::Explain(_) => None,
        }
    }
}

fn probe_view(request: &ProbeRequest, trace: &Trace, observed: &Observed) -> ProbeView {
    let answer = observed.answer();
    let failure = match observed {
        Observed::NoAnswer(f) => Some(f),
        _ => None,
    };
    let headers = answer.map(|a| a.headers.clone()).unwrap_or_default();
    ProbeView {
        method: if request.body.is_some() { "POST" } else { "GET" },
        url: request.url.to_string(),
        status: trace.status,
        error: answer.and_then(|a| a.error.clone()),
        request_id: headers.request_id,
        organization: headers.organization,
        project: headers.project,
        network_error: failure.map(|f| f.kind),
        network_error_detail: failure.and_then(|f| f.detail.clone()),
        elapsed_ms: trace.elapsed_ms,
        processing_time_ms: headers
            .processing_ms
            .as_deref()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.round() as u64),
        processing_ms: headers.processing_ms,
        retry_after: headers.retry_after,
        content_type: headers.content_type,
        location: headers.location,
        rate_limits: headers.rate_limits.into_iter().collect(),
        body_excerpt: trace.body_excerpt.clone(),
    }
}

/// What `explain` prints when nothing in the text was recognised.
pub fn unrecognised(json: bool) -> String {
    let looked_for = recognise::LOOKED_FOR;
    if !json {
        return format!("could not recognise an OpenAI error in the input.\n{looked_for}\n");
    }
    let value = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "ok": false,
        "exit_code": ExitStatus::Unrecognised,
        "explain": null,
        "message": format!("could not recognise an OpenAI error in the input. {looked_for}"),
    });
    format!("{value:#}\n")
}
