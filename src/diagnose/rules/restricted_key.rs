//! The key is valid but restricted: it lacks a permission.
//!
//! ## What it means
//! A 401 or 403 whose message says "Missing scopes": the key authenticated,
//! and a restricted key (or the user's role) does not allow this call. A
//! key without "Models: Read" gets this on `GET /models` while chat may
//! work; the run passes, with a warning (`--strict` fails it).
//!
//! ## Usual causes
//! A restricted key made with only the permissions one app needed; a
//! Reader role in the organization or project.
//!
//! ## Example
//! `You have insufficient permissions for this operation. Missing scopes:
//! api.model.read. …`

use crate::diagnose::words::capitalise;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::RestrictedKey,
    title: "The key works but lacks a permission",
    verdict: Verdict::PassWithWarning,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.status_in(&[401, 403]) && (e.message_has(&["missing scopes"]) || e.code() == "missing_scope"),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let scope = e
        .message()
        .split("Missing scopes:")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .map(|s| s.trim_end_matches('.').to_string());
    vec![
        format!(
            "{} is valid but restricted: it lacks the scope {}.",
            capitalise(&e.key_phrase()),
            scope.as_deref().unwrap_or("named in the message")
        ),
        "GET /models needs the permission \"Models: Read\"; your own calls need theirs (chat and responses need \"Model capabilities: Write\"). Edit the key's permissions under API keys, or use a key with All permissions.".into(),
        "Your role must allow it too: Reader, Writer or Owner in the organization, Member or Owner in the project.".into(),
    ]
}
