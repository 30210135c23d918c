//! Reading the files a key may sit in: a `.env` and the JSON key files under
//! HOME. Bad files become words for the report, never a panic.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// More than any key file needs; a larger file is not a key file.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

pub struct Dotenv {
    pub path: PathBuf,
    /// The variables, or why the file could not be read.
    pub vars: Result<DotenvVars, String>,
}

pub struct DotenvVars {
    pub vars: HashMap<String, String>,
    /// 1-based line of the OPENAI_API_KEY that counts (the last one).
    pub key_line: Option<usize>,
    /// Every line that assigns OPENAI_API_KEY.
    pub key_lines: Vec<usize>,
    /// 1-based lines that did not parse; python-dotenv skips them too.
    pub bad_lines: Vec<usize>,
}

/// The nearest `.env` from `cwd` upward, as python-dotenv's `find_dotenv`
/// does (it starts from the calling script's folder).
pub fn find_dotenv(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors().map(|dir| dir.join(".env")).find(|p| p.is_file())
}

pub fn read_dotenv(path: &Path) -> Dotenv {
    let vars = read_bounded(path).and_then(|bytes| {
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "not valid UTF-8 (byte {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(parse_dotenv(&text))
    });
    Dotenv {
        path: path.to_path_buf(),
        vars,
    }
}

fn parse_dotenv(text: &str) -> DotenvVars {
    // dotenvy leaves a byte-order mark in the first name; editors on Windows add one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut vars = HashMap::new();
    let mut bad_lines = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            // Last one wins, as in python-dotenv and node --env-file.
            Ok((name, value)) => {
                vars.insert(name, value);
            }
            // The error carries the line's text, which may hold the key: keep
            // only where it is.
            Err(dotenvy::Error::LineParse(line, _)) => bad_lines.push(line_number_of(text, &line)),
            Err(_) => bad_lines.push(0),
        }
    }
    let key_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| assigns(l, "OPENAI_API_KEY"))
        .map(|(i, _)| i + 1)
        .collect();
    DotenvVars {
        vars,
        key_line: key_lines.last().copied(),
        key_lines,
        bad_lines,
    }
}

fn assigns(line: &str, name: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    line.strip_prefix(name)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

fn line_number_of(text: &str, line: &str) -> usize {
    let first = line.lines().next().unwrap_or(line);
    text.lines().position(|l| l == first).map_or(0, |i| i + 1)
}

pub enum JsonKey {
    Missing(String),
    Unreadable(String),
    Invalid(String),
    Found(String),
}

/// The first of `fields` in a JSON object file.
pub fn read_json_key(path: &Path, fields: &[&str]) -> JsonKey {
    if !path.exists() {
        return JsonKey::Missing("no such file".into());
    }
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(why) if why.starts_with("larger") => return JsonKey::Invalid(why),
        Err(why) => return JsonKey::Unreadable(why),
    };
    let json: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        // serde_json's message names the line and column, never the content.
        Err(e) => return JsonKey::Invalid(format!("not JSON: {e}")),
    };
    let Some(object) = json.as_object() else {
        return JsonKey::Invalid("expected a JSON object".into());
    };
    for field in fields {
        match object.get(*field) {
            None => continue,
            Some(serde_json::Value::Null) => {
                return JsonKey::Missing(format!("\"{field}\" is null (signed in without an API key?)"));
            }
            Some(serde_json::Value::String(s)) => return JsonKey::Found(s.clone()),
            Some(_) => return JsonKey::Invalid(format!("\"{field}\" is not a string")),
        }
    }
    let names: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
    JsonKey::Missing(format!("no {} field", names.join(" or ")))
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "larger than {} KiB: not a key file",
            MAX_FILE_BYTES / 1024
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text as a .env: no panic, and every line named exists.
        #[test]
        fn any_dotenv_text(text in "\\PC{0,400}|(([A-Z_]{1,12}=[^\\n]{0,30}|export [A-Z]{1,5}=\"[^\"]{0,10}\"?|#.*|[^\\n]{0,20})\\r?\\n){0,12}") {
            let vars = parse_dotenv(&text);
            let lines = text.lines().count();
            for line in vars.bad_lines.iter().chain(&vars.key_lines) {
                prop_assert!(*line <= lines);
            }
            prop_assert_eq!(vars.key_line, vars.key_lines.last().copied());
        }

        /// Any bytes as an auth.json: an answer, never a panic.
        #[test]
        fn any_auth_json_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300), json in "\\{(\"(api_key|OPENAI_API_KEY|x)\": (null|1|\"[a-z-]{0,20}\"|\\[\\]|\\{\\})(, )?){0,3}\\}") {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("auth.json");
            for content in [bytes.clone(), json.clone().into_bytes()] {
                std::fs::write(&path, &content).unwrap();
                match read_json_key(&path, &["api_key", "OPENAI_API_KEY"]) {
                    JsonKey::Found(v) => prop_assert!(!v.is_empty() || content.windows(2).any(|w| w == b"\"\"")),
                    JsonKey::Missing(_) | JsonKey::Invalid(_) | JsonKey::Unreadable(_) => {}
                }
            }
        }
    }
}
