//! The client is created before the `.env` is loaded.
//!
//! ## What it means
//! The SDKs read `OPENAI_API_KEY` (and the base URL, organization, project)
//! from the environment once, when the client is created. A client created
//! before `load_dotenv()` / `dotenv.config()` runs got nothing from the
//! `.env`: it raises `Missing credentials`, or keeps a stale exported key.
//!
//! ## Usual causes
//! `client = OpenAI()` at the top of a module, with `load_dotenv()` further
//! down; a tutorial's two halves pasted in the wrong order.
//!
//! ## Example
//! ```python
//! client = OpenAI()   # reads OPENAI_API_KEY now: unset
//! load_dotenv()
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::lint::facts::Kind;
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::ClientBeforeDotenv,
    severity: Severity::Error,
    summary: "the client is created before the .env is loaded",
    why: "The SDK reads OPENAI_API_KEY when the client is created; a .env loaded later does not reach that client.",
    fix: "Load the .env first: call load_dotenv() (or dotenv.config(), or `import 'dotenv/config'`) before the client is created.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    let facts = &file.facts.facts;
    let mut spots = Vec::new();
    for load in facts.iter().filter(|f| f.kind == Kind::DotenvLoaded) {
        for made in facts.iter().filter(|f| f.scope == load.scope && f.at < load.at) {
            if let Kind::ClientMade {
                class,
                key_given: false,
            } = &made.kind
            {
                spots.push(Spot {
                    at: At::Offset(made.at),
                    message: format!(
                        "`{class}` is created here, before the .env is loaded further down: it read OPENAI_API_KEY then, and gets nothing from the .env"
                    ),
                });
            }
        }
    }
    spots
}
