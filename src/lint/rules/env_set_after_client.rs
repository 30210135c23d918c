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
use crate::lint::fix::Fix;
use crate::program::facts::Kind;
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

/// Which clients read a variable: OpenAI's (`OpenAI`, `ChatOpenAI`, …),
/// Azure's (`AzureOpenAI`, `AzureChatOpenAI`, …) or both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadBy {
    OpenAi,
    Azure,
    Both,
}

/// The variables a client reads when it is created, by whom, and whether
/// it is the key (which counts only where no key was passed).
const READ_AT_CREATION: &[(&str, ReadBy, bool)] = &[
    (EnvVars::OPENAI_API_KEY, ReadBy::OpenAi, true),
    (EnvVars::AZURE_OPENAI_API_KEY, ReadBy::Azure, true),
    (EnvVars::AZURE_OPENAI_AD_TOKEN, ReadBy::Azure, true),
    (EnvVars::OPENAI_BASE_URL, ReadBy::OpenAi, false),
    (EnvVars::OPENAI_ORG_ID, ReadBy::Both, false),
    (EnvVars::OPENAI_PROJECT_ID, ReadBy::Both, false),
    (EnvVars::AZURE_OPENAI_ENDPOINT, ReadBy::Azure, false),
    (EnvVars::OPENAI_API_VERSION, ReadBy::Azure, false),
];

fn reads(class: &str, by: ReadBy) -> bool {
    let azure = class.contains("Azure");
    by == ReadBy::Both || (by == ReadBy::Azure) == azure
}

fn check(file: &File, _: &Project) -> Vec<Spot> {
    let facts = &file.facts.facts;
    let mut spots = Vec::new();
    for set in facts.iter() {
        let Kind::EnvSet { name } = &set.kind else {
            continue;
        };
        let Some(&(_, by, is_key)) = READ_AT_CREATION.iter().find(|(v, ..)| v == name) else {
            continue;
        };
        let client = facts.iter().find(|f| {
            f.scope == set.scope
                && f.runs_before(set)
                && matches!(&f.kind, Kind::ClientMade { class, key_given, .. }
                    if reads(class, by) && !(is_key && *key_given))
        });
        if let Some((made, Kind::ClientMade { class, .. })) = client.map(|f| (f, &f.kind)) {
            // Unsafe: what is assigned may be computed between the two.
            let fix = Fix::move_line_above(
                &file.text,
                set.at,
                made.at,
                false,
                "set it before the client is created",
            );
            spots.push(Spot {
                fix,
                at: At::Offset(set.at),
                message: format!(
                    "{name} is set here, after `{class}` was created above: that client read the environment then, and this does not reach it"
                ),
            });
        }
    }
    spots
}
