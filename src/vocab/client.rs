//! Whose rules a run follows: the client library the user's program uses.
//! The clients differ exactly where people get stuck — which variables they
//! read, what an empty or padded value means, which `.env` they can see —
//! and each difference is a field of [`ClientRules`], one value per client,
//! observed with the real client (`tests/sdk.rs` keeps comparing). Every
//! client decision reads these values; none matches on the client itself.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use super::EnvVars;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Client {
    /// openai-python's `OpenAI()` (observed with 3.57).
    #[default]
    Python,
    /// openai-node's `new OpenAI()` (observed with 6.49).
    Node,
    /// langchain-openai's `ChatOpenAI()` (observed with 1.7.4).
    Langchain,
    /// openai-python's `AzureOpenAI()` (observed with 3.57).
    Azure,
    /// openai-node's `new AzureOpenAI()` (observed with 6.49): it takes
    /// `OPENAI_BASE_URL` before `AZURE_OPENAI_ENDPOINT`, and reads no token
    /// variable.
    AzureNode,
}

impl Client {
    /// The stable id, as `--client` and JSON spell it.
    pub(crate) fn name(self) -> &'static str {
        self.into()
    }

    /// What this client does, as data.
    pub(crate) fn rules(self) -> &'static ClientRules {
        match self {
            Client::Python => &PYTHON,
            Client::Node => &NODE,
            Client::Langchain => &LANGCHAIN,
            Client::Azure => &AZURE,
            Client::AzureNode => &AZURE_NODE,
        }
    }
}

/// Which service a client speaks to, and so how it authenticates: OpenAI's
/// API (and the gateways that copy it), or an Azure OpenAI resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// A key in `Authorization: Bearer`, from `OPENAI_API_KEY`.
    OpenAi,
    /// `AZURE_OPENAI_AD_TOKEN` (Bearer), else `AZURE_OPENAI_API_KEY`
    /// (`api-key`); an endpoint and an API version besides.
    Azure,
}

/// Which `.env` a program of this client can see, when it loads one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DotenvReach {
    /// python-dotenv's `load_dotenv()`: the nearest `.env` upward.
    Upward,
    /// Node's dotenv and `node --env-file`: `./.env` only.
    CurrentFolder,
}

/// How a client reads the proxy variables (`HTTPS_PROXY`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyReading {
    /// httpx honours them.
    Environment,
    /// Node's fetch ignores them unless `NODE_USE_ENV_PROXY=1` or
    /// `--use-env-proxy` (Node 24 and later; observed: openai-node 6.49 on
    /// Node 20 goes direct with `HTTPS_PROXY` set).
    WhenNodeIsTold,
}

/// What a client makes of a header variable set but empty
/// (`OPENAI_ORG_ID=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmptyHeader {
    /// openai-python sends `OpenAI-Organization:` with nothing after it.
    SentEmpty,
    /// openai-node leaves the header out.
    LeftOut,
}

/// What a client makes of `OPENAI_BASE_URL=` (set, empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmptyBaseUrl {
    /// openai-python 3.x: no base URL, every call fails with
    /// `APIConnectionError`.
    Fails,
    /// openai-node: the default, quietly.
    Default,
}

/// An Azure client's words when a setting it needs is missing.
#[derive(Debug)]
pub(crate) struct AzureSettingErrors {
    pub no_version: &'static str,
    pub no_endpoint: &'static str,
    pub empty_endpoint: &'static str,
}

/// openai-python's `AzureOpenAI()`.
const PYTHON_AZURE_ERRORS: AzureSettingErrors = AzureSettingErrors {
    no_version: "`AzureOpenAI()` raises `ValueError: Must provide either the api_version argument or the OPENAI_API_VERSION environment variable` when it is created",
    no_endpoint: "`AzureOpenAI()` raises `ValueError: Must provide one of the base_url or azure_endpoint arguments, or the AZURE_OPENAI_ENDPOINT environment variable` when it is created",
    empty_endpoint: "AZURE_OPENAI_ENDPOINT is set but empty: `AzureOpenAI()` is created, and every call fails with `APIConnectionError: Connection error.` before anything is sent",
};

