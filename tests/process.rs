//! Where the program runs: `doctor --pid PID` against real processes started
//! with chosen environments and working folders (one that changed its
//! environment after it started, one the doctor may not read), `--unit`
//! against a systemd unit, drop-in and environment file, a run from a
//! notebook kernel, an editor's settings, and Streamlit's secrets.

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
    let run = Doctor::new().args(&["--pid", "4194304"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no such process"), "{}", run.stderr);
    // Another user's process: as root, the doctor runs as `nobody` against
    // a process of root's; otherwise against another user's. The shell's
    // key is not taken for the process's, and nothing is sent.
    let server = Server::start();
    let foreign = common::ForeignProcess::start();
    let pid = foreign.pid.to_string();
    for format in ["human", "json", "github"] {
        // The doctor's own folder holds a key of its own in a .env and in
        // Streamlit's secrets, and a key comes on standard input: none of
        // it is the process's, and nothing is sent.
        let secrets = format!("OPENAI_API_KEY = \"{SHELL_KEY}\"\n");
        let run = Doctor::new()
            .key(KEY)
            .secret(SHELL_KEY)
            .server(&server)
            .file(".env", &format!("OPENAI_API_KEY={SHELL_KEY}\n"))
            .file(".streamlit/secrets.toml", &secrets)
            .stdin(KEY)
            .run_as_nobody()
            .args(&["--pid", &pid, "--format", format, "--api-key-stdin"])
            .run();
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        assert!(run.stdout.contains("process_unreadable"), "{}", run.stdout);
        assert!(run.stdout.contains("sudo -u "), "{}", run.stdout);
        if format == "json" {
            let json = run.json();
            assert_eq!(json["diagnosis"]["id"], "process_unreadable");
            assert_eq!(json["probe"], serde_json::Value::Null, "{}", run.stdout);
            let finding = run.finding("process_environment");
            assert_eq!(finding["severity"], "error");
            let env = json["sources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["source"] == "env")
                .cloned()
                .unwrap();
            assert_eq!(env["state"], "unreadable", "{env}");
            let used: Vec<&serde_json::Value> = json["sources"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["source"] != "flag" && s["state"] == "set")
                .collect();
            assert!(
                used.is_empty(),
                "the doctor's folder was read for the process: {used:?}"
            );
        }
    }
    assert_eq!(
        server.requests().len(),
        0,
        "a request went out for a process that could not be read"
    );
}

/// `--unit`: the environment systemd would give a service, from its unit
/// file, a drop-in and an environment file, each quoting form read as
/// systemd reads it; the request goes where the drop-in says, with the key
/// the environment file sets (it overrides `Environment=`).
#[test]
fn a_systemd_unit_is_checked_with_the_environment_systemd_gives_it() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/systemd"));
    let fill = |text: String| {
        text.replace("{dir}", &dir.path().display().to_string())
            .replace("{base}", &server.base_url())
            .replace("{KEY}", KEY)
    };
    std::fs::create_dir_all(dir.path().join("app.service.d")).unwrap();
    for file in ["app.service", "app.env", "app.service.d/10-base-url.conf"] {
        std::fs::write(
            dir.path().join(file),
            fill(std::fs::read_to_string(fixtures.join(file)).unwrap()),
        )
        .unwrap();
    }
    let unit = dir.path().join("app.service");
    let run = Doctor::new()
        .secret(KEY)
        .secret(SHELL_KEY)
        .env("OPENAI_API_KEY", SHELL_KEY)
        .args(&["--unit", unit.to_str().unwrap()])
        .json()
        .run();
    let json = run.json();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(json["client"], "python", "ExecStart= runs python3");
    assert_eq!(json["key"]["location"], "OPENAI_API_KEY (app.service)");
    assert!(
        json["key"]["masked"]
            .as_str()
            .unwrap()
            .ends_with(&KEY[KEY.len() - 4..])
    );
    assert_eq!(server.requests().len(), 1);
    let said = run.finding("unit_environment")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        said.contains("10-base-url.conf") && said.contains("app.env:2"),
        "{said}"
    );
    let skipped: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "unit_line_skipped")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].contains("app.env:3") && skipped[0].contains("`export`"),
        "{skipped:?}"
    );
    // The organization line was skipped: no header was sent.
    assert!(json["settings"]["organization"].is_null(), "{json:#}");
    assert!(
        run.finding("process_key_differs")["message"]
            .as_str()
            .unwrap()
            .contains("app.service's OPENAI_API_KEY")
    );
    assert!(run.finding_ids().contains(&"near_miss_variable".to_string()));

    // Every quoting form, as systemd reads it (offline, the same unit).
    let unit_env = openai_keycheck::resolve::unit::read(unit.to_str().unwrap(), None).unwrap();
    let get = |name: &str| unit_env.env.text(name).map(str::to_string);
    assert_eq!(get("PLAIN").as_deref(), Some("value"));
    assert_eq!(get("SPACED").as_deref(), Some("two words"));
    assert_eq!(get("SINGLE").as_deref(), Some("a \"quoted\" word"));
    assert_eq!(get("ESCAPED").as_deref(), Some("tab\there"));
    assert_eq!(
        get("DOLLAR").as_deref(),
        Some("$HOME"),
        "systemd expands no variables"
    );
    assert_eq!(
        get("UNIT").as_deref(),
        Some("app.service"),
        "%n is the unit's name"
    );
    assert_eq!(
        get("CONTINUED").as_deref(),
        Some("yes"),
        "a backslash joins lines"
    );
    assert_eq!(get("QUOTED_SINGLE").as_deref(), Some("kept $AS written"));
    assert_eq!(
        get("OPENAI_API_KEY").as_deref(),
        Some(KEY),
        "the EnvironmentFile overrides Environment="
    );
    assert_eq!(get("OPENAI_ORG_ID"), None);

    // A name that is no unit anywhere is a usage error that says where it looked.
    let run = Doctor::new().args(&["--unit", "no-such-unit-here"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-unit-here.service"), "{}", run.stderr);
}

/// Where systemd runs, `systemctl cat` says which files make a unit: a unit
/// in no folder the doctor knows is found through it (here a stand-in
/// `systemctl` on PATH answers as systemd's does); one that fails or does
/// not answer leaves the folders on disk, in bounded time.
#[test]
fn a_unit_is_read_from_the_files_systemctl_cat_names() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/systemd"));
    let units = dir.path().join("vendor");
    std::fs::create_dir_all(units.join("app.service.d")).unwrap();
    for file in ["app.service", "app.env", "app.service.d/10-base-url.conf"] {
        let text = std::fs::read_to_string(fixtures.join(file))
            .unwrap()
            .replace("{dir}", &units.display().to_string())
            .replace("{base}", &server.base_url())
            .replace("{KEY}", KEY);
        std::fs::write(units.join(file), text).unwrap();
    }
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let stand_in = |script: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = bin.join("systemctl");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    // systemd's output: each file headed by its path, for the system manager.
    let unit = units.join("app.service");
    let drop_in = units.join("app.service.d/10-base-url.conf");
    stand_in(&format!(
        "[ \"$1 $2 $3 $4\" = \"--no-pager cat -- app.service\" ] || {{ echo \"No files found for $4.\" >&2; exit 1; }}\n\
         printf '# %s\\n' '{}'; cat '{}'; printf '\\n# %s\\n' '{}'; cat '{}'",
        unit.display(),
        unit.display(),
        drop_in.display(),
        drop_in.display()
    ));
    let run = Doctor::new()
        .secret(KEY)
        .env("PATH", &path)
        .args(&["--unit", "app"])
        .json()
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(server.requests().len(), 1, "the drop-in's base URL was used");
    let said = run.finding("unit_environment")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        said.contains(&unit.display().to_string()) && said.contains("10-base-url.conf"),
        "{said}"
    );
    // No systemd here (a container): the folders on disk, which lack it.
    stand_in(
        "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2; exit 1",
    );
    let run = Doctor::new().env("PATH", &path).args(&["--unit", "app"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`systemctl cat` names none"),
        "{}",
        run.stderr
    );
    // A manager that does not answer, or leaves a child holding its output:
    // given up on (with what it started), not waited for.
    for script in ["exec sleep 60", "sleep 60 &\nexit 0"] {
        stand_in(script);
        let started = std::time::Instant::now();
        let run = Doctor::new().env("PATH", &path).args(&["--unit", "app"]).run();
        common::assert_bounded(
            started.elapsed(),
            std::time::Duration::from_secs(5),
            "a systemctl that hangs",
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
    }
}

/// Started from a notebook kernel (`!openai-keycheck doctor` in a cell), the
/// run says that it sees the kernel's environment: known from what
/// jupyter_server puts in a kernel's environment, or from an ancestor that
/// runs ipykernel (here a Python process whose command line names it, as
/// `python -m ipykernel_launcher` does).
#[test]
fn a_run_from_a_notebook_kernel_says_whose_environment_it_sees() {
    let run = Doctor::new()
        .env("JPY_SESSION_NAME", "/home/u/analysis.ipynb")
        .args(&["--offline"])
        .json()
        .run();
    assert!(
        run.finding("notebook_kernel")["message"]
            .as_str()
            .unwrap()
            .contains("analysis.ipynb"),
        "{}",
        run.stdout
    );
    let mut binary = assert_cmd::cargo::cargo_bin("openai-keycheck");
    if let Ok(chosen) = std::env::var("OPENAI_KEYCHECK_BINARY") {
        binary = chosen.into();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .args([
            "-c",
            "import subprocess, sys  # as -m ipykernel_launcher would run a cell's command\nsys.stdout.write(subprocess.run(['sh', '-c', '\"$0\" doctor --offline --format json', sys.argv[1]], capture_output=True, text=True).stdout)\n",
            binary.to_str().unwrap(),
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "notebook_kernel"),
        "{json:#}"
    );
    // Not from a kernel: nothing said.
    let run = Doctor::new().args(&["--offline"]).json().run();
    assert!(!run.finding_ids().contains(&"notebook_kernel".to_string()));
}

/// VS Code's settings give a program started from the editor what a
/// terminal's does not have: named.
#[test]
fn an_editors_environment_is_named() {
    let run = Doctor::new()
        .file(".vscode/settings.json", "{\n  // comments, as VS Code allows\n  \"python.envFile\": \"${workspaceFolder}/.env.dev\",\n}\n")
        .file(
            ".vscode/launch.json",
            "{ \"configurations\": [ { \"name\": \"Run app\", \"env\": { \"OPENAI_API_KEY\": \"${env:MY_KEY}\" } } ] }",
        )
        .args(&["--offline"])
        .json()
        .run();
    let said: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "editor_environment")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].contains(".env.dev") && said[1].contains("\"Run app\" sets OPENAI_API_KEY"),
        "{said:?}"
    );
}

