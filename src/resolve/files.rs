//! Reading the files a key may sit in: a `.env` and the JSON key files under
//! HOME. Bad files become words for the report, never a panic or a hang.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::vocab::EnvVars;

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
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    // Sized to the file (bounded by the limit), the read takes one call and
    // one more to see the end, not a run of growing ones: lint reads
    // thousands of files.
    let size = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// [`read_file`], as text.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
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

pub(crate) struct Dotenv {
    pub path: PathBuf,
    /// The variables, or why they are not used.
    pub vars: Result<DotenvVars, DotenvProblem>,
}

#[derive(Debug, Default)]
pub(crate) struct DotenvVars {
    pub vars: HashMap<String, String>,
    /// 1-based line of the OPENAI_API_KEY that counts (the last one).
    pub key_line: Option<usize>,
    /// Every line that assigns OPENAI_API_KEY.
    pub key_lines: Vec<usize>,
    /// 1-based lines that did not parse; python-dotenv skips them too.
    pub bad_lines: Vec<usize>,
    /// The variables whose values expand (`$VAR`, `${VAR}`, directly or
    /// through an earlier line) a variable the environment holds: what they
    /// hold did not come from the file, whatever the file says.
    pub expanding_environment: HashSet<String>,
    /// The variables of the environment the file expands: a `.env` can make
    /// any of them part of what is shown, so each is a secret of the run.
    pub expanded_from_environment: HashSet<String>,
}

/// Why a `.env`'s variables are not used.
#[derive(Debug)]
pub(crate) enum DotenvProblem {
    Unreadable(ReadError),
    /// Another user owns it or may write it: it could name any host and key.
    Untrusted(String),
    /// Its `$VAR` and `${VAR}` references would expand past `budget` bytes of
    /// values; `variable` (on `line`) is the first to cross it.
    ExpansionTooLarge {
        variable: String,
        line: usize,
        budget: u64,
    },
}