/// One client's rules.
#[derive(Debug)]
pub(crate) struct ClientRules {
    pub service: Service,
    /// Where the base URL comes from, first that holds something first.
    pub base_url_variables: &'static [&'static str],
    /// Azure: a variable taken as the whole base URL before the endpoint
    /// (openai-node's `AzureOpenAI` reads `OPENAI_BASE_URL` first).
    pub azure_base_url_variable: Option<&'static str>,
    /// Azure: whether `AZURE_OPENAI_AD_TOKEN` is read (openai-python's
    /// `AzureOpenAI()` does; openai-node's does not).
    pub reads_ad_token_variable: bool,
    /// Azure: the client checks its API version before its credential
    /// (openai-node's does; openai-python's checks the credential first).
    pub version_before_credential: bool,
    /// Azure: what the client says when it is made without an API version,
    /// without an endpoint, and with an empty one.
    pub azure_setting_errors: AzureSettingErrors,
    /// What `OPENAI_BASE_URL=` means.
    pub empty_base_url: EmptyBaseUrl,
    /// langchain-openai: `LANGSMITH_GATEWAY` sends requests to LangSmith's
    /// gateway, ahead of `OPENAI_BASE_URL`, with LangSmith's key.
    pub langsmith_gateway: bool,
    /// Where the organization comes from, first that holds something first.
    pub organization_variables: &'static [&'static str],
    pub empty_header: EmptyHeader,
    /// openai-node trims every value it reads (a blank one is then unset).
    pub trims_values: bool,
    /// A proxy variable of the client's own, used where no proxy variable
    /// of the environment applies (httpx's per-scheme mounts outrank it).
    pub own_proxy: Option<&'static str>,
    /// A variable naming certificates trusted besides the roots.
    pub extra_ca_variable: Option<&'static str>,
    /// Whether `SSL_CERT_FILE` and `SSL_CERT_DIR` replace the roots (httpx
    /// and OpenSSL read them; Node keeps its own bundled roots unless
    /// started with `--use-openssl-ca`).
    pub reads_trust_store: bool,
    pub proxy_reading: ProxyReading,
    pub dotenv_reach: DotenvReach,
    /// Why an empty variable hides a key in `.env`, in the loader's words.
    pub dotenv_does_not_override: &'static str,
    /// What the client says when it is created without a key, as a sentence
    /// (observed with openai-python 3.57 and 1.109, openai-node 6.49,
    /// langchain-openai 1.7.4).
    pub missing_credentials: &'static str,
    /// What the client does with a key variable set but empty.
    pub empty_key: &'static str,
    /// With only `OPENAI_ADMIN_KEY`: the client is created, and a call fails
    /// before anything is sent.
    pub admin_key_only: &'static str,
    /// How the client reports a request that got no answer.
    pub connection_error: &'static str,
    /// How to give the client its key, as the start of a sentence.
    pub set_key: &'static str,
    /// Where the program sets the base URL, in the client's own words.
    pub base_url_setting: &'static str,
    /// Where a program of this client reads its key, for a sentence's
    /// parentheses.
    pub key_read_from: &'static str,
    /// Why a request of this client reaches the server without a key.
    pub sends_without_key: &'static str,
    /// A last step for a network error: the client's own settings to check.
    pub network_check: Option<&'static str>,
    /// How a program of this client loads a `.env`.
    pub loads_dotenv: &'static str,
    /// The command that shows whether a program's code loads one.
    pub dotenv_check: &'static str,
}

impl ClientRules {
    /// Whether the client reads `variable` at all (a 0.x name it still reads
    /// is no legacy one for it).
    pub(crate) fn reads(&self, variable: &str) -> bool {
        self.base_url_variables.contains(&variable) || self.organization_variables.contains(&variable)
    }
}

