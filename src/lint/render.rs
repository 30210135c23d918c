//! The formats a lint run is shown in: `human` (ruff's `path:line:col id
//! message` with the line as a code frame) and `json` (`schema/lint-v1.json`).
//! Every one goes through the caller's redaction before it is printed.

use serde::Serialize;

use super::rules::RULES;
use super::{Hit, Linted};
use crate::vocab::Severity;

pub fn human(linted: &Linted) -> String {
    let mut out = String::new();
    for hit in &linted.hits {
        let gutter = " ".repeat(hit.line.to_string().len());
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n{gutter} |\n{} | {}\n{gutter} |\n",
            hit.path.display(),
            hit.line,
            hit.column,
            hit.rule,
            hit.message,
            hit.line,
            crate::vocab::text::escape_controls(&hit.source_line, false),
        ));
        if let Some(rule) = RULES.iter().find(|r| r.id == hit.rule) {
            out.push_str(&format!("{gutter} = fix: {}\n\n", rule.fix));
        }
    }
    let count = |s: Severity| linted.hits.iter().filter(|h| h.severity == s).count();
    let files = format!(
        "{} ({} parsed)",
        counted(linted.files_walked, "file"),
        linted.files_parsed
    );
    if linted.hits.is_empty() {
        out.push_str(&format!("No credential traps found in {files}.\n"));
    } else {
        out.push_str(&format!(
            "Found {} ({}, {}) in {files}.\n",
            counted(linted.hits.len(), "problem"),
            counted(count(Severity::Error), "error"),
            counted(count(Severity::Warning), "warning"),
        ));
    }
    out
}

fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    files: Files,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Files {
    walked: usize,
    parsed: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: Severity,
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
    why: &'static str,
    fix: &'static str,
}

pub fn json(linted: &Linted) -> String {
    let findings = linted
        .hits
        .iter()
        .map(|hit: &Hit| {
            let rule = RULES.iter().find(|r| r.id == hit.rule);
            Finding {
                rule: hit.rule.name(),
                severity: hit.severity,
                path: hit.path.display().to_string(),
                line: hit.line,
                column: hit.column,
                message: &hit.message,
                why: rule.map_or("", |r| r.why),
                fix: rule.map_or("", |r| r.fix),
            }
        })
        .collect();
    let report = Report {
        schema_version: 1,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        files: Files {
            walked: linted.files_walked,
            parsed: linted.files_parsed,
        },
        findings,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("the report serializes");
    text.push('\n');
    text
}
