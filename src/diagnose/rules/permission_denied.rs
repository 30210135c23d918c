//! The key authenticated, and may not do this (403).
//!
//! ## What it means
//! A 403 that none of the more specific rules (a region, a model, missing
//! scopes, an Azure network) explains: a permission, a role or a feature
//! the organization does not have.
//!
//! ## Usual causes
//! A restricted key; a Reader role; a feature not enabled for the
//! organization; a gateway's own permissions.
//!
//! ## Example
//! `Error code: 403 - {'error': {'message': 'You are not allowed to sample
//! from this model', …}}`

use crate::diagnose::words::{Gateway, colon, gateway_words};
use crate::diagnose::{Evidence, Retry, Rule, Step};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::PermissionDenied,
    title: "Permission denied (403)",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[Step::BareStatus],
    when: |e| e.status() == Some(403) && e.may_be_the_api(),
    doctor: |e, d| {
        let mut list = checklist(e);
        // Another server's refusal follows its rules, not OpenAI's.
        if !d.resolution.settings.is_openai() {
            let who = match gateway_words(&d.host()) {
                Gateway::Known { name, .. } => name.to_string(),
                Gateway::Unknown(who) => who,
            };
            list.insert(
                1,
                format!("This answer came from {who}, your base URL, not from api.openai.com: its permissions apply."),
            );
        }
        list
    },
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    vec![
        format!("The key authenticated but may not do this{}", colon(e.message())),
        "Check the key's permissions (restricted keys), your role in the organization and project, and whether the feature is enabled for the organization.".into(),
    ]
}
