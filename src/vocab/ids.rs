//! Stable ids: scripts match on them, so add new ones and never rename (and
//! list them in `schema/report-v1.json`; a test compares the two). The name
//! in JSON and the name in every other format come from the same attribute.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

/// What a run concluded: one per run, a rule each (`diagnose/rules/<id>.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiagnosisId {
    Ok,
    Offline,
    /// `--pid`: another user's process, whose environment cannot be read.
    ProcessUnreadable,
    KeyMissing,
    KeyEmpty,
    KeyMalformed,
    InsecureBaseUrl,
    UntrustedBaseUrl,
    KeyOnlyInFile,
    NetworkError,
    RestrictedKey,
    IpNotAllowed,
    AccountDisabled,
    OrganizationMismatch,
    ProjectMismatch,
    UnsupportedRegion,
    ModelNotFound,
    InvalidApiKey,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    ServerError,
    WrongBaseUrl,
    UnexpectedResponse,
    // Azure OpenAI.
    SettingMissing,
    ClientMismatch,
    DeploymentNotFound,
    ApiVersionUnsupported,
    NetworkAccessDenied,
    RoleMissing,
    /// The key authenticated; the request itself was refused (400).
    BadRequest,
    /// `explain`: the text is another service's error, not OpenAI's.
    OtherService,
}

