//! `doctor --compose [SERVICE]`: the environment a Compose service's
//! container gets, computed from the compose files by the Compose
//! specification's rules: `environment:` (both forms), `env_file:`,
//! interpolation of `${VAR}`, `${VAR:-default}`, `${VAR:?error}` and the
//! rest from the shell and the project's `.env` (which feeds only the
//! interpolation, never the container), profiles, and the override file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Env;
use super::yaml_tree::{self, Node};
use crate::vocab::EnvVars;

/// The names Compose looks for, in its order, and their override files.
const FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];
const OVERRIDES: &[&str] = &[
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];

/// The most a compose or env file may hold, and the most nodes a document
/// may expand to through its aliases (a "billion laughs" is refused).
const MAX_FILE_BYTES: u64 = 1024 * 1024;
const MAX_NODES: usize = 100_000;

/// A service, as its container would start.
#[derive(Debug, Clone, Default)]
pub struct Compose {
    pub service: String,
    /// The compose files, then the env files read.
    pub files: Vec<PathBuf>,
    /// The folder of the first compose file, whose `.env` feeds interpolation.
    pub project: PathBuf,
    /// The container's environment (nothing of the shell's but what is passed).
    pub env: Env,
    /// Where each variable got its value: `path:line`.
    pub set_at: BTreeMap<String, String>,
    /// The traps met, each `(kind, words)`.
    pub traps: Vec<(Trap, String)>,
    /// The variables whose value the shell gave (passed through, or
    /// interpolated from it): the rest are the project's files'.
    pub from_shell: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    /// The key is in the project's `.env` or the shell, and not passed.
    NotPassed,
    /// `- KEY="value"`: in the list form the quotes are part of the value.
    QuotesKept,
    /// `${VAR}` with VAR set nowhere: interpolated as empty.
    UnsetInterpolated,
    /// An env file that cannot be read, a `${VAR:?error}`, a profile.
    Other,
}

#[derive(Debug)]
pub enum ComposeProblem {
    NotFound,
    Unreadable(String),
    NoSuchService { asked: String, services: Vec<String> },
    WhichService(Vec<String>),
}

impl std::fmt::Display for ComposeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ComposeProblem::NotFound => write!(
                f,
                "no compose file here or above ({}), and COMPOSE_FILE is not set",
                FILES.join(", ")
            ),
            ComposeProblem::Unreadable(why) => f.write_str(why),
            ComposeProblem::NoSuchService { asked, services } => {
                write!(
                    f,
                    "no service `{asked}`; the services are: {}",
                    services.join(", ")
                )
            }
            ComposeProblem::WhichService(services) => write!(
                f,
                "several services, none of whose environment mentions OpenAI: name one (`--compose SERVICE`): {}",
                services.join(", ")
            ),
        }
    }
}

fn parse(path: &Path) -> Result<Node, ComposeProblem> {
    let text = super::files::read_text(path, MAX_FILE_BYTES)
        .map_err(|e| ComposeProblem::Unreadable(format!("{}: {e}", path.display())))?;
    yaml_tree::parse(&text, MAX_NODES)
        .map_err(|why| ComposeProblem::Unreadable(format!("{}: {why}", path.display())))
}

/// The compose files Compose would read from `cwd`.
fn compose_files(cwd: &Path, shell: &Env) -> Result<Vec<PathBuf>, ComposeProblem> {
    if let Some(list) = shell.text(EnvVars::COMPOSE_FILE).filter(|l| !l.is_empty()) {
        return Ok(list
            .split(':')
            .filter(|p| !p.is_empty())
            .map(|p| cwd.join(p))
            .collect());
    }
    for dir in cwd.ancestors() {
        if let Some(first) = FILES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
            let mut files = vec![first];
            files.extend(OVERRIDES.iter().map(|n| dir.join(n)).find(|p| p.is_file()));
            return Ok(files);
        }
    }
    Err(ComposeProblem::NotFound)
}

