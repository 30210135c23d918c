//! Findings about the chain: which source wins and what it hides, and how
//! safely the files holding a key are kept.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::files::Dotenv;
use super::{DotenvAbove, Elsewhere, Env, FlagKey, FlagVia, KeySource, RunsIn, Source, SourceState};
use crate::vocab::ApiKey;
use crate::vocab::keys::looks_like_placeholder;
use crate::vocab::near_miss::{NearMiss, near_miss};
use crate::vocab::{EnvVars, Finding, FindingId};

/// `used` and `tested`: the sources a program would use and this run tests.
pub(crate) fn chain(
    sources: &[Source],
    (used, tested): (Option<KeySource>, Option<KeySource>),
    flag: Option<&FlagKey>,
    cwd: &Path,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let find = |which: Option<KeySource>| sources.iter().find(|s| Some(s.source) == which);
    let used = find(used);
    let held: Vec<&Source> = sources.iter().filter(|s| s.state() == SourceState::Set).collect();

    if let (Some(flag), Some(used)) = (flag, used)
        && flag.via == FlagVia::Argv
        && used.source == KeySource::Flag
    {
        findings.push(Finding::warning(
            FindingId::KeyInArgv,
            "the key was given with --api-key: it is visible to other users in `ps` and stays in your shell history; prefer --api-key-stdin or OPENAI_API_KEY",
        ));
    }

    if let Some(used) = used.filter(|u| u.state() == SourceState::Empty)
        && let Some(hidden) = held.first()
    {
        findings.push(Finding::warning(
            FindingId::EmptyVariableShadowsKey,
            format!(
                "{} is set but empty and hides the key in {} ({}): python-dotenv's load_dotenv() does not override a variable that exists, even an empty one",
                used.source.label(),
                hidden.source.label(),
                hidden.location
            ),
        ));
    }

    let mut distinct: Vec<&Source> = Vec::new();
    for s in &held {
        let same = |d: &&Source| clean(d) == clean(s);
        if !distinct.iter().any(same) {
            distinct.push(s);
        }
    }
    if distinct.len() > 1 {
        let names: Vec<String> = distinct.iter().map(|s| describe(s)).collect();
        let winner = used.map_or("none".to_string(), describe);
        findings.push(Finding::warning(
            FindingId::ConflictingSources,
            format!(
                "{} sources hold different keys ({}); the one used is {winner}, the others are shadowed",
                distinct.len(),
                names.join(", ")
            ),
        ));
    }

    let tested = find(tested);
    // Azure's credential read from the .env a Python program loads.
    let azure_in_dotenv = used
        .filter(|u| u.file.is_some() && matches!(u.source, KeySource::AzureApiKey | KeySource::AzureAdToken));
    if let Some(azure) = azure_in_dotenv {
        findings.push(Finding::warning(
            FindingId::DotenvNotLoaded,
            format!(
                "{} is only in the .env file, and no SDK reads .env by itself: Python needs `load_dotenv()` from python-dotenv called before `AzureOpenAI()` is created, Node needs `node --env-file=.env` (or dotenv) before the client is made",
                azure.source.label()
            ),
        ));
    }
    match (used.map(|u| u.source), tested.map(|t| t.source)) {
        (Some(KeySource::Dotenv), _) => {
            let up = used
                .and_then(|u| u.file.as_deref())
                .and_then(|f| f.parent())
                .and_then(|dir| cwd.strip_prefix(dir).ok())
                .map_or(0, |below| below.components().count());
            findings.push(Finding::warning(
                FindingId::DotenvNotLoaded,
                if up == 0 {
                    "the key is only in the .env file, and no SDK reads .env by itself: Python needs `load_dotenv()` from python-dotenv called before `OpenAI()` is created, Node needs `node --env-file=.env` (or dotenv) before the client is made".to_string()
                } else {
                    format!(
                        "the key is only in {}.env, {up} folder{} above this one, and no SDK reads .env by itself: python-dotenv's `load_dotenv()` finds it by walking up from the *script's* folder (not the shell's; `find_dotenv(usecwd=True)` starts here), while Node's dotenv and `node --env-file` read ./.env only",
                        "../".repeat(up),
                        if up == 1 { "" } else { "s" }
                    )
                },
            ))
        }
        (None, Some(source @ (KeySource::OpenaiAuthJson | KeySource::CodexAuthJson))) => findings.push(Finding::warning(
            FindingId::KeyFileNotReadBySdk,
            format!(
                "the key was found only in {}, which the official OpenAI SDKs never read: they take the api_key argument or OPENAI_API_KEY",
                source.label()
            ),
        )),
        _ => {}
    }

    for s in sources {
        let (id, what) = match s.state() {
            SourceState::Unreadable => (FindingId::SourceUnreadable, "could not be read"),
            SourceState::Invalid => (FindingId::SourceInvalid, "could not be understood"),
            SourceState::Untrusted => (FindingId::DotenvUntrusted, "is ignored, key and settings alike"),
            _ => continue,
        };
        let why = s.detail().unwrap_or("unknown reason");
        findings.push(Finding::warning(
            id,
            format!("{} ({}) {what}: {why}", s.source.label(), s.location),
        ));
    }
    findings
}

