//! Test harness: the built binary against a real HTTP server on 127.0.0.1,
//! in a clean environment with HOME and the working directory in a temp dir.
#![allow(dead_code)]

pub mod raw;
pub mod scenarios;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A project key of the real shape; each test may plant its own.
pub const KEY: &str = "sk-proj-Q7vX2mN9pL4kR8sT1wY6zA3bC5dE0fG2hJ4kL6mN8pQ0rS2tU4vW6xY8zA0bC2dE4fG6hJ8kL0mN2pQ4rS6tU8vWT3BlbkFJ9xY7wV5uT3sR1qP9oN7mL5kJ3hG1fE9dC7bA5zY3xW1vU9tS7rQ5pO3nM1lK9jH7gF5eD3cB1a";

/// The binary under test: the one cargo built for the tests, or the one
/// OPENAI_KEYCHECK_BINARY names (`.ci/run` points it at the release build,
/// which is built without the dev-dependencies' features, as it ships).
/// The names of the entries of a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn binary() -> PathBuf {
    match std::env::var_os("OPENAI_KEYCHECK_BINARY") {
        // Relative to the repository: the runs change their working folder.
        Some(path) => Path::new(env!("CARGO_MANIFEST_DIR")).join(path),
        None => assert_cmd::cargo::cargo_bin!("openai-keycheck").to_path_buf(),
    }
}

/// A hang is bounded: `took` is within three times `bound` (what the run
/// promises, e.g. --timeout and the watchdog's slack). Speed itself is the
/// benchmark's to measure (bench/), never a test's: this only tells an end
/// from a hang, on a loaded two-core machine too.
pub fn assert_bounded(took: std::time::Duration, bound: std::time::Duration, what: &str) {
    assert!(
        took < bound * 3,
        "{what}: ended after {took:?}, past three times its bound of {bound:?}"
    );
}

/// The probe's own bound: --timeout, and the watchdog's slack after it.
pub fn probe_bound(timeout_seconds: u64) -> std::time::Duration {
    std::time::Duration::from_secs(timeout_seconds) + std::time::Duration::from_millis(450)
}

/// What an offline run may take on a loaded machine, however hostile its
/// files: a bound on a hang (a quadratic cost once took 196 s), not a speed.
pub const OFFLINE_BOUND: std::time::Duration = std::time::Duration::from_secs(5);

/// A port on 127.0.0.1 that nothing listens on: connecting is refused.
pub fn closed_port() -> u16 {
    // Bound, read, and released when the listener drops.
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

/// A local stand-in for the API (wiremock runs it on its own thread).
pub struct Server {
    pub mock: MockServer,
}

impl Server {
    pub fn start() -> Self {
        Server {
            mock: runtime().block_on(MockServer::start()),
        }
    }

    /// The base URL a user would configure: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.mock.uri())
    }

    pub fn respond(&self, url_path: &str, response: ResponseTemplate) {
        runtime().block_on(
            Mock::given(method("GET"))
                .and(path(url_path))
                .respond_with(response)
                .mount(&self.mock),
        );
    }

    /// Any method on `url_path` (Azure's deployment check is a POST).
    pub fn respond_any(&self, url_path: &str, response: ResponseTemplate) {
        runtime().block_on(
            Mock::given(path(url_path))
                .respond_with(response)
                .mount(&self.mock),
        );
    }

    /// Every request, answered by `respond`: a whole service simulated by
    /// one function of the request (its path, headers and body).
    pub fn serve(&self, respond: impl wiremock::Respond + 'static) {
        runtime().block_on(
            Mock::given(wiremock::matchers::any())
                .respond_with(respond)
                .mount(&self.mock),
        );
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.mock.address().port()
    }

    /// JSON fixture with a status on `/v1/models`.
    pub fn answer(&self, status: u16, fixture_name: &str) {
        self.respond("/v1/models", json_response(status, &fixture(fixture_name)));
    }

    pub fn requests(&self) -> Vec<wiremock::Request> {
        runtime()
            .block_on(self.mock.received_requests())
            .unwrap_or_default()
    }
}

/// An Azure resource's key: 32 hexadecimal characters.
pub const AZURE_KEY: &str = "3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c";

/// A doctor set up as an Azure OpenAI program is: its key, this server as
/// the endpoint, a GA API version; the client is inferred from them.
pub fn azure(server: &Server) -> Doctor {
    Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env("AZURE_OPENAI_ENDPOINT", &server.mock.uri())
        .env("OPENAI_API_VERSION", "2024-10-21")
}

