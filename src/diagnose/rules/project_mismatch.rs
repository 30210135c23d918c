//! The project the request names is not the key's.
//!
//! ## What it means
//! A project key belongs to one project; an `OpenAI-Project` header that
//! names another (from `OPENAI_PROJECT_ID`, or `project=` in code) breaks
//! every call with 401.
//!
//! ## Usual causes
//! A stale `OPENAI_PROJECT_ID`; a hosting dashboard that injects one; a key
//! from another project.
//!
//! ## Example
//! `OpenAI-Project header should match project for API key`

use crate::diagnose::{Header, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ProjectMismatch,
    title: "The project does not match the key",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status_in(&[401, 403]) && (e.code() == "mismatched_project" || e.message_has(&["openai-project"]))
    },
    doctor: |_, d| {
        checklist(match d.sent_header(Header::Project) {
            Some(sent) => format!("The request carried {sent}, and the key does not belong to that project."),
            None => "The server says the OpenAI-Project header does not match the key, but this check sent none: something between here and OpenAI (a proxy, a gateway) added one.".into(),
        })
    },
    text: |_| {
        checklist("The request carried an OpenAI-Project header (from OPENAI_PROJECT_ID, or project= when the client was created), and the key does not belong to that project.".into())
    },
};

fn checklist(first: String) -> Vec<String> {
    vec![
        first,
        "Unset OPENAI_PROJECT_ID (a project key already names its project; hosting dashboards sometimes inject one), or use a key from that project.".into(),
    ]
}
