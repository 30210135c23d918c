//! Where else a program may get its environment than this shell: a
//! notebook kernel this run is a child of (`!openai-keycheck doctor` in a
//! cell), and an IDE's launch settings (VS Code's `python.envFile`, a
//! `launch.json` configuration's `env` and `envFile`).

use std::path::Path;

use super::Env;
use crate::vocab::{EnvVars, Finding, FindingId};

/// A notebook kernel this run was started by: its environment is this
/// run's, which is the useful one.
pub(crate) fn notebook_kernel(env: &Env) -> Option<Finding> {
    let session = env.text(EnvVars::JPY_SESSION_NAME).filter(|s| !s.is_empty());
    let parent = env.text(EnvVars::JPY_PARENT_PID).filter(|s| !s.is_empty());
    if session.is_none() && parent.is_none() && !started_by_ipykernel() {
        return None;
    }
    let notebook = session.map_or_else(String::new, |s| format!(" ({s})"));
    Some(Finding::info(
        FindingId::NotebookKernel,
        format!(
            "this run was started from a notebook kernel{notebook}: it sees the kernel's environment as it is now — what a cell set with os.environ[…], %env or load_dotenv() included — which is what the notebook's client reads; a client made before a value changed keeps the old one until it is made again (or the kernel restarted)"
        ),
    ))
}

/// Whether the parent of this process, or its parent (a cell's `!` starts a
/// shell, which starts this), runs ipykernel: Linux's `/proc` tells;
/// elsewhere, no. No further: a test suite run from a notebook is not one.
fn started_by_ipykernel() -> bool {
    let mut pid = std::process::id();
    for _ in 0..2 {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return false;
        };
        // `pid (comm) state ppid …`: the name may hold spaces and `)`.
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            return false;
        };
        if ppid <= 1 {
            return false;
        }
        let command = std::fs::read(format!("/proc/{ppid}/cmdline")).unwrap_or_default();
        if memchr::memmem::find(&command, b"ipykernel").is_some() {
            return true;
        }
        pid = ppid;
    }
    false
}

/// VS Code's settings for the folder (or one above it, up to the
/// repository's root): an `envFile` or a launch configuration's `env` gives
/// a program started from the editor what a terminal's does not have.
pub(crate) fn editor_settings(cwd: &Path, variable: &str) -> Vec<Finding> {
    let Some(folder) = cwd
        .ancestors()
        .take(8)
        .find(|dir| dir.join(".vscode").is_dir())
        .map(|dir| dir.join(".vscode"))
    else {
        return Vec::new();
    };
    let mut said = Vec::new();
    let settings = folder.join("settings.json");
    if let Some(json) = read_jsonc(&settings)
        && let Some(file) = json.get("python.envFile").and_then(|v| v.as_str())
    {
        said.push(format!("{} sets python.envFile to {file}", settings.display()));
    }
    let launch = folder.join("launch.json");
    if let Some(json) = read_jsonc(&launch) {
        for configuration in json
            .get("configurations")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            let name = configuration.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            if let Some(file) = configuration.get("envFile").and_then(|v| v.as_str()) {
                said.push(format!(
                    "{}'s configuration \"{name}\" loads envFile {file}",
                    launch.display()
                ));
            }
            let sets_key = configuration
                .get("env")
                .and_then(|e| e.as_object())
                .is_some_and(|env| env.contains_key(variable));
            if sets_key {
                said.push(format!(
                    "{}'s configuration \"{name}\" sets {variable} in env",
                    launch.display()
                ));
            }
        }
    }
    said.into_iter()
        .map(|what| {
            Finding::info(
                FindingId::EditorEnvironment,
                format!("{what}: a program started from the editor gets it, one started in a terminal (or a service) does not"),
            )
        })
        .collect()
}

/// VS Code's JSON with comments and trailing commas, read as JSON: the
/// comments (outside strings) and the commas before `]` or `}` dropped.
fn read_jsonc(path: &Path) -> Option<serde_json::Value> {
    let text = super::files::read_text(path, 1024 * 1024).ok()?;
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                plain.push(c);
                plain.extend(chars.next());
            }
            (true, '"') | (false, '"') => {
                in_string = !in_string;
                plain.push(c);
            }
            (false, '/') if chars.peek() == Some(&'/') => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        plain.push('\n');
                        break;
                    }
                }
            }
            (false, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for next in chars.by_ref() {
                    if last == '*' && next == '/' {
                        break;
                    }
                    last = next;
                }
            }
            _ => plain.push(c),
        }
    }
    let trailing = regex::Regex::new(r",([ \t\r\n]*[\]}])").ok()?;
    serde_json::from_str(&trailing.replace_all(&plain, "$1")).ok()
}

#[cfg(test)]
mod tests {
    use super::{editor_settings, read_jsonc};

    #[test]
    fn vscode_settings_with_comments_and_trailing_commas() {
        let dir = tempfile::tempdir().unwrap();
        let vscode = dir.path().join(".vscode");
        std::fs::create_dir(&vscode).unwrap();
        std::fs::write(
            vscode.join("settings.json"),
            "{\n  // the project's .env for the Python extension\n  \"python.envFile\": \"${workspaceFolder}/.env.local\", /* kept */\n}\n",
        )
        .unwrap();
        std::fs::write(
            vscode.join("launch.json"),
            r#"{ "configurations": [ { "name": "app", "type": "debugpy", "env": { "OPENAI_API_KEY": "sk-proj-x" }, "envFile": "${workspaceFolder}/.env", }, ], }"#,
        )
        .unwrap();
        assert!(read_jsonc(&vscode.join("settings.json")).is_some());
        let said: Vec<String> = editor_settings(&dir.path().join("src"), "OPENAI_API_KEY")
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(
            said[0].contains("python.envFile to ${workspaceFolder}/.env.local"),
            "{said:?}"
        );
        assert!(said[1].contains("\"app\" loads envFile"), "{said:?}");
        assert!(said[2].contains("sets OPENAI_API_KEY in env"), "{said:?}");
    }
}
