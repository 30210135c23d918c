//! The key in a browser bundle.
//!
//! ## What it means
//! Variables named `NEXT_PUBLIC_…`, `VITE_…`, `REACT_APP_…`, `EXPO_PUBLIC_…`
//! or `PUBLIC_…` are written into the JavaScript every visitor downloads,
//! and `dangerouslyAllowBrowser: true` is openai-node's own warning that the
//! key will be there. Anyone can read it from the page and spend on it.
//!
//! ## Usual causes
//! A frontend calling the API directly, to skip writing a backend; a
//! framework's prefix added because the variable was `undefined` otherwise.
//!
//! ## Example
//! `new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, dangerouslyAllowBrowser: true })`

use super::{At, File, LintRule, Project, Spot};
use crate::program::facts::Kind;
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::BrowserExposedKey,
    severity: Severity::Error,
    summary: "the key is put in a browser bundle",
    why: "Whatever a browser runs, its visitors can read: a key there is anyone's to use.",
    fix: "Call the API from a server (an API route, a serverless function) that holds the key in a variable without a public prefix; rotate a key that has shipped.",
    check,
    check_project: in_dotenv,
};

pub(crate) use crate::vocab::near_miss::is_public_key_variable;

fn check(file: &File, _: &Project) -> Vec<Spot> {
    file.facts
        .facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::EnvRead { name, .. } if is_public_key_variable(name) => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: format!("{name} is built into the browser bundle: every visitor can read the key"),
            }),
            Kind::AllowsBrowser => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: "dangerouslyAllowBrowser: true sends the key from the browser, where every visitor can read it".into(),
            }),
            _ => None,
        })
        .collect()
}

/// A `.env` that defines a public variable holding the key.
fn in_dotenv(project: &Project) -> Vec<Spot> {
    project
        .dotenv
        .iter()
        .filter(|(name, _)| is_public_key_variable(name))
        .flat_map(|(name, places)| {
            places.iter().map(move |(path, line)| Spot {
                fix: None,
                at: At::Line(path.clone(), *line),
                message: format!(
                    "{name} is a public variable: the framework builds it into the browser bundle"
                ),
            })
        })
        .collect()
}
