//! The report for a person at a terminal: sections like `flutter doctor`,
//! ✓ ! ✗ marks, colour only when wanted (decided once in main).

use std::fmt::Write;

use colored::Colorize;

use super::{DoctorView, ExplainFacts, Render, Report, Subject};
use crate::plan::CredentialRole;
use crate::resolve::SourceState;
use crate::vocab::client::Service;
use crate::vocab::{Severity, Verdict};

pub struct Human {
    /// Also the response headers that matter and the raw body (masked).
    pub verbose: bool,
}

const OK: &str = "✓";
const WARN: &str = "!";
const FAIL: &str = "✗";

fn mark(symbol: &str) -> colored::ColoredString {
    match symbol {
        OK => symbol.green().bold(),
        WARN => symbol.yellow().bold(),
        FAIL => symbol.red().bold(),
        _ => symbol.dimmed(),
    }
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{}", title.bold());
}

impl Render for Human {
    fn render(&self, r: &Report) -> String {
        match &r.subject {
            Subject::Doctor(d) => self.doctor(r, d),
            Subject::Explain(x) => self.explain(r, &x.explain),
        }
    }
}

impl Human {
    fn doctor(&self, r: &Report, d: &DoctorView) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {} doctor", r.tool.name.bold(), r.tool.version);

        heading(&mut out, "Key sources");
        let tilde = |text: &str| under_home(text, d.home.as_deref());
        let width = d
            .sources
            .iter()
            .map(|s| tilde(&s.location).chars().count())
            .max()
            .unwrap_or(0);
        for s in &d.sources {
            let symbol = match (s.state, s.used) {
                (SourceState::Set, true) => OK,
                (SourceState::Empty, true) => FAIL,
                (SourceState::Set, false)
                | (SourceState::Unreadable | SourceState::Invalid | SourceState::Untrusted, _) => WARN,
                _ => "·",
            };
            let state: &str = s.state.into();
            let mut line = format!(
                "  {} {:<16} {:<width$}  {state}",
                mark(symbol),
                s.source.id(),
                tilde(&s.location)
            );
            if let Some(m) = &s.masked {
                let _ = write!(line, "  {m}");
            }
            match (s.used, s.tested, s.state) {
                (true, true, _) => line.push_str(&format!("  {}", "← used".bold())),
                (true, false, _) => line.push_str(&format!("  {}", "← used by programs".bold())),
                (false, true, _) => line.push_str(&format!("  {}", "← tested".bold())),
                (false, false, SourceState::Set) => line.push_str("  (shadowed)"),
                _ => {}
            }
            if let Some(detail) = s
                .detail
                .as_ref()
                .filter(|_| s.state != SourceState::Unset || self.verbose)
            {
                let _ = write!(line, "  {}", format!("({detail})").dimmed());
            }
            let _ = writeln!(out, "{line}");
        }

        if let Some(k) = &d.key {
            heading(&mut out, "Key");
            let kind = k
                .provider
                .map_or_else(|| k.kind.describe().to_string(), |p| format!("{p} key"));
            let line = if k.length == 0 {
                "(empty)".to_string()
            } else {
                let fingerprint = k.fingerprint.as_ref().map_or_else(
                    || "too short for a fingerprint".to_string(),
                    |f| format!("fingerprint {f}"),
                );
                format!("{}  {kind}, {} characters, {fingerprint}", k.masked, k.length)
            };
            let _ = writeln!(out, "  {line}");
        }

        let s = &d.settings;
        heading(&mut out, "Settings");
        let origin = |o: crate::resolve::Origin| -> &'static str { o.into() };
        // Azure without an endpoint has no base URL at all.
        if !s.base_url.value.is_empty() {
            let _ = writeln!(
                out,
                "  base URL      {} ({})",
                s.base_url.value,
                origin(s.base_url.origin)
            );
        }
        if let Some(h) = &s.custom_headers {
            let _ = writeln!(
                out,
                "  custom headers {} ({})",
                h.names.join(", "),
                origin(h.origin)
            );
        }
        if let Some(a) = &s.admin_key {
            let _ = writeln!(out, "  admin key     {} ({})", a.masked, origin(a.origin));
        }
        if let Some(p) = &s.proxy {
            let _ = writeln!(out, "  proxy         {} ({})", p.url, p.variable);
        }
        let azure = [
            ("endpoint", s.azure_endpoint.as_ref()),
            ("API version", s.api_version.as_ref()),
        ];
        for (name, v) in azure
            .into_iter()
            .filter(|_| d.client.rules().service == Service::Azure)
        {
            match v {
                Some(v) => {
                    let _ = writeln!(out, "  {name:<13} {} ({})", v.value, origin(v.origin));
                }
                None => {
                    let _ = writeln!(out, "  {name:<13} {}", "not set".red());
                }
            }
        }
        for (name, v) in [("organization", &s.organization), ("project", &s.project)] {
            if let Some(v) = v {
                let _ = writeln!(out, "  {name:<13} {} ({})", v.value, origin(v.origin));
            }
        }

        if !d.findings.is_empty() {
            heading(&mut out, "Findings");
            for f in &d.findings {
                let symbol = match f.severity {
                    Severity::Error => mark(FAIL),
                    Severity::Warning => mark(WARN),
                    Severity::Info => "i".blue().bold(),
                };
                let _ = writeln!(out, "  {symbol} {}: {}", f.id.name().bold(), f.message);
            }
        }

