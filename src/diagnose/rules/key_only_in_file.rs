//! The only key is in a file the SDKs never read.
//!
//! ## What it means
//! No source a program reads holds a key — neither the `api_key=`
//! argument's stand-in (`--api-key`), `OPENAI_API_KEY`, nor a `.env` — only
//! `~/.openai/auth.json` (a location from tutorials and third-party
//! libraries) or `~/.codex/auth.json` (the Codex CLI's). The official SDKs
//! read neither, so a program raises `Missing credentials…`. That file's
//! key is tested, and the checklist says how to hand it to programs.
//!
//! ## Usual causes
//! Following a tutorial that stores the key in `~/.openai/auth.json`;
//! expecting the SDK to reuse the Codex CLI's sign-in.
//!
//! ## Example
//! `~/.openai/auth.json` holding `{"api_key": "sk-proj-…"}`, and no
//! `OPENAI_API_KEY`.

use crate::diagnose::words::{capitalise, in_parens, with_code};
use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::resolve::KeySource;
use crate::vocab::{DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::KeyOnlyInFile,
    title: "The key is only in a file the SDKs never read",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    // Only a doctor run knows which files it read.
    when: |e| {
        e.doctor.is_some_and(|d| {
            d.used().is_none()
                && d.tested()
                    .is_some_and(|t| matches!(t.source, KeySource::OpenaiAuthJson | KeySource::CodexAuthJson))
        })
    },
    doctor,
    text: |_| vec!["No key reaches your programs.".into()],
};

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    let Some(file) = d.tested() else {
        return vec!["No key reaches your programs.".into()];
    };
    let key = capitalise(&e.key_phrase());
    let tested = match (e.not_sent(), e.status(), e.failure()) {
        (Some(NotSent::Offline), ..) => format!("{key} was checked offline only."),
        (_, Some(s), _) if (200..300).contains(&s) => format!("{key} was tested and works (HTTP {s})."),
        (_, Some(s), _) => format!(
            "{key} was tested and refused too (HTTP {s}{}): it will need fixing as well.",
            with_code(e.code())
        ),
        (_, None, Some(f)) => format!("{key} could not be tested{}.", in_parens(f.detail.as_deref())),
        _ => format!("{key} was not sent."),
    };
    let field = match file.source {
        KeySource::CodexAuthJson => ".OPENAI_API_KEY",
        _ => ".api_key // .OPENAI_API_KEY",
    };
    vec![
        format!(
            "No key reaches your programs: the SDKs take the api_key= argument or OPENAI_API_KEY (and a .env only when the program loads it), never {}; a program raises `Missing credentials…` when it creates its client.",
            file.location
        ),
        tested,
        format!(
            "Give it to your programs: `export OPENAI_API_KEY=\"$(jq -r '{field}' {})\"` in your shell's startup file, or put it in the .env your program loads.",
            file.location
        ),
    ]
}