pub fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .insert_header("x-request-id", "req_0123456789abcdef0123456789abcdef")
        .set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// Every output format, as the flags that ask for it.
pub const FORMATS: &[&[&str]] = &[
    &["--format", "json"],
    &[],
    &["--quiet"],
    &["--format", "github"],
    &["--verbose"],
];

/// Under GitHub Actions, so that annotations and the step summary are written too.
pub fn in_actions(doctor: Doctor, format: &[&str]) -> Doctor {
    let summary = doctor.home().join("summary.md");
    doctor
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .args(format)
}

/// A process whose environment a run `run_as_nobody` may not read: as root, a
/// `sleep` of root's (killed when dropped); as anyone else, the first
/// process of another user's.
pub struct ForeignProcess {
    pub pid: u32,
    child: Option<std::process::Child>,
}

impl ForeignProcess {
    pub fn start() -> Self {
        use std::os::unix::fs::MetadataExt;
        if unsafe { libc::geteuid() } == 0 {
            let child = std::process::Command::new("sleep").arg("120").spawn().unwrap();
            return ForeignProcess {
                pid: child.id(),
                child: Some(child),
            };
        }
        let me = unsafe { libc::geteuid() };
        let pid = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| std::fs::metadata(format!("/proc/{pid}")).is_ok_and(|m| m.uid() != me))
            .expect(
                "a process of another user's, to check that it cannot be read (none is visible in /proc)",
            );
        ForeignProcess { pid, child: None }
    }
}

impl Drop for ForeignProcess {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One run of `openai-keycheck doctor`.
pub struct Doctor {
    home: tempfile::TempDir,
    /// The working directory, relative to HOME.
    dir: Option<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    secrets: Vec<String>,
    /// Run as `nobody` (when the tests run as root).
    nobody: bool,
}

pub struct Run {
    /// HOME and working directory of the run, kept until the run is dropped.
    pub home: tempfile::TempDir,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// What the run appended to `GITHUB_STEP_SUMMARY`, when that was set.
    pub summary: Option<String>,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }

    pub fn diagnosis(&self) -> String {
        self.json()["diagnosis"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The finding with this id in the JSON report; the run fails without it.
    pub fn finding(&self, id: &str) -> Value {
        self.json()["findings"]
            .as_array()
            .and_then(|all| all.iter().find(|f| f["id"] == id).cloned())
            .unwrap_or_else(|| panic!("no finding {id}:\n{}", self.stdout))
    }

    /// The diagnosis's checklist, one line each.
    pub fn checklist(&self) -> String {
        self.json()["diagnosis"]["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn finding_ids(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Doctor {
    pub fn new() -> Self {
        Doctor {
            home: tempfile::tempdir().unwrap(),
            dir: None,
            args: vec!["doctor".into()],
            env: vec![],
            stdin: None,
            secrets: vec![],
            nobody: false,
        }
    }

    /// As root, run as `nobody` (uid 65534), from a copy of the binary in
    /// HOME, which becomes nobody's; as anyone else, as oneself.
    pub fn run_as_nobody(mut self) -> Self {
        self.nobody = true;
        self
    }

    /// A key in OPENAI_API_KEY; it must never appear in the output.
    pub fn key(self, key: &str) -> Self {
        self.secret(key).env("OPENAI_API_KEY", key)
    }

    /// A value that must never appear in stdout or stderr.
    pub fn secret(mut self, secret: &str) -> Self {
        self.secrets.push(secret.trim().to_string());
        self
    }

    pub fn server(self, server: &Server) -> Self {
        self.args(&["--base-url", &server.base_url()])
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    pub fn json(self) -> Self {
        self.args(&["--format", "json"])
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.into());
        self
    }

    pub fn home(&self) -> PathBuf {
        self.home.path().to_path_buf()
    }

    /// Run in this directory under HOME (created) instead of HOME itself.
    pub fn in_dir(mut self, relative: &str) -> Self {
        std::fs::create_dir_all(self.home.path().join(relative)).unwrap();
        self.dir = Some(relative.into());
        self
    }

    /// A file under HOME (which is also the working directory).
    pub fn file(self, relative: &str, content: &str) -> Self {
        let path = self.home.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    /// Runs another subcommand with the same arguments and environment.
    /// `explain TEXT` with this run's files, environment and flags, less the
    /// flags only `doctor` takes (`--verbose`).
    pub fn run_explain(mut self, text: &str) -> Run {
        self.args.retain(|a| a != "--verbose" && a != "-v");
        self.args[0] = "explain".to_string();
        self.args.insert(1, text.to_string());
        self.run()
    }

    pub fn run_command(mut self, command: &str) -> Run {
        self.args[0] = command.to_string();
        self.run()
    }

    pub fn run(self) -> Run {
        let mut binary = binary();
        let root = unsafe { libc::geteuid() } == 0;
        if self.nobody && root {
            // HOME becomes nobody's, so that it can write a step summary there.
            std::os::unix::fs::chown(self.home.path(), Some(65534), Some(65534)).unwrap();
            let copy = self.home.path().join(".openai-keycheck-as-nobody");
            std::fs::copy(&binary, &copy).unwrap();
            binary = copy;
        }
        let mut cmd = std::process::Command::new(binary);
        if self.nobody && root {
            use std::os::unix::process::CommandExt;
            cmd.uid(65534).gid(65534);
        }
        let mut cmd = Command::from_std(cmd);
        // No proxies, no real HOME, no stray OPENAI_* from the machine.
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.home.path().join(self.dir.as_deref().unwrap_or("")))
            .args(&self.args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.write_stdin(self.stdin.clone().unwrap_or_default());
        let out = cmd.output().unwrap();
        let summary = self
            .env
            .iter()
            .find(|(k, _)| k == "GITHUB_STEP_SUMMARY")
            .filter(|(_, path)| {
                // A test may name a FIFO there on purpose: never wait on it.
                let path = self.home.path().join(path);
                std::fs::metadata(path).is_ok_and(|m| m.is_file())
            })
            .and_then(|(_, path)| std::fs::read_to_string(self.home.path().join(path)).ok());
        let run = Run {
            summary,
            home: self.home,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        for secret in self.secrets.iter().filter(|s| s.len() >= 8) {
            assert!(
                !run.stdout.contains(secret.as_str()),
                "key leaked to stdout:\n{}",
                run.stdout
            );
            assert!(
                !run.stderr.contains(secret.as_str()),
                "key leaked to stderr:\n{}",
                run.stderr
            );
            let summary = run.summary.as_deref().unwrap_or_default();
            assert!(
                !summary.contains(secret.as_str()),
                "key leaked to the step summary:\n{summary}"
            );
        }
        let actions = self.env.iter().any(|(k, v)| k == "GITHUB_ACTIONS" && v == "true")
            || self.args.iter().any(|a| a == "github");
        assert_safe_output(&run, actions);
        run
    }
}

/// What every run's output must never hold, whatever a server or a file
/// sent: terminal control characters and invisible format characters (the
/// runs have no colour; the zero-width space that breaks a runner's
/// command is the one allowed), and — under any CI runner or none — a
/// runner's command other than the tool's own annotations.
pub fn assert_safe_output(run: &Run, actions: bool) {
    let summary = run.summary.as_deref().unwrap_or_default();
    // Colour, when a run asks for it, is the one escape sequence allowed.
    let colour = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    for (name, text) in [
        ("stdout", &run.stdout),
        ("stderr", &run.stderr),
        ("summary", &summary.to_string()),
    ] {
        let text = colour.replace_all(text, "");
        let bad = text
            .chars()
            .find(|c| (c.is_control() && *c != '\n' && *c != '\t') || (is_format(*c) && *c != '\u{200b}'));
        assert!(bad.is_none(), "{name} holds the character {bad:?}:\n{text}");
    }
    for line in run.stdout.lines().chain(run.stderr.lines()) {
        let ours = [
            "::error title=openai-keycheck",
            "::warning title=openai-keycheck",
            "::notice title=openai-keycheck",
        ]
        .iter()
        .any(|p| line.starts_with(p));
        if actions || !ours {
            assert!(
                ours || !line.trim_start().starts_with("::"),
                "a workflow command in the output: {line}"
            );
        }
        let lower = line.to_ascii_lowercase();
        for command in RUNNER_COMMANDS {
            assert!(
                !lower.contains(command),
                "a runner's command {command} in the output: {line}"
            );
        }
        for start in ["--- ", "+++ ", "~~~ ", "^^^ +++"] {
            assert!(
                !line.trim_start().starts_with(start),
                "a Buildkite group line in the output: {line}"
            );
        }
    }
}

/// What CI runners act on anywhere in a line of a job's log.
pub const RUNNER_COMMANDS: &[&str] = &[
    "##[",
    "##vso[",
    "##teamcity[",
    "travis_fold:",
    "travis_time:",
    "section_start:",
    "section_end:",
];

/// Unicode's invisible format characters and the line separators, which
/// can reorder a line on the terminal.
pub fn is_format(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}')
}