        heading(&mut out, "Probe");
        match &d.probe {
            None => {
                let _ = writeln!(out, "  {} no request made", mark("·"));
            }
            Some(p) => {
                let result = match (p.status, &p.network_error_detail) {
                    (_, Some(detail)) => format!("{} ({detail})", "no answer".red()),
                    (Some(status), None) if (200..300).contains(&status) => {
                        status.to_string().green().to_string()
                    }
                    (Some(status), None) => status.to_string().red().to_string(),
                    (None, None) => "no answer".into(),
                };
                let _ = writeln!(out, "  {} {} → {result} in {} ms", p.method, p.url, p.elapsed_ms);
                // The subject is what was sent: say so when it was not the key.
                if let Some(c) = d.credential.as_ref().filter(|c| c.role != CredentialRole::Key) {
                    let origin: &str = c.origin.into();
                    let _ = writeln!(
                        out,
                        "  sent {}: {} from {} ({origin}), instead of the key",
                        c.header, c.masked, c.variable
                    );
                }
                if let Some(e) = &p.error {
                    let code = e.code.as_deref().or(e.kind.as_deref()).unwrap_or("no code");
                    let _ = writeln!(out, "  error: {code}: {}", e.message.as_deref().unwrap_or(""));
                }
                for (name, value) in [
                    ("request id", &p.request_id),
                    ("organization", &p.organization),
                    ("project", &p.project),
                ] {
                    if let Some(v) = value {
                        let _ = writeln!(out, "  {name}: {v}");
                    }
                }
                if self.verbose {
                    for (name, value) in [
                        ("openai-processing-ms", &p.processing_ms),
                        ("retry-after", &p.retry_after),
                        ("content-type", &p.content_type),
                        ("location", &p.location),
                    ] {
                        if let Some(v) = value {
                            let _ = writeln!(out, "  {name}: {v}");
                        }
                    }
                    for (name, value) in &p.rate_limits {
                        let _ = writeln!(out, "  {name}: {value}");
                    }
                    if !p.body_excerpt.is_empty() {
                        let _ = writeln!(out, "  body:");
                        for line in p.body_excerpt.lines() {
                            let _ = writeln!(out, "    {line}");
                        }
                    }
                }
            }
        }

        diagnosis(&mut out, r);
        tilde(&out)
    }

    /// `explain`: what was recognised in the text, then the same diagnosis.
    fn explain(&self, r: &Report, facts: &ExplainFacts) -> String {
        let x = &facts.recognised;
        let mut out = String::new();
        let _ = writeln!(out, "{} {} explain", r.tool.name.bold(), r.tool.version);
        heading(&mut out, "Recognised");
        let _ = writeln!(out, "  {}", x.recognised);
        if let Some(e) = &x.error {
            let code = e.code.as_deref().or(e.kind.as_deref()).unwrap_or("no code");
            let _ = writeln!(out, "  error: {code}: {}", e.message.as_deref().unwrap_or(""));
        }
        for (name, value) in [("request id", &x.request_id), ("retry-after", &x.retry_after)] {
            if let Some(v) = value {
                let _ = writeln!(out, "  {name}: {v}");
            }
        }
        if !facts.alternatives.is_empty() {
            let ids: Vec<&str> = facts.alternatives.iter().map(|id| id.name()).collect();
            let _ = writeln!(out, "  could mean: {}", ids.join(", "));
        }
        let lines = |o: &crate::diagnose::Occurrence| {
            if o.first_line == o.last_line {
                format!("line {}", o.first_line)
            } else {
                format!("lines {}–{}", o.first_line, o.last_line)
            }
        };
        let (same, earlier): (Vec<_>, Vec<_>) =
            facts.occurrences.iter().partition(|o| o.id == r.diagnosis.id);
        if !earlier.is_empty() {
            let groups: Vec<String> = earlier
                .iter()
                .map(|o| format!("{} × {} ({})", o.count, o.id, lines(o)))
                .collect();
            let _ = writeln!(
                out,
                "  Earlier in the input: {}; the last error decides.",
                groups.join(", ")
            );
        }
        for o in same.iter().filter(|o| o.count > 1) {
            let _ = writeln!(out, "  The same error appears {} times ({}).", o.count, lines(o));
        }
        if facts.input.skipped_bytes > 0 {
            let _ = writeln!(
                out,
                "  Not read: {} bytes, the ends of {} lines longer than 64 KiB and of error reports longer than 256 KiB.",
                facts.input.skipped_bytes, facts.input.cut_lines
            );
        }
        diagnosis(&mut out, r);
        out
    }
}

/// The diagnosis, its numbered checklist and the closing summary line.
fn diagnosis(out: &mut String, r: &Report) {
    let d = &r.diagnosis;
    heading(out, &format!("Diagnosis: {} — {}", d.id, d.title));
    for (i, step) in d.checklist.iter().enumerate() {
        let _ = writeln!(out, "  {}. {step}", i + 1);
    }
    let warned =
        d.verdict == Verdict::PassWithWarning || r.findings().iter().any(|f| f.severity != Severity::Info);
    let symbol = match (r.ok, warned) {
        (true, false) => mark(OK),
        (true, true) => mark(WARN),
        (false, _) => mark(FAIL),
    };
    let strict = if d.strict_failures.is_empty() {
        String::new()
    } else {
        format!(
            ", --strict: {}",
            crate::diagnose::strict_names(&d.strict_failures)
        )
    };
    let _ = writeln!(
        out,
        "\n{symbol} {}: {} (exit {}{strict})",
        d.id.name().bold(),
        d.title,
        r.exit_code.code()
    );
}

/// `~/…` for paths under HOME, as a shell shows them: shorter, and the same
/// on every machine.
fn under_home(text: &str, home: Option<&std::path::Path>) -> String {
    match home.map(|h| h.display().to_string()) {
        Some(home) if home.len() > 1 => text.replace(&format!("{}/", home.trim_end_matches('/')), "~/"),
        _ => text.to_string(),
    }
}
