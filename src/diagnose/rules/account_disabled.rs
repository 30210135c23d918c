//! The account, organization or project behind the key is deactivated.
//!
//! ## What it means
//! A 401 or 403 with a `…deactivated` code or message: no key of that
//! account works until it is reactivated, so a new key will not help.
//!
//! ## Usual causes
//! An organization disabled for billing or policy reasons; a deleted or
//! archived project.
//!
//! ## Example
//! `This key is associated with a deactivated account. If you feel this is
//! an error, contact us through our help center at help.openai.com.`

use crate::diagnose::words::in_parens;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::AccountDisabled,
    title: "The account, organization or project is deactivated",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.status_in(&[401, 403])
            && (e.code().contains("deactivated") || e.message_has(&["deactivated", "has been disabled"]))
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let code = Some(e.code())
        .filter(|c| !c.is_empty())
        .map(|c| format!("code {c}"));
    vec![
        format!(
            "The server says the account, organization or project behind {} is deactivated{}.",
            e.key_phrase(),
            in_parens(code.as_deref())
        ),
        "An owner can check the organization's status and billing in the dashboard; otherwise contact OpenAI support. A new key will not help until it is reactivated.".into(),
    ]
}
