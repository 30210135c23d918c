//! The other variables the SDK reads, resolved like the key: flag, then the
//! environment, then the .env (which a program sees only if it loads it).

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::{Env, EnvValue};
use crate::vocab::client::{ClientRules, EmptyBaseUrl, EmptyHeader, Service};
use crate::vocab::secret::ApiKey;
use crate::vocab::urls;
use crate::vocab::{Client, EnvVars, Finding, FindingId, Secrets};

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// Variables of the 0.x SDK that 1.x and later ignore, with their heirs.
const LEGACY_VARIABLES: &[(&str, &str)] = &[
    (EnvVars::OPENAI_ORGANIZATION, EnvVars::OPENAI_ORG_ID),
    (EnvVars::OPENAI_API_BASE, EnvVars::OPENAI_BASE_URL),
    (EnvVars::OPENAI_API_KEY_PATH, EnvVars::OPENAI_API_KEY),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Origin {
    Flag,
    Env,
    Dotenv,
    /// A `.env` line that expands a variable of the environment
    /// (`X=${OPENAI_API_KEY}`): the file names it, the environment fills it.
    DotenvFromEnv,
    Default,
    /// The program's code (`doctor PROGRAM`): `base_url=`, `azure_endpoint=`, …
    Code,
    /// A Streamlit app's `.streamlit/secrets.toml` (a root-level value).
    StreamlitSecrets,
    /// `--compose`: the container's environment, as the compose files (and
    /// the project's `.env`, by interpolation) give it.
    Compose,
    /// `--unit PATH`: a unit file given by its path (perhaps a project's),
    /// not one of the machine's units.
    UnitFile,
}

impl Origin {
    /// "OPENAI_ORG_ID in the environment", "the command line", …
    pub(crate) fn label(self, variable: &str) -> String {
        match self {
            Origin::Flag => "the command line".to_string(),
            Origin::Env => format!("{variable} in the environment"),
            Origin::Dotenv => format!("{variable} in the .env file"),
            Origin::DotenvFromEnv => {
                format!("{variable} in the .env file (expanding a variable of the environment)")
            }
            Origin::Default => "the default".to_string(),
            Origin::Code => "the program's code".to_string(),
            Origin::StreamlitSecrets => format!("{variable} in Streamlit's secrets.toml"),
            Origin::Compose => format!("{variable} in the compose service's environment"),
            Origin::UnitFile => format!("{variable} in the unit file's environment"),
        }
    }

    /// Whether a `.env` had a hand in the value.
    pub(crate) fn is_dotenv(self) -> bool {
        matches!(self, Origin::Dotenv | Origin::DotenvFromEnv)
    }

    /// Whether the value is the project's own, from one of its files (the
    /// `.env`, the code, Streamlit's secrets): a host such a value names may
    /// receive only what those files hold.
    pub(crate) fn is_project(self) -> bool {
        self.is_dotenv()
            || matches!(
                self,
                Origin::Code | Origin::StreamlitSecrets | Origin::Compose | Origin::UnitFile
            )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valued {
    pub value: String,
    pub origin: Origin,
    /// The variable it was read from (the flag's, when it came from a flag).
    pub variable: &'static str,
}

impl Valued {
    /// "OPENAI_API_BASE in the environment", "the command line", …
    pub(crate) fn origin_words(&self) -> String {
        self.origin.label(self.variable)
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: Valued,
    pub org: Option<Valued>,
    pub project: Option<Valued>,
    /// `OPENAI_CUSTOM_HEADERS`: the headers the SDK adds to every request.
    pub custom_headers: Option<CustomHeaders>,
    /// `OPENAI_ADMIN_KEY`: used by the Administration API only.
    pub admin_key: Option<(ApiKey, Origin)>,
    /// `--client azure`: the endpoint and the API version.
    pub azure: Option<AzureSettings>,
    /// What langchain-openai sends through LangSmith's gateway instead of
    /// the OpenAI key.
    pub gateway_authorization: Option<GatewayKey>,
    pub network: super::network::Network,
    /// What the settings hold that must never be shown: the admin key,
    /// custom header values, users and passwords in URLs.
    pub secrets: Secrets,
}

/// `Authorization: Bearer <LangSmith key>`, and the variable it came from.
#[derive(Debug, Clone)]
pub struct GatewayKey {
    /// The whole header value, `Bearer …`.
    pub authorization: ApiKey,
    pub origin: Origin,
    pub variable: &'static str,
}

/// What `AzureOpenAI()` needs besides a credential; each as found (an
/// empty endpoint is kept: the client is made, and every call fails).
#[derive(Debug, Clone, Default)]
pub struct AzureSettings {
    pub endpoint: Option<Valued>,
    pub api_version: Option<Valued>,
    /// `OPENAI_BASE_URL`, which `AzureOpenAI()` ignores and openai-node's
    /// AzureOpenAI takes before the endpoint: where that would go.
    pub ignored_base_url: Option<Valued>,
}

/// `OPENAI_CUSTOM_HEADERS`, `Name: value` per line, as the Python (3.x) and
/// Node (6.x) SDKs read it; the values are secrets (one may be a key).
#[derive(Debug, Clone)]
pub struct CustomHeaders {
    pub headers: Vec<(String, ApiKey)>,
    pub origin: Origin,
}

impl CustomHeaders {
    pub(crate) fn names(&self) -> Vec<String> {
        self.headers.iter().map(|(name, _)| name.clone()).collect()
    }

    /// The `Authorization` it carries: the SDKs send it instead of the key.
    pub(crate) fn authorization(&self) -> Option<&ApiKey> {
        self.headers
            .iter()
            .rfind(|(name, _)| name.eq_ignore_ascii_case("authorization"))
            .map(|(_, value)| value)
    }
}

impl Settings {
    pub(crate) fn is_openai(&self) -> bool {
        is_openai_url(&self.base_url.value)
    }
}

pub(crate) fn is_openai_url(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h == "api.openai.com"))
        .unwrap_or(false)
}

/// The flags for the settings that have one.
#[derive(Debug, Clone, Default)]
pub struct SettingFlags {
    pub base_url: Option<String>,
    pub org: Option<String>,
    pub project: Option<String>,
    /// `--azure-endpoint`, `--api-version`: Azure OpenAI only.
    pub azure_endpoint: Option<String>,
    pub api_version: Option<String>,
    /// `--proxy`: the proxy a program's own agent uses, over the variables.
    pub proxy: Option<String>,
}

/// The most a setting may hold. Real ones are a URL or a few headers; a
/// megabyte of custom headers is an attack on the run's time, and is not
/// used (`setting_too_large`).
pub(crate) const MAX_SETTING_BYTES: usize = 16 * 1024;

/// Where a setting was found, and what it holds there.
struct Found<'a> {
    origin: Origin,
    /// The variable it was read from, where the program's code reads
    /// another than the client's own (`base_url=os.getenv("LLM_BASE_URL")`).
    read_from: Option<&'static str>,
    /// `None` when the environment holds bytes that are not UTF-8, or more
    /// than [`MAX_SETTING_BYTES`].
    text: Option<&'a str>,
    too_large: bool,
}

/// A setting decided before the usual walk — by the program's code, or by
/// Streamlit's secrets, which an app gets in its environment over the
/// shell's: the variable of the client's it stands for, its text, and where
/// that text is from.
#[derive(Debug, Clone)]
pub(crate) struct SettingOverride {
    pub stands_for: &'static str,
    pub text: String,
    pub origin: Origin,
    pub read_from: Option<&'static str>,
}

/// The settings a place other than the environment decides (Streamlit's
/// secrets, a compose service's files), by the variables this client reads
/// for them: its base URL's, its organization's, the project and the API
/// version.
pub(crate) fn overrides(
    client: Client,
    origin: Origin,
    value: impl Fn(&str) -> Option<String>,
) -> Vec<SettingOverride> {
    let rules = client.rules();
    rules
        .base_url_variables
        .iter()
        .chain(rules.organization_variables)
        .chain([&EnvVars::OPENAI_PROJECT_ID, &EnvVars::OPENAI_API_VERSION])
        .filter_map(|variable| {
            Some(SettingOverride {
                stands_for: variable,
                text: value(variable)?,
                origin,
                read_from: None,
            })
        })
        .collect()
}

/// The one walk every setting takes: the flag, the environment, the .env.
/// The first place that has the variable wins, even when it is empty — the
/// SDK reads the variable as it is, and python-dotenv never overrides one
/// that exists — so what an empty value means is each setting's to say.
struct Lookup<'a> {
    env: &'a Env,
    dotenv: Option<&'a super::files::DotenvVars>,
    /// `load_dotenv(override=True)`: the file's values come first.
    dotenv_overrides: bool,
    /// What the program's code gives, by the variable it stands for.
    code: &'a [SettingOverride],
    /// openai-node trims every value it reads (a blank one is then empty).
    trim: bool,
}

