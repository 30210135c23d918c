//! The key's form is wrong: it cannot work as it is stored.
//!
//! ## What it means
//! An error finding about the key's form (a placeholder, a masked copy, a
//! character no key has, a secret manager's reference) stops the request;
//! white space, quotes or a `Bearer ` prefix around it are cleaned and the
//! cleaned key is tested, and the stored value still needs fixing. In an
//! error text: the HTTP library refused the Authorization header.
//!
//! ## Usual causes
//! A trailing newline from `echo` into a file or a secret pasted with Enter
//! (openai-python refuses the header and sends nothing); quotes kept by a
//! `.env` parser or a CI variable; a reference like `op://…` used where the
//! program runs outside the secret manager.
//!
//! ## Example
//! `httpx.LocalProtocolError: Illegal header value b'Bearer sk-proj-…\n'`

use crate::diagnose::words::{capitalise, with_code};
use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::inspect::Sendable;
use crate::vocab::{DiagnosisId, FindingId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::KeyMalformed,
    title: "The key is malformed",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        e.not_sent() == Some(&NotSent::KeyUnsendable)
            || e.doctor.is_some_and(|d| {
                d.inspection.is_some_and(|i| i.sendable == Sendable::Cleaned)
                    || (d.options.offline && d.has_error_findings())
            })
    },
    doctor,
    text,
};

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    let errors = d.error_findings();
    // A secret manager's reference is no key to fix: the program must run
    // where the reference is resolved.
    if let Some(reference) = errors.iter().find(|f| f.id == FindingId::SecretReference) {
        return vec![
            format!(
                "{} ({}).",
                capitalise(&reference.message),
                d.key_location().unwrap_or("its source")
            ),
            "Nothing was sent: the reference itself is no key.".into(),
        ];
    }
    let ids: Vec<&str> = errors.iter().map(|f| f.id.name()).collect();
    let mut list = vec![format!(
        "Fix the value where it is stored ({}); the problems are listed under Findings ({}).",
        d.key_location().unwrap_or("its source"),
        ids.join(", ")
    )];
    list.extend(what_became_of_the_cleaned_key(e));
    list
}

fn what_became_of_the_cleaned_key(e: &Evidence) -> Option<String> {
    if let Some(s) = e.status() {
        return Some(if (200..300).contains(&s) {
            format!("The cleaned key was accepted (HTTP {s}): only the stored value needs fixing.")
        } else {
            format!(
                "Even cleaned, the key was refused (HTTP {s}{}): run again once it is fixed to see the full diagnosis.",
                with_code(e.code())
            )
        });
    }
    if let Some(f) = e.failure() {
        return Some(match &f.detail {
            Some(detail) => format!("The cleaned key could not be tested: {detail}."),
            None => "The cleaned key could not be tested.".into(),
        });
    }
    match e.not_sent() {
        Some(NotSent::KeyUnsendable) => {
            Some("Nothing was sent: a value like this cannot be a working key.".into())
        }
        Some(NotSent::Offline) => {
            Some("Checked offline: run without --offline to test the key against the server.".into())
        }
        _ => None,
    }
}

fn text(_: &Evidence) -> Vec<String> {
    vec![
        "The HTTP library refused to send the Authorization header, so no request was made: the key holds a character a header cannot carry — almost always a newline at its end (`\\n` in `b'Bearer sk-…\\n'`), from `echo` into a file, a secret pasted with Enter, or a .env line with a stray quote.".into(),
        "Strip it at its source (`printf %s \"$KEY\"` instead of `echo` when writing a key file; a secret pasted with a final newline, saved again without it), or `.strip()` it in code.".into(),
        "Run `openai-keycheck doctor --offline` where the program runs: it shows the character and where the key came from.".into(),
    ]
}
