//! The key written to a log or the output.
//!
//! ## What it means
//! Logs and program output end up in CI logs, log services, screenshots
//! and bug reports, which many more people read than hold the key.
//!
//! ## Usual causes
//! A `print(api_key)` left from debugging a `401`; a debug log of the
//! settings.
//!
//! ## Example
//! ```python
//! api_key = os.getenv('OPENAI_API_KEY')
//! print(f'using {api_key}')
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::program::facts::Kind;
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::KeyInLogs,
    severity: Severity::Error,
    summary: "the key is written to a log or the output",
    why: "Logs and output are read by many more people than hold the key: CI logs, log services, bug reports.",
    fix: "Log whether the key is set, or its last four characters, never the value: `print(bool(api_key))`, `key[-4:]`.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    file.facts
        .facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Logged { what } => Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message: format!("{what} is written out here: the key ends up in the log"),
            }),
            _ => None,
        })
        .collect()
}