/// The key sits in a `.env` above this folder, and the client's loaders
/// read `./.env` only.
pub(crate) fn dotenv_out_of_reach(above: &DotenvAbove) -> Finding {
    let relative = &above.relative;
    Finding::warning(
        FindingId::DotenvOutOfReach,
        format!(
            "{relative} ({}) sets OPENAI_API_KEY, but Node's dotenv and `node --env-file` read ./.env only, from the folder the program starts in: start it from {}, or name the file (`node --env-file={relative}`, `dotenv.config({{ path: '{relative}' }})`)",
            above.path.display(),
            above.folder().display(),
        ),
    )
}

fn clean(source: &Source) -> String {
    let value = source.value().map(ApiKey::expose).unwrap_or_default();
    crate::vocab::secret::unwrap_key(value).key.to_string()
}

fn describe(source: &Source) -> String {
    let masked = source.value().map(ApiKey::masked).unwrap_or_default();
    format!("{} {masked}", source.source.id())
}

/// How the files that hold a key are kept: readable by others, tracked or
/// not ignored by git, and what python-dotenv would make of the .env.
pub(crate) fn hygiene(sources: &[Source], dotenv: Option<&Dotenv>, home: Option<&Path>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for source in sources.iter().filter(|s| s.state() == SourceState::Set) {
        let Some(file) = &source.file else { continue };
        if let Some(mode) = loose_mode(file) {
            // Under your own home a 644 file is the default and seldom read by
            // anyone else; outside it, or in a folder anyone may write, it is.
            let exposed =
                home.is_none_or(|h| !file.starts_with(h)) || file.parent().is_some_and(shared_folder);
            let message = format!(
                "{} holds a key and is readable by other users (mode {mode:o}){}; run `chmod 600 {}`",
                file.display(),
                if exposed {
                    ", outside your home or in a folder others may write"
                } else {
                    ""
                },
                file.display()
            );
            findings.push(if exposed {
                Finding::warning(FindingId::KeyFilePermissions, message)
            } else {
                Finding::info(FindingId::KeyFilePermissions, message)
            });
        }
        if source.source == KeySource::Dotenv {
            let placeholder = source
                .value()
                .is_some_and(|v| looks_like_placeholder(v.expose().trim()));
            findings.extend(git_exposure(file, placeholder));
        }
    }
    if let Some(vars) = dotenv.and_then(|d| d.vars.as_ref().ok()) {
        let path = dotenv.map(|d| d.path.display().to_string()).unwrap_or_default();
        if vars.key_lines.len() > 1 {
            findings.push(Finding::warning(
                FindingId::DotenvDuplicateKey,
                format!(
                    "{path} sets OPENAI_API_KEY on lines {}: python-dotenv and node --env-file take the last, dotenvy-based tools the first",
                    list_lines(&vars.key_lines)
                ),
            ));
        }
        if vars.vars.contains_key(EnvVars::OPENAI_API_KEY) {
            for line in vars.bad_lines.iter().take(MAX_LINES_NAMED) {
                let wrapped = vars.key_line.is_some_and(|k| k + 1 == *line);
                findings.push(Finding::warning(
                    FindingId::DotenvInvalidLine,
                    if wrapped {
                        format!(
                            "{path}:{line} does not parse and is skipped: it looks like the rest of the key on line {}, wrapped onto a second line",
                            line - 1
                        )
                    } else {
                        format!("{path}:{line} does not parse and is skipped (python-dotenv skips it too, with a warning)")
                    },
                ));
            }
            if let Some(more) = vars
                .bad_lines
                .len()
                .checked_sub(MAX_LINES_NAMED)
                .filter(|n| *n > 0)
            {
                findings.push(Finding::warning(
                    FindingId::DotenvInvalidLine,
                    format!("{path}: and {more} more lines that do not parse"),
                ));
            }
        }
    }
    findings
}

