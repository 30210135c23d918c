//! Plan: whether the one request may be made, and exactly what it will be.
//! Pure: everything it decides is visible to the tests without a network.

use std::time::Duration;

use reqwest::{Certificate, Url};
use serde::Serialize;
use strum::IntoStaticStr;

use crate::inspect::{Inspection, Sendable};
use crate::resolve::network::{Proxy, is_loopback};
use crate::resolve::{DEFAULT_BASE_URL, KeySource, Origin, Resolution, Source, SourceState};
use crate::vocab::secret::{self, ApiKey};
use crate::vocab::{BaseUrlProblem, EnvVars, FindingId, MissingSetting, NotSent, Secrets, urls};

/// The one request, decided in full before anything is sent.
#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub url: RequestUrl,
    /// Azure with `--model`: the empty chat request that proves the
    /// deployment (refused with 400 before any model runs); else a GET.
    pub body: Option<&'static str>,
    /// Every header that carries a credential, in the order the SDKs set
    /// them — OPENAI_CUSTOM_HEADERS first, then the one credential that
    /// authenticates — each with where it came from.
    pub credentials: Vec<SentCredential>,
    pub organization: Option<String>,
    pub project: Option<String>,
    /// Bounds the whole exchange.
    pub timeout: Duration,
    /// PEM certificates trusted in addition to the system's (`--ca-cert`).
    pub extra_roots: Vec<Certificate>,
    /// The only roots to trust, where the client trusts a public bundle alone.
    pub only_roots: Option<Vec<Certificate>>,
    /// The proxy resolve decided on for this URL, or none: the HTTP client
    /// does not look for another.
    pub proxy: Option<Proxy>,
    /// Every secret the run knows, for whatever the server sends back.
    pub secrets: Secrets,
}

impl ProbeRequest {
    /// The credential that authenticates the request — the key, or what
    /// the SDKs send instead of it: the credential this run tests.
    pub(crate) fn tested(&self) -> Option<&SentCredential> {
        self.credentials
            .iter()
            .rev()
            .find(|c| c.role != CredentialRole::CustomHeader)
    }
}

/// A header of the request that carries a credential.
#[derive(Debug, Clone)]
pub struct SentCredential {
    /// The header's name, as sent (`authorization`, `api-key`, or a custom
    /// header's own).
    pub header: String,
    /// The header's whole value, as sent.
    pub value: ApiKey,
    pub role: CredentialRole,
    pub origin: CredentialOrigin,
    /// The flag, variable or file it was read from.
    pub variable: String,
}

/// What a credential is to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CredentialRole {
    /// The key resolve found: `Authorization: Bearer`, or Azure's `api-key`.
    Key,
    /// OPENAI_CUSTOM_HEADERS' own `Authorization`, which the SDKs send
    /// instead of the key.
    AuthorizationOverride,
    /// LangSmith's gateway key, which langchain-openai sends instead of the key.
    GatewayKey,
    /// Another header of OPENAI_CUSTOM_HEADERS (`X-Api-Key`, …).
    CustomHeader,
}

/// Where a credential came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CredentialOrigin {
    Flag,
    Env,
    Dotenv,
    /// A `.env` line that expands a variable of the environment: what it
    /// holds is the environment's, and goes only where the environment's may.
    DotenvFromEnv,
    /// A key file under HOME (`~/.openai/auth.json`, `~/.codex/auth.json`).
    KeyFile,
    /// The program's code (`doctor PROGRAM`).
    Code,
    /// A Streamlit app's `.streamlit/secrets.toml`.
    StreamlitSecrets,
    /// A `.env` the program's code names outside its project (an absolute
    /// path, `~`, a `..` past its root): the user's own file, not the
    /// project's, so a host the project names may not receive it.
    DotenvOutside,
    /// A compose file or a unit file given by its path: the project's, as
    /// its `.env` is.
    ServiceFile,
}