impl<'a> Lookup<'a> {
    fn find(&self, flag: Option<&'a str>, name: &str) -> Option<Found<'a>> {
        let found = self.find_as_is(flag, name)?;
        let too_large = found.text.is_some_and(|t| t.len() > MAX_SETTING_BYTES);
        Some(Found {
            text: found
                .text
                .filter(|_| !too_large)
                .map(|t| if self.trim { t.trim() } else { t }),
            too_large,
            ..found
        })
    }

    fn find_as_is(&self, flag: Option<&'a str>, name: &str) -> Option<Found<'a>> {
        if let Some(text) = flag {
            return Some(Found {
                read_from: None,
                origin: Origin::Flag,
                text: Some(text),
                too_large: false,
            });
        }
        if let Some(code) = self.code.iter().find(|c| c.stands_for == name) {
            return Some(Found {
                read_from: code.read_from,
                origin: code.origin,
                text: Some(&code.text),
                too_large: false,
            });
        }
        let in_dotenv = self
            .dotenv
            .filter(|d| self.dotenv_overrides && d.vars.contains_key(name));
        let env = match in_dotenv {
            Some(_) => EnvValue::Unset,
            None => self.env.get(name),
        };
        match env {
            EnvValue::Value(text) => Some(Found {
                read_from: None,
                origin: Origin::Env,
                text: Some(text),
                too_large: false,
            }),
            EnvValue::NotUtf8 => Some(Found {
                read_from: None,
                origin: Origin::Env,
                text: None,
                too_large: false,
            }),
            EnvValue::Unset => self
                .dotenv
                .and_then(|d| Some((d.vars.get(name)?, d)))
                .map(|(text, d)| Found {
                    read_from: None,
                    origin: if d.expanding_environment.contains(name) {
                        Origin::DotenvFromEnv
                    } else {
                        Origin::Dotenv
                    },
                    text: Some(text.as_str()),
                    too_large: false,
                }),
        }
    }

    /// A header's value: like [`Lookup::text`], but an empty one is kept,
    /// with a finding, because the Python SDK sends it as it is (observed
    /// with 3.57: `OpenAI-Organization:` with nothing after it; Node omits it).
    fn header(
        &self,
        flag: Option<&'a str>,
        name: &'static str,
        findings: &mut Vec<Finding>,
    ) -> Option<Valued> {
        match self.find(flag, name) {
            Some(Found {
                origin,
                text: Some(""),
                ..
            }) => {
                let header = if name == EnvVars::OPENAI_ORG_ID {
                    "OpenAI-Organization"
                } else {
                    "OpenAI-Project"
                };
                findings.push(Finding::warning(
                    FindingId::EmptyHeaderVariable,
                    format!(
                        "{} is set but empty: the Python SDK sends an empty {header} header (Node leaves it out); this check sends it as Python does, so the answer shows what the API makes of it. Unset it if you do not mean it",
                        origin.label(name)
                    ),
                ));
                Some(Valued {
                    value: String::new(),
                    origin,
                    variable: name,
                })
            }
            _ => self.text(flag, name, findings),
        }
    }

    /// A header's value as a client reads it: openai-node takes an empty
    /// one for none; openai-python sends it empty.
    fn header_for(
        &self,
        empty: EmptyHeader,
        flag: Option<&'a str>,
        name: &'static str,
        findings: &mut Vec<Finding>,
    ) -> Option<Valued> {
        match empty {
            EmptyHeader::LeftOut => self.text(flag, name, findings),
            EmptyHeader::SentEmpty => self.header(flag, name, findings),
        }
    }

    /// The value when there is a usable one; an empty or unreadable value
    /// counts as none, and the second is worth a finding.
    fn text(&self, flag: Option<&'a str>, name: &'static str, findings: &mut Vec<Finding>) -> Option<Valued> {
        let found = self.find(flag, name)?;
        match found.text {
            Some("") => None,
            Some(text) => Some(Valued {
                value: text.to_string(),
                origin: found.origin,
                variable: found.read_from.unwrap_or(name),
            }),
            None if found.too_large => {
                findings.push(Finding::warning(
                    FindingId::SettingTooLarge,
                    format!(
                        "{} holds more than {} KiB, far more than any real setting: this check ignores it",
                        found.origin.label(name),
                        MAX_SETTING_BYTES / 1024
                    ),
                ));
                None
            }
            None => {
                findings.push(Finding::warning(
                    FindingId::SettingNotUtf8,
                    format!(
                        "{} is not valid UTF-8: the SDK cannot send it, and this check ignores it",
                        found.origin.label(name)
                    ),
                ));
                None
            }
        }
    }
}

/// langchain-core's `_resolve_gateway_config` (observed with 1.8.3):
/// `LANGSMITH_GATEWAY` is `true`/`1`/`yes` for LangSmith's own host, a URL
/// for another, or `false`/`0`/`no`/empty for none; `/openai/v1` is added.
/// There the program sends `LANGSMITH_GATEWAY_API_KEY`, else
/// `LANGSMITH_API_KEY`, else `OPENAI_API_KEY`.
fn langsmith_gateway(
    lookup: &Lookup,
    findings: &mut Vec<Finding>,
    secrets: &mut Secrets,
) -> Option<(Valued, Option<GatewayKey>)> {
    let found = lookup.text(None, EnvVars::LANGSMITH_GATEWAY, findings)?;
    let host = match found.value.to_ascii_lowercase().as_str() {
        "false" | "0" | "no" => return None,
        "true" | "1" | "yes" => LANGSMITH_GATEWAY_HOST.to_string(),
        _ => found.value.trim_end_matches('/').to_string(),
    };
    let gateway_key = [EnvVars::LANGSMITH_GATEWAY_API_KEY, EnvVars::LANGSMITH_API_KEY]
        .into_iter()
        .find_map(|name| Some((name, lookup.text(None, name, findings)?)));
    for name in [EnvVars::LANGSMITH_GATEWAY_API_KEY, EnvVars::LANGSMITH_API_KEY] {
        if let Some(Found {
            text: Some(value), ..
        }) = lookup.find(None, name)
        {
            secrets.add(value);
        }
    }
    let value = format!("{host}/openai/v1");
    for credential in urls::credentials(&value)
        .into_iter()
        .chain(urls::credentials(&host))
    {
        secrets.add(&credential);
    }
    findings.push(Finding::warning(
        FindingId::LangsmithGateway,
        format!(
            "{} sends langchain-openai's requests to LangSmith's gateway ({}), ahead of OPENAI_BASE_URL; {}",
            found.origin_words(),
            urls::shown(&value),
            match gateway_key {
                Some((name, _)) => format!(
                    "there the program sends {name} instead of the OpenAI key, and so does this check"
                ),
                None => "there the program sends OPENAI_API_KEY, as this check does".to_string(),
            }
        ),
    ));
    let authorization = gateway_key.map(|(variable, key)| GatewayKey {
        authorization: ApiKey::new(format!("Bearer {}", key.value)),
        origin: key.origin,
        variable,
    });
    Some((
        Valued {
            value,
            origin: found.origin,
            variable: EnvVars::LANGSMITH_GATEWAY,
        },
        authorization,
    ))
}

/// Where `LANGSMITH_GATEWAY=true` sends requests.
const LANGSMITH_GATEWAY_HOST: &str = "https://gateway.smith.langchain.com";

/// The base URL as an OpenAI client reads it, and what LangSmith's gateway
/// sends instead of the key, when it does.
fn openai_base_url(
    lookup: &Lookup,
    flags: &SettingFlags,
    rules: &ClientRules,
    findings: &mut Vec<Finding>,
    secrets: &mut Secrets,
) -> (Valued, Option<GatewayKey>) {
    // Every variable before the last counts only when it holds something
    // (langchain-openai's OPENAI_API_BASE: an empty one falls through).
    let (last, earlier) = rules
        .base_url_variables
        .split_last()
        .expect("every client reads a base URL");
    let flag = flags.base_url.as_deref();
    let earlier = earlier.iter().find_map(|name| lookup.text(flag, name, findings));
    // Without it, LangSmith's gateway comes before OPENAI_BASE_URL.
    let gateway = (rules.langsmith_gateway && earlier.is_none())
        .then(|| langsmith_gateway(lookup, findings, secrets))
        .flatten();
    let (gateway, gateway_authorization) = gateway.map_or((None, None), |(url, key)| (Some(url), key));
    let base_url = earlier.or(gateway).or_else(|| lookup.text(flag, last, findings));
    // openai-node takes an empty one for the default, quietly.
    if let Some(Found {
        origin,
        text: Some(""),
        ..
    }) = lookup
        .find(flag, last)
        .filter(|_| base_url.is_none() && rules.empty_base_url == EmptyBaseUrl::Fails)
    {
        findings.push(Finding::error(
            FindingId::EmptyBaseUrl,
            format!(
                "{} is set but empty: the Python SDK then has no base URL, and every call fails with `APIConnectionError: Connection error.` before anything is sent (Node would fall back to the default). Unset it or give a URL",
                match origin {
                    Origin::Flag => "--base-url".to_string(),
                    Origin::Env => EnvVars::OPENAI_BASE_URL.to_string(),
                    other => other.label(EnvVars::OPENAI_BASE_URL),
                }
            ),
        ));
    }
    let base_url = base_url.unwrap_or_else(|| Valued {
        value: DEFAULT_BASE_URL.to_string(),
        origin: Origin::Default,
        variable: EnvVars::OPENAI_BASE_URL,
    });
    (base_url, gateway_authorization)
}

/// `AzureOpenAI()`'s endpoint and API version (openai-python 3.57): the
/// base URL is `{endpoint}/openai`, or `--base-url` as given (its `base_url=`).
fn azure_settings(
    lookup: &Lookup,
    flags: &SettingFlags,
    rules: &ClientRules,
    findings: &mut Vec<Finding>,
) -> (Valued, AzureSettings) {
    let found = |flag: &Option<String>, name: &'static str, findings: &mut Vec<Finding>| {
        let found = lookup.find(flag.as_deref(), name)?;
        match found.text {
            Some(text) => Some(Valued {
                value: text.to_string(),
                origin: found.origin,
                variable: found.read_from.unwrap_or(name),
            }),
            // Unreadable: a finding, and counted as unset.
            None => lookup.text(None, name, findings),
        }
    };
    let endpoint = found(&flags.azure_endpoint, EnvVars::AZURE_OPENAI_ENDPOINT, findings);
    let ignored_base_url = lookup
        .find(None, EnvVars::OPENAI_BASE_URL)
        .and_then(|f| Some((f.text?.to_string(), f.origin)))
        .filter(|(text, _)| !text.is_empty())
        .map(|(value, origin)| Valued {
            value,
            origin,
            variable: EnvVars::OPENAI_BASE_URL,
        });
    let api_version = found(&flags.api_version, EnvVars::OPENAI_API_VERSION, findings);
    // openai-node's AzureOpenAI takes OPENAI_BASE_URL, whole, before the
    // endpoint.
    let base_url_first = rules
        .azure_base_url_variable
        .and_then(|_| ignored_base_url.clone());
    let ignored_base_url = ignored_base_url.filter(|_| base_url_first.is_none());
    for name in [EnvVars::OPENAI_API_KEY, EnvVars::OPENAI_BASE_URL] {
        if rules.azure_base_url_variable == Some(name) {
            continue;
        }
        if let Some(found) = lookup.find(None, name) {
            findings.push(Finding::info(
                FindingId::VariableNotRead,
                format!(
                    "{} is set, but AzureOpenAI() does not read it{}",
                    found.origin.label(name),
                    if name == EnvVars::OPENAI_BASE_URL {
                        " (openai-node's AzureOpenAI does, as its base URL)"
                    } else {
                        ": it reads AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN"
                    }
                ),
            ));
        }
    }
    let base_url = match (&flags.base_url, base_url_first, &endpoint) {
        (Some(url), _, _) => Valued {
            value: url.clone(),
            origin: Origin::Flag,
            variable: EnvVars::AZURE_OPENAI_ENDPOINT,
        },
        (None, Some(first), _) => first,
        (None, None, Some(endpoint)) if !endpoint.value.is_empty() => Valued {
            value: format!("{}/openai", endpoint.value.trim_end_matches('/')),
            origin: endpoint.origin,
            variable: endpoint.variable,
        },
        // Nothing to send to: plan stops before any request.
        (None, None, _) => Valued {
            value: String::new(),
            origin: Origin::Default,
            variable: EnvVars::AZURE_OPENAI_ENDPOINT,
        },
    };
    (
        base_url,
        AzureSettings {
            endpoint,
            api_version,
            ignored_base_url,
        },
    )
}

pub(crate) fn resolve(
    env: &Env,
    flags: &SettingFlags,
    (dotenv, dotenv_overrides): (Option<&super::files::DotenvVars>, bool),
    code: &[SettingOverride],
    ca_cert: Option<&std::path::Path>,
    client: Client,
) -> (Settings, Vec<Finding>) {
    let rules = client.rules();
    let lookup = Lookup {
        env,
        dotenv,
        dotenv_overrides,
        code,
        trim: rules.trims_values,
    };
    let mut findings = Vec::new();
    let mut secrets = Secrets::default();
    let (base_url, gateway_authorization, azure) =
        where_to(&lookup, flags, rules, &mut findings, &mut secrets);
    let (org, project) = organization_and_project(&lookup, flags, rules, &mut findings);
    legacy_variables(&lookup, rules, &mut findings);
    let custom_headers = custom_headers(&lookup, &mut findings, &mut secrets);
    let admin_key = admin_key(&lookup, &mut findings, &mut secrets);
    let (network, network_findings) = super::network::resolve(
        env,
        &base_url.value,
        (ca_cert, flags.proxy.as_deref()),
        client,
        &mut secrets,
    );
    findings.extend(network_findings);
    (
        Settings {
            base_url,
            org,
            project,
            custom_headers,
            admin_key,
            gateway_authorization,
            azure,
            network,
            secrets,
        },
        findings,
    )
}

/// Where the request goes: the base URL (with LangSmith's gateway key, when
/// the gateway is where), or Azure's endpoint and API version.
fn where_to(
    lookup: &Lookup,
    flags: &SettingFlags,
    rules: &ClientRules,
    findings: &mut Vec<Finding>,
    secrets: &mut Secrets,
) -> (Valued, Option<GatewayKey>, Option<AzureSettings>) {
    let (base_url, gateway_authorization, azure) = match rules.service {
        Service::Azure => {
            let (base_url, azure) = azure_settings(lookup, flags, rules, findings);
            // The endpoint as given: its query's credentials, before
            // `/openai` is added to it as AzureOpenAI() adds it.
            if let Some(endpoint) = &azure.endpoint {
                for credential in urls::credentials(&endpoint.value) {
                    secrets.add(&credential);
                }
            }
            (base_url, None, Some(azure))
        }
        Service::OpenAi => {
            let (base_url, gateway_authorization) = openai_base_url(lookup, flags, rules, findings, secrets);
            (base_url, gateway_authorization, None)
        }
    };
    for credential in urls::credentials(&base_url.value) {
        secrets.add(&credential);
    }
    if base_url.origin != Origin::Default && !is_openai_url(&base_url.value) && azure.is_none() {
        findings.push(Finding::info(
            FindingId::CustomBaseUrl,
            format!(
                "requests go to {} (from {}), not to OpenAI: a key of another provider may be right there",
                urls::shown(&base_url.value),
                base_url.origin_words()
            ),
        ));
    }
    (base_url, gateway_authorization, azure)
}

/// The organization and project headers, as the client reads them.
fn organization_and_project(
    lookup: &Lookup,
    flags: &SettingFlags,
    rules: &ClientRules,
    findings: &mut Vec<Finding>,
) -> (Option<Valued>, Option<Valued>) {
    // An empty one is kept: the Python SDK sends it as an empty header;
    // openai-node leaves it out.
    let header =
        |flag, name, findings: &mut Vec<Finding>| lookup.header_for(rules.empty_header, flag, name, findings);
    // langchain-openai takes the first of OPENAI_ORG_ID and
    // OPENAI_ORGANIZATION that holds something; with neither, the SDK
    // under it reads OPENAI_ORG_ID itself.
    let flag = flags.org.as_deref();
    let org = match rules.organization_variables {
        [only] => header(flag, only, findings),
        // The first that holds something; with none, the SDK under it reads
        // the first itself (langchain-openai: OPENAI_ORG_ID, then
        // OPENAI_ORGANIZATION).
        [first, rest @ ..] => lookup
            .text(flag, first, findings)
            .or_else(|| rest.iter().find_map(|name| lookup.text(None, name, findings)))
            .or_else(|| header(flag, first, findings)),
        [] => None,
    };
    let project = header(flags.project.as_deref(), EnvVars::OPENAI_PROJECT_ID, findings);
    (org, project)
}

/// The 0.x SDK's variables that the client no longer reads.
fn legacy_variables(lookup: &Lookup, rules: &ClientRules, findings: &mut Vec<Finding>) {
    for (old, new) in LEGACY_VARIABLES {
        // langchain-openai still reads two of them.
        if rules.reads(old) {
            continue;
        }
        if let Some(found) = lookup.find(None, old) {
            findings.push(Finding::warning(
                FindingId::LegacyVariable,
                format!(
                    "{} is set, but only the old 0.x SDK read it; 1.x and later ignore it: use {new}",
                    found.origin.label(old)
                ),
            ));
        }
    }
}

/// `OPENAI_CUSTOM_HEADERS`, parsed as the SDKs parse it.
fn custom_headers(
    lookup: &Lookup,
    findings: &mut Vec<Finding>,
    secrets: &mut Secrets,
) -> Option<CustomHeaders> {
    let custom_headers = lookup
        .text(None, EnvVars::OPENAI_CUSTOM_HEADERS, findings)
        .map(|found| {
            // As the SDKs parse it: split at the first colon, both sides
            // trimmed, into a dict: a name given twice keeps its last value.
            let mut headers: Vec<(String, ApiKey)> = Vec::new();
            for (name, value) in found.value.lines().filter_map(|l| l.split_once(':')) {
                secrets.add(value.trim());
                let (name, value) = (name.trim().to_string(), ApiKey::new(value.trim()));
                match headers.iter_mut().find(|(n, _)| *n == name) {
                    Some(entry) => entry.1 = value,
                    None => headers.push((name, value)),
                }
            }
            CustomHeaders {
                headers,
                origin: found.origin,
            }
        });
    if let Some(custom) = &custom_headers
        && let Some(authorization) = custom.authorization()
    {
        findings.push(Finding::warning(
            FindingId::CustomHeadersAuthorization,
            format!(
                "{} carries its own Authorization header ({}): the SDKs (Python 3.x, Node 6.x) send it instead of the key, and so does this check{}",
                custom.origin.label(EnvVars::OPENAI_CUSTOM_HEADERS),
                authorization.masked(),
                if custom.origin.is_dotenv() {
                    "; a program that loads that .env sends that credential, not yours, and its owner's account sees every request"
                } else {
                    ""
                }
            ),
        ));
    }
    custom_headers
}

/// `OPENAI_ADMIN_KEY`: never sent, always a secret.
fn admin_key(
    lookup: &Lookup,
    findings: &mut Vec<Finding>,
    secrets: &mut Secrets,
) -> Option<(ApiKey, Origin)> {
    let admin_key = lookup
        .text(None, EnvVars::OPENAI_ADMIN_KEY, findings)
        .map(|found| (ApiKey::new(found.value), found.origin));
    if let Some((key, _)) = &admin_key {
        secrets.add(key.expose());
    }
    if let Some((_, origin)) = &admin_key {
        findings.push(Finding::info(
            FindingId::AdminKeyVariable,
            format!(
                "{} is set: the SDK uses it only for the Administration API, never instead of OPENAI_API_KEY",
                origin.label(EnvVars::OPENAI_ADMIN_KEY)
            ),
        ));
    }
    admin_key
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;

    use crate::resolve::files::DotenvVars;

    fn dotenv_of(vars: HashMap<String, String>) -> DotenvVars {
        DotenvVars {
            vars,
            ..DotenvVars::default()
        }
    }

    fn lookup_in<'a>(env: &'a Env, dotenv: &'a DotenvVars) -> Lookup<'a> {
        Lookup {
            env,
            dotenv: Some(dotenv),
            dotenv_overrides: false,
            code: &[],
            trim: false,
        }
    }

    #[test]
    fn the_first_place_that_has_a_variable_wins_even_when_empty() {
        let dotenv = dotenv_of([(EnvVars::OPENAI_ORG_ID.to_string(), "org-dotenv".to_string())].into());
        let env: Env = [(EnvVars::OPENAI_ORG_ID, "")].into_iter().collect();
        let mut findings = Vec::new();
        let lookup = lookup_in(&env, &dotenv);
        assert_eq!(lookup.text(None, EnvVars::OPENAI_ORG_ID, &mut findings), None);
        assert_eq!(
            lookup.text(Some("org-flag"), EnvVars::OPENAI_ORG_ID, &mut findings),
            Some(Valued {
                value: "org-flag".into(),
                origin: Origin::Flag,
                variable: EnvVars::OPENAI_ORG_ID
            })
        );
        let env = Env::default();
        assert_eq!(
            lookup_in(&env, &dotenv).text(None, EnvVars::OPENAI_ORG_ID, &mut findings),
            Some(Valued {
                value: "org-dotenv".into(),
                origin: Origin::Dotenv,
                variable: EnvVars::OPENAI_ORG_ID
            })
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn a_value_that_is_not_utf8_is_named_and_not_used() {
        use std::os::unix::ffi::OsStringExt;
        let env: Env = [(
            EnvVars::OPENAI_PROJECT_ID,
            std::ffi::OsString::from_vec(vec![b'p', 0xff]),
        )]
        .into_iter()
        .collect();
        let dotenv = dotenv_of([(EnvVars::OPENAI_PROJECT_ID.to_string(), "proj_dotenv".to_string())].into());
        let mut findings = Vec::new();
        assert_eq!(
            lookup_in(&env, &dotenv).text(None, EnvVars::OPENAI_PROJECT_ID, &mut findings),
            None,
            "the environment's variable wins over the .env, even unreadable"
        );
        assert_eq!(findings[0].id, FindingId::SettingNotUtf8);
        assert!(
            findings[0]
                .message
                .contains("OPENAI_PROJECT_ID in the environment")
        );
    }

    #[test]
    fn origins_are_spelt_alike_everywhere() {
        crate::vocab::ids::tests::names_agree::<Origin>();
    }
}