impl fmt::Display for DotenvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DotenvProblem::Unreadable(e) => write!(f, "{e}"),
            DotenvProblem::Untrusted(why) => f.write_str(why),
            // The name only: the values may hold a key.
            DotenvProblem::ExpansionTooLarge {
                variable,
                line,
                budget,
            } => write!(
                f,
                "not used: expanding ${{…}} at {variable} (line {line}) would make more than {} of values",
                size(*budget)
            ),
        }
    }
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// The nearest `.env` from `cwd` upward, as python-dotenv's `find_dotenv`
/// does (it starts from the calling script's folder) — but not past the
/// root of a git repository or the home folder: a `.env` above those was
/// put there by someone else, or for something else.
pub(crate) fn find_dotenv(cwd: &Path, home: Option<&Path>) -> Option<PathBuf> {
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

pub(crate) fn read_dotenv(path: &Path) -> Dotenv {
    let vars = match untrusted(path) {
        Some(why) => Err(DotenvProblem::Untrusted(why)),
        None => read_text(path, MAX_FILE_BYTES)
            .map_err(DotenvProblem::Unreadable)
            .and_then(|text| parse_dotenv(&text)),
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

fn parse_dotenv(text: &str) -> Result<DotenvVars, DotenvProblem> {
    // dotenvy leaves a byte-order mark in the first name; editors on Windows add one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // dotenvy expands as it reads: a few KB of `B=${A}${A}` lines would ask
    // for gigabytes and abort. Refuse such a file before expanding anything.
    if let Some((variable, line)) = expansion_bound(text, MAX_DOTENV_VALUES).crossing {
        return Err(DotenvProblem::ExpansionTooLarge {
            variable,
            line,
            budget: MAX_DOTENV_VALUES,
        });
    }
    let mut vars = read_entries(&unindent(text));
    (vars.expanding_environment, vars.expanded_from_environment) = expanding_environment(text);
    Ok(vars)
}

/// The names whose values, as dotenvy expands them, take in a variable of
/// the process environment (dotenvy asks the environment first, then the
/// lines before), and those variables of the environment. A name once fed
/// stays so: a later line may be one dotenvy rejects, which leaves the fed
/// value in place.
fn expanding_environment(text: &str) -> (HashSet<String>, HashSet<String>) {
    let mut fed: HashSet<String> = HashSet::new();
    let mut feeding: HashSet<String> = HashSet::new();
    for entry in dotenv_entries(text).filter(|e| !e.open) {
        let Some((key, Some(value))) = entry_parts(entry.text) else {
            continue;
        };
        let mut from_environment = false;
        value_bound(value, |name| {
            if std::env::var_os(name).is_some_and(|v| !v.is_empty()) {
                feeding.insert(name.to_string());
                from_environment = true;
            }
            from_environment |= fed.contains(name);
            0
        });
        if from_environment {
            fed.insert(key.to_string());
        }
    }
    (fed, feeding)
}

/// The variables dotenvy reads from `text`, and the lines it does not take.
fn read_entries(text: &str) -> DotenvVars {
    let mut vars = HashMap::new();
    let mut bad_lines = Vec::new();
    // dotenvy's logical lines, where each starts. Its errors come in the
    // file's order and carry the whole entry: each is matched against the
    // entries after the last one matched, so that an entry whose first line
    // repeats an earlier one is still placed right, and the file is read
    // once, however many lines are bad.
    let entries: Vec<(usize, &str)> = dotenv_entries(text).map(|e| (e.line, e.text.trim())).collect();
    // Where each entry's text stands, for the exact match: looked up, not
    // scanned for, so that a file of bad lines costs what its size says.
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, (_, entry)) in entries.iter().enumerate() {
        by_text.entry(entry).or_default().push(at);
    }
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
                // Some errors carry only the value (`A=x y` gives `x y`).
                let line = line.trim();
                let exact = by_text.get(line).and_then(|places| {
                    let after = places.partition_point(|&at| at < next);
                    places.get(after).copied()
                });
                let found = exact.or_else(|| {
                    entries[next..]
                        .iter()
                        .position(|(_, entry)| entry.contains(line))
                        .map(|at| next + at)
                });
                match found {
                    Some(at) => {
                        bad_lines.push(entries[at].0);
                        next = at + 1;
                    }
                    None => {
                        next = entries.len();
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
        .filter(|(_, l)| assigns(l, EnvVars::OPENAI_API_KEY))
        .map(|(i, _)| i + 1)
        .collect();
    DotenvVars {
        vars,
        key_line: key_lines.last().copied(),
        key_lines,
        bad_lines,
        expanding_environment: HashSet::new(),
        expanded_from_environment: HashSet::new(),
    }
}

pub(crate) fn assigns(line: &str, name: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    line.strip_prefix(name)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The most bytes a `.env`'s values may come to once expanded; a file holds
/// at most [`MAX_FILE_BYTES`], so one that expands nothing always fits. Real
/// files are a few KB.
const MAX_DOTENV_VALUES: u64 = 1024 * 1024;
const _: () = assert!(MAX_DOTENV_VALUES >= MAX_FILE_BYTES);

struct Bound {
    /// At least the bytes dotenvy builds for all values together, including
    /// the values of lines it then rejects (it expands before it rejects).
    /// The tests hold it against dotenvy's own output.
    #[cfg_attr(not(test), allow(dead_code))]
    total: u64,
    /// The first variable, and the line its entry starts on, that takes
    /// `total` past the budget; the bound stops there.
    crossing: Option<(String, usize)>,
}

/// An upper bound of what dotenvy 0.15.7 expands `text` to, found without
/// expanding it. It walks the file as dotenvy does (the same logical lines,
/// keys and substitutions: which text is a name never depends on a value)
/// but counts instead of copying: the bytes dotenvy copies, plus for each
/// substitution the length of what dotenvy would put there, the process
/// environment's value if `std::env::var` gives one (dotenvy asks it
/// first, with the same call), else the bound stored for that name by the
/// lines before. Where the walk is simpler than dotenvy it only overcounts:
/// a name's bound never shrinks, and a line dotenvy rejects still stores
/// one. It is exact for a file whose lines all parse and assign each name
/// once.
fn expansion_bound(text: &str, budget: u64) -> Bound {
    let mut stored: HashMap<&str, u64> = HashMap::new();
    let mut env: HashMap<String, Option<u64>> = HashMap::new();
    let mut total: u64 = 0;
    for entry in dotenv_entries(text).filter(|e| !e.open) {
        let Some((key, value)) = entry_parts(entry.text) else {
            continue;
        };
        let bound = value.map_or(0, |value| {
            value_bound(value, |name| {
                let from_env = match env.get(name) {
                    Some(len) => *len,
                    None => {
                        let len = std::env::var(name).ok().map(|v| v.len() as u64);
                        env.insert(name.to_string(), len);
                        len
                    }
                };
                from_env.unwrap_or_else(|| stored.get(name).copied().unwrap_or(0))
            })
        });
        total = total.saturating_add(bound);
        if total > budget {
            return Bound {
                total,
                crossing: Some((key.to_string(), entry.line)),
            };
        }
        let slot = stored.entry(key).or_insert(0);
        *slot = (*slot).max(bound);
    }
    Bound {
        total,
        crossing: None,
    }
}

/// `text` without the indentation of each entry that runs over several
/// lines. dotenvy reads that indentation again for each further line (50 KB
/// of blanks before a quote left open over 50,000 lines take minutes), and
/// skips it anyway: what it reads is the same. Other lines stay as they are.
fn unindent(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for entry in dotenv_entries(text).filter(|e| e.continued) {
        let indent = entry.text.len() - entry.text.trim_start().len();
        if indent > 0 {
            out.push_str(&text[copied..entry.offset]);
            copied = entry.offset + indent;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

struct Entry<'a> {
    /// The 1-based line it starts on.
    line: usize,
    /// Where it starts in the text.
    offset: usize,
    /// It runs over more than one line; its first line then holds more
    /// than whitespace (a blank line always ends an entry).
    continued: bool,
    /// The file ends inside a quote or an escape: dotenvy rejects the
    /// entry unparsed.
    open: bool,
    text: &'a str,
}

/// dotenvy's logical lines (its `QuotedLines`): a quoted value may run over
/// several lines; a comment after whitespace ends one.
fn dotenv_entries(text: &str) -> impl Iterator<Item = Entry<'_>> {
    let mut rest = text;
    let mut line = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let offset = text.len() - rest.len();
        let first = line + 1;
        let mut state = Quoting::Complete;
        let mut start = 0;
        let mut end = 0;
        let entry = |start: usize, open, text| Entry {
            line: first,
            offset,
            continued: start > 0,
            open,
            text,
        };
        loop {
            if end == rest.len() {
                let open = entry(start, true, rest);
                rest = "";
                return Some(open);
            }
            start = end;
            end = rest[start..].find('\n').map_or(rest.len(), |i| start + i + 1);
            line += 1;
            let buf = &rest[..end];
            // dotenvy asks this of the whole entry after every line; past
            // the first the answer cannot change, so it is asked once.
            if start == 0 && buf.trim_start().starts_with('#') {
                rest = &rest[end..];
                return Some(entry(start, false, ""));
            }
            let (at, next) = end_state(state, &buf[start..]);
            state = next;
            let text = match state {
                Quoting::Complete => buf
                    .strip_suffix('\n')
                    .map_or(buf, |b| b.strip_suffix('\r').unwrap_or(b)),
                Quoting::Comment => &buf[..start + at],
                _ => continue,
            };
            rest = &rest[end..];
            return Some(entry(start, false, text));
        }
    })
}

#[derive(Clone, Copy)]
enum Quoting {
    Complete,
    Escape,
    Strong,
    StrongEscape,
    Weak,
    WeakEscape,
    Comment,
    Whitespace,
}

/// dotenvy's `eval_end_state`, quirks included (it is what splits the file).
fn end_state(state: Quoting, buf: &str) -> (usize, Quoting) {
    let mut state = state;
    let mut at = 0;
    for (pos, c) in buf.char_indices() {
        at = pos;
        state = match state {
            Quoting::Whitespace => match c {
                '#' => return (at, Quoting::Comment),
                '\\' => Quoting::Escape,
                '"' => Quoting::Weak,
                '\'' => Quoting::Strong,
                _ => Quoting::Complete,
            },
            Quoting::Escape => Quoting::Complete,
            Quoting::Complete => match c {
                c if c.is_whitespace() && c != '\n' && c != '\r' => Quoting::Whitespace,
                '\\' => Quoting::Escape,
                '"' => Quoting::Weak,
                '\'' => Quoting::Strong,
                _ => Quoting::Complete,
            },
            Quoting::Weak => match c {
                '\\' => Quoting::WeakEscape,
                '"' => Quoting::Complete,
                _ => Quoting::Weak,
            },
            Quoting::WeakEscape => Quoting::Weak,
            Quoting::Strong => match c {
                '\\' => Quoting::StrongEscape,
                '\'' => Quoting::Complete,
                _ => Quoting::Strong,
            },
            Quoting::StrongEscape => Quoting::Strong,
            Quoting::Comment => return (at, Quoting::Comment),
        };
    }
    (at, state)
}

/// The name an entry assigns and the text of its value (`None`: empty, which
/// expands nothing), as dotenvy's `parse_line` reads them; `None` for a
/// blank or comment line, or one dotenvy rejects before its value.
fn entry_parts(entry: &str) -> Option<(&str, Option<&str>)> {
    fn key(line: &str) -> Option<(&str, &str)> {
        if !line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(line.len());
        Some((&line[..end], line[end..].trim_start()))
    }
    let line = entry.trim_end().trim_start();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (mut name, mut rest) = key(line)?;
    if name == "export" && !rest.starts_with('=') {
        (name, rest) = key(rest)?;
    }
    let value = rest.strip_prefix('=')?.trim_start();
    let value = (!value.is_empty() && !value.starts_with('#')).then_some(value);
    Some((name, value))
}

#[derive(PartialEq)]
enum Substitution {
    None,
    /// `$NAME`: letters and digits (not `_`).
    Bare,
    /// `${NAME}`: anything up to the first `}`.
    Braced,
}

/// dotenvy's `parse_value`, counting: the bytes it copies from `input` plus
/// `lookup(name)` for each substitution it makes. Where dotenvy gives up on
/// the value, what it built so far is counted all the same.
fn value_bound(input: &str, mut lookup: impl FnMut(&str) -> u64) -> u64 {
    let mut total: u64 = 0;
    let copy = |total: &mut u64, c: char| *total = total.saturating_add(c.len_utf8() as u64);
    let mut add = |total: &mut u64, name: &str| *total = total.saturating_add(lookup(name));
    let (mut strong, mut weak, mut escaped, mut expecting_end) = (false, false, false, false);
    let mut mode = Substitution::None;
    let mut name_start = 0;
    for (i, c) in input.char_indices() {
        if expecting_end {
            match c {
                ' ' | '\t' => continue,
                '#' => break,
                _ => return total,
            }
        } else if escaped {
            // Each escape gives one ASCII character (`\n` a newline).
            if !matches!(c, '\\' | '\'' | '"' | '$' | ' ' | 'n') {
                return total;
            }
            copy(&mut total, ' ');
            escaped = false;
        } else if strong {
            if c == '\'' {
                strong = false;
            } else {
                copy(&mut total, c);
            }
        } else if mode != Substitution::None {
            if c.is_alphanumeric() {
                continue;
            }
            match mode {
                Substitution::Bare if c == '{' && name_start == i => {
                    mode = Substitution::Braced;
                    name_start = i + 1;
                }
                Substitution::Bare => {
                    add(&mut total, &input[name_start..i]);
                    if c == '$' {
                        name_start = i + 1;
                    } else {
                        // Copied as it is: not even a quote counts here.
                        mode = Substitution::None;
                        copy(&mut total, c);
                    }
                }
                _ if c == '}' => {
                    add(&mut total, &input[name_start..i]);
                    mode = Substitution::None;
                }
                _ => {}
            }
        } else if c == '$' {
            mode = Substitution::Bare;
            name_start = i + 1;
        } else if weak {
            match c {
                '"' => weak = false,
                '\\' => escaped = true,
                _ => copy(&mut total, c),
            }
        } else {
            match c {
                '\'' => strong = true,
                '"' => weak = true,
                '\\' => escaped = true,
                ' ' | '\t' => expecting_end = true,
                _ => copy(&mut total, c),
            }
        }
    }
    if mode == Substitution::Braced || strong || weak {
        return total;
    }
    // dotenvy substitutes once more at the end: the last `$NAME`, or the
    // empty name.
    let name = if mode == Substitution::Bare {
        &input[name_start..]
    } else {
        ""
    };
    add(&mut total, name);
    total
}

pub(crate) enum JsonKey {
    Missing(String),
    Unreadable(String),
    Invalid(String),
    Found(String),
}

/// The first of `fields` in a JSON object file.
pub(crate) fn read_json_key(path: &Path, fields: &[&str]) -> JsonKey {
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

    #[test]
    fn a_bad_line_is_named_by_its_own_number() {
        // dotenvy names `A=x y` by its value only, and `_x='` twice.
        let vars = parse_dotenv("A=x y\nB=ok\nC-D=1\n").unwrap();
        assert_eq!(vars.bad_lines, [1, 3]);
        let vars = parse_dotenv("  _x='\nA='\n_x='").unwrap();
        assert_eq!(vars.bad_lines, [3]);
    }

    proptest! {
        /// Any text as a .env: no panic, and every line named exists.
        #[test]
        fn any_dotenv_text(text in "\\PC{0,400}|(([A-Z_]{1,12}=[^\\n]{0,30}|export [A-Z]{1,5}=\"[^\"]{0,10}\"?|#.*|[^\\n]{0,20})\\r?\\n){0,12}") {
            let vars = match parse_dotenv(&text) {
                Ok(vars) => vars,
                Err(DotenvProblem::ExpansionTooLarge { .. }) => return Ok(()),
                Err(e) => panic!("{e}"),
            };
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
                match read_json_key(&path, &["api_key", EnvVars::OPENAI_API_KEY]) {
                    JsonKey::Found(v) => prop_assert!(!v.is_empty() || content.windows(2).any(|w| w == b"\"\"")),
                    JsonKey::Missing(_) | JsonKey::Invalid(_) | JsonKey::Unreadable(_) => {}
                }
            }
        }
    }

    /// What dotenvy builds for the values it returns, in bytes, and whether
    /// the file is one the bound is exact for: every line taken, every name
    /// assigned once.
    fn dotenvy_total(text: &str) -> (u64, bool) {
        let mut total = 0;
        let mut names = std::collections::HashSet::new();
        let mut plain = true;
        for item in dotenvy::from_read_iter(text.as_bytes()) {
            match item {
                Ok((name, value)) => {
                    total += value.len() as u64;
                    plain &= names.insert(name);
                }
                Err(_) => plain = false,
            }
        }
        (total, plain)
    }

    fn doubling(lines: usize, value: impl Fn(&str) -> String) -> String {
        let mut text = String::from("A=xxxxxxxx\n");
        for i in 1..=lines {
            let previous = if i == 1 {
                "A".to_string()
            } else {
                format!("V{}", i - 1)
            };
            text.push_str(&format!("V{i}={}\n", value(&previous)));
        }
        text
    }

    /// The refusal, fast, naming a variable assigned on the line it names.
    fn refused(text: &str) -> (String, usize) {
        let started = std::time::Instant::now();
        let result = parse_dotenv(text);
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_millis(100), "took {took:?}");
        let Err(problem @ DotenvProblem::ExpansionTooLarge { .. }) = result else {
            panic!("not refused");
        };
        let DotenvProblem::ExpansionTooLarge {
            variable,
            line,
            budget,
        } = &problem
        else {
            unreachable!()
        };
        assert_eq!(*budget, MAX_DOTENV_VALUES);
        let assigned = text.lines().nth(line - 1).unwrap();
        assert!(
            assigned
                .strip_prefix("export ")
                .unwrap_or(assigned)
                .starts_with(&format!("{variable}=")),
            "line {line}: {assigned}"
        );
        let words = problem.to_string();
        assert!(
            words.starts_with(&format!(
                "not used: expanding ${{…}} at {variable} (line {line}) would make more than 1 MiB of values"
            )),
            "{words}"
        );
        assert!(!words.contains("xx"), "{words}");
        (variable.clone(), *line)
    }

    #[test]
    fn a_doubling_dotenv_is_refused_fast_by_name() {
        // A=8 bytes, V(i) = 8·2^i: the values pass 1 MiB with V17, line 18.
        let braced = doubling(40, |p| format!("${{{p}}}${{{p}}}"));
        assert!(braced.len() < 4096);
        assert_eq!(refused(&braced), ("V17".to_string(), 18));
        let bare = doubling(40, |p| format!("${p}${p}"));
        assert_eq!(refused(&bare), ("V17".to_string(), 18));
        refused(&doubling(40, |p| format!("\"${{{p}}} ${{{p}}}\"")));
        let exported: String = doubling(40, |p| format!("${{{p}}}${{{p}}}"))
            .lines()
            .map(|line| format!("export {line} # a comment\n"))
            .collect();
        assert_eq!(refused(&exported), ("V17".to_string(), 18));
        // Each entry over two lines; the line named is where it starts.
        let mut multiline = String::from("A=\"xxxxxxxx\nxxxxxxxx\"\n");
        for i in 1..=40 {
            let previous = if i == 1 {
                "A".to_string()
            } else {
                format!("V{}", i - 1)
            };
            multiline.push_str(&format!("V{i}=\"${{{previous}}}\n${{{previous}}}\"\n"));
        }
        let (_, line) = refused(&multiline);
        assert_eq!(line % 2, 1);
    }

    #[test]
    fn a_large_environment_value_counts_at_its_size() {
        // dotenvy substitutes the process environment first; PATH is the
        // one variable a test can count on.
        let Some(path) = std::env::var(EnvVars::PATH).ok().filter(|p| p.len() >= 8) else {
            return;
        };
        let times = (MAX_DOTENV_VALUES as usize / path.len()) + 1;
        let text = format!("PATH=x\nOK=1\nMANY={}\n", "${PATH}".repeat(times));
        assert_eq!(refused(&text), ("MANY".to_string(), 3));
        // Under the budget it is read, the environment's value winning.
        let text = "PATH=x\nONE=${PATH}\n";
        assert_eq!(parse_dotenv(text).unwrap().vars["ONE"], path);
    }

    #[test]
    fn a_dotenv_with_a_few_expansions_reads_as_before() {
        let text = "\
# the service
KCHOST=api.example.com
KCPORT=8443
export OPENAI_BASE_URL=\"https://${KCHOST}:${KCPORT}/v1\"
PROXY=http://$KCHOST:$KCPORT
UNDERSCORE=$KCHOST_X
LITERAL='${KCHOST} stays'
ESCAPED=\\$KCHOST
MULTI=\"line one
${KCHOST}\"
HOMEDIR=${HOME}/x
OPENAI_API_KEY=sk-test-abc
";
        let vars = parse_dotenv(text).unwrap().vars;
        let direct: HashMap<String, String> = dotenvy::from_read_iter(text.as_bytes())
            .map(Result::unwrap)
            .collect();
        assert_eq!(vars, direct);
        assert_eq!(vars[EnvVars::OPENAI_BASE_URL], "https://api.example.com:8443/v1");
        assert_eq!(vars["PROXY"], "http://api.example.com:8443");
        assert_eq!(
            vars["UNDERSCORE"], "api.example.com_X",
            "a bare name stops at `_`"
        );
        assert_eq!(vars["LITERAL"], "${KCHOST} stays");
        assert_eq!(vars["ESCAPED"], "$KCHOST");
        assert_eq!(vars["MULTI"], "line one\napi.example.com");
        let (total, plain) = dotenvy_total(text);
        assert!(plain);
        assert_eq!(expansion_bound(text, u64::MAX).total, total);
    }

    #[test]
    fn hostile_dotenvs_stay_cheap() {
        // Near the file limit, in shapes that make dotenvy loop or copy; the
        // parsed values, not the file, are what must stay small.
        let n = MAX_FILE_BYTES as usize / 8;
        let texts = [
            format!("A=xxxxxxxx\nB={}\n", "${A}".repeat(n)),
            format!("B=\"{}\n", "${".repeat(n)),
            format!("B={}\n", "$".repeat(n * 6)),
            format!("B=\"{}", "$A\n".repeat(n * 2)),
            "A=xxxxxxxx\nB=${A}${A}${A}${A}${A}${A}${A}${A}\n".repeat(n / 48),
            // dotenvy reads an entry's indentation again for each of its lines.
            format!("{}A=\"{}", " ".repeat(n * 4), "\n".repeat(n * 4)),
            format!("{}A='x\n{}'\n", "\t".repeat(n * 4), "x\n".repeat(n * 2)),
        ];
        for text in &texts {
            let started = std::time::Instant::now();
            let size: u64 = match parse_dotenv(text) {
                Ok(vars) => vars.vars.values().map(|v| v.len() as u64).sum(),
                Err(DotenvProblem::ExpansionTooLarge { .. }) => 0,
                Err(e) => panic!("{e}"),
            };
            let took = started.elapsed();
            assert!(size <= MAX_DOTENV_VALUES, "{size} bytes");
            // A bound that tells linear from quadratic (minutes), not a timing:
            // a debug build on a loaded two-core machine takes ~0.5 s.
            assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
        }
    }

    #[test]
    fn the_bound_is_written_for_this_dotenvy() {
        // The bound walks the file as dotenvy 0.15.7 does; another version
        // may split or substitute differently.
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
        assert!(
            lock.contains("name = \"dotenvy\"\nversion = \"0.15.7\"\n"),
            "dotenvy changed: check expansion_bound against its parse.rs and iter.rs"
        );
    }

    /// A name, as the environment (PATH, HOME), a file (A, B, Ab, é) or both
    /// may hold it, and names dotenvy cuts short (`A.b`, `_x`).
    fn name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "A",
            "B",
            "Ab",
            "é",
            EnvVars::PATH,
            EnvVars::HOME,
            "CARGO_PKG_NAME",
            "A.b",
            "_x",
        ])
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "x", "xyz", "é", " ", "\t", "#c", " #c", "\"", "'", "\\", "\\$", "\\n", "\\q", "$", "${",
                "}", "{", "$$", "_", "=", "\n", "\r\n",
            ])
            .prop_map(String::from),
            name().prop_map(|n| format!("${n}")),
            name().prop_map(|n| format!("${{{n}}}")),
        ]
    }

    fn dotenv_line() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec![
                "", "export ", "  ", "#", "export", "\t \t", " \u{a0}", " \r",
            ]),
            name(),
            prop::sample::select(vec!["=", " = ", "", "=\"", "='"]),
            prop::collection::vec(fragment(), 0..4),
        )
            .prop_map(|(prefix, name, equals, value)| format!("{prefix}{name}{equals}{}", value.concat()))
    }

    /// Small texts whose expansion stays small whatever they hold: few lines
    /// and few references each, or few characters.
    fn small_dotenv() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                prop::collection::vec(dotenv_line(), 0..7),
                prop::sample::select(vec!["\n", "\r\n"])
            )
                .prop_map(|(lines, end)| lines.join(end)),
            "A=[AB$\\{\\}\"' \\\\#=\\n]{0,40}",
            "[AB=$\\{\\}\"' \\\\#\\n]{0,40}",
        ]
    }

    /// The bound against dotenvy, as the property below checks it.
    fn holds(text: &str) -> Result<(), TestCaseError> {
        let mut cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        cuts.push(text.len());
        for cut in cuts {
            let prefix = &text[..cut];
            let (real, plain) = dotenvy_total(prefix);
            let bound = expansion_bound(prefix, u64::MAX).total;
            prop_assert!(bound >= real, "bound {} < {} for {:?}", bound, real, prefix);
            if plain {
                prop_assert_eq!(bound, real, "not exact for {:?}", prefix);
            }
        }
        Ok(())
    }

    #[test]
    fn the_bound_holds_where_dotenvy_has_quirks() {
        for text in [
            // A rejected line keeps the value before it.
            "A=xyzxyz\nA=x y\nB=$A$A",
            "A=xyzxyz\nA=${A}\\q\nB=$A",
            // An empty value empties it.
            "A=xyzxyz\nA=\nB=$A",
            "A=xyzxyz\nA= # c\nB=$A",
            // A quote right after a bare name is copied, not closed.
            "A=xy\nB=\"$A\"\nC=\"$A\" x",
            "A=xy\nB=\"${A}\"$A'$A'",
            // Escapes, and `$` that names nothing.
            "A=xy\nB=\\$A\"\\$A\"$$A$ $",
            "A=xy\nB=${A${A}}${}${\nC=${A",
            "A=xy\nB=$A.b$A_x${A.b}$é",
            // Splitting: comments, quotes over lines, CRLF.
            "A=xy #c\r\nB=$A  #c\nC=\"$A\n#$A\n$A\" #c\nD='$A\n'$A",
            "A=xy\n  # B=$A\nexport C=$A\nexport=$A\nexport D $A",
            "A=\"xy\nB=$A\"\nC=$A$B",
        ] {
            holds(text).unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The bound is sound: never less than what dotenvy builds, for the
        /// whole text and for every prefix of it; and exact where nothing
        /// is rejected or assigned twice, which shows it follows dotenvy's
        /// substitutions rather than overcounting past them.
        #[test]
        fn the_bound_holds_dotenvy_to_it(text in small_dotenv()) {
            holds(&text)?;
        }

        /// Unindenting changes nothing dotenvy reads, nor any line number.
        #[test]
        fn unindenting_reads_the_same(text in small_dotenv()) {
            let unindented = unindent(&text);
            let (before, after) = (read_entries(&text), read_entries(&unindented));
            prop_assert_eq!(before.vars, after.vars, "{:?}", text);
            prop_assert_eq!(before.key_lines, after.key_lines, "{:?}", text);
            prop_assert_eq!(before.bad_lines, after.bad_lines, "{:?}", text);
            prop_assert_eq!(unindented.matches('\n').count(), text.matches('\n').count());
        }
    }
}
