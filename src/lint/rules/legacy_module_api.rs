//! The 0.x module API with a 1.x client (or openai-node 3's with 4 and later).
//!
//! ## What it means
//! openai-python 1.0 replaced the module API: `openai.ChatCompletion.create`
//! and the other 0.x resources raise `APIRemovedInV1`, and `openai.api_key =
//! …` sets the key of the module-level client only — a client made with
//! `OpenAI()` reads `api_key=` or `OPENAI_API_KEY`, never that setting.
//! openai-node 4 removed `Configuration` and `OpenAIApi`: CommonJS fails
//! with `Configuration is not a constructor`, an ES module with `does not
//! provide an export named 'Configuration'`.
//!
//! A project written for the old SDK is not flagged: the nearest folder
//! above the file whose lock file (`uv.lock`, `poetry.lock`,
//! `package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`) or manifest
//! (`requirements*.txt`, `requirements/*.txt`, `pyproject.toml`, `Pipfile`,
//! `package.json`) names the SDK decides, or a notebook's own `%pip install
//! openai==0.28`.
//!
//! ## Usual causes
//! A tutorial or answer from 2023 mixed into code that makes `OpenAI()`; an
//! upgrade done halfway; an old example run with a fresh `npm install openai`.
//!
//! ## Example
//! ```python
//! openai.api_key = os.environ['MY_KEY']
//! client = OpenAI()   # Missing credentials: it does not read openai.api_key
//! ```
//! ```js
//! const { Configuration, OpenAIApi } = require("openai"); // openai 4+: gone
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::program::facts::{Kind, Language};
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::LegacyModuleApi,
    severity: Severity::Error,
    summary: "the 0.x module API with a 1.x client, or openai-node 3's with 4 and later",
    why: "openai-python 1.x removed the 0.x resources (APIRemovedInV1), and its clients do not read openai.api_key; openai-node 4 removed Configuration and OpenAIApi.",
    fix: "Make a client and call it (client = OpenAI(api_key=…); client.chat.completions.create(…); in Node, new OpenAI({ apiKey })), or pin the old SDK where its API is meant (openai<1, openai@3).",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    if file.legacy_sdk {
        return Vec::new();
    }
    let facts = &file.facts.facts;
    let client_reads_environment = facts
        .iter()
        .any(|f| matches!(f.kind, Kind::ClientMade { key_given: false, .. }));
    facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::LegacyCall { resource } if file.facts.language == Language::JavaScript => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: format!(
                    "{resource} is openai-node 3's API: from 4 on the package has no {resource} (\"{resource} is not a constructor\", or \"does not provide an export named '{resource}'\")"
                ),
            }),
            Kind::LegacyCall { resource } => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: format!(
                    "openai.{resource} is the 0.x API: openai-python 1.x raises APIRemovedInV1 here"
                ),
            }),
            Kind::ModuleSetting { name } if client_reads_environment => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: format!(
                    "openai.{name} is set here, but the client this file makes with a constructor does not read it: pass it as an argument (api_key=…) instead"
                ),
            }),
            _ => None,
        })
        .collect()
}
