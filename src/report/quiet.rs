//! `--quiet`: exactly one line, for shell prompts and CI logs.

use super::{DoctorView, Render, Report, Subject};
use crate::plan::CredentialRole;
use crate::vocab::{DiagnosisId, Verdict};

pub struct Quiet;

impl Render for Quiet {
    fn render(&self, report: &Report) -> String {
        let id = report.diagnosis.id;
        let d = match &report.subject {
            Subject::Explain(x) => {
                return format!(
                    "{id}: {} — run without --quiet for the checklist\n",
                    x.explain.recognised.recognised
                );
            }
            Subject::Doctor(d) => d,
        };
        let line = doctor_line(report, d);
        let strict = &report.diagnosis.strict_failures;
        if !strict.is_empty() {
            format!(
                "{line}, but --strict fails on {} — run without --quiet for the checklist\n",
                crate::diagnose::strict_names(strict)
            )
        } else if report.ok && !report.diagnosis.unseen.is_empty() {
            let ids: Vec<&str> = report.diagnosis.unseen.iter().map(|u| u.id.name()).collect();
            format!(
                "{line}, but not checked: {} — run without --quiet for how to check\n",
                ids.join(", ")
            )
        } else if report.ok {
            format!("{line}\n")
        } else {
            format!("{line} — run without --quiet for the checklist\n")
        }
    }
}

fn doctor_line(report: &Report, d: &DoctorView) -> String {
    let id = report.diagnosis.id;
    // What was sent is the subject: a credential sent instead of the key is
    // the one the server judged, and the key is said to be unsent.
    let instead = d.credential.as_ref().filter(|c| c.role != CredentialRole::Key);
    let key = match (&d.key, instead) {
        (_, Some(c)) => {
            let what = match c.role {
                CredentialRole::GatewayKey => "LangSmith key",
                _ => "Authorization",
            };
            let origin: &str = c.origin.into();
            format!("{what} from {} ({origin}, {})", c.variable, c.masked)
        }
        (Some(k), None) if k.masked.is_empty() => format!("key from {} (empty)", k.source.id()),
        (Some(k), None) => format!("key from {} ({})", k.source.id(), k.masked),
        // Another user's process: its key is unknown, not missing.
        (None, None) if id == DiagnosisId::ProcessUnreadable => "the process's key unreadable".to_string(),
        (None, None) => "no key found".to_string(),
    };
    let unsent = match (&d.key, instead) {
        (Some(k), Some(_)) => format!("; the key from {} ({}) was not sent", k.source.id(), k.masked),
        _ => String::new(),
    };
    let probe = d.probe.as_ref();
    let status = probe.and_then(|p| p.status);
    let line = match (id, status) {
        (DiagnosisId::Ok, _) => {
            let org = probe
                .and_then(|p| p.organization.as_deref())
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            format!("ok: {key} accepted{org}")
        }
        (DiagnosisId::Offline, _) => format!("offline: {key} looks well-formed; no request made"),
        // A pass with a warning: the key authenticated, whatever --strict
        // makes of the run.
        (_, Some(s)) if report.diagnosis.verdict == Verdict::PassWithWarning => format!(
            "{id}: {key} authenticated, with a warning (HTTP {s}): {}",
            report.diagnosis.title
        ),
        (_, Some(s @ (401 | 403))) => format!("{id}: {key} rejected with {s}"),
        (_, Some(s)) => format!("{id}: {key} got HTTP {s} ({})", report.diagnosis.title),
        (_, None) if probe.is_some() => {
            format!("{id}: {key} could not be tested ({})", report.diagnosis.title)
        }
        (_, None) if d.key.is_some() => format!("{id}: {key} not sent ({})", report.diagnosis.title),
        (_, None) => format!("{id}: {key}"),
    };
    format!("{line}{unsent}")
}