impl SentCredential {
    /// The credential without its `Bearer `, as the mask shows it.
    pub(crate) fn masked(&self) -> String {
        self.value.masked()
    }

    pub(crate) fn fingerprint(&self) -> Option<String> {
        secret::fingerprint(secret::unwrap_key(self.value.expose()).key)
    }

    /// "OPENAI_CUSTOM_HEADERS in the .env file", "the command line", …
    pub(crate) fn origin_words(&self) -> String {
        match self.origin {
            CredentialOrigin::Flag => "the command line".to_string(),
            CredentialOrigin::Env => format!("{} in the environment", self.variable),
            CredentialOrigin::Dotenv => format!("{} in the .env file", self.variable),
            CredentialOrigin::DotenvFromEnv => format!(
                "{} in the .env file (expanding a variable of the environment)",
                self.variable
            ),
            CredentialOrigin::KeyFile => self.variable.clone(),
            CredentialOrigin::Code => format!("the program's code ({})", self.variable),
            CredentialOrigin::StreamlitSecrets => format!("{} in Streamlit's secrets.toml", self.variable),
            CredentialOrigin::ServiceFile => format!("{} in the service's file", self.variable),
            CredentialOrigin::DotenvOutside => format!(
                "{} in a .env outside the project, which the program's code names",
                self.variable
            ),
        }
    }

    /// "the key from OPENAI_API_KEY in the environment (sk-proj-…wxyz)",
    /// "the X-Api-Key header from OPENAI_CUSTOM_HEADERS in the .env file".
    pub(crate) fn describe(&self) -> String {
        match self.role {
            CredentialRole::Key => format!("the key from {} ({})", self.origin_words(), self.masked()),
            CredentialRole::AuthorizationOverride => format!(
                "the Authorization header from {} ({})",
                self.origin_words(),
                self.masked()
            ),
            CredentialRole::GatewayKey => {
                format!(
                    "the LangSmith key from {} ({})",
                    self.origin_words(),
                    self.masked()
                )
            }
            CredentialRole::CustomHeader => {
                format!("the {} header from {}", self.header, self.origin_words())
            }
        }
    }
}

/// Azure's `api-key` header, or `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyHeader {
    Bearer,
    /// Azure's resource key, which never goes in `Authorization`.
    ApiKey,
}

/// Azure with `--model`: a chat request with no messages. The service checks
/// the key, the API version and the deployment, then refuses the body (400),
/// so nothing runs and nothing is billed.
pub(crate) const EMPTY_CHAT: &str = r#"{"messages":[]}"#;

/// The URL the request goes to, parsed once: what is sent, and what every
/// report shows (from the same parse). It holds no user or password (the
/// key goes in a header, which replaces any from the URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl(Url);

impl RequestUrl {
    pub(crate) fn to_send(&self) -> &Url {
        &self.0
    }
}

impl std::fmt::Display for RequestUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&urls::shown_parsed(&self.0))
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions<'a> {
    pub model: Option<&'a str>,
    /// The model is the one the program's code names (`doctor PROGRAM`),
    /// not `--model`: the project's own, as its `.env` is.
    pub model_in_code: bool,
    pub offline: bool,
    pub timeout: Duration,
    /// `--trust-env-file`: the .env may name where a credential from elsewhere goes.
    pub trust_env_file: bool,
}

