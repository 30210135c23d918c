//! `doctor --pid PID`: real processes started with chosen environments and
//! working folders, checked as they would run — including one that changed
//! its environment after it started, and one the doctor may not read.

use crate::common::{self, Doctor, KEY, Server};

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const SHELL_KEY: &str =
    "sk-proj-ShellKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567";

/// A child that waits, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Python that sets `OPENAI_API_KEY` in itself after it starts (as
/// `load_dotenv()` or `os.environ[…] = …` would), says so, and waits.
fn python_that_changes_its_key(env: &[(&str, &str)], dir: &std::path::Path) -> Running {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import os, sys, time\nos.environ['OPENAI_API_KEY'] = 'sk-proj-SetLaterInTheProcess0123456789'\nprint('ready', flush=True)\ntime.sleep(60)\n",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    Running(child)
}

#[test]
fn a_process_is_checked_with_the_environment_and_folder_it_started_with() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let dir = tempfile::tempdir().unwrap();
    // Its folder's .env names the base URL; its environment holds the key.
    std::fs::write(
        dir.path().join(".env"),
        format!("OPENAI_BASE_URL={}\n", server.base_url()),
    )
    .unwrap();
    let process = python_that_changes_its_key(&[("OPENAI_API_KEY", KEY)], dir.path());
    let pid = process.0.id().to_string();
    let run = Doctor::new()
        .secret(KEY)
        .secret(SHELL_KEY)
        .env("OPENAI_API_KEY", SHELL_KEY)
        .args(&["--pid", &pid, "--trust-env-file"])
        .json()
        .run();
    let json = run.json();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The key it started with, not the one it set in itself, nor the shell's.
    assert_eq!(json["key"]["source"], "env");
    assert_eq!(json["key"]["location"], format!("OPENAI_API_KEY (process {pid})"));
    let masked = json["key"]["masked"].as_str().unwrap();
    assert!(masked.ends_with(&KEY[KEY.len() - 4..]), "{masked}");
    assert_eq!(json["client"], "python", "python3 suggests openai-python's rules");
    let said = run.finding("process_environment")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        said.contains(&format!("/proc/{pid}/environ")) && said.contains(&dir.path().display().to_string()),
        "{said}"
    );
    let differs = run.finding("process_key_differs")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(differs.contains("differs from your shell's"), "{differs}");
    // The request went where the process's folder's .env says.
    assert_eq!(server.requests().len(), 1);
    drop(process);

    // A process without the key, while this shell has one.
    let process = python_that_changes_its_key(&[], dir.path());
    let run = Doctor::new()
        .secret(SHELL_KEY)
        .env("OPENAI_API_KEY", SHELL_KEY)
        .args(&["--pid", &process.0.id().to_string(), "--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    assert!(
        run.checklist()
            .contains(&format!("where process {} is started", process.0.id())),
        "{}",
        run.checklist()
    );
    assert!(
        run.finding("process_key_differs")["message"]
            .as_str()
            .unwrap()
            .contains("has no OPENAI_API_KEY")
    );
}

#[test]
fn a_process_that_cannot_be_read_is_said_so() {
    use std::os::unix::process::CommandExt;
    let run = Doctor::new().args(&["--pid", "4194304"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no such process"), "{}", run.stderr);
    // Another user's process: as root, the doctor runs as `nobody` against
    // a process of root's; otherwise against init's.
    let dir = tempfile::tempdir().unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    let (target, _kept) = if root {
        let child = python_that_changes_its_key(&[("OPENAI_API_KEY", KEY)], dir.path());
        (child.0.id(), Some(child))
    } else {
        (1, None)
    };
    let mut binary = assert_cmd::cargo::cargo_bin("openai-keycheck");
    if let Ok(chosen) = std::env::var("OPENAI_KEYCHECK_BINARY") {
        binary = chosen.into();
    }
    let mut command = Command::new(&binary);
    if root {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let copy = dir.path().join("openai-keycheck");
        std::fs::copy(&binary, &copy).unwrap();
        command = Command::new(&copy);
        command.uid(65534).gid(65534);
    }
    let out = command
        .env_clear()
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .args(["doctor", "--pid", &target.to_string()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("permission denied"), "{stderr}");
    assert!(!stderr.contains(KEY) && !String::from_utf8_lossy(&out.stdout).contains(KEY));
    let _ = common::KEY;
}
