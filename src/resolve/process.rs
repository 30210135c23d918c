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
}

impl Process {
    /// What it runs, for a person: `python3 app.py`.
    pub fn command_line(&self) -> String {
        self.command.join(" ")
    }
}

/// Why a process's environment cannot be read.
#[derive(Debug)]
pub enum ProcessProblem {
    NoSuchProcess,
    /// Another user's process (or one that made itself undumpable).
    PermissionDenied,
    /// No `/proc` here (macOS, Windows): nothing is guessed.
    NotAvailable,
    Unreadable(String),
}

impl std::fmt::Display for ProcessProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProcessProblem::NoSuchProcess => f.write_str("no such process"),
            ProcessProblem::PermissionDenied => f.write_str(
                "permission denied: its environment can be read only by its own user (or root); run this as that user, e.g. `sudo -u USER openai-keycheck doctor --pid PID`",
            ),
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

    let dir = PathBuf::from(format!("/proc/{pid}"));
    let problem = |e: super::files::ReadError| match e {
        super::files::ReadError::Missing => ProcessProblem::NoSuchProcess,
        super::files::ReadError::Io(e) if e.kind() == ErrorKind::NotFound => ProcessProblem::NoSuchProcess,
        super::files::ReadError::Io(e) if e.kind() == ErrorKind::PermissionDenied => {
            ProcessProblem::PermissionDenied
        }
        other => ProcessProblem::Unreadable(other.to_string()),
    };
    if !dir.is_dir() {
        return Err(ProcessProblem::NoSuchProcess);
    }
    let environ = super::files::read_file(&dir.join("environ"), MAX_ENVIRON_BYTES).map_err(problem)?;
    let env: Env = environ
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .filter_map(|entry| {
            let at = entry.iter().position(|&b| b == b'=')?;
            let name = String::from_utf8(entry[..at].to_vec()).ok()?;
            Some((name, std::ffi::OsString::from_vec(entry[at + 1..].to_vec())))
        })
        .collect();
    let command = super::files::read_file(&dir.join("cmdline"), MAX_ENVIRON_BYTES)
        .map(|bytes| {
            bytes
                .split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
        .unwrap_or_default();
    Ok(Process {
        pid,
        env,
        cwd: std::fs::read_link(dir.join("cwd")).ok(),
        command,
        exe: std::fs::read_link(dir.join("exe")).ok(),
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
