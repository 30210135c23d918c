//! The command line, in one place: completions and the man page are generated
//! from it, so every flag's help lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use crate::resolve::KeySource;
use crate::vocab::{Client, ExitStatus, LintRuleId};

/// The exit statuses a command can end with, one `  N  meaning` line each.
pub(crate) fn exit_code_lines(explain: bool) -> String {
    let lines: Vec<String> = ExitStatus::ALL
        .iter()
        .filter(|s| explain || s.used_by_doctor())
        .map(|s| format!("  {}  {}", s.code(), s.meaning()))
        .collect();
    lines.join("\n")
}

fn exit_codes_help() -> String {
    format!(
        "Exit codes:\n{}\n\nWith --strict, warnings turn a passing run into exit 1.",
        exit_code_lines(false)
    )
}

#[derive(Debug, Parser)]
#[command(
    name = "openai-keycheck",
    version,
    about = "Finds out why an OpenAI API key does not work, and says what to do",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Resolve, inspect and test the key with one request, then diagnose
    #[command(after_long_help = exit_codes_help())]
    Doctor(Box<DoctorArgs>),

    /// Diagnose an error you already have (a status, a body, a traceback), offline and without a key
    #[command(after_long_help = explain_help())]
    Explain(ExplainArgs),

    /// Find the credential traps in a program's code, before it runs (Python, JavaScript, TypeScript)
    #[command(after_long_help = LINT_HELP)]
    Lint(LintArgs),

    /// Print the completion script for a shell
    #[command(
        after_long_help = "Install: `source <(openai-keycheck completions bash)` in ~/.bashrc; see docs/guide.md for the other shells."
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Write the completion scripts and man pages under a directory (for packagers and the repository)
    #[command(hide = true)]
    Generate {
        /// Where `completions/` and `doc/` go
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, default_value = ".")]
        out_dir: PathBuf,
    },
}

const LINT_HELP: &str = "Examples:\n  openai-keycheck lint\n  openai-keycheck lint src/ --format json\n\nA line ending in `# keycheck: ignore[rule_id]` (or `// keycheck: ignore[rule_id]`), or one just above, silences that rule there.\n\nExit codes:\n  0  no finding at or above --fail-on\n  1  findings\n  2  usage, or a path that cannot be read";

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint [default: .]
    #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,

    /// Output format [default: github under GitHub Actions, else human]
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,

    /// Also lint hidden, ignored (.gitignore) and vendored (node_modules, venv) files
    #[arg(long)]
    pub no_ignore: bool,

    /// Only these rules (comma-separated ids)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<LintRuleArg>,

    /// Not these rules (comma-separated ids)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<LintRuleArg>,

    /// The least severity that makes the exit code 1 [default: warning]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Read the settings from this file (an .openai-keycheck.toml, or a
    /// pyproject.toml's [tool.openai-keycheck.lint]) [default: the nearest
    /// one at or above the first path]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no settings file: the flags alone decide
    #[arg(long)]
    pub no_config: bool,

    /// Apply the safe fixes (those that change nothing but the trap), then
    /// report what is left
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print every fix (safe or not) as a unified diff, and change no file
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

/// A lint rule id, as `--select` and `--ignore` take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum LintRuleArg {
    ClientBeforeDotenv,
    EnvSetAfterClient,
    LegacyModuleApi,
    WrongVariableName,
    RetryOnAuthError,
    HardcodedKey,
    BrowserExposedKey,
    KeyInLogs,
    EmptyKeyDefault,
    ParseError,
}

impl From<LintRuleArg> for LintRuleId {
    fn from(arg: LintRuleArg) -> Self {
        match arg {
            LintRuleArg::ClientBeforeDotenv => LintRuleId::ClientBeforeDotenv,
            LintRuleArg::EnvSetAfterClient => LintRuleId::EnvSetAfterClient,
            LintRuleArg::LegacyModuleApi => LintRuleId::LegacyModuleApi,
            LintRuleArg::BrowserExposedKey => LintRuleId::BrowserExposedKey,
            LintRuleArg::RetryOnAuthError => LintRuleId::RetryOnAuthError,
            LintRuleArg::KeyInLogs => LintRuleId::KeyInLogs,
            LintRuleArg::WrongVariableName => LintRuleId::WrongVariableName,
            LintRuleArg::HardcodedKey => LintRuleId::HardcodedKey,
            LintRuleArg::EmptyKeyDefault => LintRuleId::EmptyKeyDefault,
            LintRuleArg::ParseError => LintRuleId::ParseError,
        }
    }
}

fn explain_help() -> String {
    format!(
        "Examples:\n  openai-keycheck explain 429\n  openai-keycheck explain error.log\n  python app.py 2>&1 | openai-keycheck explain\n\nExit codes: those of the diagnosis, as for doctor, and\n{}",
        exit_code_lines(true)
    )
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A file, `-` for standard input (the default when it is not a terminal), or the error text itself
    #[arg(value_name = "INPUT", value_hint = ValueHint::FilePath)]
    pub input: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print one line
    #[arg(short, long)]
    pub quiet: bool,
}