/// How many lines of a file a report names one by one; a hostile file may
/// have ninety thousand, and each would be a line of output.
const MAX_LINES_NAMED: usize = 10;

/// "3, 7, 9", or "3, 7, …, 40 and 89990 more".
pub(super) fn list_lines(numbers: &[usize]) -> String {
    let named: Vec<String> = numbers
        .iter()
        .take(MAX_LINES_NAMED)
        .map(ToString::to_string)
        .collect();
    match numbers.len().saturating_sub(MAX_LINES_NAMED) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

/// The mode when group or others may read the file (as ssh refuses keys).
#[cfg(unix)]
fn loose_mode(file: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn loose_mode(_: &Path) -> Option<u32> {
    None
}

/// A folder others may write to, like /tmp.
#[cfg(unix)]
fn shared_folder(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o002 != 0)
}

#[cfg(not(unix))]
fn shared_folder(_: &Path) -> bool {
    false
}

/// How long one `git` run may take; it answers in about a millisecond.
const GIT_DEADLINE: Duration = Duration::from_secs(2);

/// Whether git would carry the file into a repository: a finding when it is
/// tracked or not ignored, or when git could not say. Quiet when git is
/// absent or the file is outside a work tree. One or two `git` runs:
/// `ls-files` answers "tracked", "untracked" or "no repository" at once.
fn git_exposure(file: &Path, placeholder: bool) -> Option<Finding> {
    let dir = file.parent()?;
    let name = file.file_name()?;
    let shown = file.display();
    // 0: tracked; 1: in a work tree, untracked; 128: no repository (or no git).
    match git(dir, &["ls-files", "--error-unmatch"], name) {
        // A template's stand-in in git is no leak: nothing to rotate.
        Git::Exit(0) if placeholder => Some(Finding::info(
            FindingId::DotenvTrackedByGit,
            format!(
                "{shown} is tracked by git and holds a placeholder, not a key: nothing to rotate; put the real key in a file git ignores (.env.local, or .env with the template kept as .env.example)"
            ),
        )),
        Git::Exit(0) => Some(Finding::warning(
            FindingId::DotenvTrackedByGit,
            format!(
                "{shown} holds a key and is tracked by git: the key is in the repository's history. Rotate the key, `git rm --cached {}`, and add it to .gitignore",
                name.to_string_lossy()
            ),
        )),
        // check-ignore: 0 ignored, 1 not ignored.
        Git::Exit(1) => match git(dir, &["check-ignore", "-q"], name) {
            Git::Exit(1) => Some(Finding::warning(
                FindingId::DotenvTrackedByGit,
                format!(
                    "{shown} holds a key and is not ignored by git: one `git add .` from being committed; add it to .gitignore"
                ),
            )),
            Git::Failed(why) => Some(unchecked(&shown.to_string(), &why)),
            _ => None,
        },
        Git::Failed(why) => Some(unchecked(&shown.to_string(), &why)),
        _ => None,
    }
}

fn unchecked(shown: &str, why: &str) -> Finding {
    Finding::info(
        FindingId::GitCheckFailed,
        format!("whether git tracks {shown} could not be checked: {why}"),
    )
}

enum Git {
    Exit(i32),
    /// git ran and refused, or did not answer in time: why, in words.
    Failed(String),
    /// No git on this machine.
    Absent,
}

/// `git -C dir <args> -- name`, with nothing the repository's own config
/// could make it run: no fsmonitor command (which `ls-files` would start),
/// no hooks, no pager, no prompt; and killed past [`GIT_DEADLINE`].
fn git(dir: &Path, args: &[&str], name: &std::ffi::OsStr) -> Git {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.untrackedCache=false",
            "-c",
            "core.hooksPath=/dev/null",
            "--no-pager",
            "-C",
        ])
        .arg(dir)
        .args(args)
        .arg("--")
        .arg(name)
        .env(EnvVars::GIT_OPTIONAL_LOCKS, "0")
        .env(EnvVars::GIT_TERMINAL_PROMPT, "0");
    let output = match super::command::run(command, GIT_DEADLINE) {
        Ok(output) => output,
        Err(super::command::Ended::NotStarted) => return Git::Absent,
        Err(super::command::Ended::TimedOut) => {
            return Git::Failed(format!("git did not answer within {} s", GIT_DEADLINE.as_secs()));
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr[..output.stderr.len().min(4096)]);
    match output.status.code() {
        // In CI containers the checkout often belongs to another user.
        Some(128) if stderr.contains("dubious ownership") => Git::Failed(
            "git refuses the repository (\"dubious ownership\": it belongs to another user; see `git config --global safe.directory`)".into(),
        ),
        Some(code) => Git::Exit(code),
        None => Git::Failed("git was stopped by a signal".into()),
    }
}

