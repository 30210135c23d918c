//! The Markdown summary appended to `$GITHUB_STEP_SUMMARY`: sources, findings,
//! diagnosis and checklist, from the masked report.

use std::fmt::Write;

use super::{Render, Report, Subject};
use crate::resolve::SourceState;
use crate::vocab::Severity;
use crate::vocab::text::{markdown_code as code, markdown_text as cell};

pub struct Markdown;

impl Render for Markdown {
    fn render(&self, r: &Report) -> String {
        let d = &r.diagnosis;
        // A pass that rests on what the run could not see is not a clean one.
        let mark = match (r.ok, d.unseen.is_empty()) {
            (false, _) => "❌",
            (true, true) => "✅",
            (true, false) => "⚠️",
        };
        let mut out = format!(
            "### {mark} openai-keycheck: {} — {}\n\n",
            code(d.id.name()),
            cell(d.title)
        );

        let doctor = match &r.subject {
            Subject::Doctor(d) => Some(d),
            Subject::Explain(_) => None,
        };
        // A CI log often holds several errors: list them; the last decides.
        if let Subject::Explain(x) = &r.subject
            && x.explain.occurrences.iter().map(|o| o.count).sum::<u64>() > 1
        {
            out.push_str("**Errors in the input** (the last one decides)\n\n");
            for o in &x.explain.occurrences {
                let _ = writeln!(
                    out,
                    "- {} × {} (lines {}–{})",
                    o.count,
                    code(o.id.name()),
                    o.first_line,
                    o.last_line
                );
            }
        }
        let sources = doctor.map(|d| d.sources.as_slice()).unwrap_or_default();
        if !sources.is_empty() {
            out.push_str("| source | location | state | key |\n|---|---|---|---|\n");
        }
        for s in sources {
            let role = match (s.used, s.tested) {
                (true, _) => "**used**",
                (false, true) => "**tested**",
                (false, false) => "shadowed",
            };
            let key = match (&s.masked, s.state) {
                (Some(m), _) => format!("{} {role}", code(m)),
                (None, SourceState::Empty) if s.used || s.tested => format!("(empty) {role}"),
                _ => String::new(),
            };
            let state: &str = s.state.into();
            let _ = writeln!(
                out,
                "| {} | {} | {state} | {key} |",
                s.source.id(),
                code(&s.location),
            );
        }

        if !r.findings().is_empty() {
            out.push_str("\n**Findings**\n\n");
            for f in r.findings() {
                let icon = match f.severity {
                    Severity::Error => "❌",
                    Severity::Warning => "⚠️",
                    Severity::Info => "ℹ️",
                };
                let _ = writeln!(out, "- {icon} {}: {}", code(f.id.name()), cell(&f.message));
            }
        }

        out.push_str("\n**Checklist**\n\n");
        for (i, step) in d.checklist.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, cell(step));
        }

        let retry: &str = d.retry.into();
        let mut footer = vec![
            format!("exit code {}", r.exit_code.code()),
            format!("retry: {retry}"),
        ];
        if let Some(p) = doctor.and_then(|d| d.probe.as_ref()) {
            footer.push(format!(
                "{} → {}",
                code(&format!("{} {}", p.method, p.url)),
                p.status.map_or("no answer".into(), |s| s.to_string())
            ));
            if let Some(id) = &p.request_id {
                footer.push(format!("request id {}", code(id)));
            }
        }
        let _ = writeln!(out, "\n{}\n", footer.join(" · "));
        out
    }
}
