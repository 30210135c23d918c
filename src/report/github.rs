//! GitHub Actions workflow commands: each error and warning finding, and the
//! diagnosis, as annotations on the run. These logs are public on open-source
//! projects; like every format, this one is built from the masked report.

use std::fmt::Write;

use super::{Render, Report};
use crate::vocab::{Severity, Verdict, text};

pub struct Github;

impl Render for Github {
    fn render(&self, r: &Report) -> String {
        let mut out = String::new();
        for f in r.findings() {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => continue,
            };
            command(
                &mut out,
                level,
                &format!("openai-keycheck: {}", f.id.name()),
                &f.message,
            );
        }
        let d = &r.diagnosis;
        let warned = r.findings().iter().any(|f| f.severity != Severity::Info);
        let level = match (r.ok, warned) {
            (true, false) if d.verdict != Verdict::PassWithWarning && d.unseen.is_empty() => "notice",
            (true, _) => "warning",
            (false, _) => "error",
        };
        // A pass that --strict failed, or that rests on what was not seen,
        // says so in its title: an error is never titled "ok" alone.
        let but = if !d.strict_failures.is_empty() {
            format!(
                ", but --strict fails on {}",
                crate::diagnose::strict_names(&d.strict_failures)
            )
        } else if !d.unseen.is_empty() {
            let ids: Vec<&str> = d.unseen.iter().map(|u| u.id.name()).collect();
            format!(", but not checked: {}", ids.join(", "))
        } else {
            String::new()
        };
        let steps: Vec<String> = d
            .checklist
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {s}", i + 1))
            .collect();
        command(
            &mut out,
            level,
            &format!("openai-keycheck: {} — {}{but}", d.id, d.title),
            &steps.join("\n"),
        );
        out
    }
}

fn command(out: &mut String, level: &str, title: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{level} title={}::{}",
        text::workflow_property(title),
        text::workflow_data(message)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_command_per_line() {
        let mut out = String::new();
        command(&mut out, "error", "t: x", "line 1\nline 2");
        assert_eq!(out, "::error title=t%3A x::line 1%0Aline 2\n");
    }
}
