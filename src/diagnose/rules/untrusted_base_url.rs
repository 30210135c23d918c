//! The host the request would go to is named only by a `.env` (or, with
//! `doctor PROGRAM`, by the program's code), and the request would carry a
//! credential that did not come from the project's files.
//!
//! ## What it means
//! A `.env` you did not write (a cloned repository, a shared folder) could
//! name its own host and receive your credentials: the key, an
//! Authorization override, a gateway key or a custom header's value. A host
//! named only by a `.env` may receive only what that `.env` holds; nothing
//! else is sent without `--trust-env-file`.
//!
//! ## Usual causes
//! A project's `.env` that sets `OPENAI_BASE_URL` (or `OPENAI_API_BASE`,
//! `LANGSMITH_GATEWAY`, `AZURE_OPENAI_ENDPOINT`) while the key is exported
//! in the shell; a program whose code writes `base_url="https://…"` while
//! its key comes from the shell. The code and the `.env` of one project are
//! trusted alike: either may name a host for what either holds.
//!
//! ## Example
//! A `.env` holding `OPENAI_BASE_URL=https://gateway.example/v1`, and
//! `OPENAI_API_KEY` exported.

use crate::diagnose::{Context, Evidence, Retry, Rule};
use crate::resolve::{KeySource, Origin};
use crate::vocab::program::SettingRole;
use crate::vocab::{DiagnosisId, NotSent, Verdict};

pub(crate) const RULE: Rule = Rule {
    id: DiagnosisId::UntrustedBaseUrl,
    title: "The base URL comes only from a .env file or the program's code",
    verdict: Verdict::Fix,
    retry: Retry::Never,
    steps: &[],
    when: |e| matches!(e.not_sent(), Some(NotSent::DotenvBaseUrl { .. })),
    doctor,
    text: |_| {
        vec!["The base URL comes only from a .env file or the program's code; nothing was sent.".into()]
    },
};

fn doctor(e: &Evidence, d: Context) -> Vec<String> {
    let (credentials, route) = match e.not_sent() {
        Some(NotSent::DotenvBaseUrl { credentials, route }) => (credentials.join(", "), route.as_deref()),
        _ => (String::new(), None),
    };
    let settings = &d.resolution.settings;
    if let Some(route) = route {
        return vec![
            format!(
                "The request would go through a proxy or trust a certificate authority that {route} sets — which can read what the request carries, whatever its host — and it would carry what that file does not hold: {credentials}. Nothing was sent, so that a file you did not write (a cloned repository) cannot route your credentials through its own proxy."
            ),
            "If the file is yours, run again with --trust-env-file; or set the proxy or certificate variables where the program runs yourself (in the shell, for a compose file's `- VARIABLE` to pass on).".into(),
            "The program sends them that way whenever it runs there: check the proxy and the certificate authority before it does.".into(),
        ];
    }
    if settings.base_url.origin == Origin::Code {
        let at = d
            .resolution
            .program
            .iter()
            .flat_map(|p| &p.settings)
            .find(|s| matches!(s.role, SettingRole::BaseUrl | SettingRole::AzureEndpoint))
            .map_or_else(String::new, |s| format!(" ({}= at {})", s.argument, s.at));
        return vec![
            format!(
                "The base URL {} comes from the program's code{at}, and the request would carry what the project's files do not hold: {credentials}. Nothing was sent, so that code you did not write (a cloned repository) cannot send your credentials to its host.",
                crate::vocab::urls::shown(&settings.base_url.value),
            ),
            "If the code is yours, run again with --trust-env-file (it vouches for the project's .env and code alike); or keep the key the program sends in its .env too.".into(),
            "The program sends them there whenever it runs: check the host before it does.".into(),
        ];
    }
    let file = d
        .resolution
        .sources
        .iter()
        .find(|s| s.source == KeySource::Dotenv)
        .and_then(|s| s.file.as_ref())
        .map_or_else(|| "the .env file".to_string(), |f| f.display().to_string());
    // A compose file, a unit file, Streamlit's secrets: said as they are.
    let (from, what) = match settings.base_url.origin {
        origin if origin.is_dotenv() => (format!("{} in {file}", settings.base_url.variable), "a .env"),
        _ => (settings.base_url.origin_words(), "a file"),
    };
    vec![
        format!(
            "The base URL {} comes only from {from}, and the request would carry what did not come from that file: {credentials}. Nothing was sent, so that {what} you did not write (a cloned repository, a shared folder) cannot send your credentials to its host.",
            crate::vocab::urls::shown(&settings.base_url.value),
        ),
        format!(
            "If the file is yours, run again with --trust-env-file; or set {} in the environment, or keep every credential the request carries in that .env too.",
            settings.base_url.variable
        ),
        "Your programs send them there whenever they load that .env (load_dotenv(), node --env-file): check the host before they do.".into(),
    ]
}
