//! Resolve: where a key could come from, which source wins, and what the other
//! variables the SDK reads say. The only stage that reads the environment and
//! files, and it takes both as values so tests need no global state.

mod command;
pub mod compose;
mod elsewhere;
pub mod files;
mod findings;
mod ide;
pub(crate) mod network;
pub mod process;
mod program;
mod settings;
pub(crate) mod shell;
mod streamlit;
pub(crate) mod toml_tree;
pub mod unit;
mod windows;
mod yaml_tree;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

use crate::vocab::client::{DotenvReach, Service};
use crate::vocab::program::{KeyInCode, Program};
use crate::vocab::{ApiKey, Client, EnvVars, Finding, FindingId, Secrets};

pub use elsewhere::{Elsewhere, RunsIn, UnreadableProcess};
pub(crate) use files::ReadError;
pub use network::check_proxy_flag;
pub use settings::{CustomHeaders, DEFAULT_BASE_URL, GatewayKey, Origin, SettingFlags, Settings, Valued};

/// A snapshot of the process environment.
#[derive(Debug, Clone, Default)]
pub struct Env(HashMap<String, OsString>);

pub(crate) enum EnvValue<'a> {
    Unset,
    Value(&'a str),
    NotUtf8,
}

impl Env {
    pub fn from_process() -> Self {
        Env(std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
            .collect())
    }

    pub(crate) fn get(&self, name: &str) -> EnvValue<'_> {
        match self.0.get(name) {
            None => EnvValue::Unset,
            Some(v) => v.to_str().map_or(EnvValue::NotUtf8, EnvValue::Value),
        }
    }

    /// The names set, in order.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The value when it is set and readable; empty counts as set.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            EnvValue::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<K: Into<String>, V: Into<OsString>> FromIterator<(K, V)> for Env {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Env(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// How the key was given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagVia {
    Argv,
    Stdin,
    /// `--azure-ad-token-stdin`: an Entra ID token, sent as `Authorization: Bearer`.
    TokenStdin,
}

#[derive(Debug)]
pub struct FlagKey {
    pub via: FlagVia,
    /// The text, or why it could not be read (standard input not UTF-8, …).
    pub value: Result<String, ReadError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvFileChoice {
    /// The nearest `.env` from the current directory upward.
    Search,
    Path(PathBuf),
    Disabled,
    /// The program's code loads none before it makes its client (why, in words).
    NotLoaded(String),
}

/// Everything resolve looks at, as values.
#[derive(Debug)]
pub struct Inputs {
    pub env: Env,
    pub cwd: PathBuf,
    pub flag_key: Option<FlagKey>,
    pub env_file: EnvFileChoice,
    /// `--base-url`, `--org`, `--project`.
    pub settings: SettingFlags,
    /// `--source`: test this source's key, whichever a program would use.
    pub source: Option<KeySource>,
    /// `--client`: whose rules to follow (openai-python's when not given).
    pub client: Option<Client>,
    /// `--ca-cert`: a PEM bundle to trust besides the system's roots.
    pub ca_cert: Option<PathBuf>,
    /// `doctor PROGRAM`: what the program's code says, which decides what
    /// the environment cannot.
    pub program: Option<Program>,
    /// `doctor --pid`, `--unit`: where the program runs instead of this
    /// shell; `env` and `cwd` are then that place's.
    pub elsewhere: Option<Elsewhere>,
}

/// The chain, in the order a program would consult it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum KeySource {
    Flag,
    /// `doctor PROGRAM`: the key (or token) written in the program's code.
    Code,
    /// A Streamlit app's `.streamlit/secrets.toml`, whose root-level values
    /// Streamlit puts into the environment, over the shell's.
    StreamlitSecrets,
    Env,
    Dotenv,
    OpenaiAuthJson,
    CodexAuthJson,
    /// `--client azure`: an Entra ID token, sent as `Authorization: Bearer`;
    /// from the environment, or the `.env` a program loads.
    AzureAdToken,
    /// `--client azure`: the resource's key, sent as `api-key`.
    AzureApiKey,
}