const PYTHON_NO_OVERRIDE: &str = "python-dotenv's load_dotenv() does not override an existing variable";
const PYTHON_CONNECTION_ERROR: &str =
    "The Python SDK reports every one of these as `APIConnectionError: Connection error.`";
const SDK_ADMIN_KEY_ONLY: &str = "OPENAI_ADMIN_KEY is set, so the client is created, but a models, chat or embeddings call fails before sending anything: `Could not resolve authentication method. Expected either api_key or admin_api_key to be set…`. The admin key serves the Administration API only: set OPENAI_API_KEY for model calls.";

/// openai-python's rules, which langchain-openai and `AzureOpenAI()` build on:
/// they are written as what they change.
const OPENAI_PYTHON: ClientRules = ClientRules {
    service: Service::OpenAi,
    base_url_variables: &[EnvVars::OPENAI_BASE_URL],
    azure_base_url_variable: None,
    reads_ad_token_variable: true,
    version_before_credential: false,
    azure_setting_errors: PYTHON_AZURE_ERRORS,
    empty_base_url: EmptyBaseUrl::Fails,
    langsmith_gateway: false,
    organization_variables: &[EnvVars::OPENAI_ORG_ID],
    empty_header: EmptyHeader::SentEmpty,
    trims_values: false,
    own_proxy: None,
    extra_ca_variable: None,
    reads_trust_store: true,
    proxy_reading: ProxyReading::Environment,
    dotenv_reach: DotenvReach::Upward,
    dotenv_does_not_override: PYTHON_NO_OVERRIDE,
    missing_credentials: "The SDK fails when the client is constructed, before any request: 3.x raises `Missing credentials…`, 1.x `The api_key client option must be set…`",
    empty_key: "The current Python SDK raises `Missing credentials…` when the client is constructed; openai-python 1.x sends no Authorization header and gets 401 \"You didn't provide an API key\".",
    admin_key_only: SDK_ADMIN_KEY_ONLY,
    connection_error: PYTHON_CONNECTION_ERROR,
    set_key: "Set OPENAI_API_KEY in the environment the program runs in (in CI, store it as a secret and map it into the job's environment), or pass api_key= when creating the client",
    base_url_setting: "base_url= or OPENAI_BASE_URL",
    key_read_from: "OPENAI_API_KEY, a .env file, a secret store",
    sends_without_key: "Almost always the program's OPENAI_API_KEY is empty or unset: openai-python 1.x sends no header when the variable is set but empty, and curl sends `Bearer ` when `$OPENAI_API_KEY` is not set in its shell.",
    network_check: None,
    loads_dotenv: "python-dotenv's `load_dotenv()`",
    dotenv_check: "grep -rn load_dotenv --include=*.py .",
};

pub(crate) static PYTHON: ClientRules = OPENAI_PYTHON;

pub(crate) static NODE: ClientRules = OPENAI_NODE;