pub(crate) fn plan(
    resolution: &Resolution,
    inspection: Option<&Inspection>,
    options: &PlanOptions,
) -> Result<ProbeRequest, NotSent> {
    // Nothing resolved is the process's: no verdict on it can be made.
    if resolution.process_unreadable.is_some() {
        return Err(NotSent::ProcessUnreadable);
    }
    // openai-node's AzureOpenAI checks its API version before its credential.
    if resolution.client.rules().version_before_credential
        && resolution
            .settings
            .azure
            .as_ref()
            .is_some_and(|a| a.api_version.is_none())
    {
        return Err(NotSent::SettingMissing(MissingSetting::ApiVersion));
    }
    let used = resolution.tested().ok_or(NotSent::NoKey)?;
    if used.state() == SourceState::Empty {
        return Err(NotSent::EmptyKey);
    }
    let inspection = inspection.ok_or(NotSent::NoKey)?;
    if inspection.sendable == Sendable::Nothing {
        return Err(NotSent::KeyUnsendable);
    }
    // A setting the client cannot work with stops it before any request,
    // whatever the default would have answered.
    if let Some(empty) = resolution
        .findings
        .iter()
        .find(|f| matches!(f.id, FindingId::EmptyBaseUrl | FindingId::BaseUrlAndEndpoint))
    {
        return Err(NotSent::BaseUrl(BaseUrlProblem::Invalid(empty.message.clone())));
    }
    // AzureOpenAI() checks its credential, then the API version, then the endpoint.
    let azure = resolution.settings.azure.as_ref();
    if let Some(azure) = azure {
        if inspection
            .cleaned
            .expose()
            .starts_with(crate::vocab::keys::OPENAI_PREFIX)
        {
            return Err(NotSent::ClientMismatch);
        }
        if azure.api_version.is_none() {
            return Err(NotSent::SettingMissing(MissingSetting::ApiVersion));
        }
        if resolution.settings.base_url.value.is_empty() {
            return Err(NotSent::SettingMissing(MissingSetting::Endpoint {
                empty: azure.endpoint.is_some(),
            }));
        }
        if resolution.settings.is_openai() {
            return Err(NotSent::AzureEndpointIsOpenai);
        }
    }
    let url = match azure {
        None => probe_url(&resolution.settings.base_url.value, options.model),
        Some(azure) => azure_url(
            &resolution.settings.base_url.value,
            options.model,
            azure.api_version.as_ref().map_or("", |v| v.value.as_str()),
        ),
    }
    .map_err(NotSent::BaseUrl)?;
    if options.offline {
        return Err(NotSent::Offline);
    }
    let key_header = match used.source {
        KeySource::AzureAdToken => KeyHeader::Bearer,
        KeySource::Flag if resolution.flag_is_token => KeyHeader::Bearer,
        KeySource::Code if resolution.code_is_token => KeyHeader::Bearer,
        _ if azure.is_some() => KeyHeader::ApiKey,
        _ => KeyHeader::Bearer,
    };
    let credentials = credentials(resolution, used, &inspection.cleaned, key_header);
    // A .env in a cloned repository can name any host: what did not come
    // from that file is not sent there unless the user says so. One check,
    // over everything the request carries: its credentials, its headers, and
    // the URL itself, which a `.env` can fill with the environment's values
    // (`OPENAI_BASE_URL=https://gw/${MY_KEY}/v1`, an API version).
    let settings = &resolution.settings;
    // The program's code and Streamlit's secrets are the project's as its
    // `.env` is: a URL any of them names may receive what they hold, and
    // nothing else.
    // A proxy or a certificate authority a project's file chose (a compose
    // file, a unit file) could read the request whatever its host: the same
    // rule holds for it.
    let named_host = settings.base_url.origin.is_project() && !is_openai(url.to_send());
    let route = settings.network.chosen_by_project.as_deref();
    if (named_host || route.is_some()) && !options.trust_env_file {
        let in_the_url = [
            (settings.base_url.variable, Some(&settings.base_url)),
            (
                EnvVars::OPENAI_API_VERSION,
                settings.azure.as_ref().and_then(|a| a.api_version.as_ref()),
            ),
        ]
        .into_iter()
        .filter(|_| named_host)
        .filter_map(|(name, valued)| {
            let valued = valued.filter(|v| !v.origin.is_project() || v.origin == Origin::DotenvFromEnv)?;
            Some(format!("the URL's {name} from {}", valued.origin_words()))
        })
        .chain(
            options
                .model
                .filter(|_| !options.model_in_code)
                .map(|_| "the URL's model or deployment from --model".to_string()),
        );
        let headers = [
            ("OpenAI-Organization", settings.org.as_ref()),
            ("OpenAI-Project", settings.project.as_ref()),
        ];
        let in_the_headers = headers.into_iter().filter_map(|(header, valued)| {
            let valued = valued.filter(|v| !v.origin.is_project() || v.origin == Origin::DotenvFromEnv)?;
            Some(format!("the {header} header from {}", valued.origin_words()))
        });
        let foreign: Vec<String> = credentials
            .iter()
            .filter(|c| {
                !matches!(
                    c.origin,
                    CredentialOrigin::Dotenv
                        | CredentialOrigin::Code
                        | CredentialOrigin::StreamlitSecrets
                        | CredentialOrigin::ServiceFile
                )
            })
            .map(SentCredential::describe)
            .chain(in_the_headers)
            .chain(in_the_url)
            .collect();
        if !foreign.is_empty() {
            return Err(NotSent::DotenvBaseUrl {
                credentials: foreign,
                route: route.filter(|_| !named_host).map(str::to_string),
            });
        }
    }
    Ok(ProbeRequest {
        url,
        body: (azure.is_some() && options.model.is_some()).then_some(EMPTY_CHAT),
        credentials,
        organization: settings.org.as_ref().map(|v| v.value.clone()),
        project: settings.project.as_ref().map(|v| v.value.clone()),
        timeout: options.timeout,
        extra_roots: settings.network.extra_roots.clone(),
        only_roots: settings.network.only_roots.clone(),
        proxy: settings.network.proxy.clone(),
        secrets: resolution.secrets.clone(),
    })
}

