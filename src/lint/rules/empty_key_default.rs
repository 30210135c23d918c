//! An empty string as the key's default.
//!
//! ## What it means
//! `os.getenv('OPENAI_API_KEY', '')` and `os.environ.get(…) or ""` turn a
//! missing key into an empty one. openai-python 1.x then creates the client
//! and sends every request with no Authorization header (401 "You didn't
//! provide an API key") instead of refusing at once; 3.x refuses an empty
//! key as a missing one (observed with 1.109 and 3.57). openai-node refuses
//! both alike, so JavaScript is not flagged; so do LangChain's clients
//! (`ChatOpenAI(api_key="")` raises "Missing credentials"), so a file whose
//! clients are all LangChain's is not flagged either.
//!
//! ## Usual causes
//! A habit from code where a string is required; a type checker that wants
//! `str`, not `str | None`.
//!
//! ## Example
//! ```python
//! client = OpenAI(api_key=os.getenv('OPENAI_API_KEY', ''))
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::lint::fix::{Fix, line_at};
use crate::program::facts::{KEY_VARIABLES, Kind, Language};
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::EmptyKeyDefault,
    severity: Severity::Warning,
    summary: "an empty string is the key's default",
    why: "A missing key becomes an empty one: openai-python 1.x sends requests without a key (401) instead of refusing at once.",
    fix: "Leave the default out (os.getenv(\"OPENAI_API_KEY\")), or fail early with a clear message when the key is missing.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    if file.facts.language != Language::Python {
        return Vec::new();
    }
    // LangChain's clients take an empty key as none (and then raise
    // "Missing credentials" at once): the trap is openai-python's own.
    let clients: Vec<bool> = file
        .facts
        .facts
        .iter()
        .filter_map(|f| match f.kind {
            Kind::ClientMade { langchain, .. } => Some(langchain),
            _ => None,
        })
        .collect();
    if !clients.is_empty() && clients.iter().all(|&langchain| langchain) {
        return Vec::new();
    }
    file.facts
        .facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::EnvRead {
                name,
                empty_default: true,
            } if KEY_VARIABLES.contains(&name.as_str()) => Some(Spot {
                fix: without_default(&file.text, f.at),
                at: At::Offset(f.at),
                message: format!("{name} read with \"\" as its default: a missing key becomes an empty one, which openai-python 1.x sends as no key at all"),
            }),
            _ => None,
        })
        .collect()
}

/// The `""` left out (`os.getenv("X", "")` → `os.getenv("X")`, `… or ""` →
/// `…`): unsafe, as code after it may count on a string.
fn without_default(text: &str, at: u32) -> Option<Fix> {
    let line = line_at(text, at as usize);
    let from = (at as usize).clamp(line.start, line.end);
    let rest = &text[from..line.end];
    let title = "leave the empty default out";
    for default in [", \"\")", ", '')", ",\"\")", ",'')"] {
        if let Some(i) = rest.find(default) {
            let start = from + i;
            return Some(Fix::replace(start..start + default.len(), ")", false, title));
        }
    }
    for default in [" or \"\"", " or ''"] {
        if let Some(i) = rest.find(default) {
            let start = from + i;
            return Some(Fix::replace(start..start + default.len(), "", false, title));
        }
    }
    None
}