pub fn read(cwd: &Path, shell: &Env, asked: Option<&str>) -> Result<Compose, ComposeProblem> {
    let files = compose_files(cwd, shell)?;
    let project = files[0].parent().unwrap_or(cwd).to_path_buf();
    // What interpolation sees: the shell, then the project's .env.
    let project_dotenv: BTreeMap<String, String> =
        super::files::read_text(&project.join(".env"), MAX_FILE_BYTES)
            .ok()
            .map(|text| dotenvy::from_read_iter(text.as_bytes()).flatten().collect())
            .unwrap_or_default();
    let lookup = |name: &str| {
        shell
            .text(name)
            .map(str::to_string)
            .or_else(|| project_dotenv.get(name).cloned())
    };
    let mut documents = Vec::new();
    for file in &files {
        documents.push((file.clone(), parse(file)?));
    }
    // Services, merged over the files in order.
    let mut services: Vec<String> = Vec::new();
    for (_, doc) in &documents {
        if let Some(Node::Map(entries)) = doc.get("services") {
            for (name, _) in entries {
                if !services.contains(name) {
                    services.push(name.clone());
                }
            }
        }
    }
    let active_profiles: Vec<String> = lookup(EnvVars::COMPOSE_PROFILES)
        .map(|p| p.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let definitions = |service: &str| -> Vec<(&PathBuf, &Node)> {
        documents
            .iter()
            .filter_map(|(file, doc)| Some((file, doc.get("services")?.get(service)?)))
            .collect()
    };
    let mentions_openai = |service: &str| {
        definitions(service)
            .iter()
            .any(|(_, def)| match def.get("environment") {
                Some(Node::Map(entries)) => entries.iter().any(|(k, _)| k.contains("OPENAI")),
                Some(Node::List(items)) => items
                    .iter()
                    .any(|i| i.text().is_some_and(|t| t.contains("OPENAI"))),
                _ => false,
            })
    };
    let profile_off = |service: &str| {
        definitions(service)
            .iter()
            .any(|(_, def)| match def.get("profiles") {
                Some(Node::List(profiles)) => !profiles
                    .iter()
                    .filter_map(Node::text)
                    .any(|p| active_profiles.iter().any(|a| a == p)),
                _ => false,
            })
    };
    let service = match asked.filter(|a| !a.is_empty()) {
        Some(asked) if services.iter().any(|s| s == asked) => asked.to_string(),
        Some(asked) => {
            return Err(ComposeProblem::NoSuchService {
                asked: asked.to_string(),
                services,
            });
        }
        None => {
            let started: Vec<&String> = services.iter().filter(|s| !profile_off(s)).collect();
            let openai: Vec<&String> = started.iter().copied().filter(|s| mentions_openai(s)).collect();
            match (started.as_slice(), openai.as_slice()) {
                ([only], _) | (_, [only]) => (*only).clone(),
                _ => return Err(ComposeProblem::WhichService(services)),
            }
        }
    };
    let mut compose = Compose {
        service: service.clone(),
        project: project.clone(),
        files: files.clone(),
        ..Compose::default()
    };
    if profile_off(&service) {
        compose.traps.push((
            Trap::Other,
            format!("`{service}` has profiles none of which is active (COMPOSE_PROFILES): `docker compose up` does not start it"),
        ));
    }
    let mut values: BTreeMap<String, (String, String)> = BTreeMap::new();
    let interpolate =
        |text: &str, at: &str, traps: &mut Vec<(Trap, String)>| interpolate(text, &lookup, at, traps);
    // env_file first, then environment: over it.
    for (file, def) in definitions(&service) {
        let entries: Vec<&Node> = match def.get("env_file") {
            Some(Node::List(items)) => items.iter().collect(),
            Some(node @ Node::Text(..)) => vec![node],
            _ => vec![],
        };
        for entry in entries {
            let (path, required) = match entry {
                Node::Text(path, _) => (path.clone(), true),
                map => (
                    map.get("path")
                        .and_then(Node::text)
                        .unwrap_or_default()
                        .to_string(),
                    map.get("required").and_then(Node::text) != Some("false"),
                ),
            };
            // `project/./app.env` written as `project/app.env`.
            let written = interpolate(&path, &format!("{}", file.display()), &mut compose.traps);
            let path: PathBuf = project.join(written).components().collect();
            match super::files::read_text(&path, MAX_FILE_BYTES) {
                Ok(text) => {
                    for (i, line) in text.lines().enumerate() {
                        let Ok(Some((name, value))) = dotenvy::from_read_iter(format!("{line}\n").as_bytes())
                            .next()
                            .transpose()
                        else {
                            continue;
                        };
                        values.insert(name, (value, format!("{}:{}", path.display(), i + 1)));
                    }
                    compose.files.push(path);
                }
                Err(_) if !required => {}
                Err(e) => compose.traps.push((
                    Trap::Other,
                    format!(
                        "env_file {} cannot be read ({e}): Compose refuses to start `{service}`",
                        path.display()
                    ),
                )),
            }
        }
        // The parser counts lines from 1.
        let at = |line: usize| format!("{}:{}", file.display(), line.max(1));
        match def.get("environment") {
            Some(Node::Map(entries)) => {
                for (name, value) in entries {
                    match value {
                        // `KEY:` alone passes the shell's value through.
                        Node::Null => {
                            if let Some(v) = shell.text(name) {
                                values.insert(
                                    name.clone(),
                                    (v.to_string(), format!("{} (from the shell)", at(0))),
                                );
                                compose.from_shell.insert(name.clone());
                            }
                        }
                        value => {
                            let raw = value.text().unwrap_or_default();
                            if from_shell_alone(raw, shell) {
                                compose.from_shell.insert(name.clone());
                            }
                            let text = interpolate(raw, &at(value.line()), &mut compose.traps);
                            values.insert(name.clone(), (text, at(value.line())));
                        }
                    }
                }
            }
            Some(Node::List(items)) => {
                for item in items {
                    let Some(raw) = item.text() else { continue };
                    match raw.split_once('=') {
                        Some((name, value)) => {
                            if from_shell_alone(value, shell) {
                                compose.from_shell.insert(name.to_string());
                            }
                            let text = interpolate(value, &at(item.line()), &mut compose.traps);
                            if (text.starts_with('"') && text.ends_with('"')
                                || text.starts_with('\'') && text.ends_with('\''))
                                && text.len() >= 2
                            {
                                compose.traps.push((
                                    Trap::QuotesKept,
                                    format!("{}: in the list form `- {name}=…` the quotes are part of the value; write `- {name}=…` without them, or use the map form", at(item.line())),
                                ));
                            }
                            values.insert(name.to_string(), (text, at(item.line())));
                        }
                        // `- KEY` passes the shell's value through, if it has one.
                        None => {
                            if let Some(v) = shell.text(raw) {
                                values.insert(
                                    raw.to_string(),
                                    (v.to_string(), format!("{} (from the shell)", at(item.line()))),
                                );
                                compose.from_shell.insert(raw.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // The classic trap: the key where the user keeps it, never passed.
    for name in [EnvVars::OPENAI_API_KEY, EnvVars::AZURE_OPENAI_API_KEY] {
        if values.contains_key(name) {
            continue;
        }
        let kept = if project_dotenv.contains_key(name) {
            Some(format!("{}", project.join(".env").display()))
        } else {
            shell.text(name).map(|_| "your shell".to_string())
        };
        if let Some(kept) = kept {
            compose.traps.push((
                Trap::NotPassed,
                format!(
                    "{name} is set in {kept}, but `{service}` is not given it: the project's .env only fills ${{…}} in the compose file, and a container gets no variable of the shell's it is not passed. Add `- {name}` (or `{name}: ${{{name}}}`) under `environment:`, or the file under `env_file:`"
                ),
            ));
        }
    }
    compose.env = values.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect();
    compose.set_at = values.into_iter().map(|(k, (_, at))| (k, at)).collect();
    Ok(compose)
}

/// Whether a value is the shell's alone: exactly `$NAME` or `${NAME}`, set
/// in the shell. Text around it, a default, or a variable only the
/// project's `.env` sets makes it the project's file's choice.
fn from_shell_alone(text: &str, shell: &Env) -> bool {
    let name = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('$'));
    name.is_some_and(|n| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && shell.text(n).is_some()
    })
}

/// Compose's interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
/// `${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`.
fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    at: &str,
    traps: &mut Vec<(Trap, String)>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (expression, after) = match rest.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => {
                    out.push('$');
                    continue;
                }
            },
            None => {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        rest = after;
        let operator = expression.find([':', '-', '?', '+']).unwrap_or(expression.len());
        let (name, tail) = expression.split_at(operator);
        let value = lookup(name);
        let set_non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        let text = match tail {
            "" => match value {
                Some(v) => v,
                None => {
                    traps.push((
                        Trap::UnsetInterpolated,
                        format!("{at}: ${{{name}}} is set neither in the shell nor in the project's .env: Compose puts an empty string there (\"The {name} variable is not set. Defaulting to a blank string.\")"),
                    ));
                    String::new()
                }
            },
            t if t.starts_with(":-") => {
                if set_non_empty {
                    value.unwrap_or_default()
                } else {
                    t[2..].to_string()
                }
            }
            t if t.starts_with('-') => value.unwrap_or_else(|| t[1..].to_string()),
            t if t.starts_with(":?") || t.starts_with('?') => {
                let strict = t.starts_with(':');
                if (strict && !set_non_empty) || value.is_none() {
                    traps.push((
                        Trap::Other,
                        format!(
                            "{at}: ${{{expression}}}: {name} is not set, so Compose stops with its error"
                        ),
                    ));
                }
                value.unwrap_or_default()
            }
            t if t.starts_with(":+") => {
                if set_non_empty {
                    t[2..].to_string()
                } else {
                    String::new()
                }
            }
            t if t.starts_with('+') => {
                if value.is_some() {
                    t[1..].to_string()
                } else {
                    String::new()
                }
            }
            _ => value.unwrap_or_default(),
        };
        out.push_str(&text);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Trap, interpolate};

    #[test]
    fn interpolation_as_compose_does_it() {
        let vars = |name: &str| match name {
            "SET" => Some("v".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let mut traps = vec![];
        let mut i = |t: &str| interpolate(t, &vars, "f:1", &mut traps);
        assert_eq!(i("$SET ${SET} $$SET"), "v v $SET");
        assert_eq!(i("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}"), "d  d");
        assert_eq!(i("${SET:+a} ${EMPTY:+a} ${EMPTY+a}"), "a  a");
        assert_eq!(i("${UNSET}"), "");
        assert!(traps.iter().any(|(t, _)| *t == Trap::UnsetInterpolated));
    }
}
