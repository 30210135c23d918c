//! `doctor --pid PID`: the environment a running process started with, its
//! working folder and what it runs, read from `/proc` on Linux. What the
//! process set in itself later (`os.environ[…] = …`, `load_dotenv()`) is not
//! there: the kernel keeps the environment as it was at `exec`.

use std::path::PathBuf;

use super::Env;

/// What `/proc/PID` says of a process.
#[derive(Debug, Clone)]
pub struct Process {
    pub pid: u32,
    /// The environment it started with.
    pub env: Env,
    /// Its working folder, when it can be read (the `.env` search starts there).
    pub cwd: Option<PathBuf>,
    /// Its command line, as it was started.
    pub command: Vec<String>,
    /// The program it runs (`/proc/PID/exe`).
    pub exe: Option<PathBuf>,
    /// Whose process it is, when its environment could not be read: another
    /// user's (or one that made itself undumpable). `env` is then empty and
    /// nothing of it may be taken as the process's.
    pub denied: Option<Owner>,
}

/// The user a process runs as, for the command that can read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    /// From `/etc/passwd`, when it names the uid.
    pub name: Option<String>,
}

impl Owner {
    /// `www-data`, or `#1001` (sudo's spelling of a bare uid).
    pub fn sudo_user(&self) -> String {
        self.name.clone().unwrap_or_else(|| format!("#{}", self.uid))
    }
}

impl Process {
    /// What it runs, for a person: `python3 app.py`, with what may be a
    /// secret masked — anything shaped like a key, and the value of an
    /// argument or variable named like a credential (`--token X`,
    /// `--api-key=X`, `OPENAI_API_KEY=X`) — since anyone on the machine may
    /// read a command line, but a report goes further.
    pub fn command_line(&self) -> String {
        shown_command(&self.command)
    }
}

/// Names that say their value is a credential.
const SECRET_WORDS: &[&str] = &["key", "token", "secret", "pass", "pwd", "auth", "credential"];

fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| name.contains(w))
}

fn shown_command(words: &[String]) -> String {
    let mut shown = Vec::with_capacity(words.len());
    let mut value_is_secret = false;
    for word in words {
        let masked = if value_is_secret {
            crate::vocab::secret::mask(word)
        } else {
            match word.split_once('=') {
                Some((name, value)) if names_a_secret(name) && !value.is_empty() => {
                    format!("{name}={}", crate::vocab::secret::mask(value))
                }
                // A URL's password too (`mysql://u:pw@h/db`).
                _ => crate::vocab::pasted::mask(&crate::vocab::urls::shown_in(word)),
            }
        };
        value_is_secret = word.starts_with('-') && !word.contains('=') && names_a_secret(word);
        shown.push(masked);
    }
    shown.join(" ")
}

/// Why a process's environment cannot be read.
#[derive(Debug)]
pub enum ProcessProblem {
    NoSuchProcess,
    /// No `/proc` here (macOS, Windows): nothing is guessed.
    NotAvailable,
    Unreadable(String),
}

impl std::fmt::Display for ProcessProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProcessProblem::NoSuchProcess => f.write_str("no such process"),
            ProcessProblem::NotAvailable => f.write_str(
                "reading another process's environment needs Linux's /proc, which this system does not have",
            ),
            ProcessProblem::Unreadable(why) => f.write_str(why),
        }
    }
}

/// The most an environment may hold to be read (Linux caps a process's
/// arguments and environment together well below it).
const MAX_ENVIRON_BYTES: u64 = 8 * 1024 * 1024;

