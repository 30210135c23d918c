//! `doctor --unit NAME`: the environment systemd gives a service, from its
//! unit file and drop-ins — the ones `systemctl cat` names where systemd
//! runs, else those found on disk — `Environment=` (systemd's quoting and
//! specifiers) and `EnvironmentFile=` (its own format, not a shell's, not
//! python-dotenv's) — since a service never reads `~/.bashrc`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Env;

/// Where systemd looks for system units, then user units, first found first.
const UNIT_FOLDERS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
    "/etc/systemd/user",
    "/usr/lib/systemd/user",
];

/// The most a unit file or an environment file may hold to be read.
const MAX_UNIT_BYTES: u64 = 1024 * 1024;

/// A service as systemd would start it.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// `app.service`.
    pub name: String,
    /// Read from a path the user gave (perhaps a project's file), not found
    /// among the machine's units.
    pub given_by_path: bool,
    /// The unit file, then its drop-ins, in the order they apply.
    pub files: Vec<PathBuf>,
    /// The environment the service gets (nothing of the shell's).
    pub env: Env,
    /// Where each variable got its value: `path:line`.
    pub set_at: BTreeMap<String, String>,
    /// `WorkingDirectory=`; systemd's default is `/`.
    pub working_directory: Option<PathBuf>,
    /// The program `ExecStart=` runs.
    pub exec: Option<String>,
    /// What systemd would skip or refuse, in words (`path:line: why`).
    pub problems: Vec<String>,
}

/// Why a unit cannot be read.
#[derive(Debug)]
pub enum UnitProblem {
    NotFound(String),
    Unreadable(String),
}

impl std::fmt::Display for UnitProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitProblem::NotFound(name) => write!(
                f,
                "no unit file {name}: `systemctl cat` names none (or systemd does not run here), and none is in {} or ~/.config/systemd/user (give its path instead)",
                UNIT_FOLDERS.join(", ")
            ),
            UnitProblem::Unreadable(why) => f.write_str(why),
        }
    }
}

/// The unit `name` (or the unit file at that path, with the drop-ins in
/// `<path>.d/` beside it).
pub fn read(name: &str, home: Option<&Path>) -> Result<Unit, UnitProblem> {
    let (unit_name, files) = if name.contains('/') {
        let path = PathBuf::from(name);
        if !path.is_file() {
            return Err(UnitProblem::NotFound(name.to_string()));
        }
        let unit_name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut files = vec![path.clone()];
        files.extend(drop_ins(&[folder.to_path_buf()], &unit_name));
        let mut unit = read_files(unit_name, files, home)?;
        unit.given_by_path = true;
        return Ok(unit);
    } else {
        let unit_name = if name.contains('.') {
            name.to_string()
        } else {
            format!("{name}.service")
        };
        // systemd's own answer first: it knows every folder and alias.
        if let Some(files) = systemctl_cat(&unit_name) {
            return read_files(unit_name, files, home);
        }
        let mut folders: Vec<PathBuf> = UNIT_FOLDERS.iter().map(PathBuf::from).collect();
        folders.extend(home.map(|h| h.join(".config/systemd/user")));
        let unit = folders
            .iter()
            .map(|f| f.join(&unit_name))
            .find(|p| p.is_file())
            .ok_or_else(|| UnitProblem::NotFound(unit_name.clone()))?;
        let mut files = vec![unit];
        files.extend(drop_ins(&folders, &unit_name));
        (unit_name, files)
    };
    read_files(unit_name, files, home)
}

/// How long `systemctl cat` may take (it asks the service manager over D-Bus).
const SYSTEMCTL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The unit file and drop-ins `systemctl cat` names (its `# /path` lines),
/// for the system manager, else the user's; `None` where there is no
/// `systemctl`, systemd does not run (a container), it does not know the
/// unit, or it does not answer in time.
fn systemctl_cat(unit: &str) -> Option<Vec<PathBuf>> {
    for scope in [&["--no-pager"][..], &["--user", "--no-pager"][..]] {
        let mut command = std::process::Command::new("systemctl");
        command.args(scope).args(["cat", "--", unit]);
        match super::command::run(command, SYSTEMCTL_TIMEOUT) {
            Ok(answer) if answer.status.success() => {
                let files = cat_files(&String::from_utf8_lossy(&answer.stdout), unit);
                if !files.is_empty() {
                    return Some(files);
                }
            }
            // A manager that does not answer is not asked twice.
            Err(super::command::Ended::TimedOut) => return None,
            _ => {}
        }
    }
    None
}

