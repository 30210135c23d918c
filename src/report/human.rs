//! The report for a person at a terminal: sections like `flutter doctor`,
//! ✓ ! ✗ marks, colour only when the presentation asks for it.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::{DoctorView, ExplainFacts, ProbeView, Render, Report, SettingsView, SourceView, Subject};
use crate::plan::CredentialRole;
use crate::resolve::SourceState;
use crate::vocab::client::Service;
use crate::vocab::program::{DotenvInCode, KeyInCode, Program, SettingRole};
use crate::vocab::{Finding, Severity, Verdict};

pub struct Human {
    /// Also the response headers that matter and the raw body (masked).
    pub verbose: bool,
    /// Colour, as decided once at the edge.
    pub colour: bool,
}

const OK: &str = "✓";
const WARN: &str = "!";
const FAIL: &str = "✗";

const BOLD: Style = Style::new().bold();
const GOOD: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const CAUTION: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const BAD: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const NOTE: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)));
const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const GREEN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const DIM: Style = Style::new().dimmed();

impl Render for Human {
    fn render(&self, r: &Report) -> String {
        match &r.subject {
            Subject::Doctor(d) => self.doctor(r, d),
            Subject::Explain(x) => self.explain(r, &x.explain),
        }
    }
}

impl Human {
    /// `text` in `style`, when there is colour.
    fn paint(&self, text: &str, style: Style) -> String {
        if self.colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn mark(&self, symbol: &str) -> String {
        let style = match symbol {
            OK => GOOD,
            WARN => CAUTION,
            FAIL => BAD,
            _ => DIM,
        };
        self.paint(symbol, style)
    }

    fn heading(&self, out: &mut String, title: &str) {
        let _ = writeln!(out, "\n{}", self.paint(title, BOLD));
    }

    fn doctor(&self, r: &Report, d: &DoctorView) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {} doctor", self.paint(r.tool.name, BOLD), r.tool.version);
        if let Some(program) = &d.program {
            self.program(&mut out, program);
        }
        self.sources(&mut out, d);
        self.key(&mut out, d);
        self.settings(
            &mut out,
            &d.settings,
            d.client.rules().service,
            d.program.as_ref(),
        );
        self.findings(&mut out, &d.findings);
        self.probe(&mut out, d);
        self.diagnosis(&mut out, r);
        under_home(&out, d.home.as_deref())
    }

