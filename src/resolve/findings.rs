//! Findings about the chain: which source wins and what it hides, and how
//! safely the files holding a key are kept.

use std::path::Path;
use std::process::{Command, Stdio};

use super::files::Dotenv;
use super::{FlagKey, FlagVia, KeySource, Source, SourceState};
use crate::vocab::ApiKey;
use crate::vocab::{Finding, FindingId};

pub fn chain(sources: &[Source], flag: Option<&FlagKey>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let used = sources.iter().find(|s| s.used);
    let held: Vec<&Source> = sources.iter().filter(|s| s.state == SourceState::Set).collect();

    if let (Some(flag), Some(used)) = (flag, used)
        && flag.via == FlagVia::Argv
        && used.source == KeySource::Flag
    {
        findings.push(Finding::warning(
            FindingId::KeyInArgv,
            "the key was given with --api-key: it is visible to other users in `ps` and stays in your shell history; prefer --api-key-stdin or OPENAI_API_KEY",
        ));
    }

    if let Some(used) = used.filter(|u| u.state == SourceState::Empty)
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

    match used.map(|u| u.source) {
        Some(KeySource::Dotenv) => findings.push(Finding::warning(
            FindingId::DotenvNotLoaded,
            "the key is only in the .env file, and no SDK reads .env by itself: Python needs `load_dotenv()` from python-dotenv called before `OpenAI()` is created, Node needs `node --env-file=.env` (or dotenv) before the client is made",
        )),
        Some(source @ (KeySource::OpenaiAuthJson | KeySource::CodexAuthJson)) => findings.push(Finding::warning(
            FindingId::KeyFileNotReadBySdk,
            format!(
                "the key was found only in {}, which the official OpenAI SDKs never read: they take the api_key argument or OPENAI_API_KEY",
                source.label()
            ),
        )),
        _ => {}
    }

    for s in sources {
        let (id, what) = match s.state {
            SourceState::Unreadable => (FindingId::SourceUnreadable, "could not be read"),
            SourceState::Invalid => (FindingId::SourceInvalid, "could not be understood"),
            _ => continue,
        };
        let why = s.detail.as_deref().unwrap_or("unknown reason");
        findings.push(Finding::warning(
            id,
            format!("{} ({}) {what}: {why}", s.source.label(), s.location),
        ));
    }
    findings
}

fn clean(source: &Source) -> String {
    let value = source.value.as_ref().map(ApiKey::expose).unwrap_or_default();
    crate::vocab::secret::unwrap_key(value).key.to_string()
}

fn describe(source: &Source) -> String {
    let masked = source.value.as_ref().map(ApiKey::masked).unwrap_or_default();
    format!("{} {masked}", source.source.id())
}

/// How the files that hold a key are kept: readable by others, tracked or
/// not ignored by git, and what python-dotenv would make of the .env.
pub fn hygiene(sources: &[Source], dotenv: Option<&Dotenv>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for source in sources.iter().filter(|s| s.state == SourceState::Set) {
        let Some(file) = &source.file else { continue };
        if let Some(mode) = loose_mode(file) {
            findings.push(Finding::warning(
                FindingId::KeyFilePermissions,
                format!(
                    "{} holds a key and is readable by other users (mode {mode:o}); run `chmod 600 {}`",
                    file.display(),
                    file.display()
                ),
            ));
        }
        if source.source == KeySource::Dotenv
            && let Some(problem) = git_exposure(file)
        {
            findings.push(Finding::warning(FindingId::DotenvTrackedByGit, problem));
        }
    }
    if let Some(vars) = dotenv.and_then(|d| d.vars.as_ref().ok()) {
        let path = dotenv.map(|d| d.path.display().to_string()).unwrap_or_default();
        if vars.key_lines.len() > 1 {
            let lines: Vec<String> = vars.key_lines.iter().map(ToString::to_string).collect();
            findings.push(Finding::warning(
                FindingId::DotenvDuplicateKey,
                format!(
                    "{path} sets OPENAI_API_KEY on lines {}: python-dotenv and node --env-file take the last, dotenvy-based tools the first",
                    lines.join(", ")
                ),
            ));
        }
        if vars.vars.contains_key("OPENAI_API_KEY") {
            for line in &vars.bad_lines {
                findings.push(Finding::warning(
                    FindingId::DotenvInvalidLine,
                    format!("{path}:{line} does not parse and is skipped (python-dotenv skips it too, with a warning)"),
                ));
            }
        }
    }
    findings
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

/// Whether git would carry the file into a repository. Quiet when git is
/// absent or the file is outside a work tree. One or two `git` runs (each
/// costs about a millisecond): `ls-files` answers "tracked", "untracked" or
/// "no repository" at once.
fn git_exposure(file: &Path) -> Option<String> {
    let dir = file.parent()?;
    let name = file.file_name()?;
    let git = |subcommand: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(subcommand)
            .arg("--")
            .arg(name)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
            .and_then(|s| s.code())
    };
    let shown = file.display();
    // 0: tracked; 1: in a work tree, untracked; 128: no repository (or no git).
    match git(&["ls-files", "--error-unmatch"])? {
        0 => Some(format!(
            "{shown} holds a key and is tracked by git: the key is in the repository's history. Rotate the key, `git rm --cached {}`, and add it to .gitignore",
            name.to_string_lossy()
        )),
        // check-ignore: 0 ignored, 1 not ignored.
        1 if git(&["check-ignore", "-q"]) == Some(1) => Some(format!(
            "{shown} holds a key and is not ignored by git: one `git add .` from being committed; add it to .gitignore"
        )),
        _ => None,
    }
}