/// Variables that miss `OPENAI_API_KEY` (a near miss, or the key under a
/// browser bundle's prefix), in the environment and the `.env`: each named
/// with where it is and its value masked (and kept among the run's secrets).
pub(crate) fn near_misses(
    env: &Env,
    env_label: &str,
    dotenv: Option<&Dotenv>,
    (key_found, read_by_program): (bool, &str),
    secrets: &mut Vec<String>,
) -> Vec<Finding> {
    let missed = |name: &str| near_miss(name).filter(|_| name != read_by_program);
    let mut found: Vec<(String, String, String)> = Vec::new();
    let mut in_env: Vec<(&String, &std::ffi::OsString)> = env.0.iter().collect();
    in_env.sort();
    for (name, value) in in_env {
        if missed(name).is_some() {
            found.push((
                name.clone(),
                env_label.to_string(),
                value.to_string_lossy().into_owned(),
            ));
        }
    }
    if let Some(d) = dotenv
        && let Ok(vars) = &d.vars
    {
        let text = std::fs::read_to_string(&d.path).unwrap_or_default();
        let mut names: Vec<(&String, &String)> = vars.vars.iter().collect();
        names.sort();
        for (name, value) in names.into_iter().filter(|(n, _)| missed(n).is_some()) {
            let line = text
                .lines()
                .position(|l| super::files::assigns(l, name))
                .map_or(1, |i| i + 1);
            found.push((
                name.clone(),
                format!("{}:{line}", d.path.display()),
                value.clone(),
            ));
        }
    }
    found
        .into_iter()
        .filter_map(|(name, place, value)| {
            let kind = missed(&name)?;
            let shown = if value.trim().is_empty() {
                "empty".to_string()
            } else {
                let masked = ApiKey::new(value.clone()).masked();
                secrets.push(value);
                masked
            };
            Some(match kind {
                NearMiss::Browser { prefix } => Finding::warning(
                    FindingId::NearMissVariable,
                    format!(
                        "{name} is set in {place} ({shown}): {prefix} puts a variable into the code a bundler sends to every visitor's browser, and the SDK on a server reads only {}; keep the key in {} on the server side (and rotate one that has shipped)",
                        EnvVars::OPENAI_API_KEY,
                        EnvVars::OPENAI_API_KEY
                    ),
                ),
                NearMiss::Misspelt => {
                    let message = format!(
                        "{name} is set in {place} ({shown}), but the SDKs read only {}: rename it, or have the program pass it on (api_key=os.environ[\"{name}\"], apiKey: process.env.{name})",
                        EnvVars::OPENAI_API_KEY
                    );
                    if key_found {
                        Finding::info(FindingId::NearMissVariable, message)
                    } else {
                        Finding::warning(FindingId::NearMissVariable, message)
                    }
                }
            })
        })
        .collect()
}