    /// What the program's code says, each with its `path:line`.
    fn program(&self, out: &mut String, p: &Program) {
        self.heading(out, "Program");
        let files = match p.files.as_slice() {
            [one] => one.clone(),
            many => format!("{} files", many.len()),
        };
        let _ = writeln!(out, "  read          {files}");
        match p.followed() {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "  client        {}()  {}  (--client {})",
                    c.class,
                    c.at,
                    c.client.name()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  client        {}",
                    self.paint("none made in the files read", DIM)
                );
            }
        }
        let key = match &p.key {
            KeyInCode::Environment => "read by the client from the environment".to_string(),
            KeyInCode::Variable { variable, at, .. } => format!("from {variable}  {at}"),
            KeyInCode::Literal { at, token: false, .. } => format!("written in the code  {at}"),
            KeyInCode::Literal { at, token: true, .. } => {
                format!("a token provider returning a token written in the code  {at}")
            }
            KeyInCode::NotFollowed { at, argument, .. } => {
                format!("{argument} computed when the program runs  {at}")
            }
        };
        if p.followed().is_some() {
            let _ = writeln!(out, "  key           {key}");
        }
        for setting in &p.settings {
            let value = match (&setting.value, &setting.variable) {
                (_, Some(variable)) => format!("from {variable}"),
                (Some(value), None) => value.clone(),
                (None, None) => "computed when it runs".into(),
            };
            let _ = writeln!(out, "  {:<13} {value}  {}", setting.argument, setting.at);
        }
        let dotenv = |d: &DotenvInCode| {
            format!(
                "{}{}  {}",
                d.path.as_deref().unwrap_or("the loader's own search"),
                if d.overrides { ", override" } else { "" },
                d.at
            )
        };
        match (&p.dotenv, &p.dotenv_too_late) {
            (Some(d), _) => {
                let _ = writeln!(out, "  .env          loaded before the client: {}", dotenv(d));
            }
            (None, Some(d)) => {
                let _ = writeln!(
                    out,
                    "  .env          {}",
                    self.paint(&format!("loaded after the client: {}", dotenv(d)), RED)
                );
            }
            (None, None) => match &p.key {
                KeyInCode::Variable {
                    env_file: Some(file), ..
                } => {
                    let _ = writeln!(
                        out,
                        "  .env          {file}, read by the settings class itself (not into the environment)"
                    );
                }
                _ => {
                    let _ = writeln!(out, "  .env          not loaded");
                }
            },
        }
        for model in &p.models {
            let what = if model.deployment { "deployment" } else { "model" };
            let _ = writeln!(out, "  {what:<13} {}  {}", model.id, model.at);
        }
        for line in &p.not_followed {
            let _ = writeln!(out, "  {}", self.paint(&format!("not followed: {line}"), DIM));
        }
    }

    fn sources(&self, out: &mut String, d: &DoctorView) {
        self.heading(out, "Key sources");
        let tilde = |text: &str| under_home(text, d.home.as_deref());
        let width = d
            .sources
            .iter()
            .map(|s| tilde(&s.location).chars().count())
            .max()
            .unwrap_or(0);
        for s in &d.sources {
            let _ = writeln!(out, "{}", self.source(s, &tilde(&s.location), width));
        }
    }

    fn source(&self, s: &SourceView, location: &str, width: usize) -> String {
        let symbol = match (s.state, s.used) {
            (SourceState::Set, true) => OK,
            (SourceState::Empty, true) => FAIL,
            (SourceState::Set, false)
            | (SourceState::Unreadable | SourceState::Invalid | SourceState::Untrusted, _) => WARN,
            _ => "·",
        };
        let state: &str = s.state.into();
        let mut line = format!(
            "  {} {:<16} {location:<width$}  {state}",
            self.mark(symbol),
            s.source.id()
        );
        if let Some(m) = &s.masked {
            let _ = write!(line, "  {m}");
        }
        match (s.used, s.tested, s.state) {
            (true, true, _) => line.push_str(&format!("  {}", self.paint("← used", BOLD))),
            (true, false, _) => line.push_str(&format!("  {}", self.paint("← used by programs", BOLD))),
            (false, true, _) => line.push_str(&format!("  {}", self.paint("← tested", BOLD))),
            (false, false, SourceState::Set) => line.push_str("  (shadowed)"),
            _ => {}
        }
        if let Some(detail) = s
            .detail
            .as_ref()
            .filter(|_| s.state != SourceState::Unset || self.verbose)
        {
            let _ = write!(line, "  {}", self.paint(&format!("({detail})"), DIM));
        }
        line
    }

    fn key(&self, out: &mut String, d: &DoctorView) {
        let Some(k) = &d.key else { return };
        self.heading(out, "Key");
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

    fn settings(&self, out: &mut String, s: &SettingsView, service: Service, program: Option<&Program>) {
        self.heading(out, "Settings");
        // A setting the program's code gives is named with where it does:
        // written there, or read there from the variable that gave it (a
        // value the code computes came from elsewhere, and is not).
        let in_code = |role: SettingRole, v: &super::SettingView| {
            program
                .into_iter()
                .flat_map(|p| &p.settings)
                .find(|s| s.role == role)
                .filter(|s| {
                    v.origin == crate::resolve::Origin::Code || s.variable.as_deref() == Some(v.variable)
                })
                .map(|s| format!(", {}= at {}", s.argument, s.at))
                .unwrap_or_default()
        };
        let origin = |o: crate::resolve::Origin| -> &'static str { o.into() };
        let line = |out: &mut String, name: &str, v: &super::SettingView, role: SettingRole| {
            let _ = writeln!(
                out,
                "  {name:<13} {} ({}{})",
                v.value,
                origin(v.origin),
                in_code(role, v)
            );
        };
        // Azure without an endpoint has no base URL at all.
        if !s.base_url.value.is_empty() {
            let role = match service {
                Service::Azure => SettingRole::AzureEndpoint,
                Service::OpenAi => SettingRole::BaseUrl,
            };
            let _ = writeln!(
                out,
                "  base URL      {} ({}{})",
                s.base_url.value,
                origin(s.base_url.origin),
                in_code(role, &s.base_url)
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
        if service == Service::Azure {
            for (name, v, role) in [
                ("endpoint", &s.azure_endpoint, SettingRole::AzureEndpoint),
                ("API version", &s.api_version, SettingRole::ApiVersion),
            ] {
                match v {
                    Some(v) => line(out, name, v, role),
                    None => {
                        let _ = writeln!(out, "  {name:<13} {}", self.paint("not set", RED));
                    }
                }
            }
        }
        for (name, v, role) in [
            ("organization", &s.organization, SettingRole::Organization),
            ("project", &s.project, SettingRole::Project),
        ] {
            if let Some(v) = v {
                line(out, name, v, role);
            }
        }
    }

    fn findings(&self, out: &mut String, findings: &[Finding]) {
        if findings.is_empty() {
            return;
        }
        self.heading(out, "Findings");
        for f in findings {
            let symbol = match f.severity {
                Severity::Error => self.mark(FAIL),
                Severity::Warning => self.mark(WARN),
                Severity::Info => self.paint("i", NOTE),
            };
            let _ = writeln!(out, "  {symbol} {}: {}", self.paint(f.id.name(), BOLD), f.message);
        }
    }

    fn probe(&self, out: &mut String, d: &DoctorView) {
        self.heading(out, "Probe");
        let Some(p) = &d.probe else {
            let _ = writeln!(out, "  {} no request made", self.mark("·"));
            return;
        };
        let result = match (p.status, &p.network_error_detail) {
            (_, Some(detail)) => format!("{} ({detail})", self.paint("no answer", RED)),
            (Some(status), None) if (200..300).contains(&status) => self.paint(&status.to_string(), GREEN),
            (Some(status), None) => self.paint(&status.to_string(), RED),
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
            verbose_probe(out, p);
        }
    }

    /// `explain`: what was recognised in the text, then the same diagnosis.
    fn explain(&self, r: &Report, facts: &ExplainFacts) -> String {
        let x = &facts.recognised;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} explain",
            self.paint(r.tool.name, BOLD),
            r.tool.version
        );
        self.heading(&mut out, "Recognised");
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
        occurrences(&mut out, r, facts);
        self.diagnosis(&mut out, r);
        out
    }

    /// The diagnosis, its numbered checklist and the closing summary line.
    fn diagnosis(&self, out: &mut String, r: &Report) {
        let d = &r.diagnosis;
        self.heading(out, &format!("Diagnosis: {} — {}", d.id, d.title));
        for (i, step) in d.checklist.iter().enumerate() {
            let _ = writeln!(out, "  {}. {step}", i + 1);
        }
        let warned = d.verdict == Verdict::PassWithWarning
            || !d.unseen.is_empty()
            || r.findings().iter().any(|f| f.severity != Severity::Info);
        let symbol = match (r.ok, warned) {
            (true, false) => self.mark(OK),
            (true, true) => self.mark(WARN),
            (false, _) => self.mark(FAIL),
        };
        let strict = if !d.strict_failures.is_empty() {
            format!(
                ", --strict: {}",
                crate::diagnose::strict_names(&d.strict_failures)
            )
        } else if !d.unseen.is_empty() {
            let ids: Vec<&str> = d.unseen.iter().map(|u| u.id.name()).collect();
            format!("; not checked: {}", ids.join(", "))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{symbol} {}: {} (exit {}{strict})",
            self.paint(d.id.name(), BOLD),
            d.title,
            r.exit_code.code()
        );
    }
}

/// `--verbose`: the headers that matter, the rate limits and the body.
fn verbose_probe(out: &mut String, p: &ProbeView) {
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

/// Every error an input held, by kind: the last decides.
fn occurrences(out: &mut String, r: &Report, facts: &ExplainFacts) {
    let lines = |o: &crate::diagnose::Occurrence| {
        if o.first_line == o.last_line {
            format!("line {}", o.first_line)
        } else {
            format!("lines {}–{}", o.first_line, o.last_line)
        }
    };
    let (same, earlier): (Vec<_>, Vec<_>) = facts.occurrences.iter().partition(|o| o.id == r.diagnosis.id);
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
}

/// `~/…` for paths under HOME, as a shell shows them: shorter, and the same
/// on every machine.
fn under_home(text: &str, home: Option<&std::path::Path>) -> String {
    match home.map(|h| h.display().to_string()) {
        Some(home) if home.len() > 1 => text.replace(&format!("{}/", home.trim_end_matches('/')), "~/"),
        _ => text.to_string(),
    }
}
