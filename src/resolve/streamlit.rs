//! Streamlit's secrets: `.streamlit/secrets.toml` in the folder the app is
//! started from, and `~/.streamlit/secrets.toml`, the project's values
//! winning key by key. An app reads them as `st.secrets["NAME"]`, and
//! Streamlit also puts each root-level value into the environment, which is
//! how `OpenAI()` without an `api_key` finds one there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::DeValue;

use super::toml_tree;
use crate::vocab::{Finding, FindingId};

/// The most a secrets file may hold to be read.
const MAX_SECRETS_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct StreamlitSecrets {
    /// The files read, global first.
    pub files: Vec<PathBuf>,
    /// Root-level text values: name → (value, `path:line`).
    pub root: BTreeMap<String, (String, String)>,
    /// Values inside a table (`[openai] api_key = …`): `table.name` →
    /// (value, `path:line`); `st.secrets["openai"]["api_key"]` reads them,
    /// the environment never holds them.
    pub nested: BTreeMap<String, (String, String)>,
    /// Files that are not TOML, in words.
    pub problems: Vec<String>,
}

/// The secrets an app started in `cwd` would see, if there is a file.
pub(crate) fn read(cwd: &Path, home: Option<&Path>) -> Option<StreamlitSecrets> {
    let files: Vec<PathBuf> = home
        .map(|h| h.join(".streamlit/secrets.toml"))
        .into_iter()
        .chain(std::iter::once(cwd.join(".streamlit/secrets.toml")))
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return None;
    }
    let mut secrets = StreamlitSecrets::default();
    for file in &files {
        let Ok(text) = super::files::read_text(file, MAX_SECRETS_BYTES) else {
            secrets
                .problems
                .push(format!("{} cannot be read", file.display()));
            continue;
        };
        let document = match toml_tree::parse(&text) {
            Ok(document) => document,
            Err(why) => {
                secrets
                    .problems
                    .push(format!("{} is {why}: Streamlit stops the app", file.display()));
                continue;
            }
        };
        let at = |span: std::ops::Range<usize>| {
            format!(
                "{}:{}",
                file.display(),
                toml_tree::line_and_column(&text, span.start).0
            )
        };
        for (name, value) in document.get_ref().iter() {
            match value.get_ref() {
                DeValue::String(s) => {
                    secrets
                        .root
                        .insert(name.get_ref().to_string(), (s.to_string(), at(value.span())));
                }
                DeValue::Table(table) => {
                    for (inner, value) in table.iter() {
                        if let DeValue::String(s) = value.get_ref() {
                            secrets.nested.insert(
                                format!("{}.{}", name.get_ref(), inner.get_ref()),
                                (s.to_string(), at(value.span())),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    secrets.files = files;
    Some(secrets)
}

/// The key source the secrets are: the root-level value of the key's variable.
pub(crate) fn source(secrets: &StreamlitSecrets, variable: &str) -> super::Source {
    use super::{Found, KeySource, Source};
    match secrets.root.get(variable) {
        Some((value, at)) => Source::new(KeySource::StreamlitSecrets, at.clone())
            .in_file(Path::new(
                at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path),
            ))
            .with_value(value.clone()),
        None => Source::new(KeySource::StreamlitSecrets, ".streamlit/secrets.toml")
            .with_state(Found::Unset, format!("no {variable} at the top of the secrets")),
    }
}

/// What the secrets do for the app, and the key kept where the environment
/// never gets it.
pub(crate) fn findings(secrets: &StreamlitSecrets, variable: &str) -> Vec<Finding> {
    let files: Vec<String> = secrets.files.iter().map(|f| f.display().to_string()).collect();
    let mut findings = vec![Finding::info(
        FindingId::StreamlitSecrets,
        format!(
            "a Streamlit app started here gets the root-level values of {} in its environment, put there when Streamlit starts, over the shell's ({}); `st.secrets[…]` reads the rest",
            files.join(" and "),
            if secrets.root.is_empty() {
                "none here".to_string()
            } else {
                secrets.root.keys().cloned().collect::<Vec<_>>().join(", ")
            }
        ),
    )];
    findings.extend(
        secrets
            .problems
            .iter()
            .map(|p| Finding::warning(FindingId::StreamlitSecretName, p.clone())),
    );
    if secrets.root.contains_key(variable) {
        return findings;
    }
    let misplaced = secrets.nested.iter().filter(|(name, _)| {
        let last = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        matches!(last.as_str(), "API_KEY" | "KEY")
            || last == crate::vocab::EnvVars::OPENAI_API_KEY
            || crate::vocab::near_miss::is_misspelt(&last)
    });
    let near = secrets
        .root
        .iter()
        .filter(|(name, _)| crate::vocab::near_miss::near_miss(name).is_some());
    for (name, (_, at)) in misplaced.chain(near) {
        let read = name
            .split('.')
            .map(|part| format!("[\"{part}\"]"))
            .collect::<String>();
        findings.push(Finding::warning(
            FindingId::StreamlitSecretName,
            format!(
                "{at} holds the key as {name}: `st.secrets{read}` reads it, but Streamlit puts only root-level values into the environment, under their own names, so a client made without api_key= finds no {variable}: put `{variable} = \"…\"` at the top of the file, or pass it (OpenAI(api_key=st.secrets{read}))"
            ),
        ));
    }
    findings
}

/// The settings the secrets' root-level values decide, by the variables the
/// client reads, found before the environment (Streamlit put them there).
pub(crate) fn settings(
    secrets: &StreamlitSecrets,
    client: crate::vocab::Client,
) -> Vec<super::settings::SettingOverride> {
    super::settings::overrides(client, super::settings::Origin::StreamlitSecrets, |variable| {
        secrets.root.get(variable).map(|(value, _)| value.clone())
    })
}
