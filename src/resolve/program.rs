//! What the program's code decides, where the environment cannot: the
//! client it makes, the `.env` it loads (and when), the variable its key is
//! read from, or the key itself. Each decision is made here once, from the
//! program as read (`doctor PROGRAM`), and the rest of resolve follows it.

use std::path::PathBuf;

use super::settings::{Origin, SettingOverride};
use super::{Env, EnvFileChoice};
use crate::vocab::program::{KeyInCode, Program, SettingRole};
use crate::vocab::{Client, EnvVars, Finding, FindingId};

/// The client the program makes, when no `--client` is given.
pub(super) fn client(program: &Program, flag: Option<Client>) -> (Option<Client>, Vec<Finding>) {
    let mut findings = Vec::new();
    let Some(followed) = program.followed() else {
        return (flag, findings);
    };
    // One of each other kind is named: a project may make hundreds.
    let mut others: Vec<String> = Vec::new();
    let mut kinds = vec![followed.client];
    for c in &program.clients {
        if !kinds.contains(&c.client) {
            kinds.push(c.client);
            others.push(format!(
                "{}() at {} (`--client {}`)",
                c.class,
                c.at,
                c.client.name()
            ));
        }
    }
    if flag.is_none() {
        findings.push(Finding::info(
            FindingId::ClientFromCode,
            format!(
                "{} makes {}(): this check follows `{}`'s rules",
                followed.at,
                followed.class,
                followed.client.name()
            ),
        ));
        if !others.is_empty() {
            findings.push(Finding::warning(
                FindingId::ClientsDiffer,
                format!(
                    "the program also makes {}: this run follows the first; to check another, give its entry point (`doctor path/to/entry.py`) or pass --client",
                    others.join(", ")
                ),
            ));
        }
    }
    (flag.or(Some(followed.client)), findings)
}

/// The `.env` the program loads: the file it names, the loader's own
/// search (from the calling file's folder, for python-dotenv), or none —
/// unless `--env-file` or `--no-env-file` chose already.
pub(super) fn env_file(
    program: &Program,
    choice: &EnvFileChoice,
    cwd: &std::path::Path,
) -> (EnvFileChoice, Option<PathBuf>) {
    if *choice != EnvFileChoice::Search {
        return (choice.clone(), None);
    }
    if let Some(loaded) = &program.dotenv {
        return match &loaded.path {
            Some(path) => (EnvFileChoice::Path(PathBuf::from(path)), None),
            None => (
                EnvFileChoice::Search,
                // `cwd/./app` written as `cwd/app`.
                program
                    .dotenv_search_from
                    .as_ref()
                    .map(|from| lexical(&cwd.join(from))),
            ),
        };
    }
    // A launcher or framework may load it before the program runs.
    if program.dotenv_by_launcher.is_some() {
        return (EnvFileChoice::Search, None);
    }
    // pydantic-settings reads its `env_file` into the settings object.
    if let KeyInCode::Variable {
        env_file: Some(file), ..
    } = &program.key
    {
        return (EnvFileChoice::Path(PathBuf::from(file)), None);
    }
    let why = match &program.dotenv_too_late {
        Some(late) => format!(
            "the program loads it only at {}, after it makes the client ({}): the client has read the environment by then",
            late.at,
            program.followed().map_or("", |c| c.at.as_str())
        ),
        None => "the program loads no .env before it makes the client (no load_dotenv(), dotenv.config() or `import 'dotenv/config'` in the files read)".to_string(),
    };
    (EnvFileChoice::NotLoaded(why), None)
}

/// The `.env` is pydantic-settings' `env_file`: it fills the settings
/// object's fields, never `os.environ`, so a client that reads its own
/// variables (`OPENAI_BASE_URL`, …) gets nothing from it.
pub(super) fn dotenv_fills_fields_only(program: &Program) -> bool {
    program.dotenv.is_none()
        && program.dotenv_by_launcher.is_none()
        && matches!(
            &program.key,
            KeyInCode::Variable {
                env_file: Some(_),
                ..
            }
        )
}

/// Whether the `.env` the code names lies outside the program's project:
/// the repository holding its entry file (else the entry's folder).
pub(super) fn names_dotenv_outside(
    program: &Program,
    env_file: &EnvFileChoice,
    cwd: &std::path::Path,
) -> bool {
    let EnvFileChoice::Path(named) = env_file else {
        return false;
    };
    let Some(entry) = program.files.first() else {
        return false;
    };
    let folder = lexical(&cwd.join(entry));
    let folder = folder.parent().unwrap_or(&folder);
    let root = folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(folder);
    !lexical(&cwd.join(named)).starts_with(root)
}

/// A path with `.` and `..` taken as written, as Python's `os.path.abspath`
/// takes them (no link is followed).
pub(super) fn lexical(path: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The finding for a `.env` the program does not load (or loads too late)
/// while it holds what the client reads.
pub(super) fn dotenv_unused(program: &Program, path: &std::path::Path, names: &[&str]) -> Option<Finding> {
    if names.is_empty() {
        return None;
    }
    let names = names.join(", ");
    Some(match (&program.dotenv_too_late, program.followed()) {
        (Some(late), Some(client)) => Finding::error(
            FindingId::DotenvLoadedTooLate,
            format!(
                "{} sets {names}, but {} makes {}() before {} loads that file: the client reads the environment when it is made, so it never sees them. Load the .env first (before the client, and before importing a module that makes one).",
                path.display(),
                client.at,
                client.class,
                late.at
            ),
        ),
        _ => Finding::warning(
            FindingId::DotenvNeverLoaded,
            format!(
                "{} sets {names}, but the program loads no .env: it never sees them. Load it before the client is made, or set them where the program runs.",
                path.display()
            ),
        ),
    })
}

/// The variable the client's key is read from: the one the code names
/// while it is set (or while the client would not fall back), else the
/// client's own.
pub(super) fn key_variable<'p>(
    program: Option<&'p Program>,
    env: &Env,
    in_dotenv: &dyn Fn(&str) -> bool,
    own: &'static str,
) -> KeyVariable<'p> {
    match program.map(|p| &p.key) {
        Some(KeyInCode::Variable {
            variable,
            at,
            falls_back,
            ..
        }) if variable != own && (!falls_back || env.text(variable).is_some() || in_dotenv(variable)) => {
            KeyVariable {
                name: variable,
                at: Some(at),
            }
        }
        _ => KeyVariable { name: own, at: None },
    }
}