/// OpenAI's own API, over https: a `.env` naming it sends nowhere new.
fn is_openai(url: &Url) -> bool {
    url.scheme() == "https" && url.host_str() == Some("api.openai.com") && url.port().is_none()
}

/// The credentials the request carries, as the SDKs place them: the custom
/// headers, then the key's header — or what they send instead of the key
/// (not with `--source`, which asks for the key).
fn credentials(
    resolution: &Resolution,
    used: &Source,
    key: &ApiKey,
    key_header: KeyHeader,
) -> Vec<SentCredential> {
    let settings = &resolution.settings;
    let origin_of = |origin: Origin| match origin {
        Origin::Flag => CredentialOrigin::Flag,
        Origin::Dotenv => CredentialOrigin::Dotenv,
        Origin::DotenvFromEnv => CredentialOrigin::DotenvFromEnv,
        Origin::Env | Origin::Default => CredentialOrigin::Env,
        Origin::Code => CredentialOrigin::Code,
        Origin::StreamlitSecrets => CredentialOrigin::StreamlitSecrets,
        // A header from the compose files or a unit file given by its
        // path: the project's, as the .env's.
        Origin::Compose | Origin::UnitFile => CredentialOrigin::ServiceFile,
    };
    let mut credentials = Vec::new();
    let custom = settings.custom_headers.as_ref();
    for (name, value) in custom.iter().flat_map(|c| &c.headers) {
        if !name.eq_ignore_ascii_case("authorization") {
            credentials.push(SentCredential {
                header: name.clone(),
                value: value.clone(),
                role: CredentialRole::CustomHeader,
                origin: origin_of(custom.map_or(Origin::Env, |c| c.origin)),
                variable: EnvVars::OPENAI_CUSTOM_HEADERS.into(),
            });
        }
    }
    let custom_authorization = custom.and_then(|c| Some((c.authorization()?, c.origin)));
    let instead = match (custom_authorization, &settings.gateway_authorization) {
        (Some((value, origin)), _) => Some(SentCredential {
            header: "authorization".into(),
            value: value.clone(),
            role: CredentialRole::AuthorizationOverride,
            origin: origin_of(origin),
            variable: EnvVars::OPENAI_CUSTOM_HEADERS.into(),
        }),
        (None, Some(gateway)) => Some(SentCredential {
            header: "authorization".into(),
            value: gateway.authorization.clone(),
            role: CredentialRole::GatewayKey,
            origin: origin_of(gateway.origin),
            variable: gateway.variable.into(),
        }),
        (None, None) => None,
    };
    let key = || {
        let (header, value) = match key_header {
            KeyHeader::Bearer => ("authorization", format!("Bearer {}", key.expose())),
            KeyHeader::ApiKey => ("api-key", key.expose().to_string()),
        };
        SentCredential {
            header: header.into(),
            value: ApiKey::new(value),
            role: CredentialRole::Key,
            origin: key_origin(used),
            variable: match used.source {
                KeySource::Flag | KeySource::OpenaiAuthJson | KeySource::CodexAuthJson => {
                    used.location.clone()
                }
                KeySource::Env | KeySource::Dotenv | KeySource::AzureApiKey => {
                    resolution.key_variable.clone()
                }
                source => source.label().into(),
            },
        }
    };
    credentials.push(match instead.filter(|_| resolution.source_flag.is_none()) {
        Some(instead) => instead,
        None => key(),
    });
    credentials
}