// The key is never bound with clap's `env = …`: --help would print its value.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check as this running process would: the environment it started with and its working folder, read from /proc (Linux), its key compared with this shell's
    #[arg(long, value_name = "PID", conflicts_with = "unit")]
    pub pid: Option<u32>,

    /// Check as this Compose service's container would run: the environment its compose files give it (environment:, env_file:, ${VAR} from the shell and the project's .env), the only service or the one that mentions OpenAI when none is named
    #[arg(long, value_name = "SERVICE", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["pid", "unit"])]
    pub compose: Option<String>,

    /// Check as this systemd service would run: the environment of its unit file and drop-ins (Environment=, EnvironmentFile=), its WorkingDirectory=; a name (app, app.service) or a unit file's path
    #[arg(long, value_name = "NAME")]
    pub unit: Option<String>,

    /// The program to check: its entry point, or its folder. Its code is read first (offline) and decides what the environment cannot: the client it makes, where its key and settings come from, whether it loads its .env before the client, and the model or deployment it calls
    #[arg(value_name = "PROGRAM", value_hint = ValueHint::AnyPath)]
    pub program: Vec<PathBuf>,

    /// The key to test, as the SDK's api_key= argument (visible in ps and shell history: prefer --api-key-stdin)
    #[arg(long, value_name = "KEY", conflicts_with = "api_key_stdin")]
    pub api_key: Option<String>,

    /// Read the key from standard input (one trailing newline is dropped, as docker login --password-stdin does)
    #[arg(long)]
    pub api_key_stdin: bool,

    /// Read a Microsoft Entra ID token from standard input and test it as AzureOpenAI(azure_ad_token=…) or a token provider does: sent as Authorization: Bearer (implies --client azure). E.g. az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor --azure-ad-token-stdin
    #[arg(long, conflicts_with_all = ["api_key", "api_key_stdin"])]
    pub azure_ad_token_stdin: bool,

    /// The API base URL [env: OPENAI_BASE_URL] [default: https://api.openai.com/v1]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub base_url: Option<String>,

    /// Organization, sent as OpenAI-Organization as the SDK does [env: OPENAI_ORG_ID]
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,

    /// Project, sent as OpenAI-Project as the SDK does [env: OPENAI_PROJECT_ID]
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,

    /// Probe GET {base}/models/{ID} (access to that model) instead of GET {base}/models; with --client azure, the deployment to check
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,

    /// With --client azure: the resource's endpoint, https://NAME.openai.azure.com/ [env: AZURE_OPENAI_ENDPOINT]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub azure_endpoint: Option<String>,

    /// With --client azure: the API version sent as api-version [env: OPENAI_API_VERSION]
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,

    /// The .env to inspect [default: the nearest .env from the current directory upward]
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, conflicts_with = "no_env_file")]
    pub env_file: Option<PathBuf>,

    /// Send the request through this proxy, as a program does that gives its client a proxy agent in code (openai-node: `fetchOptions: { dispatcher: new ProxyAgent(URL) }`); it replaces the proxy variables
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub proxy: Option<String>,

    /// PEM certificate(s) to trust in addition to the system's roots (a company proxy's CA, a local test server)
    #[arg(long, value_name = "PEM", value_hint = ValueHint::FilePath)]
    pub ca_cert: Option<PathBuf>,

    /// Do not look for a .env
    #[arg(long)]
    pub no_env_file: bool,

    /// Let a host that only the .env (or, with PROGRAM, the program's code) names receive what did not come from the project's files: a key, a header, a value it expands from the environment (by default nothing is sent there)
    #[arg(long)]
    pub trust_env_file: bool,

    /// Test the key in this source, whichever one your programs would use (e.g. a key in .env shadowed by an exported one)
    #[arg(long, value_enum, value_name = "SOURCE")]
    pub source: Option<Source>,

    /// Follow the rules of the client your program uses: openai-python, openai-node, Azure OpenAI (openai-python's AzureOpenAI; azure_node: openai-node's) or langchain-openai [default: python, or azure when only Azure variables are set]
    #[arg(long, value_enum, value_name = "CLIENT")]
    pub client: Option<ClientArg>,

    /// Resolve and inspect only; no network
    #[arg(long)]
    pub offline: bool,

    /// Bound on the whole probe, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// Output format; github adds workflow annotations to the human report (the default when GITHUB_ACTIONS=true)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Warnings count as failures (exit 1): a key only in .env, conflicting sources, an admin key, a key in argv…
    #[arg(long)]
    pub strict: bool,

    /// When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print one line
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print the response headers that matter and the raw error body (key masked)
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// A key source, spelt as in the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    Flag,
    Env,
    Dotenv,
    #[value(name = "openai_auth_json")]
    OpenaiAuthJson,
    #[value(name = "codex_auth_json")]
    CodexAuthJson,
}

impl From<Source> for KeySource {
    fn from(source: Source) -> Self {
        match source {
            Source::Flag => KeySource::Flag,
            Source::Env => KeySource::Env,
            Source::Dotenv => KeySource::Dotenv,
            Source::OpenaiAuthJson => KeySource::OpenaiAuthJson,
            Source::CodexAuthJson => KeySource::CodexAuthJson,
        }
    }
}

/// A client library, spelt as in the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientArg {
    Python,
    Node,
    Azure,
    Langchain,
    /// openai-node's AzureOpenAI
    #[value(name = "azure_node")]
    AzureNode,
}

impl From<ClientArg> for Client {
    fn from(client: ClientArg) -> Self {
        match client {
            ClientArg::Python => Client::Python,
            ClientArg::Node => Client::Node,
            ClientArg::Langchain => Client::Langchain,
            ClientArg::Azure => Client::Azure,
            ClientArg::AzureNode => Client::AzureNode,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}

#[cfg(test)]
mod lint_rule_args {
    use clap::ValueEnum;
    use strum::IntoEnumIterator;

    use super::LintRuleArg;
    use crate::vocab::LintRuleId;

    #[test]
    fn every_rule_is_a_flag_value_spelt_as_its_id() {
        let flags: Vec<String> = LintRuleArg::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_string())
            .collect();
        let ids: Vec<String> = LintRuleId::iter().map(|id| id.name().to_string()).collect();
        assert_eq!(flags, ids);
        for arg in LintRuleArg::value_variants() {
            let id: LintRuleId = (*arg).into();
            assert_eq!(arg.to_possible_value().unwrap().get_name(), id.name());
        }
    }
}
