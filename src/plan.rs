//! Plan: whether the one request may be made, and exactly what it will be.
//! Pure: everything it decides is visible to the tests without a network.

use std::time::Duration;

use reqwest::{Certificate, Url};

use crate::inspect::{Inspection, Sendable};
use crate::resolve::network::{Proxy, is_loopback};
use crate::resolve::{DEFAULT_BASE_URL, KeySource, Origin, Resolution, SourceState};
use crate::vocab::secret::{self, ApiKey};
use crate::vocab::{BaseUrlProblem, MissingSetting, NotSent, Secrets};

/// The one request, decided in full before anything is sent.
#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub url: RequestUrl,
    /// Azure with `--model`: the empty chat request that proves the
    /// deployment (refused with 400 before any model runs); else a GET.
    pub body: Option<&'static str>,
    pub key: ApiKey,
    /// How the key travels: `Authorization: Bearer`, or Azure's `api-key`.
    pub credential: Credential,
    /// The `Authorization` from OPENAI_CUSTOM_HEADERS, which the SDKs send
    /// instead of the key (not with `--source`, which asks for the key).
    pub authorization_override: Option<ApiKey>,
    /// The other headers of OPENAI_CUSTOM_HEADERS, sent as the SDKs send them.
    pub custom_headers: Vec<(String, ApiKey)>,
    pub organization: Option<String>,
    pub project: Option<String>,
    /// Bounds the whole exchange.
    pub timeout: Duration,
    /// PEM certificates trusted in addition to the system's (`--ca-cert`).
    pub extra_roots: Vec<Certificate>,
    /// The proxy resolve decided on for this URL, or none: the HTTP client
    /// does not look for another.
    pub proxy: Option<Proxy>,
    /// Every secret the run knows, for whatever the server sends back.
    pub secrets: Secrets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Bearer,
    /// Azure's resource key, which never goes in `Authorization`.
    ApiKeyHeader,
}

/// Azure with `--model`: a chat request with no messages. The service checks
/// the key, the API version and the deployment, then refuses the body (400),
/// so nothing runs and nothing is billed.
pub const EMPTY_CHAT: &str = r#"{"messages":[]}"#;

/// The URL the request goes to. It holds no user or password (the key goes
/// in the Authorization header, which replaces any from the URL), and shows
/// itself redacted all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl(Url);

impl RequestUrl {
    pub fn to_send(&self) -> &Url {
        &self.0
    }
}

impl std::fmt::Display for RequestUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&secret::redact_url(self.0.as_str()))
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions<'a> {
    pub model: Option<&'a str>,
    pub offline: bool,
    pub timeout: Duration,
    /// `--trust-env-file`: the .env may name where a key from elsewhere goes.
    pub trust_env_file: bool,
}

pub fn plan(
    resolution: &Resolution,
    inspection: Option<&Inspection>,
    options: &PlanOptions,
) -> Result<ProbeRequest, NotSent> {
    let used = resolution.tested().ok_or(NotSent::NoKey)?;
    if used.state == SourceState::Empty {
        return Err(NotSent::EmptyKey);
    }
    let inspection = inspection.ok_or(NotSent::NoKey)?;
    if inspection.sendable == Sendable::Nothing {
        return Err(NotSent::KeyUnsendable);
    }
    // AzureOpenAI() checks its credential, then the API version, then the endpoint.
    let azure = resolution.settings.azure.as_ref();
    if let Some(azure) = azure {
        if inspection.cleaned.expose().starts_with("sk-") {
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
    // A .env in a cloned repository can name any host: a key that did not
    // come from that file is not sent there unless the user says so.
    if resolution.settings.base_url.origin == Origin::Dotenv
        && !used.is_from_dotenv()
        && !options.trust_env_file
    {
        return Err(NotSent::DotenvBaseUrl);
    }
    let settings = &resolution.settings;
    let custom = settings.custom_headers.as_ref();
    let credential = match used.source {
        KeySource::AzureAdToken => Credential::Bearer,
        _ if azure.is_some() => Credential::ApiKeyHeader,
        _ => Credential::Bearer,
    };
    Ok(ProbeRequest {
        url,
        body: (azure.is_some() && options.model.is_some()).then_some(EMPTY_CHAT),
        credential,
        key: inspection.cleaned.clone(),
        authorization_override: custom
            .and_then(|c| c.authorization())
            .or(settings.gateway_authorization.as_ref())
            .filter(|_| resolution.source_flag.is_none())
            .cloned(),
        custom_headers: custom
            .map(|c| {
                c.headers
                    .iter()
                    .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
        organization: settings.org.as_ref().map(|v| v.value.clone()),
        project: settings.project.as_ref().map(|v| v.value.clone()),
        timeout: options.timeout,
        extra_roots: settings.network.extra_roots.clone(),
        proxy: settings.network.proxy.clone(),
        secrets: resolution.secrets.clone(),
    })
}

/// Azure: `{base}/models?api-version=…`, or with a deployment
/// `{base}/deployments/{name}/chat/completions?api-version=…`, as
/// `AzureOpenAI()` builds them.
pub fn azure_url(
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
pub fn probe_url(base: &str, model: Option<&str>) -> Result<RequestUrl, BaseUrlProblem> {
    let shown = secret::redact_url(base);
    let mut url = Url::parse(base).map_err(|e| {
        BaseUrlProblem::Invalid(format!(
            "`{shown}` is not a URL ({e}); it should look like {DEFAULT_BASE_URL}"
        ))
    })?;
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
    url.path_segments_mut()
        .map_err(|_| BaseUrlProblem::Invalid(format!("`{shown}` cannot take a path")))?
        .pop_if_empty()
        .push("models")
        .extend(model);
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
    fn not_a_url_is_invalid() {
        for bad in ["api.openai.com/v1", "ftp://api.openai.com/v1", ""] {
            assert!(
                matches!(probe_url(bad, None), Err(BaseUrlProblem::Invalid(_))),
                "{bad}"
            );
        }
    }
}