/// A Streamlit app's secrets: the root-level values are put into the app's
/// environment when Streamlit starts, over the shell's (observed with
/// Streamlit 1.67), the project's file over `~/.streamlit/`'s; a key under a
/// table never reaches the environment. A program that does not import
/// streamlit does not get them.
#[test]
fn streamlit_secrets_are_an_apps_environment() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let secrets = format!(
        "OPENAI_API_KEY = \"{KEY}\"\nOPENAI_BASE_URL = \"{}\"\n",
        server.base_url()
    );
    let run = Doctor::new()
        .secret(KEY)
        .secret(SHELL_KEY)
        .env("OPENAI_API_KEY", SHELL_KEY)
        .file(".streamlit/secrets.toml", &secrets)
        .json()
        .run();
    let json = run.json();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(json["key"]["source"], "streamlit_secrets");
    assert_eq!(json["settings"]["base_url"]["origin"], "streamlit_secrets");
    assert_eq!(server.requests().len(), 1);
    run.finding("streamlit_secrets");

    // Under a table: `st.secrets["openai"]["api_key"]` only.
    let run = Doctor::new()
        .secret(KEY)
        .file(
            ".streamlit/secrets.toml",
            &format!("[openai]\napi_key = \"{KEY}\"\n"),
        )
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing");
    assert!(
        run.checklist()
            .lines()
            .next()
            .unwrap()
            .contains("secrets.toml:2 holds the key as openai.api_key"),
        "{}",
        run.checklist()
    );

    // A program that is no Streamlit app does not get them; one that is does.
    let plain = "from openai import OpenAI\nclient = OpenAI()\n";
    let app = "import streamlit as st\nfrom openai import OpenAI\nclient = OpenAI()\n";
    for (code, expected) in [(plain, "env"), (app, "streamlit_secrets")] {
        let run = Doctor::new()
            .secret(KEY)
            .secret(SHELL_KEY)
            .env("OPENAI_API_KEY", SHELL_KEY)
            .file(
                ".streamlit/secrets.toml",
                &format!("OPENAI_API_KEY = \"{KEY}\"\n"),
            )
            .file("app.py", code)
            .args(&["app.py", "--offline"])
            .json()
            .run();
        assert_eq!(run.json()["key"]["source"], expected, "{}", run.stdout);
    }
}

/// A unit file given by its path (perhaps a cloned repository's) is a
/// project's file: a host it names gets no key given on standard input
/// unless vouched for.
#[test]
fn a_host_a_unit_file_names_gets_no_key_from_elsewhere() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let unit = format!(
        "[Service]\nExecStart=/usr/bin/python3 app.py\nEnvironment=OPENAI_BASE_URL={}\n",
        server.base_url()
    );
    let doctor = || {
        Doctor::new()
            .key(KEY)
            .file("deploy/app.service", &unit)
            .args(&["--unit", "deploy/app.service"])
            .json()
    };
    // The shell's key is not the service's at all.
    let run = doctor().run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    let run = doctor().stdin(KEY).args(&["--api-key-stdin"]).run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    let checklist = run.checklist();
    assert!(
        checklist.contains("in the unit file's environment"),
        "{checklist}"
    );
    assert!(server.requests().is_empty());
    let run = doctor()
        .stdin(KEY)
        .args(&["--api-key-stdin", "--trust-env-file"])
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests().len(), 1);
}
