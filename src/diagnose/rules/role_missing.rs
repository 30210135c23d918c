//! The Entra ID identity lacks an Azure OpenAI role.
//!
//! ## What it means
//! The token authenticated, but the user, group or managed identity it
//! stands for may not call this resource: data calls need the role
//! "Cognitive Services OpenAI User" (Owner or Contributor is not enough).
//!
//! ## Usual causes
//! A new resource whose role assignment was never made, or made minutes
//! ago; a token for another identity than the one that has the role.
//!
//! ## Example
//! `{"error":{"code":"PermissionDenied","message":"Principal does not have
//! access to API/Operation."}}`

use crate::diagnose::words::colon;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, FindingId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::RoleMissing,
    title: "The Entra ID identity lacks an Azure OpenAI role",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status_in(&[401, 403])
            && (e.code() == "PermissionDenied" || e.message_has(&["principal does not have access"]))
            // A 401 for a token this run saw expired is the expiry.
            && !(e.status() == Some(401) && expired_token(e))
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    vec![
        format!(
            "The token authenticated, but its identity may not call this resource{}",
            colon(e.message())
        ),
        "Assign the role \"Cognitive Services OpenAI User\" to the user, group or managed identity on the resource (Access control (IAM), Add role assignment); Owner or Contributor is not enough for data calls.".into(),
        "Role assignments take a few minutes to apply; then get a new token (`az account get-access-token --resource https://cognitiveservices.azure.com`).".into(),
    ]
}

fn expired_token(e: &Evidence) -> bool {
    e.doctor
        .and_then(|d| d.inspection)
        .is_some_and(|i| i.findings.iter().any(|f| f.id == FindingId::TokenExpired))
}