impl KeySource {
    /// How a person would name the source in a sentence.
    pub(crate) fn label(self) -> &'static str {
        match self {
            KeySource::Flag => "the command line",
            KeySource::Code => "the program's code",
            KeySource::StreamlitSecrets => "Streamlit's secrets.toml",
            KeySource::Env => "OPENAI_API_KEY in the environment",
            KeySource::Dotenv => "the .env file",
            KeySource::OpenaiAuthJson => "~/.openai/auth.json",
            KeySource::CodexAuthJson => "~/.codex/auth.json",
            KeySource::AzureAdToken => EnvVars::AZURE_OPENAI_AD_TOKEN,
            KeySource::AzureApiKey => EnvVars::AZURE_OPENAI_API_KEY,
        }
    }

    /// Whether a program's client reads this source (the key files are
    /// only ever tested, never used).
    pub(crate) fn read_by_clients(self) -> bool {
        !matches!(self, KeySource::OpenaiAuthJson | KeySource::CodexAuthJson)
    }

    /// The stable id, as JSON and every other format spell it.
    pub(crate) fn id(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SourceState {
    Unset,
    Empty,
    Set,
    Unreadable,
    Invalid,
    /// A `.env` another user owns or may write: reported, never used.
    Untrusted,
}

/// What a source holds: its value, or in words why it holds none.
#[derive(Debug, Clone)]
pub enum Found {
    Unset(String),
    /// Set, but empty or blank: it still wins over every later source.
    Empty(ApiKey),
    Set(ApiKey),
    Unreadable(String),
    Invalid(String),
    /// A `.env` another user owns or may write: reported, never used.
    Untrusted(String),
}

impl Found {
    pub(crate) fn state(&self) -> SourceState {
        match self {
            Found::Unset(_) => SourceState::Unset,
            Found::Empty(_) => SourceState::Empty,
            Found::Set(_) => SourceState::Set,
            Found::Unreadable(_) => SourceState::Unreadable,
            Found::Invalid(_) => SourceState::Invalid,
            Found::Untrusted(_) => SourceState::Untrusted,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Source {
    pub source: KeySource,
    /// Where it was looked for: a variable, a flag, a path (with line).
    pub location: String,
    pub found: Found,
    /// For a `.env` key: the next line, which does not parse — the rest of
    /// a key wrapped onto two lines.
    pub continued_on: Option<usize>,
    /// The file, for the sources that are files.
    pub file: Option<PathBuf>,
    /// For a `.env` key: its line expands a variable of the environment
    /// (`OPENAI_API_KEY=${OTHER_KEY}`), so the key is the environment's.
    pub expands_environment: bool,
    /// For a `.env` key: the file is one the program's code names outside
    /// its project, so the key is the user's, not the project's.
    pub outside_project: bool,
    /// For the environment's key: a project's file set it (a compose file,
    /// a unit file given by its path), so it is the project's.
    pub from_project: bool,
}

impl Source {
    pub(crate) fn state(&self) -> SourceState {
        self.found.state()
    }

    /// The raw value, when the source is set (even empty).
    pub(crate) fn value(&self) -> Option<&ApiKey> {
        match &self.found {
            Found::Set(value) | Found::Empty(value) => Some(value),
            _ => None,
        }
    }

    /// Why it holds no value, in words.
    pub(crate) fn detail(&self) -> Option<&str> {
        match &self.found {
            Found::Unset(why) | Found::Unreadable(why) | Found::Invalid(why) | Found::Untrusted(why) => {
                Some(why)
            }
            Found::Set(_) | Found::Empty(_) => None,
        }
    }

    fn new(source: KeySource, location: impl Into<String>) -> Self {
        Source {
            source,
            location: location.into(),
            found: Found::Unset(String::new()),
            continued_on: None,
            file: None,
            expands_environment: false,
            outside_project: false,
            from_project: false,
        }
    }

    fn in_file(mut self, path: &Path) -> Self {
        self.file = Some(path.to_path_buf());
        self
    }

    fn with(mut self, found: Found) -> Self {
        self.found = found;
        self
    }

    /// A state that holds no value, with why in words.
    fn with_state(self, state: fn(String) -> Found, why: impl Into<String>) -> Self {
        self.with(state(why.into()))
    }

    fn with_value(self, value: String) -> Self {
        let blank = value.trim().is_empty();
        let value = ApiKey::new(value);
        self.with(if blank {
            Found::Empty(value)
        } else {
            Found::Set(value)
        })
    }
}

#[derive(Debug, Clone)]
pub struct Resolution {
    /// `HOME`, when it is set.
    pub home: Option<PathBuf>,
    /// Every secret this run can see, in every source and setting: nothing
    /// printed may hold one.
    pub secrets: Secrets,
    /// Lines of the shell's startup files that set OPENAI_API_KEY.
    pub shell_exports: Vec<shell::Export>,
    /// `--source`, when given.
    pub source_flag: Option<KeySource>,
    /// The command line's credential is an Entra ID token
    /// (`--azure-ad-token-stdin`): sent as `Authorization: Bearer`.
    pub flag_is_token: bool,
    /// Whose rules this run follows.
    pub client: Client,
    /// What the program's code says (`doctor PROGRAM`).
    pub program: Option<Program>,
    /// `--pid`, `--unit`: where to set a key so that the program gets it.
    pub set_key_where: Option<String>,
    /// `--compose`: the service, whose image's own environment is not read.
    pub compose_service: Option<String>,
    /// `--pid` of another user's process: its environment could not be
    /// read, so what this run resolved is not that process's.
    pub process_unreadable: Option<UnreadableProcess>,
    /// The code's credential is an Entra ID token (a token provider that
    /// returns one): sent as `Authorization: Bearer`.
    pub code_is_token: bool,
    /// The variable the key is read from: the client's own, or the one the
    /// program's code names (`api_key=os.getenv("MY_KEY")`).
    pub key_variable: String,
    pub sources: Vec<Source>,
    /// The source a program would use: the first of the flag, the
    /// environment and the `.env` that holds a value (the SDKs read no key
    /// file).
    pub used: Option<KeySource>,
    /// The source whose key this run tests: the used one, or `--source`, or
    /// — when a program would have none — a key file's.
    pub tested: Option<KeySource>,
    pub settings: Settings,
    pub findings: Vec<Finding>,
    pub ci: CiContext,
    /// A `.env` above the current folder that sets a key, where this
    /// client's loaders read `./.env` only (Node): named, never used.
    pub dotenv_out_of_reach: Option<DotenvAbove>,
}

/// A `.env` in a folder above this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvAbove {
    pub path: PathBuf,
    /// As a program here would name it: `../.env`, `../../.env`.
    pub relative: String,
}

impl DotenvAbove {
    fn new(path: PathBuf, cwd: &Path) -> Self {
        let up = path
            .parent()
            .and_then(|dir| cwd.strip_prefix(dir).ok())
            .map_or(0, |below| below.components().count());
        DotenvAbove {
            relative: format!("{}.env", "../".repeat(up)),
            path,
        }
    }

    /// The folder it is in, where a program started would read it.
    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(&self.path)
    }
}

/// What the CI system says about this run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiContext {
    /// `CI` is set (as nearly every CI system sets it), or GitHub Actions.
    pub in_ci: bool,
    /// `GITHUB_ACTIONS=true`.
    pub github_actions: bool,
    /// `GITHUB_EVENT_NAME`: `pull_request` runs from forks get no secrets.
    pub event_name: Option<String>,
    /// `GITHUB_STEP_SUMMARY`: the file a step appends its Markdown summary to.
    pub step_summary: Option<PathBuf>,
    /// `GITHUB_OUTPUT`: the file a step writes its outputs to.
    pub step_outputs: Option<PathBuf>,
}

impl CiContext {
    pub fn from_env(env: &Env) -> Self {
        let non_empty = |name| env.text(name).filter(|v| !v.is_empty());
        let github_actions = env.text(EnvVars::GITHUB_ACTIONS) == Some("true");
        CiContext {
            in_ci: github_actions || non_empty(EnvVars::CI).is_some_and(|v| v != "false" && v != "0"),
            github_actions,
            event_name: non_empty(EnvVars::GITHUB_EVENT_NAME).map(String::from),
            step_summary: non_empty(EnvVars::GITHUB_STEP_SUMMARY).map(PathBuf::from),
            step_outputs: non_empty(EnvVars::GITHUB_OUTPUT).map(PathBuf::from),
        }
    }
}

impl CiContext {
    /// The files the run would write that are not regular files: a FIFO
    /// would hold the run until something reads it, a device would take
    /// the report. Looked at, never opened; nothing is written to them.
    pub(crate) fn unusable_files(&self) -> Vec<Finding> {
        [
            (EnvVars::GITHUB_STEP_SUMMARY, &self.step_summary),
            (EnvVars::GITHUB_OUTPUT, &self.step_outputs),
        ]
        .into_iter()
        .filter_map(|(name, path)| {
            let path = path.as_ref()?;
            let kind = std::fs::metadata(path).ok()?.file_type();
            (!kind.is_file()).then(|| {
                Finding::warning(
                    FindingId::CiFileUnusable,
                    format!(
                        "{name}={} is not a regular file (a pipe, a directory or a device?): nothing is written there",
                        path.display()
                    ),
                )
            })
        })
        .collect()
    }
}

impl Resolution {
    /// The source a program would take its key from.
    pub(crate) fn used(&self) -> Option<&Source> {
        self.source(self.used?)
    }

    /// The source whose key this run tests.
    pub(crate) fn tested(&self) -> Option<&Source> {
        self.source(self.tested?)
    }

    fn source(&self, which: KeySource) -> Option<&Source> {
        self.sources.iter().find(|s| s.source == which)
    }
}

pub(crate) fn resolve(inputs: &Inputs) -> Resolution {
    let home = inputs
        .env
        .text(EnvVars::HOME)
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let code = inputs.program.as_ref();
    // What the program's code decides: its client, the `.env` it loads.
    let (client_choice, mut code_findings) = match code {
        Some(p) => program::client(p, inputs.client),
        // What a process or a service runs (a Python interpreter, Node)
        // says whose rules.
        None => (
            inputs
                .client
                .or_else(|| inputs.elsewhere.as_ref().and_then(|e| e.runs_in.client())),
            vec![],
        ),
    };
    let (env_file, search_from) = match code {
        Some(p) => program::env_file(p, &inputs.env_file, &inputs.cwd),
        None => (inputs.env_file.clone(), None),
    };
    // A `.env` the code names outside the program's project is the user's.
    let dotenv_outside_project = code.is_some_and(|p| {
        inputs.env_file == EnvFileChoice::Search && program::names_dotenv_outside(p, &env_file, &inputs.cwd)
    });
    let search_from = search_from.as_deref().unwrap_or(&inputs.cwd);
    let read_dotenv = |reach: DotenvReach| match (&env_file, reach) {
        (EnvFileChoice::Disabled | EnvFileChoice::NotLoaded(_), _) => None,
        (EnvFileChoice::Path(p), _) => Some(files::read_dotenv(&inputs.cwd.join(p))),
        // Node's dotenv and `--env-file` read ./.env, and no other.
        (EnvFileChoice::Search, DotenvReach::CurrentFolder) => Some(inputs.cwd.join(".env"))
            .filter(|p| p.is_file())
            .map(|p| files::read_dotenv(&p)),
        (EnvFileChoice::Search, DotenvReach::Upward) => {
            files::find_dotenv(search_from, home.as_deref()).map(|p| files::read_dotenv(&p))
        }
    };
    // Without --client, the `.env` a Python program would load has its say
    // too: Azure's quickstart keeps all its variables there.
    let (client, client_finding, dotenv) = match client_choice {
        Some(client) => (client, None, read_dotenv(client.rules().dotenv_reach)),
        None => {
            let dotenv = read_dotenv(Client::default().rules().dotenv_reach);
            let in_dotenv = dotenv.as_ref().and_then(|d| d.vars.as_ref().ok());
            let (client, finding) = choose_client(&inputs.env, in_dotenv);
            // Every client inferred here loads a `.env` as Python does.
            debug_assert_eq!(
                client.rules().dotenv_reach,
                Client::default().rules().dotenv_reach
            );
            (client, finding, dotenv)
        }
    };
    let rules = client.rules();
    // A `.env` above, which this client's loaders never reach: named, never used.
    let dotenv_out_of_reach = match (&env_file, rules.dotenv_reach, &dotenv) {
        (EnvFileChoice::Search, DotenvReach::CurrentFolder, None) => {
            files::find_dotenv(&inputs.cwd, home.as_deref())
                .map(|p| files::read_dotenv(&p))
                .filter(|d| {
                    d.vars.as_ref().is_ok_and(|v| {
                        v.vars
                            .get(EnvVars::OPENAI_API_KEY)
                            .is_some_and(|k| !k.trim().is_empty())
                    })
                })
        }
        _ => None,
    };

    let overrides = code.and_then(|p| p.dotenv.as_ref()).is_some_and(|d| d.overrides);
    // A Streamlit app (its code imports streamlit, or without code read,
    // this folder has its secrets): the root-level values of its secrets are
    // put into its environment when Streamlit starts, over the shell's.
    let streamlit_app = match code {
        Some(p) => p.streamlit,
        None => inputs.cwd.join(".streamlit/secrets.toml").is_file(),
    };
    let streamlit = streamlit_app
        .then(|| streamlit::read(&inputs.cwd, home.as_deref()))
        .flatten();
    let streamlit_env;
    let env: &Env = match &streamlit {
        Some(secrets) if !secrets.root.is_empty() => {
            let mut overlaid = inputs.env.clone();
            for (name, (value, _)) in &secrets.root {
                overlaid.0.insert(name.clone(), value.into());
            }
            streamlit_env = overlaid;
            &streamlit_env
        }
        _ => &inputs.env,
    };
    let in_dotenv = |name: &str| {
        dotenv
            .as_ref()
            .and_then(|d| d.vars.as_ref().ok())
            .is_some_and(|v| v.vars.contains_key(name))
    };
    let own = match rules.service {
        Service::Azure => EnvVars::AZURE_OPENAI_API_KEY,
        Service::OpenAi => EnvVars::OPENAI_API_KEY,
    };
    let key_variable = program::key_variable(code, env, &in_dotenv, own);
    let code_source = code.map(code_source);
    // A key given in code (or read from a variable of the code's choosing)
    // leaves AZURE_OPENAI_AD_TOKEN unread.
    let key_given_in_code = code.is_some_and(|p| !matches!(p.key, KeyInCode::Environment));
    let mut sources = match rules.service {
        // AzureOpenAI(): api_key=, else AZURE_OPENAI_AD_TOKEN, else
        // AZURE_OPENAI_API_KEY — the token wins even when empty.
        Service::Azure => vec![
            flag_source(inputs.flag_key.as_ref()),
            if key_given_in_code {
                Source::new(KeySource::AzureAdToken, KeySource::AzureAdToken.label()).with_state(
                    Found::Unset,
                    "not read: the program gives the client its credential",
                )
            } else if !rules.reads_ad_token_variable {
                Source::new(KeySource::AzureAdToken, KeySource::AzureAdToken.label()).with_state(
                    Found::Unset,
                    "not read: openai-node's AzureOpenAI reads no token variable",
                )
            } else {
                azure_source(
                    KeySource::AzureAdToken,
                    KeySource::AzureAdToken.label(),
                    env,
                    dotenv.as_ref(),
                    overrides,
                )
            },
            azure_source(
                KeySource::AzureApiKey,
                key_variable.name,
                env,
                dotenv.as_ref(),
                overrides,
            ),
        ],
        Service::OpenAi => vec![
            flag_source(inputs.flag_key.as_ref()),
            env_source(
                &inputs.env,
                &key_variable,
                inputs.elsewhere.as_ref().map(|e| e.runs_in.name()),
                inputs
                    .elsewhere
                    .as_ref()
                    .and_then(Elsewhere::unreadable_process)
                    .is_some(),
            ),
            dotenv_source(&env_file, dotenv.as_ref(), key_variable.name),
            home_file_source(
                KeySource::OpenaiAuthJson,
                home.as_deref(),
                ".openai/auth.json",
                &["api_key", EnvVars::OPENAI_API_KEY],
            ),
            home_file_source(
                KeySource::CodexAuthJson,
                home.as_deref(),
                ".codex/auth.json",
                &[EnvVars::OPENAI_API_KEY],
            ),
        ],
    };
    if rules.service == Service::OpenAi && overrides {
        // load_dotenv(override=True): the file's value comes first.
        sources.swap(1, 2);
    }
    if rules.service == Service::OpenAi
        && let Some(secrets) = &streamlit
    {
        sources.insert(1, streamlit::source(secrets, key_variable.name));
    }
    if let Some(code_source) = code_source {
        sources.insert(1, code_source);
    }
    if let Some(elsewhere) = &inputs.elsewhere {
        for source in sources.iter_mut().filter(|s| s.source == KeySource::Env) {
            source.from_project = elsewhere.project_sets(key_variable.name);
        }
    }
    for source in sources
        .iter_mut()
        .filter(|s| s.file.is_some() && dotenv_outside_project)
    {
        source.outside_project = matches!(
            source.source,
            KeySource::Dotenv | KeySource::AzureApiKey | KeySource::AzureAdToken
        );
    }
    // An empty value still wins: the SDK and python-dotenv both stop at a
    // variable that exists, whatever it holds. Key files are no part of a
    // program's chain; they are tested only when a program would have nothing.
    let holds = |s: &&Source| s.value().is_some();
    let sdk_reads = |s: &&Source| s.source.read_by_clients();
    let used = sources.iter().filter(sdk_reads).find(holds).map(|s| s.source);
    let tested = match inputs.source {
        Some(chosen) => sources
            .iter()
            .filter(holds)
            .find(|s| s.source == chosen)
            .map(|s| s.source),
        None => used.or_else(|| {
            sources
                .iter()
                .find(|s| !sdk_reads(s) && s.state() == SourceState::Set)
                .map(|s| s.source)
        }),
    };

    let dotenv_vars = dotenv.as_ref().and_then(|d| d.vars.as_ref().ok());
    let dotenv_value = |name: &str| dotenv_vars.and_then(|v| v.vars.get(name).cloned());
    let mut from_code = code.map_or_else(Vec::new, |p| {
        program::settings(p, &inputs.env, &dotenv_value, client)
    });
    // Streamlit's secrets come after what the code writes, before the rest.
    from_code.extend(streamlit.iter().flat_map(|s| streamlit::settings(s, client)));
    if let Some(elsewhere) = &inputs.elsewhere {
        from_code.extend(elsewhere.project_settings(client));
    }
    // pydantic-settings' env_file fills its fields, not the environment the
    // client reads its settings from.
    let settings_dotenv = dotenv_vars.filter(|_| !code.is_some_and(program::dotenv_fills_fields_only));
    let (mut settings, mut findings) = settings::resolve(
        &inputs.env,
        &inputs.settings,
        (settings_dotenv, overrides),
        &from_code,
        inputs.ca_cert.as_deref(),
        client,
    );
    settings.network.chosen_by_project = inputs
        .elsewhere
        .as_ref()
        .and_then(|e| e.route_chosen_by_project(&settings.network));
    if let Some(p) = code {
        code_findings.extend(program::key_findings(p));
        code_findings.extend(program::endpoint_beside_base_url(p, &settings, client));
        // A `.env` the program does not load, holding what its client reads.
        if let EnvFileChoice::NotLoaded(_) = &env_file
            && let Some(path) = files::find_dotenv(search_from, home.as_deref())
            && let Ok(vars) = files::read_dotenv(&path).vars
        {
            let wanted = [
                key_variable.name,
                EnvVars::OPENAI_API_KEY,
                EnvVars::AZURE_OPENAI_API_KEY,
                EnvVars::AZURE_OPENAI_ENDPOINT,
                EnvVars::OPENAI_API_VERSION,
                EnvVars::OPENAI_BASE_URL,
            ];
            let mut names: Vec<&str> = wanted
                .into_iter()
                .filter(|n| vars.vars.contains_key(*n))
                .collect();
            names.dedup();
            code_findings.extend(program::dotenv_unused(p, &path, &names));
        }
    }
    findings.splice(
        0..0,
        code_findings
            .into_iter()
            .chain(client_finding)
            .chain(findings::chain(
                &sources,
                (used, tested),
                inputs.flag_key.as_ref(),
                &inputs.cwd,
            )),
    );
    // A program read says whether it loads the `.env`: the general warning
    // that it must is then said, or not, by what it does.
    if code.is_some() {
        findings.retain(|f| f.id != FindingId::DotenvNotLoaded);
    }
    findings.extend(findings::hygiene(&sources, dotenv.as_ref(), home.as_deref()));
    let mut near_miss_values = Vec::new();
    let environment = match &inputs.elsewhere {
        Some(e) => format!("{}'s environment", e.runs_in.name()),
        None => "the environment".to_string(),
    };
    match &inputs.elsewhere {
        Some(e) => findings.extend(findings::elsewhere(
            e,
            &inputs.env,
            key_variable.name,
            &inputs.cwd,
        )),
        // This shell's run: a kernel it was started from, an editor's settings.
        None => {
            findings.extend(ide::notebook_kernel(&inputs.env));
            findings.extend(ide::editor_settings(&inputs.cwd, key_variable.name));
            let registry = windows::user_variable(key_variable.name);
            findings.extend(windows::registry_differs(
                &inputs.env,
                key_variable.name,
                registry.as_deref(),
            ));
            near_miss_values.extend(registry);
        }
    }
    if let Some(secrets) = &streamlit {
        findings.extend(streamlit::findings(secrets, key_variable.name));
    }
    let near_misses = findings::near_misses(
        &inputs.env,
        &environment,
        dotenv.as_ref(),
        (used.is_some(), key_variable.name),
        &mut near_miss_values,
    );
    // Near misses of OPENAI_API_KEY: AzureOpenAI() reads another variable,
    // and renaming one to OPENAI_API_KEY would not help it (their values
    // are still the run's secrets).
    if rules.service == Service::OpenAi {
        findings.extend(near_misses);
    }
    if let Some(above) = &dotenv_out_of_reach {
        findings.push(findings::dotenv_out_of_reach(&DotenvAbove::new(
            above.path.clone(),
            &inputs.cwd,
        )));
    }
    let ci = CiContext::from_env(&inputs.env);
    findings.extend(ci.unusable_files());
    let mut secrets = settings.secrets.clone();
    for value in &near_miss_values {
        secrets.add(value);
    }
    // Every value in a secrets file is one.
    for (value, _) in streamlit
        .iter()
        .flat_map(|s| s.root.values().chain(s.nested.values()))
    {
        secrets.add(value);
    }
    for value in sources.iter().filter_map(|s| s.value()) {
        secrets.add(value.expose());
    }
    let out_of_reach_values = dotenv_out_of_reach
        .iter()
        .filter_map(|d| d.vars.as_ref().ok())
        .filter_map(|v| v.vars.get(EnvVars::OPENAI_API_KEY));
    for value in out_of_reach_values {
        secrets.add(value);
    }
    // What a `.env` pulls in from the environment can end up anywhere in
    // the report (`OPENAI_ORG_ID=${MY_KEY}`): each such value is a secret.
    let expanded = dotenv
        .iter()
        .filter_map(|d| d.vars.as_ref().ok())
        .flat_map(|v| &v.expanded_from_environment);
    for value in expanded.filter_map(|name| inputs.env.text(name)) {
        secrets.add(value);
    }
    let shell_exports = home
        .as_deref()
        .map(|h| shell::exports(h, inputs.env.text(EnvVars::OPENAI_API_KEY)))
        .unwrap_or_default();
    // A model the code reads from a variable (`os.getenv("MODEL", "gpt-4o")`)
    // is the variable's value where it is set, the code's default elsewhere.
    let program = inputs.program.clone().map(|mut program| {
        for model in &mut program.models {
            let set = model.variable.as_deref().and_then(|name| {
                let env = inputs.env.text(name).map(str::to_string);
                if overrides {
                    dotenv_value(name).or(env)
                } else {
                    env.or_else(|| dotenv_value(name))
                }
            });
            if let Some(value) = set.filter(|v| !v.is_empty()) {
                model.id = value;
            }
        }
        program
    });
    Resolution {
        client,
        code_is_token: matches!(code.map(|p| &p.key), Some(KeyInCode::Literal { token: true, .. })),
        program,
        set_key_where: inputs
            .elsewhere
            .as_ref()
            .map(|e| e.runs_in.set_key_where(key_variable.name)),
        process_unreadable: inputs.elsewhere.as_ref().and_then(Elsewhere::unreadable_process),
        compose_service: match inputs.elsewhere.as_ref().map(|e| &e.runs_in) {
            Some(RunsIn::Compose(c)) => Some(c.service.clone()),
            _ => None,
        },
        key_variable: key_variable.name.to_string(),
        used,
        tested,
        source_flag: inputs.source,
        flag_is_token: inputs
            .flag_key
            .as_ref()
            .is_some_and(|f| f.via == FlagVia::TokenStdin),
        secrets,
        shell_exports,
        home,
        ci,
        sources,
        settings,
        findings,
        dotenv_out_of_reach: dotenv_out_of_reach.map(|d| DotenvAbove::new(d.path, &inputs.cwd)),
    }
}

/// The Azure variables, one of which makes a program Azure's.
const AZURE_VARIABLES: [&str; 3] = [
    EnvVars::AZURE_OPENAI_API_KEY,
    EnvVars::AZURE_OPENAI_AD_TOKEN,
    EnvVars::AZURE_OPENAI_ENDPOINT,
];

/// Without `--client`, what the environment and the `.env` say: Azure
/// variables alone make it `azure`; with OPENAI_API_KEY too it is ambiguous
/// (the SDK's module client refuses such a setup: "Ambiguous use of module
/// client").
fn choose_client(env: &Env, dotenv: Option<&files::DotenvVars>) -> (Client, Option<Finding>) {
    let set = |name: &str| {
        env.text(name).is_some() || dotenv.is_some_and(|d| d.vars.get(name).is_some_and(|v| !v.is_empty()))
    };
    let azure: Vec<&str> = AZURE_VARIABLES.into_iter().filter(|name| set(name)).collect();
    if azure.is_empty() {
        return (Client::Python, None);
    }
    if set(EnvVars::OPENAI_API_KEY) {
        return (
            Client::Python,
            Some(Finding::warning(
                FindingId::ClientAmbiguous,
                format!(
                    "both OPENAI_API_KEY and {} are set: this check follows OpenAI() (openai-python); if your program uses AzureOpenAI(), run with --client azure (the SDK's module client refuses this setup as \"Ambiguous use of module client\")",
                    azure.join(", ")
                ),
            )),
        );
    }
    (
        Client::Azure,
        Some(Finding::info(
            FindingId::ClientInferred,
            format!(
                "{} set (in the environment or the .env) and OPENAI_API_KEY is not: this check follows AzureOpenAI(); pass --client to choose another",
                match azure.as_slice() {
                    [one] => format!("{one} is"),
                    many => format!("{} are", many.join(", ")),
                }
            ),
        )),
    )
}

/// An Azure credential variable: from the environment, else from the
/// `.env` (which python-dotenv loads without overriding).
fn azure_source(
    source: KeySource,
    variable: &str,
    env: &Env,
    dotenv: Option<&files::Dotenv>,
    overrides: bool,
) -> Source {
    let in_dotenv = dotenv
        .filter(|_| overrides)
        .and_then(|d| Some((d, d.vars.as_ref().ok()?.vars.get(variable)?)));
    let value = match (in_dotenv, env.get(variable)) {
        // load_dotenv(override=True): the file's value first.
        (Some(_), _) => EnvValue::Unset,
        (None, value) => value,
    };
    match value {
        EnvValue::Value(v) => Source::new(source, variable).with_value(v.to_string()),
        EnvValue::NotUtf8 => {
            Source::new(source, variable).with_state(Found::Invalid, "the value is not valid UTF-8")
        }
        EnvValue::Unset => {
            let in_dotenv = dotenv.and_then(|d| Some((d, d.vars.as_ref().ok()?.vars.get(variable)?)));
            match in_dotenv {
                Some((d, value)) => {
                    let mut found = Source::new(source, format!("{} ({variable})", d.path.display()))
                        .in_file(&d.path)
                        .with_value(value.clone());
                    found.expands_environment = d
                        .vars
                        .as_ref()
                        .is_ok_and(|v| v.expanding_environment.contains(variable));
                    found
                }
                None => Source::new(source, variable).with_state(Found::Unset, "not set"),
            }
        }
    }
}

/// The key (or token) the program's code writes, where it writes one.
fn code_source(program: &Program) -> Source {
    match &program.key {
        KeyInCode::Literal { at, value, .. } => {
            Source::new(KeySource::Code, at.clone()).with_value(value.expose().to_string())
        }
        KeyInCode::NotFollowed { at, argument, .. } => Source::new(KeySource::Code, at.clone()).with_state(
            Found::Unset,
            format!("{argument} is computed when the program runs: not followed"),
        ),
        KeyInCode::Variable { at, variable, .. } => Source::new(KeySource::Code, at.clone())
            .with_state(Found::Unset, format!("the key is read from {variable}")),
        KeyInCode::Environment => Source::new(KeySource::Code, "the program's code")
            .with_state(Found::Unset, "no key given: the client reads its own variable"),
    }
}

fn flag_source(flag: Option<&FlagKey>) -> Source {
    let Some(flag) = flag else {
        return Source::new(KeySource::Flag, "--api-key / --api-key-stdin")
            .with_state(Found::Unset, "not given");
    };
    let location = match flag.via {
        FlagVia::Argv => "--api-key",
        FlagVia::Stdin => "standard input (--api-key-stdin)",
        FlagVia::TokenStdin => "standard input (--azure-ad-token-stdin)",
    };
    match &flag.value {
        Ok(v) => Source::new(KeySource::Flag, location).with_value(v.clone()),
        Err(why) => Source::new(KeySource::Flag, location).with_state(Found::Unreadable, why.to_string()),
    }
}

/// `denied`: the environment is another user's process's, which could not be read.
fn env_source(env: &Env, variable: &program::KeyVariable, elsewhere: Option<String>, denied: bool) -> Source {
    let location = match elsewhere {
        Some(name) => format!("{} ({name})", variable.location()),
        None => variable.location(),
    };
    let source = Source::new(KeySource::Env, location);
    if denied {
        return source.with_state(Found::Unreadable, "permission denied: another user's process");
    }
    match env.get(variable.name) {
        EnvValue::Unset => source.with_state(Found::Unset, "not set"),
        EnvValue::NotUtf8 => source.with_state(Found::Invalid, "the value is not valid UTF-8"),
        EnvValue::Value(v) => source.with_value(v.to_string()),
    }
}

fn dotenv_source(choice: &EnvFileChoice, dotenv: Option<&files::Dotenv>, variable: &str) -> Source {
    let Some(dotenv) = dotenv else {
        let why = match choice {
            EnvFileChoice::Disabled => "not read (--no-env-file)",
            EnvFileChoice::NotLoaded(why) => why,
            _ => "no .env file from the current directory up to the repository root or HOME",
        };
        return Source::new(KeySource::Dotenv, ".env").with_state(Found::Unset, why);
    };
    let path = dotenv.path.display().to_string();
    let source = |location: String| Source::new(KeySource::Dotenv, location).in_file(&dotenv.path);
    let vars = match &dotenv.vars {
        Err(why @ files::DotenvProblem::Untrusted(_)) => {
            return source(path).with_state(Found::Untrusted, why.to_string());
        }
        // Readable, but not used: what it would expand to is past the budget.
        Err(why @ files::DotenvProblem::ExpansionTooLarge { .. }) => {
            return source(path).with_state(Found::Invalid, why.to_string());
        }
        Err(why) => {
            return source(path).with_state(Found::Unreadable, why.to_string());
        }
        Ok(vars) => vars,
    };
    match vars.vars.get(variable) {
        Some(value) => {
            let location = match vars.key_line.filter(|_| variable == EnvVars::OPENAI_API_KEY) {
                Some(line) => format!("{path}:{line}"),
                None => format!("{path} ({variable})"),
            };
            let mut found = source(location).with_value(value.clone());
            found.continued_on = vars
                .key_line
                .map(|line| line + 1)
                .filter(|next| vars.bad_lines.contains(next));
            found.expands_environment = vars.expanding_environment.contains(variable);
            found
        }
        None if !vars.bad_lines.is_empty() => source(path).with_state(
            Found::Invalid,
            format!(
                "no OPENAI_API_KEY could be read; lines that do not parse: {}",
                findings::list_lines(&vars.bad_lines)
            ),
        ),
        None => source(path).with_state(Found::Unset, format!("no {variable} in the file")),
    }
}

fn home_file_source(source: KeySource, home: Option<&Path>, relative: &str, fields: &[&str]) -> Source {
    let Some(home) = home else {
        return Source::new(source, format!("~/{relative}")).with_state(Found::Unset, "HOME is not set");
    };
    let path = home.join(relative);
    let base = Source::new(source, path.display().to_string()).in_file(&path);
    match files::read_json_key(&path, fields) {
        files::JsonKey::Missing(why) => base.with_state(Found::Unset, why),
        files::JsonKey::Unreadable(why) => base.with_state(Found::Unreadable, why),
        files::JsonKey::Invalid(why) => base.with_state(Found::Invalid, why),
        files::JsonKey::Found(value) => base.with_value(value),
    }
}

#[cfg(test)]
mod tests;