/// The files a `systemctl cat` output shows: each begins with a header
/// `# /path` — the output's first line, or one after an empty line — naming
/// the unit file itself or a drop-in of it (`NAME.d/*.conf`). A comment
/// inside a unit that looks like a header names neither.
fn cat_files(output: &str, unit: &str) -> Vec<PathBuf> {
    let mut previous_empty = true;
    let mut files = Vec::new();
    for line in output.lines() {
        if previous_empty && let Some(path) = line.strip_prefix("# /") {
            let path = PathBuf::from(format!("/{}", path.trim_end()));
            let own = path.file_name().is_some_and(|n| n == unit);
            let drop_in = path.extension().is_some_and(|e| e == "conf")
                && path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|d| d.to_string_lossy() == format!("{unit}.d"));
            if (own || drop_in) && path.is_file() {
                files.push(path);
            }
        }
        previous_empty = line.trim().is_empty();
    }
    files
}

/// A word systemd skips, shown up to its first `=` or space: what follows
/// may be a value (a key written with the wrong separator), which no
/// report shows; a name that is itself shaped like a key is masked.
fn shown_word(word: &str) -> String {
    let end = word
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(word.len());
    let shown = crate::vocab::pasted::mask(&word[..end]);
    if end < word.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

/// The service from its unit file and drop-ins, in the order they apply.
fn read_files(unit_name: String, files: Vec<PathBuf>, home: Option<&Path>) -> Result<Unit, UnitProblem> {
    let mut unit = Unit {
        name: unit_name,
        ..Unit::default()
    };
    let mut from_environment: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut environment_files: Vec<(String, String)> = Vec::new();
    for file in &files {
        let text = super::files::read_text(file, MAX_UNIT_BYTES)
            .map_err(|e| UnitProblem::Unreadable(format!("{}: {e}", file.display())))?;
        let mut section = String::new();
        for (line_no, line) in logical_lines(&text) {
            let at = format!("{}:{line_no}", file.display());
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') {
                section = line.trim_matches(|c| c == '[' || c == ']').to_string();
                continue;
            }
            if section != "Service" {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = specifiers(value.trim(), &unit.name);
            match key.trim() {
                // An empty assignment resets what came before it.
                "Environment" if value.is_empty() => from_environment.clear(),
                "Environment" => {
                    for word in words(&value) {
                        match word.split_once('=') {
                            Some((name, value)) if valid_name(name) => {
                                from_environment.insert(name.to_string(), (value.to_string(), at.clone()));
                            }
                            _ => unit.problems.push(format!(
                                "{at}: `{}` is not an assignment; systemd ignores it",
                                shown_word(&word)
                            )),
                        }
                    }
                }
                "EnvironmentFile" if value.is_empty() => environment_files.clear(),
                "EnvironmentFile" => environment_files.push((value, at.clone())),
                "WorkingDirectory" if !value.is_empty() => {
                    let dir = value.trim_start_matches('-');
                    unit.working_directory = Some(match (dir, home) {
                        ("~", Some(home)) => home.to_path_buf(),
                        (dir, _) => PathBuf::from(dir),
                    });
                }
                "ExecStart" => {
                    // `-`, `@`, `+`, `!` prefixes change how it runs, not what.
                    let command = value.trim_start_matches(['-', '@', '+', '!', ':']);
                    unit.exec = words(command).into_iter().next();
                }
                _ => {}
            }
        }
    }
    // EnvironmentFile= values override Environment=, in the order given.
    let mut values: BTreeMap<String, (String, String)> = from_environment;
    for (spec, at) in environment_files {
        let (optional, path) = match spec.strip_prefix('-') {
            Some(path) => (true, path.to_string()),
            None => (false, spec),
        };
        match super::files::read_text(Path::new(&path), MAX_UNIT_BYTES) {
            Ok(text) => {
                for (line_no, name, value) in environment_file(&text, &mut unit.problems, &path) {
                    values.insert(name, (value, format!("{path}:{line_no}")));
                }
            }
            Err(_) if optional => {}
            Err(e) => unit.problems.push(format!(
                "{at}: EnvironmentFile={path} cannot be read ({e}): systemd refuses to start the service (a leading `-` would make it optional)"
            )),
        }
    }
    unit.env = values
        .iter()
        .map(|(name, (value, _))| (name.clone(), value.clone()))
        .collect();
    unit.set_at = values.into_iter().map(|(name, (_, at))| (name, at)).collect();
    unit.files = files;
    Ok(unit)
}

/// The drop-ins of a unit, from every folder: sorted by file name, a name
/// in an earlier folder hiding the same name in a later one.
fn drop_ins(folders: &[PathBuf], unit: &str) -> Vec<PathBuf> {
    let mut by_name: BTreeMap<std::ffi::OsString, PathBuf> = BTreeMap::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder.join(format!("{unit}.d"))) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "conf") && path.is_file() {
                by_name.entry(entry.file_name()).or_insert(path);
            }
        }
    }
    by_name.into_values().collect()
}

/// A unit file's lines, a trailing backslash joining a line to the next;
/// each with the number of its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
        match line.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
                pending = Some((start, joined));
            }
            None => {
                joined.push_str(line);
                lines.push((start, joined));
            }
        }
    }
    lines.extend(pending);
    lines
}