/// Where the key this run tests came from.
pub(crate) fn key_origin(source: &Source) -> CredentialOrigin {
    match source.source {
        KeySource::Flag => CredentialOrigin::Flag,
        KeySource::Code => CredentialOrigin::Code,
        KeySource::StreamlitSecrets => CredentialOrigin::StreamlitSecrets,
        KeySource::Env if source.from_project => CredentialOrigin::ServiceFile,
        KeySource::Env => CredentialOrigin::Env,
        _ if source.expands_environment => CredentialOrigin::DotenvFromEnv,
        _ if source.outside_project => CredentialOrigin::DotenvOutside,
        KeySource::Dotenv => CredentialOrigin::Dotenv,
        KeySource::OpenaiAuthJson | KeySource::CodexAuthJson => CredentialOrigin::KeyFile,
        KeySource::AzureAdToken | KeySource::AzureApiKey if source.file.is_some() => CredentialOrigin::Dotenv,
        KeySource::AzureAdToken | KeySource::AzureApiKey => CredentialOrigin::Env,
    }
}

/// Azure: `{base}/models?api-version=…`, or with a deployment
/// `{base}/deployments/{name}/chat/completions?api-version=…`, as
/// `AzureOpenAI()` builds them.
pub(crate) fn azure_url(
    base: &str,
    deployment: Option<&str>,
    api_version: &str,
) -> Result<RequestUrl, BaseUrlProblem> {
    let RequestUrl(mut url) = probe_url(base, None)?;
    if let Some(name) = deployment {
        url.path_segments_mut()
            .map_err(|_| BaseUrlProblem::Invalid("the endpoint cannot take a path".into()))?
            .pop()
            .extend(["deployments", name, "chat", "completions"]);
    }
    url.query_pairs_mut().append_pair("api-version", api_version);
    Ok(RequestUrl(url))
}

