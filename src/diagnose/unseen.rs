//! What a passing verdict rests on that the run could not see — how the
//! program loads its `.env`, the deployment it calls, which client it makes
//! — each with the one command that checks it. A pass carries them in every
//! format: the JSON's `diagnosis.unseen`, the checklist, the quiet line, the
//! annotation; and `--strict` fails on them.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::Context;
use crate::resolve::KeySource;
use crate::vocab::{EnvVars, FindingId};

/// The stable ids, as the schema's `$defs.unseen_id` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UnseenId {
    /// The key is only in a `.env`: the program must load it before it
    /// creates the client.
    DotenvLoaded,
    /// Azure without `--model`: the deployment the program calls was not tried.
    Deployment,
    /// Both `OPENAI_API_KEY` and Azure's variables are set: which client the
    /// program makes decides which key it sends.
    WhichClient,
    /// Azure, checked as openai-python's `AzureOpenAI()` reads its settings:
    /// openai-node's reads `OPENAI_BASE_URL` first and no token variable.
    NodeAzureClient,
    /// `doctor PROGRAM`: the program gives its client a key or token
    /// computed when it runs (a function, a secret store, a token provider
    /// that calls Azure), which the run tested no copy of.
    KeyInCode,
    /// `doctor PROGRAM`: what the code decides that the run did not follow
    /// (a setting or a `.env` path computed when it runs, a transport given
    /// in code) and the models it names that were not tried.
    NotFollowed,
    /// `--compose`: the image's own environment (its Dockerfile's `ENV`),
    /// which Compose's passes on top of, is not read.
    ImageEnvironment,
}

impl UnseenId {
    pub(crate) fn name(self) -> &'static str {
        self.into()
    }
}

/// One thing not seen: what it is, and the command that checks it.
#[derive(Debug, Clone, Serialize)]
pub struct Unseen {
    pub id: UnseenId,
    pub says: String,
    pub check: String,
}

impl Unseen {
    /// The checklist's line for it.
    pub(crate) fn line(&self) -> String {
        format!("Not checked: {} Check it: {}", self.says, self.check)
    }
}

/// What this passing run could not see.
pub(crate) fn of(d: Context) -> Vec<Unseen> {
    let mut unseen = Vec::new();
    let rules = d.resolution.client.rules();
    // A program read (`doctor PROGRAM`) says whether it loads its `.env`.
    let in_dotenv = only_in_dotenv(d);
    if !in_dotenv.is_empty() && !d.tests_another_source() && d.resolution.program.is_none() {
        let (what, verb, it) = match in_dotenv.as_slice() {
            [one] => (one.to_string(), "is", "it"),
            [most @ .., last] => (format!("{} and {last}", most.join(", ")), "are", "them"),
            [] => unreachable!("not empty"),
        };
        unseen.push(Unseen {
            id: UnseenId::DotenvLoaded,
            says: format!(
                "{what} {verb} only in the .env file, and the program sees {it} only if it loads that file before it creates the client ({}).",
                rules.loads_dotenv
            ),
            check: format!(
                "`{}` where the program's code is; or run the program with the variable unset in its shell.",
                rules.dotenv_check
            ),
        });
    }
    if d.resolution.settings.azure.is_some() && d.options.model.is_none() {
        unseen.push(Unseen {
            id: UnseenId::Deployment,
            says: "no deployment was called (no --model): the key, the endpoint and the API version work, but the deployment name the program uses was not tried, and a wrong one fails with 404 DeploymentNotFound.".into(),
            check: "`openai-keycheck doctor --client azure --model DEPLOYMENT`, with the deployment name the program passes as model=.".into(),
        });
    }
    if d.resolution
        .findings
        .iter()
        .any(|f| f.id == FindingId::ClientAmbiguous)
    {
        unseen.push(Unseen {
            id: UnseenId::WhichClient,
            says: format!(
                "{} and Azure OpenAI's variables are both set, and this run tested OpenAI()'s key; a program that makes AzureOpenAI() sends {} instead, which was not tested.",
                EnvVars::OPENAI_API_KEY,
                EnvVars::AZURE_OPENAI_API_KEY
            ),
            check: "`openai-keycheck doctor --client azure`.".into(),
        });
    }
    let python_client = d
        .resolution
        .program
        .as_ref()
        .and_then(|p| p.followed())
        .is_some_and(|c| c.language == "python");
    if let Some(differs) = node_azure_differs(d).filter(|_| !python_client) {
        unseen.push(Unseen {
            id: UnseenId::NodeAzureClient,
            says: format!(
                "this run follows openai-python's AzureOpenAI(); openai-node's AzureOpenAI {differs}."
            ),
            check: "if the program is a Node one, fix that first; then `openai-keycheck doctor --client azure` checks what it sends.".into(),
        });
    }
    if let Some(crate::vocab::program::KeyInCode::NotFollowed { at, argument, token }) =
        d.resolution.program.as_ref().map(|p| &p.key)
    {
        let tested = d.tested().map_or("nothing", |t| t.source.label());
        unseen.push(Unseen {
            id: UnseenId::KeyInCode,
            says: format!(
                "the program gives its client {argument} at {at}, computed when it runs; this run tested {tested} instead."
            ),
            check: format!(
                "pipe the credential the program computes into `openai-keycheck doctor {}`.",
                if *token { "--azure-ad-token-stdin" } else { "--api-key-stdin" }
            ),
        });
    }
    if let Some(p) = &d.resolution.program {
        let mut items = p.not_followed.clone();
        items.extend(
            d.models_unchecked
                .iter()
                .map(|m| format!("{}: the model `{}` was not tried", m.at, m.id)),
        );
        if !items.is_empty() {
            unseen.push(Unseen {
                id: UnseenId::NotFollowed,
                says: format!("the program's code decides what this run did not follow: {}.", items.join("; ")),
                check: "give it as a flag (`--base-url`, `--model`, `--env-file`, `--proxy`), or run the program's own call once.".into(),
            });
        }
    }
    if let Some(service) = &d.resolution.compose_service {
        unseen.push(Unseen {
            id: UnseenId::ImageEnvironment,
            says: format!("the image of `{service}` may set variables of its own (its Dockerfile's ENV: OPENAI_BASE_URL, a proxy), which the container has too where the compose file does not set them; images are not read."),
            check: format!("`docker compose run --rm {service} env` lists the container's whole environment."),
        });
    }
    unseen
}

