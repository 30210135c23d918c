//! Reading the files a key may sit in: a `.env` and the JSON key files under
//! HOME. Bad files become words for the report, never a panic or a hang.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// More than any key file needs; a larger file is not a key file.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a file or a stream could not be read. Callers branch on the kind (a
/// file too large is "invalid", one that cannot be opened "unreadable");
/// `Display` gives the words for the report.
#[derive(Debug)]
pub enum ReadError {
    Missing,
    /// A directory, a FIFO, a device: reading it would fail or never end.
    NotAFile(&'static str),
    TooLarge {
        limit: u64,
    },
    NotUtf8 {
        valid_up_to: usize,
    },
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => write!(f, "larger than {} KiB", limit / 1024),
            ReadError::NotUtf8 { valid_up_to } => {
                write!(f, "not valid UTF-8 (byte {valid_up_to}); save it as UTF-8")
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReadError::Missing
        } else {
            ReadError::Io(e)
        }
    }
}

/// A regular file, at most `limit` bytes. Opened without blocking, so a FIFO
/// planted where a key file should be is refused instead of waited on.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    read_stream(file, limit)
}

/// [`read_file`], as text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    utf8(read_file(path, limit)?)
}

/// At most `limit` bytes of a stream (standard input), refusing more.
pub fn read_stream(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}

#[cfg(unix)]
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let kind = file.metadata()?.file_type();
    let what = if kind.is_file() {
        return Ok(file);
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a device"
    };
    Err(ReadError::NotAFile(what))
}

#[cfg(not(unix))]
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let file = File::open(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(ReadError::NotAFile("not a regular file"))
    }
}

pub struct Dotenv {
    pub path: PathBuf,
    /// The variables, or why they are not used.
    pub vars: Result<DotenvVars, DotenvProblem>,
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

/// Why a `.env`'s variables are not used.
#[derive(Debug)]
pub enum DotenvProblem {
    Unreadable(ReadError),
    /// Another user owns it or may write it: it could name any host and key.
    Untrusted(String),
}

impl fmt::Display for DotenvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DotenvProblem::Unreadable(e) => write!(f, "{e}"),
            DotenvProblem::Untrusted(why) => f.write_str(why),
        }
    }
}

/// The nearest `.env` from `cwd` upward, as python-dotenv's `find_dotenv`
/// does (it starts from the calling script's folder) — but not past the
/// root of a git repository or the home folder: a `.env` above those was
/// put there by someone else, or for something else.
pub fn find_dotenv(cwd: &Path, home: Option<&Path>) -> Option<PathBuf> {
    for dir in cwd.ancestors() {
        let candidate = dir.join(".env");
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || Some(dir) == home {
            return None;
        }
    }
    None
}

pub fn read_dotenv(path: &Path) -> Dotenv {
    let vars = match untrusted(path) {
        Some(why) => Err(DotenvProblem::Untrusted(why)),
        None => read_text(path, MAX_FILE_BYTES)
            .map(|text| parse_dotenv(&text))
            .map_err(DotenvProblem::Unreadable),
    };
    Dotenv {
        path: path.to_path_buf(),
        vars,
    }
}

/// Why a `.env` is not to be trusted: another user owns it, or others may
/// write it.
#[cfg(unix)]
fn untrusted(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        Some(format!(
            "not used: it belongs to another user (uid {}), who could name any host to send your key to",
            meta.uid()
        ))
    } else if meta.mode() & 0o002 != 0 {
        Some(format!(
            "not used: any user may write it (mode {:o}); run `chmod o-w {}` if it is yours",
            meta.mode() & 0o777,
            path.display()
        ))
    } else {
        None
    }
}

#[cfg(not(unix))]
fn untrusted(_: &Path) -> Option<String> {
    None
}

fn parse_dotenv(text: &str) -> DotenvVars {
    // dotenvy leaves a byte-order mark in the first name; editors on Windows add one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut vars = HashMap::new();
    let mut bad_lines = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    // Errors come in the file's order: each search starts where the last
    // one stopped, so the file is read once, however many lines are bad.
    let mut next = 0;
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            // Last one wins, as in python-dotenv and node --env-file.
            Ok((name, value)) => {
                vars.insert(name, value);
            }
            // The error carries the line's text, which may hold the key: keep
            // only where it is.
            Err(dotenvy::Error::LineParse(line, _)) => {
                let first = line.lines().next().unwrap_or(&line);
                match lines[next..].iter().position(|l| *l == first) {
                    Some(at) => {
                        next += at + 1;
                        bad_lines.push(next);
                    }
                    None => {
                        next = lines.len();
                        bad_lines.push(0);
                    }
                }
            }
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

pub enum JsonKey {
    Missing(String),
    Unreadable(String),
    Invalid(String),
    Found(String),
}

/// The first of `fields` in a JSON object file.
pub fn read_json_key(path: &Path, fields: &[&str]) -> JsonKey {
    let bytes = match read_file(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(ReadError::Missing) => return JsonKey::Missing(ReadError::Missing.to_string()),
        Err(e @ ReadError::TooLarge { .. }) => return JsonKey::Invalid(format!("{e}: not a key file")),
        Err(e) => return JsonKey::Unreadable(e.to_string()),
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