/// `{base}/models` or `{base}/models/{model}`, checked before anything is sent.
pub(crate) fn probe_url(base: &str, model: Option<&str>) -> Result<RequestUrl, BaseUrlProblem> {
    let shown = urls::shown(base);
    let mut url = Url::parse(base).map_err(|e| {
        BaseUrlProblem::Invalid(format!(
            "`{shown}` is not a URL ({e}); it should look like {DEFAULT_BASE_URL}"
        ))
    })?;
    // What looks like a user and password before that `@` is not one: as
    // written, the request would go to another host than the text seems to
    // name. Said, never guessed.
    if urls::misplaced_at(&url) {
        return Err(BaseUrlProblem::Invalid(format!(
            "`{shown}` has an `@` after its host: as written the request would go to {}, and what stands before the `@` is not a user and password. If it holds one, percent-encode its `/`, `?`, `#` and `@` (%2F, %3F, %23, %40)",
            urls::authority(&url)
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(BaseUrlProblem::Insecure(shown)),
        other => {
            return Err(BaseUrlProblem::Invalid(format!(
                "`{shown}` uses `{other}:`, not http or https"
            )));
        }
    }
    if url.host().is_none() {
        return Err(BaseUrlProblem::Invalid(format!("`{shown}` has no host")));
    }
    // Where the model list answers without a key, the service's own key
    // check proves it instead.
    let key_check = url
        .host_str()
        .and_then(crate::vocab::gateways::for_host)
        .and_then(|g| g.key_check)
        .filter(|_| model.is_none());
    let mut path = url
        .path_segments_mut()
        .map_err(|_| BaseUrlProblem::Invalid(format!("`{shown}` cannot take a path")))?;
    path.pop_if_empty();
    match key_check {
        Some(check) => path.push(check),
        None => path.push("models").extend(model),
    };
    drop(path);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(RequestUrl(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_url_is_appended_to_the_base() {
        let url = probe_url("https://api.openai.com/v1", None).unwrap();
        assert_eq!(url.to_send().as_str(), "https://api.openai.com/v1/models");
        // OpenRouter's model list is public: its key check proves the key.
        let url = probe_url("https://openrouter.ai/api/v1", None).unwrap();
        assert_eq!(url.to_send().as_str(), "https://openrouter.ai/api/v1/key");
        let url = probe_url("https://api.openai.com/v1/", Some("gpt-4o")).unwrap();
        assert_eq!(url.to_send().as_str(), "https://api.openai.com/v1/models/gpt-4o");
    }

    #[test]
    fn azure_urls_are_built_as_azure_openai_builds_them() {
        let url = azure_url("https://res.openai.azure.com/openai", None, "2024-10-21").unwrap();
        assert_eq!(
            url.to_send().as_str(),
            "https://res.openai.azure.com/openai/models?api-version=2024-10-21"
        );
        let url = azure_url(
            "https://res.openai.azure.com/openai",
            Some("my gpt/4o"),
            "2024-10-21",
        )
        .unwrap();
        assert_eq!(
            url.to_send().as_str(),
            "https://res.openai.azure.com/openai/deployments/my%20gpt%2F4o/chat/completions?api-version=2024-10-21"
        );
    }

    #[test]
    fn a_model_id_cannot_escape_its_path_segment() {
        let url = probe_url("https://api.openai.com/v1", Some("../../x?y")).unwrap();
        assert_eq!(
            url.to_send().as_str(),
            "https://api.openai.com/v1/models/..%2F..%2Fx%3Fy"
        );
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "http://127.0.0.1:8080/v1",
            "http://localhost/v1",
            "http://[::1]:9/v1",
        ] {
            assert!(probe_url(ok, None).is_ok(), "{ok}");
        }
        assert_eq!(
            probe_url("http://user:pw@proxy.example.com/v1", None),
            Err(BaseUrlProblem::Insecure("http://***@proxy.example.com/v1".into()))
        );
    }

    #[test]
    fn an_at_after_the_host_is_refused_and_the_real_host_named() {
        for (base, host) in [
            ("http://127.0.0.1:9/v1@api.openai.com/v1", "127.0.0.1:9"),
            ("http://127.0.0.1:9\\@api.openai.com/v1", "127.0.0.1:9"),
            ("https://gw.example/v1?x=@api.openai.com", "gw.example"),
            ("https://gw.example/v1#@api.openai.com", "gw.example"),
        ] {
            match probe_url(base, None) {
                Err(BaseUrlProblem::Invalid(why)) => {
                    assert!(why.contains(&format!("would go to {host}")), "{why}");
                    assert!(!why.contains("api.openai.com"), "{why}");
                }
                other => panic!("{base}: {other:?}"),
            }
        }
    }

    #[test]
    fn not_a_url_is_invalid() {
        for bad in ["api.openai.com/v1", "ftp://api.openai.com/v1", ""] {
            assert!(
                matches!(probe_url(bad, None), Err(BaseUrlProblem::Invalid(_))),
                "{bad}"
            );
        }
    }
}
