//! The Markdown summary appended to `$GITHUB_STEP_SUMMARY`: sources, findings,
//! diagnosis and checklist, from the masked report.

use std::fmt::Write;

use super::{Render, Report, wire_name};
use crate::finding::Severity;
use crate::resolve::SourceState;

pub struct Markdown;

impl Render for Markdown {
    fn render(&self, r: &Report) -> String {
        let d = &r.diagnosis;
        let mark = if r.ok { "✅" } else { "❌" };
        let mut out = format!("### {mark} openai-keycheck: `{}` — {}\n\n", d.id, cell(d.title));

        out.push_str("| source | location | state | key |\n|---|---|---|---|\n");
        for s in &r.sources {
            let key = match (&s.masked, s.used, s.state) {
                (Some(m), true, _) => format!("`{m}` **used**"),
                (Some(m), false, _) => format!("`{m}` shadowed"),
                (None, true, SourceState::Empty) => "(empty) **used**".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {key} |",
                s.source.id(),
                cell(&s.location),
                wire_name(&s.state)
            );
        }

        if !r.findings.is_empty() {
            out.push_str("\n**Findings**\n\n");
            for f in &r.findings {
                let icon = match f.severity {
                    Severity::Error => "❌",
                    Severity::Warning => "⚠️",
                    Severity::Info => "ℹ️",
                };
                let _ = writeln!(out, "- {icon} `{}`: {}", f.id.name(), one_line(&f.message));
            }
        }

        out.push_str("\n**Checklist**\n\n");
        for (i, step) in d.checklist.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, one_line(step));
        }

        let mut footer = vec![
            format!("exit code {}", r.exit_code),
            format!("retry: {}", wire_name(&d.retry)),
        ];
        if let Some(p) = &r.probe {
            footer.push(format!(
                "`{} {}` → {}",
                p.method,
                p.url,
                p.status.map_or("no answer".into(), |s| s.to_string())
            ));
            if let Some(id) = &p.request_id {
                footer.push(format!("request id `{id}`"));
            }
        }
        let _ = writeln!(out, "\n{}\n", footer.join(" · "));
        out
    }
}

/// Text fit for a table cell: a `|` would end it, a newline would end the row.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
