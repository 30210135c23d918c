//! The other variables the SDK reads, resolved like the key: flag, then the
//! environment, then the .env (which a program sees only if it loads it).

use std::collections::HashMap;

use serde::Serialize;

use super::{EnvValue, Inputs};
use crate::finding::{Finding, FindingId};
use crate::secret::{self, ApiKey};

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// Variables of the 0.x SDK that 1.x and later ignore, with their heirs.
const LEGACY_VARIABLES: &[(&str, &str)] = &[
    ("OPENAI_ORGANIZATION", "OPENAI_ORG_ID"),
    ("OPENAI_API_BASE", "OPENAI_BASE_URL"),
    ("OPENAI_API_KEY_PATH", "OPENAI_API_KEY"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Flag,
    Env,
    Dotenv,
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valued {
    pub value: String,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: Valued,
    pub org: Option<Valued>,
    pub project: Option<Valued>,
    /// `OPENAI_CUSTOM_HEADERS`: the names of the headers it adds (3.x SDK).
    pub custom_headers: Option<(Vec<String>, Origin)>,
    /// `OPENAI_ADMIN_KEY`: used by the Administration API only.
    pub admin_key: Option<(ApiKey, Origin)>,
    pub network: super::network::Network,
}

impl Settings {
    pub fn is_openai(&self) -> bool {
        is_openai_url(&self.base_url.value)
    }
}

pub fn is_openai_url(url: &str) -> bool {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h == "api.openai.com"))
        .unwrap_or(false)
}

pub fn resolve(inputs: &Inputs, dotenv: Option<&super::files::DotenvVars>) -> (Settings, Vec<Finding>) {
    let dotenv_vars = dotenv.map(|d| &d.vars);
    let lookup = |flag: &Option<String>, name: &str| -> Option<Valued> {
        let non_empty = |v: &str| (!v.is_empty()).then(|| v.to_string());
        if let Some(v) = flag.as_deref().and_then(non_empty) {
            return Some(Valued {
                value: v,
                origin: Origin::Flag,
            });
        }
        match inputs.env.get(name) {
            EnvValue::Value(v) => {
                return non_empty(v).map(|value| Valued {
                    value,
                    origin: Origin::Env,
                });
            }
            EnvValue::NotUtf8 => return None,
            EnvValue::Unset => {}
        }
        dotenv_get(dotenv_vars, name)
            .and_then(non_empty)
            .map(|value| Valued {
                value,
                origin: Origin::Dotenv,
            })
    };

    let mut findings = Vec::new();
    let base_url = lookup(&inputs.base_url_flag, "OPENAI_BASE_URL").unwrap_or_else(|| Valued {
        value: DEFAULT_BASE_URL.to_string(),
        origin: Origin::Default,
    });
    if inputs.base_url_flag.is_none() && inputs.env.text("OPENAI_BASE_URL") == Some("") {
        findings.push(Finding::warning(
            FindingId::EmptyBaseUrl,
            "OPENAI_BASE_URL is set but empty: the Python SDK (3.x) then has no base URL and every call fails with APIConnectionError; Node falls back to the default. Unset it or give a URL; this check uses the default",
        ));
    }
    if base_url.origin != Origin::Default && !is_openai_url(&base_url.value) {
        findings.push(Finding::info(
            FindingId::CustomBaseUrl,
            format!(
                "requests go to {} (from {}), not to OpenAI: a key of another provider may be right there",
                secret::redact_url(&base_url.value),
                origin_label(base_url.origin, "OPENAI_BASE_URL")
            ),
        ));
    }

    let org = lookup(&inputs.org_flag, "OPENAI_ORG_ID");
    let project = lookup(&inputs.project_flag, "OPENAI_PROJECT_ID");

    let present = |name: &str| -> Option<Origin> {
        match inputs.env.get(name) {
            EnvValue::Unset => dotenv_get(dotenv_vars, name).map(|_| Origin::Dotenv),
            _ => Some(Origin::Env),
        }
    };
    for (old, new) in LEGACY_VARIABLES {
        if let Some(origin) = present(old) {
            findings.push(Finding::warning(
                FindingId::LegacyVariable,
                format!(
                    "{} is set, but only the old 0.x SDK read it; 1.x and later ignore it: use {new}",
                    origin_label(origin, old)
                ),
            ));
        }
    }

    let text_of = |name: &str| -> Option<(String, Origin)> {
        match inputs.env.get(name) {
            EnvValue::Value(v) => Some((v.to_string(), Origin::Env)),
            EnvValue::NotUtf8 => None,
            EnvValue::Unset => dotenv_get(dotenv_vars, name).map(|v| (v.to_string(), Origin::Dotenv)),
        }
    };
    let custom_headers = text_of("OPENAI_CUSTOM_HEADERS").map(|(text, origin)| {
        let names: Vec<String> = text
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(name, _)| name.trim().to_string())
            .collect();
        (names, origin)
    });
    if let Some((names, _)) = &custom_headers
        && names.iter().any(|n| n.eq_ignore_ascii_case("authorization"))
    {
        findings.push(Finding::warning(
            FindingId::CustomHeadersAuthorization,
            "OPENAI_CUSTOM_HEADERS carries its own Authorization header: the Python SDK (3.x) adds it to every request, so the key sent is not the one checked here",
        ));
    }

    let admin_key = text_of("OPENAI_ADMIN_KEY").map(|(value, origin)| (ApiKey::new(value), origin));
    if let Some((_, origin)) = &admin_key {
        findings.push(Finding::info(
            FindingId::AdminKeyVariable,
            format!(
                "{} is set: the SDK uses it only for the Administration API, never instead of OPENAI_API_KEY",
                origin_label(*origin, "OPENAI_ADMIN_KEY")
            ),
        ));
    }

    let (network, network_findings) =
        super::network::resolve(&inputs.env, &base_url.value, inputs.ca_cert.as_deref());
    findings.extend(network_findings);
    (
        Settings {
            base_url,
            org,
            project,
            custom_headers,
            admin_key,
            network,
        },
        findings,
    )
}

fn dotenv_get<'a>(vars: Option<&'a HashMap<String, String>>, name: &str) -> Option<&'a str> {
    vars.and_then(|v| v.get(name)).map(String::as_str)
}

pub fn origin_label(origin: Origin, variable: &str) -> String {
    match origin {
        Origin::Flag => "the command line".to_string(),
        Origin::Env => format!("{variable} in the environment"),
        Origin::Dotenv => format!("{variable} in the .env file"),
        Origin::Default => "the default".to_string(),
    }
}