const OPENAI_NODE: ClientRules = ClientRules {
    service: Service::OpenAi,
    base_url_variables: &[EnvVars::OPENAI_BASE_URL],
    azure_base_url_variable: None,
    reads_ad_token_variable: false,
    version_before_credential: false,
    azure_setting_errors: PYTHON_AZURE_ERRORS,
    empty_base_url: EmptyBaseUrl::Default,
    langsmith_gateway: false,
    organization_variables: &[EnvVars::OPENAI_ORG_ID],
    empty_header: EmptyHeader::LeftOut,
    trims_values: true,
    own_proxy: None,
    extra_ca_variable: Some(EnvVars::NODE_EXTRA_CA_CERTS),
    reads_trust_store: false,
    proxy_reading: ProxyReading::WhenNodeIsTold,
    dotenv_reach: DotenvReach::CurrentFolder,
    dotenv_does_not_override: "neither dotenv nor `node --env-file` overrides a variable that exists",
    missing_credentials: "The openai-node constructor throws `OpenAIError: Missing credentials…`, before any request (it trims values, so a blank one counts as none)",
    empty_key: "The openai-node constructor throws `OpenAIError: Missing credentials…`, before any request (it trims values, so a blank one counts as none).",
    admin_key_only: SDK_ADMIN_KEY_ONLY,
    connection_error: "openai-node reports every one of these as `APIConnectionError: Connection error.`, with the cause in its `cause` field",
    set_key: "Set OPENAI_API_KEY in the environment the program runs in (process.env; a .env file counts only if the program loads it, e.g. `import 'dotenv/config'` before the client is made, or `node --env-file=.env`; in a browser bundle only variables the bundler exposes exist), or pass apiKey to `new OpenAI()`",
    base_url_setting: "baseURL or OPENAI_BASE_URL",
    key_read_from: "process.env.OPENAI_API_KEY, set before the client is made: a .env counts only once loaded, with `import 'dotenv/config'` first or `node --env-file=.env`; in a browser bundle only the variables the bundler exposes exist",
    sends_without_key: "openai-node refuses to start without a key, so in Node this is most often a hand-written fetch or axios call whose headers leave out or misspell `Authorization`, or one that read `process.env.OPENAI_API_KEY` before the .env was loaded (`import 'dotenv/config'` must run first).",
    network_check: None,
    loads_dotenv: "`import 'dotenv/config'` or `require('dotenv').config()` before the client, or `node --env-file=.env`; only ./.env, from the folder the program starts in",
    dotenv_check: "grep -rnE \"dotenv|env-file\" --include=*.js --include=*.mjs --include=*.ts --include=package.json .",
};

pub(crate) static LANGCHAIN: ClientRules = ClientRules {
    // A non-empty OPENAI_API_BASE comes first.
    base_url_variables: &[EnvVars::OPENAI_API_BASE, EnvVars::OPENAI_BASE_URL],
    langsmith_gateway: true,
    organization_variables: &[EnvVars::OPENAI_ORG_ID, EnvVars::OPENAI_ORGANIZATION],
    own_proxy: Some(EnvVars::OPENAI_PROXY),
    missing_credentials: "`ChatOpenAI()` raises the SDK's `OpenAIError: Missing credentials…` when it is created, before any request",
    empty_key: "`ChatOpenAI()` raises the SDK's `OpenAIError: Missing credentials…` when it is created, before any request.",
    admin_key_only: "OPENAI_ADMIN_KEY is set, so `ChatOpenAI()` is created, but a call fails before sending anything, with a misleading `ValueError: Sync client is not available…`: the admin key serves the Administration API only, so set OPENAI_API_KEY for model calls.",
    connection_error: "langchain-openai raises the SDK's `APIConnectionError: Connection error.` for every one of these",
    set_key: "Set OPENAI_API_KEY in the environment the program runs in, or give `ChatOpenAI()` its api_key argument (openai_api_key in older versions); with OPENAI_API_BASE or base_url set, the key is that server's",
    base_url_setting: "the base_url argument (openai_api_base in older versions), OPENAI_API_BASE or OPENAI_BASE_URL; OPENAI_API_BASE wins",
    key_read_from: "OPENAI_API_KEY or `ChatOpenAI()`'s api_key argument; with OPENAI_API_BASE or base_url set, the key is that server's",
    network_check: Some(
        "Check the base URL and proxy LangChain uses: OPENAI_API_BASE (read before OPENAI_BASE_URL) or the base_url argument, and OPENAI_PROXY or HTTPS_PROXY.",
    ),
    ..OPENAI_PYTHON
};

