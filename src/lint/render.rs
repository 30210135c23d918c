//! The formats a lint run is shown in: `human` (ruff's `path:line:col id
//! message` with the line as a code frame), `json` (`schema/lint-v1.json`),
//! `github` (annotations), `sarif` (2.1.0, for code scanning) and `junit`.
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
            place(hit),
            hit.line,
            hit.column,
            hit.rule,
            hit.message,
            hit.line,
            crate::vocab::text::escape_controls(&hit.source_line, false),
        ));
        if let Some(rule) = RULES.iter().find(|r| r.id == hit.rule) {
            out.push_str(&format!("{gutter} = fix: {}\n", rule.fix));
        }
        match &hit.fix {
            Some(fix) if fix.safe => out.push_str(&format!("{gutter} = --fix does it: {}\n", fix.title)),
            Some(fix) => out.push_str(&format!(
                "{gutter} = --diff shows how: {} (not applied by --fix: it changes more than the trap)\n",
                fix.title
            )),
            None => {}
        }
        out.push('\n');
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
    /// A notebook's code cell (1-based); `line` is then within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
    message: &'a str,
    why: &'static str,
    fix: &'static str,
    /// The edit lint can make here: `--fix` applies a safe one.
    #[serde(skip_serializing_if = "Option::is_none")]
    autofix: Option<Autofix>,
}

#[derive(Serialize)]
struct Autofix {
    safe: bool,
    title: &'static str,
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
                cell: hit.cell,
                message: &hit.message,
                why: rule.map_or("", |r| r.why),
                fix: rule.map_or("", |r| r.fix),
                autofix: hit.fix.as_ref().map(|f| Autofix {
                    safe: f.safe,
                    title: f.title,
                }),
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

/// GitHub workflow commands: one annotation per hit, on its file and line.
pub fn github(linted: &Linted) -> String {
    use crate::vocab::text::{workflow_data, workflow_property};
    let mut out = String::new();
    for hit in &linted.hits {
        let level = match hit.severity {
            Severity::Error => "error",
            _ => "warning",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            workflow_property(&slashed(hit)),
            hit.line,
            hit.column,
            workflow_property(&format!("openai-keycheck: {}", hit.rule)),
            workflow_data(&hit.message),
        ));
    }
    out
}

/// Where the rules' reference lives, for SARIF's `helpUri`.
const REFERENCE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/reference/lint.md");

/// SARIF 2.1.0, as GitHub code scanning reads it: the rules with their
/// help, each result with a repository-relative URI and a fingerprint of
/// its line (taken from the line as shown, with any key masked).
pub fn sarif(linted: &Linted) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        _ => "warning",
    };
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id.name(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why},
                "help": {"text": r.fix},
                "helpUri": format!("{REFERENCE}#{}", r.id),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = linted
        .hits
        .iter()
        .map(|hit| {
            let index = RULES.iter().position(|r| r.id == hit.rule).unwrap_or(0);
            let shown_line = linted.secrets.redact(hit.source_line.trim());
            let fingerprint = hex_digest(&format!("{}\0{}\0{}", hit.rule, slashed(hit), shown_line));
            let mut result = serde_json::json!({
                "ruleId": hit.rule.name(),
                "ruleIndex": index,
                "level": level(hit.severity),
                "message": {"text": hit.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": slashed(hit), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": hit.line, "startColumn": hit.column},
                    }
                }],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint},
            });
            if let Some(cell) = hit.cell {
                result["properties"] = serde_json::json!({"cell": cell});
            }
            result
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": env!("CARGO_PKG_NAME"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("the log serializes");
    text.push('\n');
    text
}

/// JUnit XML, for CI systems that show test reports: one test case per
/// rule and file, failed where it fired.
pub fn junit(linted: &Linted) -> String {
    use quick_xml::escape::escape;
    let mut cases = String::new();
    for hit in &linted.hits {
        cases.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}:{}:{} {}\">\n      <failure type=\"{}\" message=\"{}\"/>\n    </testcase>\n",
            escape(slashed(hit)),
            escape(place(hit)),
            hit.line,
            hit.column,
            hit.rule,
            hit.rule,
            escape(hit.message.as_str()),
        ));
    }
    let count = linted.hits.len();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"openai-keycheck lint\" tests=\"{count}\" failures=\"{count}\">\n  <testsuite name=\"openai-keycheck lint\" tests=\"{count}\" failures=\"{count}\">\n"
    );
    out.push_str(&cases);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `app.py`, or `notebook.ipynb:cell 3` as ruff shows a notebook's cell.
fn place(hit: &Hit) -> String {
    match hit.cell {
        Some(cell) => format!("{}:cell {cell}", hit.path.display()),
        None => hit.path.display().to_string(),
    }
}

/// The path with `/` between its parts, as a URI and an annotation want it.
fn slashed(hit: &Hit) -> String {
    hit.path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn hex_digest(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