/// What resolve and inspect noticed, before any network call; many per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FindingId {
    // The key's form.
    /// The key is empty or blank. Severity: error. Request: no.
    Empty,
    /// White space around the key, described as it is: trailing (or a leading newline) makes the
    /// Python SDK fail with "Connection error." and send nothing; a leading space or tab is sent
    /// and refused with 401; Node trims both (information under `--client node`, where the trimmed
    /// key is sent). Severity: error. Request: the cleaned key.
    SurroundingWhitespace,
    /// Quotes that became part of the value. Severity: error. Request: the cleaned key.
    SurroundingQuotes,
    /// The value starts with `Bearer `. Severity: error. Request: the cleaned key.
    BearerPrefix,
    /// Whitespace inside the key. Severity: error. Request: no.
    InternalWhitespace,
    /// Escape or control characters. Severity: error. Request: no.
    ControlCharacters,
    /// Smart quotes, zero-width or non-breaking spaces (named, with position). Severity: error.
    /// Request: no.
    NonAscii,
    /// Contains `...`, `…` or `**`: the dashboard's masked form. Severity: error. Request: no.
    MaskedCopy,
    /// `sk-xxxx`, `your-api-key`, `<...>`, `${VAR}`, `undefined`, the tutorial's
    /// `sk-invalid-key-for-demo`. Severity: error. Request: no.
    Placeholder,
    /// A secret manager's reference (`op://…`, `arn:aws:secretsmanager:…`, `vault:…`,
    /// `doppler://…`, `projects/…/secrets/…`, `@Microsoft.KeyVault(…)`, a literal `${{ secrets.…
    /// }}`): the program ran outside what resolves it; names the manager and how to resolve it.
    /// Severity: error. Request: no.
    SecretReference,
    /// Does not start with `sk-` (only when the base URL is OpenAI's). Severity: error. Request:
    /// yes.
    MissingSkPrefix,
    /// Anthropic, OpenRouter, Groq, Google, Hugging Face, xAI, Perplexity, DeepSeek, Azure OpenAI;
    /// an error (and not sent) when the base URL is OpenAI's, information elsewhere. Severity:
    /// error / info. Request: no / yes.
    OtherProvider,
    /// The marker missing, too few characters after it, a legacy key not 20+marker+20, or a
    /// character keys never have, for OpenAI's base URL. Severity: error. Request: yes.
    Truncated,
    /// An `sk-` key not in OpenAI's form, sent to a base URL that is not OpenAI's: what a
    /// gateway's own keys (LiteLLM's virtual keys) look like; that server judges it. Severity:
    /// info.
    UnfamiliarKeyForm,
    /// An admin key works only with the Administration API. Severity: warning. Request: yes.
    AdminKey,
    /// A `sess-` browser session token, not an API key. Severity: warning. Request: yes.
    SessionKey,
    /// A ChatGPT sign-in token (JWT), not an API key. Severity: error. Request: no.
    ChatgptToken,
    /// `--client azure`: the Entra ID token's `exp` has passed (read offline; tokens last about an
    /// hour). Severity: error. Request: yes, and Azure refuses it.
    TokenExpired,
    /// `--client azure`: the Entra ID token is for another audience than
    /// `https://cognitiveservices.azure.com`. Severity: error. Request: yes, and Azure refuses it.
    TokenAudience,
    // Where the key came from.
    /// The key was given with `--api-key`. Severity: warning.
    KeyInArgv,
    /// A variable in the environment or the `.env` is a near miss of `OPENAI_API_KEY`
    /// (`OPENAI_KEY`, `OPEN_AI_API_KEY`, one or two letters off), which no SDK reads, or holds the
    /// key under a prefix that puts it into a browser bundle (`NEXT_PUBLIC_`, `VITE_`,
    /// `REACT_APP_`); named with where it is and its value masked. With no key anywhere it leads
    /// `key_missing`. Severity: warning (information when a key is found and the name only
    /// misspelt).
    NearMissVariable,
    /// Two sources hold different keys; names the one used. Severity: warning.
    ConflictingSources,
    /// An empty `OPENAI_API_KEY` hides a key in a later source. Severity: warning.
    EmptyVariableShadowsKey,
    /// The key is only in `.env`: the program must load it before creating the client. Severity:
    /// warning.
    DotenvNotLoaded,
    /// `--client node`: no `./.env`, and a `.env` in a folder above sets the key, which Node's
    /// dotenv and `node --env-file` never read from here; names it and how to load it. Severity:
    /// warning.
    DotenvOutOfReach,
    /// The key is only in an auth.json the SDKs never read (the run fails with `key_only_in_file`).
    /// Severity: warning.
    KeyFileNotReadBySdk,
    /// A source could not be read or parsed (where and why). Severity: warning.
    SourceUnreadable,
    /// A source could not be read or parsed (where and why). Severity: warning.
    SourceInvalid,
    // How the files holding a key are kept.
    /// A file holding a key is readable by group or others (Unix), as ssh refuses: a warning
    /// outside your home or in a folder others may write, information for the default 644 under
    /// your home. Severity: warning / info.
    KeyFilePermissions,
    /// The `.env` holding a key is tracked by git, or not ignored in a work tree (silent without
    /// git). Severity: warning; information when what it holds is a placeholder (nothing to rotate).
    DotenvTrackedByGit,
    /// The `.env` sets `OPENAI_API_KEY` more than once (the last one counts). Severity: warning.
    DotenvDuplicateKey,
    /// A line of the `.env` does not parse (file and line, never its content). Severity: warning.
    DotenvInvalidLine,
    /// The `.env` belongs to another user or others may write it: reported, but neither its key nor
    /// its settings are used. Severity: warning.
    DotenvUntrusted,
    /// Whether git tracks the `.env` could not be checked (git refused the repository for "dubious
    /// ownership", or did not answer within 2 s). Severity: info.
    GitCheckFailed,
    // The other variables the SDK reads.
    /// `OPENAI_BASE_URL` is set but empty, under a client that then fails every call (the Python
    /// SDK, LangChain): nothing is sent, as the program sends nothing. Severity: error.
    EmptyBaseUrl,
    /// `doctor PROGRAM` under openai-node's `AzureOpenAI`: the code passes `endpoint` while
    /// `OPENAI_BASE_URL` is set, and the client throws `baseURL and endpoint are mutually exclusive`
    /// when it is made: nothing is sent, as the program sends nothing. Severity: error.
    BaseUrlAndEndpoint,
    /// Requests go somewhere other than OpenAI. Severity: info.
    CustomBaseUrl,
    /// A 0.x variable that is ignored now (under `--client langchain`, only `OPENAI_API_KEY_PATH`:
    /// it reads the others). Severity: warning.
    LegacyVariable,
    /// `OPENAI_CUSTOM_HEADERS` carries an `Authorization` header: the SDKs (Python 3.x, Node 6.x)
    /// send it instead of the key, and so does this check (masked everywhere). Severity: warning.
    CustomHeadersAuthorization,
    /// `OPENAI_ORG_ID` or `OPENAI_PROJECT_ID` is set but empty: the Python SDK sends an empty
    /// header (Node leaves it out), and so does this check. Severity: warning.
    EmptyHeaderVariable,
    /// `OPENAI_ADMIN_KEY` is set. Severity: info.
    AdminKeyVariable,
    /// `OPENAI_BASE_URL`, `OPENAI_ORG_ID` or another setting holds bytes that are not UTF-8: not
    /// used. Severity: warning.
    SettingNotUtf8,
    /// A setting (`OPENAI_CUSTOM_HEADERS`, `OPENAI_BASE_URL`, …) holds more than 16 KiB: not used.
    /// Severity: warning.
    SettingTooLarge,
    /// `--client langchain`: `LANGSMITH_GATEWAY` sends requests to LangSmith's gateway, ahead of
    /// `OPENAI_BASE_URL`, and says which key goes there. Severity: warning.
    LangsmithGateway,
    // Which client's rules apply.
    /// No `--client`, Azure variables set and `OPENAI_API_KEY` not: the run follows `azure`.
    /// Severity: info.
    ClientInferred,
    /// No `--client`, and both `OPENAI_API_KEY` and Azure variables are set: the run follows
    /// `python`; `--client azure` to choose. Severity: warning.
    ClientAmbiguous,
    /// `--client azure`: `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, which `AzureOpenAI()` does
    /// not read. Severity: info.
    VariableNotRead,
    // Where the program runs.
    /// `--pid`: the environment is the one the process started with (from `/proc/PID/environ`),
    /// with its working folder; what it set in itself since is not there. Severity: info; error
    /// when it is another user's process, whose environment cannot be read (the diagnosis is then
    /// `process_unreadable`).
    ProcessEnvironment,
    /// `--pid`, `--unit`: the process's (or the service's) key differs from this shell's (both
    /// masked), or it has none while the shell has one. Severity: warning.
    ProcessKeyDiffers,
    /// `--unit`: the environment is the one systemd gives the service, from its unit file and
    /// drop-ins (`Environment=`, `EnvironmentFile=`), with its working folder (`/` unless
    /// `WorkingDirectory=`); where the key is set. Severity: info.
    UnitEnvironment,
    /// `--unit`: a line systemd skips or refuses: an `EnvironmentFile=` that cannot be read
    /// without a leading `-` (the service does not start), `export NAME=…` or another line that is
    /// no assignment. Severity: warning.
    UnitLineSkipped,
    /// This run was started from a notebook kernel (`!openai-keycheck doctor` in a cell): it sees
    /// the kernel's environment as it is now, which is what the notebook's client reads.
    /// Severity: info.
    NotebookKernel,
    /// VS Code's settings give a program started from the editor an environment a terminal does
    /// not have: `python.envFile`, or a launch configuration's `envFile` or `env` holding the key.
    /// Severity: info.
    EditorEnvironment,
    /// Windows: the key set for the user in the registry (`HKCU\Environment`, where `setx` writes
    /// it) differs from this terminal's, or the terminal has none: it was opened before. Severity:
    /// warning.
    RegistryKeyDiffers,
    /// `--compose`: the environment is the one Compose gives the service's container (its
    /// `environment:` and `env_file:`, interpolated), with the files read and where the key is
    /// set; also what stops Compose (an unreadable `env_file`, `${VAR:?…}`, an inactive profile).
    /// Severity: info (warning for what stops it).
    ComposeEnvironment,
    /// `--compose`: the key is in the project's `.env` or the shell, and the service is not given
    /// it (the project `.env` only feeds interpolation). Severity: warning.
    ComposeVariableNotPassed,
    /// `--compose`: `- KEY="value"` in the list form keeps the quotes as part of the value.
    /// Severity: warning.
    ComposeQuotesKept,
    /// `--compose`: `${VAR}` with VAR set neither in the shell nor in the project's `.env`:
    /// interpolated as an empty string. Severity: warning.
    ComposeUnsetInterpolated,
    /// A Streamlit app's secrets (`.streamlit/secrets.toml` here, then `~/.streamlit/`): Streamlit
    /// puts their root-level values into the environment when it starts, over the shell's
    /// (observed with Streamlit 1.67); names the files and the variables they set. Severity: info.
    StreamlitSecrets,
    /// The key in Streamlit's secrets under a table (`[openai] api_key = …`) or a near-miss name:
    /// `st.secrets[…]` reads it, the environment (and so a client without `api_key=`) never gets
    /// it. Severity: warning.
    StreamlitSecretName,
    // What the program's code says (`doctor PROGRAM`).
    /// No `--client`, and the program's code makes a client: its class decides whose rules the run
    /// follows (named with its `path:line`). Severity: info.
    ClientFromCode,
    /// The program makes clients of different kinds (`OpenAI()` and `AzureOpenAI()`): the run
    /// follows the first; each other is named, with the `--client` that checks it. Severity: warning.
    ClientsDiffer,
    /// The program's code passes the key as text (`api_key="sk-…"`): anyone who reads the code has
    /// it. The run tests it (it is what the program sends), and never shows it. Severity: warning.
    HardcodedKey,
    /// The program gives its client a key or token computed when it runs (a function, a secret
    /// store, a token provider that calls Azure): the run tested the environment's instead, and
    /// says how to pass the program's own. Severity: warning.
    KeyNotFollowed,
    /// A `.env` holds what the program's client reads, and the program's code loads no `.env`:
    /// it never sees them. Severity: warning.
    DotenvNeverLoaded,
    /// The program loads its `.env` only after it makes the client (the seed's trap: "the key was
    /// set after the client was created"), so the client never sees what the file holds.
    /// Severity: error.
    DotenvLoadedTooLate,
    // The network around the request.
    /// The request goes through a proxy from `HTTPS_PROXY`/`ALL_PROXY`/`HTTP_PROXY` (credentials
    /// masked; `NO_PROXY` honoured as reqwest does). Severity: info.
    ProxyInUse,
    /// A proxy on another machine is named for a plain-http base URL (a local gateway): the request
    /// goes direct, since the key would cross the network to the proxy in clear text; or, under
    /// `--client node`, a proxy variable is set that Node's fetch does not read. Severity: info.
    ProxyBypassed,
    /// A proxy variable holds something that is not a usable proxy URL, so requests go direct.
    /// Severity: warning.
    ProxyUnusable,
    /// `SSL_CERT_FILE`/`SSL_CERT_DIR` replace the system's certificates (nothing is said when they
    /// name the system's own store); a warning when `SSL_CERT_FILE` is not a regular file. Under
    /// `--client node`, `NODE_EXTRA_CA_CERTS` adds certificates, as Node does (a warning when it
    /// cannot be read). Severity: info / warning.
    CustomTrustStore,
    /// `--ca-cert` could not be read or holds no PEM certificate. Severity: error.
    CaCertUnusable,
    // Where the report goes.
    /// `GITHUB_STEP_SUMMARY` or `GITHUB_OUTPUT` names something that is not a regular file (a FIFO,
    /// a directory, a device): nothing is written there. Severity: warning.
    CiFileUnusable,
}