pub(crate) static AZURE: ClientRules = ClientRules {
    service: Service::Azure,
    base_url_variables: &[EnvVars::AZURE_OPENAI_ENDPOINT],
    dotenv_does_not_override: "AzureOpenAI() reads AZURE_OPENAI_API_KEY only when AZURE_OPENAI_AD_TOKEN is not set at all",
    missing_credentials: "`AzureOpenAI()` raises `OpenAIError: Missing credentials. Please pass one of api_key, azure_ad_token, azure_ad_token_provider, or the AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN environment variables.` when it is created, before any request",
    // An empty AZURE_OPENAI_API_KEY reaches OpenAI()'s own check.
    empty_key: "`AzureOpenAI()` raises `OpenAIError: Missing credentials…` when it is created, before any request.",
    set_key: "Set AZURE_OPENAI_API_KEY to KEY1 or KEY2 from the Keys and Endpoint page of the resource in the Azure portal (sent as the `api-key` header), or give the client an Entra ID token provider (azure_ad_token_provider=, Node: azureADTokenProvider)",
    base_url_setting: "azure_endpoint= or AZURE_OPENAI_ENDPOINT",
    key_read_from: "AZURE_OPENAI_API_KEY, a .env file, a secret store",
    ..OPENAI_PYTHON
};

/// openai-node's `new AzureOpenAI()` (6.49): openai-node's reading of the
/// environment (values trimmed, `./.env` only, Node's trust store), with
/// Azure's credential and `OPENAI_BASE_URL` taken before the endpoint.
pub(crate) static AZURE_NODE: ClientRules = ClientRules {
    service: Service::Azure,
    base_url_variables: &[EnvVars::AZURE_OPENAI_ENDPOINT],
    azure_base_url_variable: Some(EnvVars::OPENAI_BASE_URL),
    reads_ad_token_variable: false,
    // Read from openai-node 6.49's `azure.js`: version, credential, endpoint.
    version_before_credential: true,
    azure_setting_errors: AzureSettingErrors {
        no_version: "openai-node's `new AzureOpenAI()` throws `OpenAIError: The OPENAI_API_VERSION environment variable is missing or empty; either provide it, or instantiate the AzureOpenAI client with an apiVersion option` when it is made",
        no_endpoint: "openai-node's `new AzureOpenAI()` throws `OpenAIError: Must provide one of the `baseURL` or `endpoint` arguments, or the `AZURE_OPENAI_ENDPOINT` environment variable` when it is made",
        empty_endpoint: "AZURE_OPENAI_ENDPOINT is set but empty, which openai-node counts as unset: `new AzureOpenAI()` throws `OpenAIError: Must provide one of the `baseURL` or `endpoint` arguments, or the `AZURE_OPENAI_ENDPOINT` environment variable` when it is made",
    },
    missing_credentials: "openai-node's `new AzureOpenAI()` throws `OpenAIError: Missing credentials. Please pass one of `apiKey` and `azureADTokenProvider`, or set the `AZURE_OPENAI_API_KEY` environment variable.` before any request (it reads no AZURE_OPENAI_AD_TOKEN, and trims values, so a blank one counts as none)",
    empty_key: "openai-node's `new AzureOpenAI()` throws `OpenAIError: Missing credentials…` before any request (it trims values, so a blank one counts as none).",
    set_key: "Set AZURE_OPENAI_API_KEY to KEY1 or KEY2 from the Keys and Endpoint page of the resource in the Azure portal (sent as the `api-key` header) in the environment the program runs in, or give the client an azureADTokenProvider (openai-node reads no AZURE_OPENAI_AD_TOKEN)",
    base_url_setting: "endpoint or AZURE_OPENAI_ENDPOINT (baseURL or OPENAI_BASE_URL come first)",
    key_read_from: "process.env.AZURE_OPENAI_API_KEY, set before the client is made",
    ..OPENAI_NODE
};

#[cfg(test)]
mod tests {
    use super::Client;

    #[test]
    fn clients_are_spelt_alike_everywhere() {
        crate::vocab::ids::tests::names_agree::<Client>();
    }
}