/// Where a key is read, and the line of code that says so.
pub(super) struct KeyVariable<'p> {
    pub name: &'p str,
    pub at: Option<&'p str>,
}

impl KeyVariable<'_> {
    /// The variable, with where the code reads it.
    pub(super) fn location(&self) -> String {
        match self.at {
            Some(at) => format!("{} (read at {at})", self.name),
            None => self.name.to_string(),
        }
    }
}

/// openai-node's `AzureOpenAI` takes `OPENAI_BASE_URL` as its base URL, and
/// throws when it is made if the code passes `endpoint` too (read from the
/// installed openai-node 6.49's `azure.js`).
pub(super) fn endpoint_beside_base_url(
    program: &Program,
    settings: &super::Settings,
    client: Client,
) -> Option<Finding> {
    let variable = client.rules().azure_base_url_variable?;
    let endpoint = program
        .settings
        .iter()
        .find(|s| s.role == SettingRole::AzureEndpoint)?;
    (settings.base_url.variable == variable).then(|| {
        Finding::error(
            FindingId::BaseUrlAndEndpoint,
            format!(
                "the code passes `{}` ({}) while {} sets a base URL, which openai-node's AzureOpenAI reads too: it throws `baseURL and endpoint are mutually exclusive` when it is made, before any request; unset {variable} where the program runs, or stop passing `{}`",
                endpoint.argument,
                endpoint.at,
                settings.base_url.origin_words(),
                endpoint.argument
            ),
        )
    })
}

/// The findings about the key as the code gives it.
pub(super) fn key_findings(program: &Program) -> Vec<Finding> {
    match &program.key {
        KeyInCode::Literal { at, token: false, .. } => vec![Finding::warning(
            FindingId::HardcodedKey,
            format!(
                "{at} passes the key as text in the code: anyone who can read the code (its history, a fork, a log of it) has the key. Read it from {} instead, and rotate this one.",
                EnvVars::OPENAI_API_KEY
            ),
        )],
        KeyInCode::NotFollowed { at, argument, token } => vec![Finding::warning(
            FindingId::KeyNotFollowed,
            format!(
                "{at} gives the client {argument} from something computed when the program runs: this run tested the key the environment holds instead. To test the program's own, pass it in: `… | openai-keycheck doctor {}`.",
                if *token {
                    "--azure-ad-token-stdin"
                } else {
                    "--api-key-stdin"
                }
            ),
        )],
        _ => vec![],
    }
}

/// The text of each setting the code gives, by the variable it stands for
/// under this client. Text written in the code is the code's; a variable
/// it reads is looked up where the client's own would be (the environment,
/// then the loaded `.env`), and one that is the client's own is left to
/// the usual walk.
pub(super) fn settings(
    program: &Program,
    env: &Env,
    dotenv: &dyn Fn(&str) -> Option<String>,
    client: Client,
) -> Vec<SettingOverride> {
    let rules = client.rules();
    let mut found = Vec::new();
    for setting in &program.settings {
        let variables: &[&'static str] = match setting.role {
            SettingRole::BaseUrl => rules.base_url_variables,
            SettingRole::AzureEndpoint => &[EnvVars::AZURE_OPENAI_ENDPOINT],
            SettingRole::ApiVersion => &[EnvVars::OPENAI_API_VERSION],
            SettingRole::Organization => rules.organization_variables,
            SettingRole::Project => &[EnvVars::OPENAI_PROJECT_ID],
            SettingRole::Transport => &[],
        };
        let read = match (&setting.value, &setting.variable) {
            // The client's own variable: the usual walk reads it; the
            // code's default stands only where it is unset.
            (default, Some(variable)) if variables.contains(&variable.as_str()) => default
                .as_ref()
                .filter(|_| env.text(variable).is_none() && dotenv(variable).is_none())
                .map(|text| (text.clone(), Origin::Code, None)),
            (default, Some(variable)) => {
                // A name of the program's own, shown as the variable it
                // was read from: kept for the run (a handful at most).
                let name: &'static str = Box::leak(variable.clone().into_boxed_str());
                match (env.text(variable), dotenv(variable), default) {
                    (Some(text), _, _) => Some((text.to_string(), Origin::Env, Some(name))),
                    (None, Some(text), _) => Some((text, Origin::Dotenv, Some(name))),
                    (None, None, Some(text)) => Some((text.clone(), Origin::Code, None)),
                    (None, None, None) => None,
                }
            }
            (Some(text), None) => Some((text.clone(), Origin::Code, None)),
            (None, None) => None,
        };
        let Some((text, origin, read_from)) = read else {
            continue;
        };
        for variable in variables {
            found.push(SettingOverride {
                stands_for: variable,
                text: text.clone(),
                origin,
                read_from,
            });
        }
    }
    found
}