/// The specifiers systemd expands in these settings that need no running
/// system: `%%`, `%n` (the unit's name), `%N` and `%p` (without its type),
/// `%i` (its instance). Others are left as written.
fn specifiers(value: &str, unit: &str) -> String {
    let stem = unit.rsplit_once('.').map_or(unit, |(stem, _)| stem);
    let (prefix, instance) = stem.split_once('@').unwrap_or((stem, ""));
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('n') => out.push_str(unit),
            Some('N') => out.push_str(stem),
            Some('p') => out.push_str(prefix),
            Some('i') => out.push_str(instance),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `Environment=`'s words, as systemd splits them: separated by white
/// space, each quoted in whole or in part with `"…"` or `'…'`, C escapes
/// (`\n`, `\t`, `\\`, `\"`, `\xNN`) read outside single quotes.
fn words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.push(c),
            (_, '\\') => {
                in_word = true;
                match chars.next() {
                    Some('n') => word.push('\n'),
                    Some('t') => word.push('\t'),
                    Some('x') => {
                        let hex: String = chars.by_ref().take(2).collect();
                        if let Some(c) = u8::from_str_radix(&hex, 16).ok().map(char::from) {
                            word.push(c);
                        }
                    }
                    Some(other) => word.push(other),
                    None => {}
                }
            }
            (_, c) => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An `EnvironmentFile=`: `NAME=value` lines; `#` and `;` comments; a value
/// in single quotes as written, in double quotes with `\` escapes, else
/// trimmed. Not a shell: `export NAME=…` is no assignment (systemd skips
/// it), and nothing is expanded.
fn environment_file(text: &str, problems: &mut Vec<String>, path: &str) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    for (line_no, line) in logical_lines(text) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            problems.push(format!("{path}:{line_no}: no `=`: systemd skips the line"));
            continue;
        };
        let name = name.trim();
        if !valid_name(name) {
            let hint = if name.starts_with("export ") {
                " (`export` is a shell's word; an EnvironmentFile takes `NAME=value` only)"
            } else {
                ""
            };
            problems.push(format!(
                "{path}:{line_no}: `{}` is not a variable name: systemd skips the line{hint}",
                shown_word(name)
            ));
            continue;
        }
        let value = value.trim();
        let value = match value.chars().next() {
            Some('\'') if value.len() >= 2 && value.ends_with('\'') => value[1..value.len() - 1].to_string(),
            Some('"') if value.len() >= 2 && value.ends_with('"') => {
                words(value).into_iter().next().unwrap_or_default()
            }
            _ => value.to_string(),
        };
        found.push((line_no, name.to_string(), value));
    }
    found
}

/// The client a service's program suggests, by what `ExecStart=` runs.
pub(crate) fn client_of(unit: &Unit) -> Option<crate::vocab::Client> {
    let exec = unit.exec.as_deref()?;
    let name = Path::new(exec)
        .file_name()?
        .to_string_lossy()
        .to_ascii_lowercase();
    if name.starts_with("python") || name == "uv" || name == "gunicorn" || name == "uvicorn" {
        return Some(crate::vocab::Client::Python);
    }
    if name == "node" || name == "npm" || name == "npx" {
        return Some(crate::vocab::Client::Node);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::shown_word;
    use super::{specifiers, words};

    #[test]
    fn environment_words_are_split_and_unquoted_as_systemd_does() {
        assert_eq!(
            words(r#"A=1 "B=two words" 'C=a "quoted" word' D="x"y E=tab\there F=\x41"#),
            vec![
                "A=1",
                "B=two words",
                "C=a \"quoted\" word",
                "D=xy",
                "E=tab\there",
                "F=A"
            ]
        );
        assert_eq!(words(r#""KEY=sk-with\"quote""#), vec!["KEY=sk-with\"quote"]);
        assert!(words("   ").is_empty());
    }

    #[test]
    fn specifiers_that_need_no_running_system() {
        assert_eq!(
            specifiers("%n %N %p %i 100%%", "app@blue.service"),
            "app@blue.service app@blue app blue 100%"
        );
        assert_eq!(specifiers("%h/x", "app.service"), "%h/x");
    }

    #[test]
    fn a_skipped_word_is_shown_without_what_may_be_its_value() {
        assert_eq!(
            shown_word("OPENAI-API-KEY=sk-proj-TwoxN8MwZauBu0WoLk2ADlTTrWwVYo8y"),
            "OPENAI-API-KEY…"
        );
        assert_eq!(shown_word("OPENAI_API_KEY hunter2secretvalue"), "OPENAI_API_KEY…");
        assert_eq!(shown_word("export OPENAI_API_KEY"), "export…");
        assert_eq!(shown_word("JUSTAWORD"), "JUSTAWORD");
        assert!(!shown_word("sk-proj-TwoxN8MwZauBu0WoLk2ADlTTrWwVYo8y").contains("TwoxN8Mw"));
    }
}
