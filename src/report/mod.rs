//! Report: the result of the pipeline as one value, and the ways to print it.
//! The JSON output is a serde view of [`Report`]; each format is one file.

mod github;
mod human;
mod json;
mod markdown;
mod quiet;

use serde::Serialize;

use crate::diagnose::{Diagnosis, Stage};
use crate::finding::Finding;
use crate::inspect::{Inspection, KeyKind};
use crate::probe::{ApiError, NetworkErrorKind};
use crate::resolve::{KeySource, Origin, Resolution, SourceState, Valued};
use crate::secret;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use markdown::Markdown;
pub use quiet::Quiet;

/// Bumped only when a field changes meaning or goes away; new fields are added freely.
pub const SCHEMA_VERSION: u32 = 1;

/// A way to print a report.
pub trait Render {
    fn render(&self, report: &Report) -> String;
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub ok: bool,
    pub exit_code: i32,
    /// `--strict` was given: warnings fail a passing run.
    pub strict: bool,
    pub base_url: String,
    pub diagnosis: Diagnosis,
    pub key: Option<KeyView>,
    pub sources: Vec<SourceView>,
    pub findings: Vec<Finding>,
    pub probe: Option<ProbeView>,
    pub settings: SettingsView,
    /// `explain` only: what was recognised in the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<crate::explain::Recognised>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct KeyView {
    pub source: KeySource,
    pub location: String,
    pub masked: String,
    pub fingerprint: String,
    pub kind: KeyKind,
    pub provider: Option<&'static str>,
    pub length: usize,
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub source: KeySource,
    pub location: String,
    pub state: SourceState,
    pub used: bool,
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
    pub processing_ms: Option<String>,
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
}

#[derive(Debug, Serialize)]
pub struct CustomHeadersView {
    pub names: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct AdminKeyView {
    pub masked: String,
    pub fingerprint: String,
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
}

/// The name a value has in the JSON output (`set`, `env`, …), for the other formats.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl From<&Valued> for SettingView {
    fn from(v: &Valued) -> Self {
        SettingView {
            value: secret::redact_url(&v.value),
            origin: v.origin,
        }
    }
}

impl Report {
    pub fn new(
        resolution: &Resolution,
        inspection: Option<&Inspection>,
        stage: &Stage,
        diagnosis: Diagnosis,
        strict: bool,
    ) -> Self {
        let used = resolution.used();
        let key = used.zip(inspection).map(|(source, inspection)| KeyView {
            source: source.source,
            location: source.location.clone(),
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
                let held = s.value.as_ref().filter(|_| s.state == SourceState::Set);
                SourceView {
                    source: s.source,
                    location: s.location.clone(),
                    state: s.state,
                    used: s.used,
                    masked: held.map(|v| v.masked()),
                    fingerprint: held.map(|v| secret::fingerprint(secret::unwrap_key(v.expose()).key)),
                    detail: s.detail.clone(),
                }
            })
            .collect();
        let mut findings = resolution.findings.clone();
        findings.extend(inspection.map(|i| i.findings.clone()).unwrap_or_default());
        findings.sort_by_key(|f| f.severity);
        let probe = match stage {
            Stage::Skipped(_) => None,
            Stage::Probed(o) => Some(ProbeView {
                method: "GET",
                url: secret::redact_url(&o.url),
                status: o.status,
                error: o.error.clone(),
                request_id: o.headers.request_id.clone(),
                organization: o.headers.organization.clone(),
                project: o.headers.project.clone(),
                network_error: o.network_error.as_ref().map(|n| n.kind),
                network_error_detail: o.network_error.as_ref().map(|n| n.detail.clone()),
                elapsed_ms: o.elapsed_ms,
                processing_ms: o.headers.processing_ms.clone(),
                retry_after: o.headers.retry_after.clone(),
                content_type: o.headers.content_type.clone(),
                location: o.headers.location.clone(),
                rate_limits: o.headers.rate_limits.iter().cloned().collect(),
                body_excerpt: o.body_excerpt.clone(),
            }),
        };
        let settings = &resolution.settings;
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            ok: diagnosis.exit_code == 0,
            exit_code: diagnosis.exit_code,
            strict,
            base_url: secret::redact_url(&settings.base_url.value),
            diagnosis,
            key,
            sources,
            findings,
            probe,
            explain: None,
            settings: SettingsView {
                base_url: (&settings.base_url).into(),
                organization: settings.org.as_ref().map(Into::into),
                project: settings.project.as_ref().map(Into::into),
                proxy: settings.network.proxy.as_ref().map(|p| ProxyView {
                    url: p.url.clone(),
                    variable: p.variable,
                }),
                custom_headers: settings
                    .custom_headers
                    .as_ref()
                    .map(|(names, origin)| CustomHeadersView {
                        names: names.clone(),
                        origin: *origin,
                    }),
                admin_key: settings.admin_key.as_ref().map(|(key, origin)| AdminKeyView {
                    masked: key.masked(),
                    fingerprint: key.fingerprint(),
                    origin: *origin,
                }),
            },
        }
    }
}