/// `--pid`, `--unit`: whose environment this is and what it cannot show,
/// and how its key compares with this shell's.
pub(crate) fn elsewhere(e: &Elsewhere, env: &Env, variable: &str, cwd: &Path) -> Vec<Finding> {
    let name = e.runs_in.name();
    let mut findings = match &e.runs_in {
        RunsIn::Process(p) => {
            let pid = p.pid;
            // A key given on the command line is masked as a pasted one is.
            let command = p.command_line();
            if let Some(owner) = &p.denied {
                // Nothing of its environment is known: no comparison with the shell's.
                return vec![Finding::error(
                    FindingId::ProcessEnvironment,
                    format!(
                        "process {pid} (`{command}`) runs as {}: its environment (/proc/{pid}/environ), working folder and program can be read only by that user and root; what this run shows is not that process's",
                        owner
                            .name
                            .as_ref()
                            .map_or_else(|| format!("uid {}", owner.uid), |n| format!("user `{n}`"))
                    ),
                )];
            }
            vec![Finding::info(
                FindingId::ProcessEnvironment,
                format!(
                    "this is the environment process {pid} (`{command}`) started with, read from /proc/{pid}/environ, and its working folder {}: what it set in itself since (os.environ[…] = …, load_dotenv(), process.env.X = …) is not there, while a program it starts now inherits its current environment",
                    cwd.display()
                ),
            )]
        }
        RunsIn::Compose(c) => {
            let files: Vec<String> = c.files.iter().map(|f| f.display().to_string()).collect();
            let mut findings = vec![Finding::info(
                FindingId::ComposeEnvironment,
                format!(
                    "this is the environment Compose gives `{}`'s container, from {}: what the service is passed (`environment:`, `env_file:`), nothing else of the shell's (its image's own ENV comes too, and is not read here); the project's .env ({}) only fills ${{…}} in the compose file{}",
                    c.service,
                    files.join(", "),
                    c.project.join(".env").display(),
                    c.set_at
                        .get(variable)
                        .map_or(String::new(), |at| format!("; {variable} is set at {at}"))
                ),
            )];
            findings.extend(c.traps.iter().map(|(trap, words)| {
                let id = match trap {
                    super::compose::Trap::NotPassed => FindingId::ComposeVariableNotPassed,
                    super::compose::Trap::QuotesKept => FindingId::ComposeQuotesKept,
                    super::compose::Trap::UnsetInterpolated => FindingId::ComposeUnsetInterpolated,
                    super::compose::Trap::Other => FindingId::ComposeEnvironment,
                };
                Finding::warning(id, words.clone())
            }));
            findings
        }
        RunsIn::Unit(u) => {
            let files: Vec<String> = u.files.iter().map(|f| f.display().to_string()).collect();
            let mut findings = vec![Finding::info(
                FindingId::UnitEnvironment,
                format!(
                    "this is the environment systemd gives {} from {} ({}), and nothing of your shell's: no exports, no ~/.bashrc; its working folder is {}",
                    u.name,
                    if files.len() == 1 {
                        "its unit file"
                    } else {
                        "its unit file and drop-ins"
                    },
                    files.join(", "),
                    match &u.working_directory {
                        Some(dir) => dir.display().to_string(),
                        None => "/ (systemd's default: a .env beside the program is not found from there)"
                            .to_string(),
                    }
                ),
            )];
            if let Some(at) = u.set_at.get(variable) {
                findings[0]
                    .message
                    .push_str(&format!("; {variable} is set at {at}"));
            }
            findings.extend(
                u.problems
                    .iter()
                    .map(|p| Finding::warning(FindingId::UnitLineSkipped, p.clone())),
            );
            findings
        }
    };
    let theirs = env
        .text(variable)
        .filter(|v| !v.is_empty())
        .map(|v| ApiKey::new(v.to_string()));
    let ours = e
        .shell
        .text(variable)
        .filter(|v| !v.is_empty())
        .map(|v| ApiKey::new(v.to_string()));
    let message = match (&theirs, &ours) {
        (Some(theirs), Some(ours)) if theirs != ours => Some(format!(
            "{name}'s {variable} ({}) differs from your shell's ({}): it runs with another key; after changing a key, restart it where it is set",
            theirs.masked(),
            ours.masked()
        )),
        (None, Some(ours)) => Some(format!(
            "{name} has no {variable}, while your shell has one ({}): a service never reads your shell's startup files; set it where {name} is started",
            ours.masked()
        )),
        _ => None,
    };
    findings.extend(message.map(|m| Finding::warning(FindingId::ProcessKeyDiffers, m)));
    findings
}
