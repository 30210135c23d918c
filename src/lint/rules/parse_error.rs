//! A file the parser could not read whole.
//!
//! ## What it means
//! The file has a syntax error (or syntax newer than the parser knows); it
//! was linted as far as it parsed, and a trap after the error may be
//! missed. A file larger than 1 MiB that mentions OpenAI is not parsed at
//! all, and said so here.
//!
//! ## Usual causes
//! A file that is not really Python or JavaScript (a template, a fixture);
//! a work in progress.
//!
//! ## Example
//! `app.py:3:1 parse_error Expected an expression`

use super::{At, File, LintRule, Project, Spot};
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::ParseError,
    severity: Severity::Warning,
    summary: "the file could not be parsed whole",
    why: "What follows a syntax error may hold a trap that was not seen.",
    fix: "Fix the syntax error, or exclude the file (--ignore parse_error, or a `.gitignore`d path).",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    file.facts
        .parse_error
        .iter()
        .map(|(at, message)| Spot {
            fix: None,
            at: At::Offset(*at),
            message: format!("the file {message}"),
        })
        .collect()
}
