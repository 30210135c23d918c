//! The key authenticated; the request itself was refused (400).
//!
//! ## What it means
//! A 400 with an OpenAI error body that is not `model_not_found`: the
//! server accepted the key and refused what was asked. The checklist says
//! what the message points at — the context window, an unsupported
//! parameter, a malformed `messages` list — and that the key is fine.
//!
//! ## Usual causes
//! A conversation longer than the model's context window; `max_tokens` sent
//! to a model that takes `max_completion_tokens`; a tool result without the
//! assistant message that called it.
//!
//! ## Example
//! `Error code: 400 - {'error': {'message': "This model's maximum context
//! length is 128000 tokens. …", 'code': 'context_length_exceeded'}}`

use crate::diagnose::words::colon;
use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::BadRequest,
    title: "The request was refused (400); the key authenticated",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| e.status() == Some(400) && e.may_be_the_api(),
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let mut list = vec![
        format!(
            "The server accepted the key and refused the request itself{}",
            colon(e.message())
        ),
        advice(e),
    ];
    if let Some(param) = e
        .answer()
        .and_then(|a| a.error.as_ref())
        .and_then(|a| a.param.as_deref())
    {
        list.push(format!("The parameter it names: `{param}`."));
    }
    list.push(
        "Nothing is wrong with the key: do not create a new one, and do not retry the same request.".into(),
    );
    list
}

/// What a 400's message points at.
fn advice(e: &Evidence) -> String {
    let code = e.code();
    if code == "context_length_exceeded" || e.message_has(&["maximum context length", "context window"]) {
        "The messages (with the tools and the room kept for the answer, max_tokens) are longer than the model's context window: shorten or summarise the conversation, lower max_tokens, or use a model with a larger window.".into()
    } else if e.message_has(&[
        "unsupported parameter",
        "unrecognized request argument",
        "unsupported value",
    ]) {
        "The model does not take a parameter the request sent (newer models take `max_completion_tokens`, not `max_tokens`, and some a fixed `temperature`): drop or rename it, or update the SDK or library that adds it.".into()
    } else if e.message_has(&["'messages'", "messages"]) {
        "The `messages` list is malformed: it must be a non-empty list of {\"role\", \"content\"} objects, with tool results following the assistant message that called them.".into()
    } else {
        "Fix the request as the message says; the same request will be refused again.".into()
    }
}