impl DiagnosisId {
    /// The stable id, as JSON and every other format spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl FindingId {
    /// The stable id, as JSON and every other format spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// A trap `lint` finds in a program's code: one rule each
/// (`lint/rules/<id>.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LintRuleId {
    ClientBeforeDotenv,
    EnvSetAfterClient,
    LegacyModuleApi,
    WrongVariableName,
    RetryOnAuthError,
    HardcodedKey,
    BrowserExposedKey,
    KeyInLogs,
    EmptyKeyDefault,
    /// Not a trap: a file the parser could not read whole (it is linted as far as it parses).
    ParseError,
}

impl LintRuleId {
    /// The stable id, as every format spells it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for LintRuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for DiagnosisId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use serde::Serialize;
    use strum::IntoEnumIterator;

    use super::*;

    /// Every variant's JSON name equals the name the other formats print.
    pub(crate) fn names_agree<T>()
    where
        T: IntoEnumIterator + Serialize + Into<&'static str> + Copy + std::fmt::Debug,
    {
        for value in T::iter() {
            let json = serde_json::to_value(value).expect("serializes");
            assert_eq!(json.as_str(), Some(value.into()), "{value:?}");
        }
    }

    pub(crate) fn published(def: &str) -> Vec<String> {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/report-v1.json")).expect("schema is JSON");
        let mut names: Vec<String> = schema["$defs"][def]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("$defs.{def}.enum"))
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        names.sort();
        names
    }

    pub(crate) fn ours<T: IntoEnumIterator + Into<&'static str>>() -> Vec<String> {
        let mut names: Vec<String> = T::iter().map(|v| v.into().to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn json_and_text_spell_every_id_alike() {
        names_agree::<DiagnosisId>();
        names_agree::<FindingId>();
    }

    #[test]
    fn the_published_schema_lists_exactly_these_ids() {
        assert_eq!(published("diagnosis_id"), ours::<DiagnosisId>());
        assert_eq!(published("finding_id"), ours::<FindingId>());
    }
}
