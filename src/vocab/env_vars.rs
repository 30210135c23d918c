//! Every environment variable the tool reads, sets for a child or names as
//! a setting, spelt once: code refers to `EnvVars::NAME`, never to the text
//! (`tests/names.rs` fails on a quoted name anywhere else in `src`).

/// The names, as constants with what each one is.
pub struct EnvVars;

impl EnvVars {
    // What every OpenAI client reads.
    /// The API key (openai-python, openai-node, langchain-openai).
    pub const OPENAI_API_KEY: &'static str = "OPENAI_API_KEY";
    /// The base URL; default `https://api.openai.com/v1`.
    pub const OPENAI_BASE_URL: &'static str = "OPENAI_BASE_URL";
    /// The organization, sent as `OpenAI-Organization`.
    pub const OPENAI_ORG_ID: &'static str = "OPENAI_ORG_ID";
    /// The project, sent as `OpenAI-Project`.
    pub const OPENAI_PROJECT_ID: &'static str = "OPENAI_PROJECT_ID";
    /// An admin key, for the Administration API only (openai-python 3.x).
    pub const OPENAI_ADMIN_KEY: &'static str = "OPENAI_ADMIN_KEY";
    /// Newline-separated `Name: value` headers added to every request; it can
    /// carry its own `Authorization` (openai-python 3.x, openai-node 6.x).
    pub const OPENAI_CUSTOM_HEADERS: &'static str = "OPENAI_CUSTOM_HEADERS";

    // The 0.x SDK's names; langchain-openai still reads the first two.
    /// 0.x's base URL; langchain-openai reads it before `OPENAI_BASE_URL`.
    pub const OPENAI_API_BASE: &'static str = "OPENAI_API_BASE";
    /// 0.x's organization; langchain-openai reads it after `OPENAI_ORG_ID`.
    pub const OPENAI_ORGANIZATION: &'static str = "OPENAI_ORGANIZATION";
    /// 0.x's key file path; nothing reads it now.
    pub const OPENAI_API_KEY_PATH: &'static str = "OPENAI_API_KEY_PATH";

    // langchain-openai.
    /// A proxy for every request of `ChatOpenAI()`.
    pub const OPENAI_PROXY: &'static str = "OPENAI_PROXY";
    /// Sends `ChatOpenAI()`'s requests to LangSmith's gateway (`true`, or a URL).
    pub const LANGSMITH_GATEWAY: &'static str = "LANGSMITH_GATEWAY";
    /// The key sent to LangSmith's gateway, first choice.
    pub const LANGSMITH_GATEWAY_API_KEY: &'static str = "LANGSMITH_GATEWAY_API_KEY";
    /// The key sent to LangSmith's gateway without `LANGSMITH_GATEWAY_API_KEY`.
    pub const LANGSMITH_API_KEY: &'static str = "LANGSMITH_API_KEY";

    // Azure OpenAI (`AzureOpenAI()`).
    /// An Entra ID token, sent as `Authorization: Bearer`; wins over the key, even empty.
    pub const AZURE_OPENAI_AD_TOKEN: &'static str = "AZURE_OPENAI_AD_TOKEN";
    /// The resource's key (KEY1 or KEY2), sent as `api-key`.
    pub const AZURE_OPENAI_API_KEY: &'static str = "AZURE_OPENAI_API_KEY";
    /// The resource's endpoint, `https://NAME.openai.azure.com/`.
    pub const AZURE_OPENAI_ENDPOINT: &'static str = "AZURE_OPENAI_ENDPOINT";
    /// The API version sent as `api-version` on every request.
    pub const OPENAI_API_VERSION: &'static str = "OPENAI_API_VERSION";

    // The network.
    pub const HTTPS_PROXY: &'static str = "HTTPS_PROXY";
    pub const HTTP_PROXY: &'static str = "HTTP_PROXY";
    pub const ALL_PROXY: &'static str = "ALL_PROXY";
    pub const NO_PROXY: &'static str = "NO_PROXY";
    /// A PEM bundle that replaces the system's roots (Python, curl, reqwest).
    pub const SSL_CERT_FILE: &'static str = "SSL_CERT_FILE";
    /// A folder of certificates that replaces the system's roots.
    pub const SSL_CERT_DIR: &'static str = "SSL_CERT_DIR";
    /// Node 24 and later: `1` makes fetch read the proxy variables.
    pub const NODE_USE_ENV_PROXY: &'static str = "NODE_USE_ENV_PROXY";
    /// A PEM file of certificates Node trusts besides its own roots.
    pub const NODE_EXTRA_CA_CERTS: &'static str = "NODE_EXTRA_CA_CERTS";
    /// Node's options; `--use-env-proxy` does what `NODE_USE_ENV_PROXY=1` does.
    pub const NODE_OPTIONS: &'static str = "NODE_OPTIONS";

    // Where the run happens.
    pub const HOME: &'static str = "HOME";
    /// Set by Jupyter in a kernel's environment (and so in what a cell's
    /// `!command` starts): the kernel's parent process.
    pub const JPY_PARENT_PID: &'static str = "JPY_PARENT_PID";
    /// Compose's files, `:`-separated, instead of its search (`--compose`).
    pub const COMPOSE_FILE: &'static str = "COMPOSE_FILE";
    /// Compose's active profiles, `,`-separated.
    pub const COMPOSE_PROFILES: &'static str = "COMPOSE_PROFILES";
    /// Set by jupyter_server in a kernel's environment: the notebook's path.
    pub const JPY_SESSION_NAME: &'static str = "JPY_SESSION_NAME";
    pub const PATH: &'static str = "PATH";
    /// Set by most CI systems.
    pub const CI: &'static str = "CI";
    /// `true` under GitHub Actions.
    pub const GITHUB_ACTIONS: &'static str = "GITHUB_ACTIONS";
    /// The event that started the workflow (`pull_request`, …).
    pub const GITHUB_EVENT_NAME: &'static str = "GITHUB_EVENT_NAME";
    /// The file the step's Markdown summary is appended to.
    pub const GITHUB_STEP_SUMMARY: &'static str = "GITHUB_STEP_SUMMARY";
    /// The file the step's outputs are appended to.
    pub const GITHUB_OUTPUT: &'static str = "GITHUB_OUTPUT";
    /// Any value: no colour.
    pub const NO_COLOR: &'static str = "NO_COLOR";
    /// Any value but `0`: colour even when stdout is no terminal.
    pub const CLICOLOR_FORCE: &'static str = "CLICOLOR_FORCE";

    // Set for the `git` the `.env` check runs.
    pub const GIT_OPTIONAL_LOCKS: &'static str = "GIT_OPTIONAL_LOCKS";
    pub const GIT_TERMINAL_PROMPT: &'static str = "GIT_TERMINAL_PROMPT";
}
