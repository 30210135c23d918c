//! A variable the client reads is set after the client was created.
//!
//! ## What it means
//! The client read its settings from the environment when it was created.
//! Setting `OPENAI_API_KEY` (or the base URL, organization or project)
//! afterwards changes the environment, not that client: it keeps what it
//! had, often nothing.
//!
//! ## Usual causes
//! `os.environ['OPENAI_API_KEY'] = key` placed after `client = OpenAI()`;
//! a key fetched from a secret store after the module-level client exists.
//!
//! ## Example
//! ```python
//! client = OpenAI()
//! os.environ['OPENAI_API_KEY'] = get_secret()   # too late for `client`
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::lint::facts::Kind;
use crate::vocab::{EnvVars, LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::EnvSetAfterClient,
    severity: Severity::Error,
    summary: "a variable the client reads is set after the client was created",
    why: "The client read the environment when it was created; a later assignment does not reach it.",
    fix: "Set the variable before the client is created, or pass the value to the client (api_key=, apiKey).",
    check,
    check_project: super::nothing_more,
};

/// The variables a client reads when it is created; the key variables
/// count only where no key was passed.
const READ_AT_CREATION: &[(&str, bool)] = &[
    (EnvVars::OPENAI_API_KEY, true),
    (EnvVars::AZURE_OPENAI_API_KEY, true),
    (EnvVars::AZURE_OPENAI_AD_TOKEN, true),
    (EnvVars::OPENAI_BASE_URL, false),
    (EnvVars::OPENAI_ORG_ID, false),
    (EnvVars::OPENAI_PROJECT_ID, false),
    (EnvVars::AZURE_OPENAI_ENDPOINT, false),
    (EnvVars::OPENAI_API_VERSION, false),
];

fn check(file: &File, _: &Project) -> Vec<Spot> {
    let facts = &file.facts.facts;
    let mut spots = Vec::new();
    for set in facts.iter() {
        let Kind::EnvSet { name } = &set.kind else {
            continue;
        };
        let Some(&(_, is_key)) = READ_AT_CREATION.iter().find(|(v, _)| v == name) else {
            continue;
        };
        let before = facts.iter().find(|f| {
            f.scope == set.scope
                && f.at < set.at
                && matches!(&f.kind, Kind::ClientMade { key_given, .. } if !(is_key && *key_given))
        });
        if let Some(Kind::ClientMade { class, .. }) = before.map(|f| &f.kind) {
            spots.push(Spot {
                at: At::Offset(set.at),
                message: format!(
                    "{name} is set here, after `{class}` was created above: that client read the environment then, and this does not reach it"
                ),
            });
        }
    }
    spots
}
