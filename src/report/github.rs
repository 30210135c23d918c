//! GitHub Actions workflow commands: each error and warning finding, and the
//! diagnosis, as annotations on the run. These logs are public on open-source
//! projects; like every format, this one is built from the masked report.

use std::fmt::Write;

use super::{Render, Report};
use crate::vocab::{Severity, Verdict};

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
            (true, false) if d.verdict != Verdict::PassWithWarning => "notice",
            (true, _) => "warning",
            (false, _) => "error",
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
            &format!("openai-keycheck: {} — {}", d.id, d.title),
            &steps.join("\n"),
        );
        out
    }
}

fn command(out: &mut String, level: &str, title: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{level} title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

/// The message part of a workflow command: `%`, CR and LF are encoded.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value (`title=`): also `:` and `,`, which end it.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_workflow_command_rules_say() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("a: b, 5%\nc"), "a%3A b%2C 5%25%0Ac");
    }

    #[test]
    fn one_command_per_line() {
        let mut out = String::new();
        command(&mut out, "error", "t: x", "line 1\nline 2");
        assert_eq!(out, "::error title=t%3A x::line 1%0Aline 2\n");
    }
}