/// What the request took from the `.env` alone: the key (its variable for
/// Azure), and each setting it sent. A program that does not load the file
/// has none of them.
fn only_in_dotenv(d: Context) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(used) = d.used().filter(|u| u.file.is_some()) {
        match used.source {
            KeySource::Dotenv => names.push("the key".to_string()),
            KeySource::AzureApiKey | KeySource::AzureAdToken => names.push(used.source.label().to_string()),
            _ => {}
        }
    }
    let settings = &d.resolution.settings;
    let azure = settings.azure.as_ref();
    let sent = [
        // Under Azure the base URL is the endpoint's.
        azure.map_or(Some(&settings.base_url), |a| a.endpoint.as_ref()),
        azure.and_then(|a| a.api_version.as_ref()),
        settings.org.as_ref(),
        settings.project.as_ref(),
    ];
    names.extend(
        sent.into_iter()
            .flatten()
            .filter(|v| v.origin.is_dotenv())
            .map(|v| v.variable.to_string()),
    );
    names
}

/// Where a Node program's AzureOpenAI would do otherwise (observed with
/// openai-node 6.49): it takes OPENAI_BASE_URL before AZURE_OPENAI_ENDPOINT,
/// and reads no AZURE_OPENAI_AD_TOKEN.
fn node_azure_differs(d: Context) -> Option<String> {
    let azure = d.resolution.settings.azure.as_ref()?;
    let token = d.tested().is_some_and(|t| t.source == KeySource::AzureAdToken);
    match (&azure.ignored_base_url, token) {
        (Some(base_url), _) => Some(format!(
            "takes {} ({}) before {}, so a Node program would send the Azure credential to {} instead: unset {} where the program runs",
            EnvVars::OPENAI_BASE_URL,
            base_url.origin_words(),
            EnvVars::AZURE_OPENAI_ENDPOINT,
            crate::vocab::urls::shown(&base_url.value),
            EnvVars::OPENAI_BASE_URL
        )),
        // With a key set too, Node sends that key, which was not tested.
        (None, true) if key_also_set(d) => Some(format!(
            "reads no {}: a Node program sends {} instead, which this run did not test (check it with `env -u {} openai-keycheck doctor --client azure`)",
            EnvVars::AZURE_OPENAI_AD_TOKEN,
            EnvVars::AZURE_OPENAI_API_KEY,
            EnvVars::AZURE_OPENAI_AD_TOKEN
        )),
        (None, true) => Some(format!(
            "reads no {}: a Node program fails with `Missing credentials` unless it passes azureADTokenProvider",
            EnvVars::AZURE_OPENAI_AD_TOKEN
        )),
        (None, false) => None,
    }
}

fn key_also_set(d: Context) -> bool {
    d.resolution
        .sources
        .iter()
        .any(|s| s.source == KeySource::AzureApiKey && s.state() == crate::resolve::SourceState::Set)
}

#[cfg(test)]
mod tests {
    use super::UnseenId;

    #[test]
    fn unseen_ids_are_spelt_alike_and_as_the_schema_lists_them() {
        crate::vocab::ids::tests::names_agree::<UnseenId>();
        assert_eq!(
            crate::vocab::ids::tests::published("unseen_id"),
            crate::vocab::ids::tests::ours::<UnseenId>()
        );
    }
}
