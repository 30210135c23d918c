//! The 0.x module API with a 1.x client.
//!
//! ## What it means
//! openai-python 1.0 replaced the module API: `openai.ChatCompletion.create`
//! and the other 0.x resources raise `APIRemovedInV1`, and `openai.api_key =
//! …` sets the key of the module-level client only — a client made with
//! `OpenAI()` reads `api_key=` or `OPENAI_API_KEY`, never that setting.
//! Projects that pin `openai` below 1 (`openai==0.28.1`) are not flagged.
//!
//! ## Usual causes
//! A tutorial or answer from 2023 mixed into code that makes `OpenAI()`; an
//! upgrade done halfway.
//!
//! ## Example
//! ```python
//! openai.api_key = os.environ['MY_KEY']
//! client = OpenAI()   # Missing credentials: it does not read openai.api_key
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::lint::facts::Kind;
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::LegacyModuleApi,
    severity: Severity::Error,
    summary: "the 0.x module API with a 1.x client",
    why: "openai-python 1.x removed the 0.x resources (APIRemovedInV1), and its clients do not read openai.api_key.",
    fix: "Make a client and call it (client = OpenAI(api_key=…); client.chat.completions.create(…)), or pin openai below 1 where the old API is meant.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, project: &Project) -> Vec<Spot> {
    if project.openai_pinned_below_1 {
        return Vec::new();
    }
    let facts = &file.facts.facts;
    let client_reads_environment = facts
        .iter()
        .any(|f| matches!(f.kind, Kind::ClientMade { key_given: false, .. }));
    facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::LegacyCall { resource } => Some(Spot {
                at: At::Offset(f.at),
                message: format!(
                    "openai.{resource} is the 0.x API: openai-python 1.x raises APIRemovedInV1 here"
                ),
            }),
            Kind::ModuleSetting { name } if client_reads_environment => Some(Spot {
                at: At::Offset(f.at),
                message: format!(
                    "openai.{name} is set here, but the client this file makes with a constructor does not read it: pass it as an argument (api_key=…) instead"
                ),
            }),
            _ => None,
        })
        .collect()
}
