//! The Azure OpenAI deployment does not exist on this resource.
//!
//! ## What it means
//! The key and the endpoint work; the deployment the request named
//! (`--model`, or `model=` in an Azure program) is not there. In Azure
//! OpenAI, `model=` names a deployment, whose name may differ from the
//! model's.
//!
//! ## Usual causes
//! The model's name (`gpt-4o`) used where the deployment's (`my-gpt-4o`) is
//! needed; a deployment made minutes ago; another resource's deployment.
//!
//! ## Example
//! `{"error":{"code":"DeploymentNotFound","message":"The API deployment for
//! this resource does not exist. …"}}`

use crate::diagnose::{Evidence, Retry, Rule};
use crate::vocab::{DiagnosisId, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::DeploymentNotFound,
    title: "The Azure deployment does not exist",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    // The sentence alone says it too: .NET and 0.x print the message without the code.
    when: |e| {
        e.status() == Some(404)
            && (e.code() == "DeploymentNotFound"
                || e.message_has(&[
                    "api deployment for this resource does not exist",
                    "api deployment for the resource does not exist",
                ]))
    },
    doctor: |e, _| checklist(e),
    text: checklist,
};

fn checklist(e: &Evidence) -> Vec<String> {
    let deployment = e
        .model_flag()
        .map_or("the deployment".to_string(), |m| format!("the deployment `{m}`"));
    vec![
        format!("The key and the endpoint work, but {deployment} does not exist on this resource."),
        "In Azure OpenAI, `model=` names a deployment, not a model: use the deployment's name exactly as it is shown in the Azure AI Foundry portal (Deployments), which may differ from the model's (e.g. `my-gpt-4o` for gpt-4o).".into(),
        "A deployment made in the last five minutes may not be visible yet: wait, then run again.".into(),
    ]
}
