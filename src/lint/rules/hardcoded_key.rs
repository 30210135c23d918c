//! An API key written in the code.
//!
//! ## What it means
//! Anyone who can read the file — the repository, its forks, its history,
//! a bundle built from it — can use the key and spend on its account.
//! Shown masked, with its fingerprint, never whole.
//!
//! ## Usual causes
//! A key pasted in to try something, then committed; `api_key="sk-…"` copied
//! from a notebook.
//!
//! ## Example
//! ```python
//! client = OpenAI(api_key="sk-proj-…")
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::program::facts::Kind;
use crate::vocab::keys::{KEY_MARKER, KeyKind, looks_like_placeholder};
use crate::vocab::{ApiKey, LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::HardcodedKey,
    severity: Severity::Error,
    summary: "an API key is written in the code",
    why: "Whoever reads the file, its history or a bundle built from it can use the key.",
    fix: "Read it from OPENAI_API_KEY (a secret in CI), remove it from the code and its history, and rotate it: it has been exposed.",
    check,
    check_project: super::nothing_more,
};

/// A literal that is an OpenAI key, not a placeholder or an example.
pub(crate) fn is_key(value: &str) -> bool {
    let value = value.trim();
    let (kind, _) = crate::inspect::classify(value);
    let openai = matches!(
        kind,
        KeyKind::Legacy | KeyKind::Project | KeyKind::ServiceAccount | KeyKind::Admin
    );
    openai
        && value.len() >= 40
        && value.contains(KEY_MARKER)
        && !value.contains(char::is_whitespace)
        && !looks_like_placeholder(value)
}

fn check(file: &File, _: &Project) -> Vec<Spot> {
    file.facts
        .facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Literal { value } if is_key(value) => {
                let key = ApiKey::new(value.trim());
                let fingerprint = key
                    .fingerprint()
                    .map(|f| format!(", fingerprint {f}"))
                    .unwrap_or_default();
                Some(Spot {
                    fix: None,
                    at: At::Offset(f.at),
                    message: format!("a key is written here ({}{fingerprint})", key.masked()),
                })
            }
            _ => None,
        })
        .collect()
}
