//! The model does not exist, or this key's project may not use it.
//!
//! ## What it means
//! `model_not_found` (404, 403 or 400), or a 404 for `--model`: the key
//! works; the model id is wrong or not available to the project. With
//! `doctor PROGRAM` on OpenAI's API, also a model the program's code names
//! that the key's model list (the one request's answer) lacks: the
//! program's call would fail so.
//!
//! ## Usual causes
//! A typo or a retired model id; a project whose model access excludes it;
//! a model not yet rolled out to the organization.
//!
//! ## Example
//! `The model `gpt-5-turbo` does not exist or you do not have access to it.`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::ModelNotFound,
    title: "The model is not available to this key",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| {
        !e.models_missing().is_empty()
            || (e.status_in(&[400, 403, 404]) && e.code() == "model_not_found")
            || (e.status() == Some(404)
                && e.model_flag().is_some()
                && e.may_be_the_api()
                && !super::wrong_base_url::azure_path_not_found(e))
            // Clients that print only the message: "The model `gpt-x` does not exist…",
            // and the older "That model does not exist", "The model: `gpt-4` does not exist".
            || (e.status_in(&[400, 403, 404])
                && (model_in(e.message()).is_some() || e.message_has(&["that model does not exist"]))
                && e.message_has(&["does not exist", "does not have access to model"]))
    },
    doctor: |e, _| match e.models_missing() {
        [] => checklist(e),
        missing => from_the_list(missing),
    },
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let model = e
        .model_flag()
        .map(str::to_string)
        .or_else(|| model_in(e.message()));
    let mut list = vec![match model {
        Some(model) => format!("The model `{model}` does not exist, or this project may not use it."),
        None => "The model asked for does not exist, or this project may not use it.".into(),
    }];
    if !e.message().is_empty() {
        list.push(format!("The server said: {}", e.message()));
    }
    list.push(match e.model_flag() {
        Some(_) => "Check the exact model id, and the project's model access (Settings, Limits); run without --model to see that the key itself works.".into(),
        None => "Check the exact model id, and the project's model access (Settings, Limits).".into(),
    });
    list
}

/// The models the program names that the key's model list lacks.
fn from_the_list(missing: &[crate::vocab::program::ModelInCode]) -> Vec<String> {
    let mut list: Vec<String> = missing
        .iter()
        .map(|m| {
            format!(
                "The program calls the model `{}` ({}), which is not among the models this key can use (the list GET /models answered with): that call fails with model_not_found (404; 403 where the project may not use the model).",
                m.id, m.at
            )
        })
        .collect();
    list.push("The key itself works. Check the exact model id, and the project's model access (Settings, Limits); `openai-keycheck doctor --verbose` shows the list's start.".into());
    list
}

/// The model a message names: "The model `gpt-x` does not exist…",
/// "The model: `gpt-4` does not exist", "The model gpt-x does not exist…",
/// "…does not have access to model `gpt-x`".
fn model_in(message: &str) -> Option<String> {
    let at = message.find("model")? + "model".len();
    let after = message[at..].trim_start_matches(':').trim_start();
    let model = match after.strip_prefix('`') {
        Some(quoted) => &quoted[..quoted.find('`')?],
        None if after.contains(" does not exist") => after.split_whitespace().next()?,
        None => return None,
    };
    (!model.is_empty()).then(|| model.to_string())
}