#[cfg(target_os = "linux")]
pub fn read(pid: u32) -> Result<Process, ProcessProblem> {
    use std::io::ErrorKind;
    use std::os::unix::ffi::OsStringExt;

    use std::os::unix::fs::MetadataExt;

    let dir = PathBuf::from(format!("/proc/{pid}"));
    let Ok(meta) = std::fs::metadata(&dir) else {
        return Err(ProcessProblem::NoSuchProcess);
    };
    // The command line is anyone's to read; the environment, working folder
    // and program only its user's (and root's).
    let command = super::files::read_file(&dir.join("cmdline"), MAX_ENVIRON_BYTES)
        .map(|bytes| {
            bytes
                .split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
        .unwrap_or_default();
    let environ = match super::files::read_file(&dir.join("environ"), MAX_ENVIRON_BYTES) {
        Ok(environ) => environ,
        Err(super::files::ReadError::Io(e)) if e.kind() == ErrorKind::PermissionDenied => {
            return Ok(Process {
                pid,
                env: Env::default(),
                cwd: None,
                command,
                exe: None,
                denied: Some({
                    // The user it runs as, from its status (anyone's to read):
                    // `/proc/PID` itself is root's when a process is undumpable.
                    let uid = std::fs::read_to_string(dir.join("status"))
                        .ok()
                        .and_then(|status| status_uid(&status))
                        .unwrap_or(meta.uid());
                    Owner {
                        uid,
                        name: user_name(uid),
                    }
                }),
            });
        }
        Err(super::files::ReadError::Missing) => return Err(ProcessProblem::NoSuchProcess),
        Err(super::files::ReadError::Io(e)) if e.kind() == ErrorKind::NotFound => {
            return Err(ProcessProblem::NoSuchProcess);
        }
        Err(other) => return Err(ProcessProblem::Unreadable(other.to_string())),
    };
    let env: Env = environ
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .filter_map(|entry| {
            let at = entry.iter().position(|&b| b == b'=')?;
            let name = String::from_utf8(entry[..at].to_vec()).ok()?;
            Some((name, std::ffi::OsString::from_vec(entry[at + 1..].to_vec())))
        })
        .collect();
    Ok(Process {
        pid,
        env,
        cwd: std::fs::read_link(dir.join("cwd")).ok(),
        command,
        exe: std::fs::read_link(dir.join("exe")).ok(),
        denied: None,
    })
}

/// The name `/etc/passwd` gives a uid.
#[cfg(target_os = "linux")]
fn user_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd_name(&passwd, uid)
}

/// The real uid in `/proc/PID/status`: `Uid:\t1000\t1000\t1000\t1000`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn status_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next())
        .and_then(|uid| uid.parse().ok())
}

/// `name:password:uid:…`, one user a line.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn passwd_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse() == Ok(uid) && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(not(target_os = "linux"))]
pub fn read(_pid: u32) -> Result<Process, ProcessProblem> {
    Err(ProcessProblem::NotAvailable)
}

/// The client a process's program suggests, by what it runs: a Python
/// interpreter, or Node.
pub(crate) fn client_of(process: &Process) -> Option<crate::vocab::Client> {
    let names = process
        .exe
        .iter()
        .filter_map(|p| p.file_name())
        .chain(
            process
                .command
                .first()
                .and_then(|c| std::path::Path::new(c).file_name()),
        )
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    for name in names {
        if name.starts_with("python") || name == "uv" || name == "uvicorn" || name == "gunicorn" {
            return Some(crate::vocab::Client::Python);
        }
        if name == "node" || name == "bun" || name == "deno" {
            return Some(crate::vocab::Client::Node);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uid_is_named_as_etc_passwd_names_it() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\n# a comment\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n:x:7:7::/:/bin/sh\n";
        assert_eq!(passwd_name(passwd, 33).as_deref(), Some("www-data"));
        assert_eq!(passwd_name(passwd, 0).as_deref(), Some("root"));
        assert_eq!(passwd_name(passwd, 7), None);
        assert_eq!(passwd_name(passwd, 1000), None);
        let owner = Owner {
            uid: 1000,
            name: None,
        };
        assert_eq!(owner.sudo_user(), "#1000");
    }

    #[test]
    fn a_command_line_is_shown_without_what_may_be_a_secret() {
        let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
        let shown = shown_command(&words(
            "python3 app.py --token hunter2supersecretvalue --api-key=0123456789abcdef0123 OPENAI_API_KEY=sk-proj-Zq81mXv3Lw0pQe7Rt5Yu2Io9 --db-pass=WBkeQX1VFiuMAMaG mysql://u:Pw9xQ2vL7kTz@h/db --port 8000 --verbose",
        ));
        for secret in [
            "hunter2supersecretvalue",
            "0123456789abcdef0123",
            "Zq81mXv3Lw0pQe7Rt5Yu2Io9",
            "WBkeQX1VFiuMAMaG",
            "Pw9xQ2vL7kTz",
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.starts_with("python3 app.py --token "), "{shown}");
        assert!(
            shown.contains("--api-key=") && shown.contains("OPENAI_API_KEY=sk-proj-…"),
            "{shown}"
        );
        assert!(shown.ends_with("--port 8000 --verbose"), "{shown}");
    }

    #[test]
    fn the_uid_a_process_runs_as_is_its_status_s() {
        let status = "Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t33\t33\t33\t33\nGid:\t33\t33\t33\t33\n";
        assert_eq!(status_uid(status), Some(33));
        assert_eq!(status_uid("Name:\tx\n"), None);
    }
}
