//! The real clients, against the same local server as the doctor: what they
//! send is what the doctor sends, and what the findings say they do is what
//! they do. The clients are installed once under target/ from the package
//! registries, at the versions named here; where that cannot work (no
//! registry), the tests fail and say so, unless OPENAI_KEYCHECK_SKIP_SDK=1
//! at build time marks them ignored (`build.rs`).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{Doctor, Server, fixture, json_response};

const OPENAI_PYTHON: &str = "openai==3.57.0";
const PYTHON_DOTENV: &str = "python-dotenv==1.2.4";
const OPENAI_NODE: &str = "openai@6.49.0";
const NODE_DOTENV: &str = "dotenv@18.0.10";

const KEY: &str = "sk-proj-Sdk0Test1Key2For3Comparing4T3BlbkFJWhatTheClientsSend5678";
const OTHER: &str = "sk-proj-Other0Key1From2Custom3Headers4T3BlbkFJNotTheEnvironment9";

fn root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("sdk")
}

/// The venv's python, with the Python SDK and python-dotenv.
pub(crate) fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| venv("venv", &[OPENAI_PYTHON, PYTHON_DOTENV]))
}

/// The last 1.x release, for what the checklists say of 1.x.
pub(crate) fn python_1x() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| venv("venv-1x", &[OPENAI_PYTHON_1X]))
}

const OPENAI_PYTHON_1X: &str = "openai==1.109.1";

/// langchain-openai, over the same Python SDK.
pub(crate) fn langchain() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        venv(
            "venv-langchain",
            &[LANGCHAIN_OPENAI, LANGCHAIN_CORE, OPENAI_PYTHON],
        )
    })
}

const LANGCHAIN_OPENAI: &str = "langchain-openai==1.7.4";
const LANGCHAIN_CORE: &str = "langchain-core==1.8.3";

fn venv(name: &str, packages: &[&str]) -> PathBuf {
    let venv = root().join(name);
    let python = venv.join("bin/python");
    let ready = venv.join(packages.join("+"));
    if !ready.exists() {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status();
        let installed = made.is_ok_and(|s| s.success())
            && Command::new(&python)
                .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
                .args(packages)
                .status()
                .is_ok_and(|s| s.success());
        assert!(
            installed,
            "could not install {packages:?} from PyPI; set OPENAI_KEYCHECK_SKIP_SDK=1 (at build time) to skip these tests knowingly"
        );
        std::fs::write(&ready, "").unwrap();
    }
    python
}

/// A folder with the Node SDK and dotenv in its node_modules.
pub(crate) fn node() -> &'static Path {
    static NODE: OnceLock<PathBuf> = OnceLock::new();
    NODE.get_or_init(|| {
        let dir = root().join("node");
        let ready = dir.join(format!("{OPENAI_NODE}+{NODE_DOTENV}"));
        if !ready.exists() {
            std::fs::create_dir_all(&dir).unwrap();
            let installed = Command::new("npm")
                .current_dir(&dir)
                .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .args([OPENAI_NODE, NODE_DOTENV])
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                installed,
                "could not install {OPENAI_NODE} from npm; set OPENAI_KEYCHECK_SKIP_SDK=1 (at build time) to skip these tests knowingly"
            );
            std::fs::write(&ready, "").unwrap();
        }
        dir
    })
}

/// The headers of the one request a run sent, or None when it sent none.
struct Sent(Option<http::HeaderMap>);

impl Sent {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .as_ref()?
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

fn sent(server: &Server) -> Sent {
    let requests = server.requests();
    assert!(requests.len() <= 1, "{} requests", requests.len());
    Sent(requests.into_iter().next().map(|r| r.headers))
}

/// One `models.list()` by the Python SDK, in a folder holding `dotenv` as
/// `.env` when given; `load` is the Python run first (e.g. `load_dotenv()`).
fn python_run(server: &Server, env: &[(&str, &str)], dotenv: Option<&str>, load: &str) -> Sent {
    python_with(python(), server, env, dotenv, load).0
}

/// The same with a given python; also what the program printed (the
/// exception a failing client raised).
fn python_with(
    python: &Path,
    server: &Server,
    env: &[(&str, &str)],
    dotenv: Option<&str>,
    load: &str,
) -> (Sent, String) {
    let program = format!(
        "{load}\nimport openai\ntry:\n    openai.OpenAI(max_retries=0).models.list()\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
    );
    python_program(python, server, env, dotenv, &program)
}

fn python_program(
    python: &Path,
    server: &Server,
    env: &[(&str, &str)],
    dotenv: Option<&str>,
    program: &str,
) -> (Sent, String) {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = dotenv {
        std::fs::write(dir.path().join(".env"), text).unwrap();
    }
    let out = Command::new(python)
        .env_clear()
        .env("HOME", dir.path())
        .env("OPENAI_BASE_URL", server.base_url())
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .args(["-c", program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (sent(server), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn node_run(server: &Server, env: &[(&str, &str)], dotenv: Option<&str>, load: &str) -> Sent {
    node_in(server, env, dotenv, load, "")
}

/// The same, run in `sub`, a folder below the one holding the `.env`.
fn node_in(server: &Server, env: &[(&str, &str)], dotenv: Option<&str>, load: &str, sub: &str) -> Sent {
    let modules = node().join("node_modules");
    let top = tempfile::tempdir().unwrap();
    if let Some(text) = dotenv {
        std::fs::write(top.path().join(".env"), text).unwrap();
    }
    let dir = top.path().join(sub);
    std::fs::create_dir_all(&dir).unwrap();
    let program = format!(
        "{load}\nconst OpenAI = require('openai');\ntry {{\n  new OpenAI({{maxRetries: 0}}).models.list().catch(e => console.log(e.constructor.name));\n}} catch (e) {{\n  console.log(e.constructor.name, e.message);\n}}"
    );
    let out = Command::new("node")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", top.path())
        .env("NODE_PATH", &modules)
        .env("OPENAI_BASE_URL", server.base_url())
        .envs(env.iter().copied())
        .current_dir(&dir)
        .args(["-e", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    sent(server)
}

fn doctor_run(server: &Server, env: &[(&str, &str)]) -> (Sent, common::Run) {
    doctor_for(server, env, Doctor::new())
}

/// The doctor as `doctor` is set up (a client, a `.env`), with `env`.
fn doctor_for(server: &Server, env: &[(&str, &str)], doctor: Doctor) -> (Sent, common::Run) {
    let mut doctor = doctor
        .secret(KEY)
        .secret(OTHER)
        .env("OPENAI_BASE_URL", &server.base_url())
        .json();
    for (name, value) in env {
        doctor = doctor.env(name, value);
    }
    let run = doctor.run();
    (sent(server), run)
}

/// One `models.list()` through the client `ChatOpenAI()` builds, which
/// carries its base URL, organization and proxy.
fn langchain_run(server: &Server, env: &[(&str, &str)]) -> (Sent, String) {
    let program = "from langchain_openai import ChatOpenAI\ntry:\n    ChatOpenAI(max_retries=0).root_client.models.list()\nexcept Exception as e:\n    print(type(e).__name__, e)\n";
    python_program(langchain(), server, env, None, program)
}

fn server() -> Server {
    let server = Server::start();
    server.respond("/v1/models", json_response(200, &fixture("200_models.json")));
    server
}

const COMPARED: &[&str] = &["authorization", "openai-organization", "openai-project", "x-team"];

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_doctor_sends_what_the_python_sdk_sends() {
    let custom = format!("Authorization: Bearer {OTHER}\nX-Team: search");
    let cases: [&[(&str, &str)]; 3] = [
        &[
            ("OPENAI_API_KEY", KEY),
            ("OPENAI_ORG_ID", "org-Abc"),
            ("OPENAI_PROJECT_ID", "proj_Def"),
        ],
        // Empty: Python sends both headers empty.
        &[
            ("OPENAI_API_KEY", KEY),
            ("OPENAI_ORG_ID", ""),
            ("OPENAI_PROJECT_ID", ""),
        ],
        // The custom Authorization replaces the key.
        &[("OPENAI_API_KEY", KEY), ("OPENAI_CUSTOM_HEADERS", &custom)],
    ];
    for env in cases {
        let server_for_sdk = server();
        let by_sdk = python_run(&server_for_sdk, env, None, "");
        let server_for_doctor = server();
        let (by_doctor, run) = doctor_run(&server_for_doctor, env);
        assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
        for header in COMPARED {
            assert_eq!(by_doctor.get(header), by_sdk.get(header), "{header} for {env:?}");
        }
    }
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn what_the_findings_say_of_node_holds() {
    // Node leaves empty organization and project headers out, and sends the
    // custom Authorization too.
    let server_for_sdk = server();
    let env = [
        ("OPENAI_API_KEY", KEY),
        ("OPENAI_ORG_ID", ""),
        ("OPENAI_PROJECT_ID", ""),
    ];
    let by_node = node_run(&server_for_sdk, &env, None, "");
    assert_eq!(by_node.get("openai-organization"), None);
    assert_eq!(by_node.get("openai-project"), None);
    let custom = format!("Authorization: Bearer {OTHER}\nX-Team: search");
    let server_for_sdk = server();
    let by_node = node_run(
        &server_for_sdk,
        &[("OPENAI_API_KEY", KEY), ("OPENAI_CUSTOM_HEADERS", &custom)],
        None,
        "",
    );
    assert_eq!(by_node.get("authorization"), Some(format!("Bearer {OTHER}")));
}

/// White space around a key: what each SDK does, and what the finding says.
#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn white_space_as_each_sdk_treats_it() {
    for (raw, python_sends) in [
        (format!("{KEY}\n"), None),
        (format!("{KEY} "), None),
        (format!("{KEY}\t"), None),
        (format!("\n{KEY}"), None),
        (format!(" {KEY}"), Some(format!("Bearer  {KEY}"))),
        (format!("\t{KEY}"), Some(format!("Bearer \t{KEY}"))),
    ] {
        let env = [("OPENAI_API_KEY", raw.as_str())];
        let server_for_sdk = server();
        let by_python = python_run(&server_for_sdk, &env, None, "");
        assert_eq!(by_python.get("authorization"), python_sends, "Python, {raw:?}");
        let server_for_sdk = server();
        let by_node = node_run(&server_for_sdk, &env, None, "");
        assert_eq!(
            by_node.get("authorization"),
            Some(format!("Bearer {KEY}")),
            "Node, {raw:?}"
        );

        let (_, run) = doctor_run(&server(), &env);
        let finding = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "surrounding_whitespace")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .expect("the finding");
        let says_nothing_sent = finding.contains("sends nothing");
        assert_eq!(says_nothing_sent, python_sends.is_none(), "{raw:?}: {finding}");
        assert!(finding.contains("Node's SDK trims it"), "{finding}");
    }
}

/// The advice for a stale exported key in front of a fresh one in `.env`:
/// loading the `.env` does not override it, and `override` does.
#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn a_dotenv_does_not_override_an_exported_key_unless_asked() {
    let dotenv = format!("OPENAI_API_KEY={OTHER}\n");
    let env = [("OPENAI_API_KEY", KEY)];
    for (load, sent_key) in [
        ("from dotenv import load_dotenv; load_dotenv()", KEY),
        (
            "from dotenv import load_dotenv; load_dotenv(override=True)",
            OTHER,
        ),
    ] {
        let by_python = python_run(&server(), &env, Some(&dotenv), load);
        assert_eq!(
            by_python.get("authorization"),
            Some(format!("Bearer {sent_key}")),
            "{load}"
        );
    }
    for (load, sent_key) in [
        ("require('dotenv').config({quiet: true});", KEY),
        ("require('dotenv').config({override: true, quiet: true});", OTHER),
    ] {
        let by_node = node_run(&server(), &env, Some(&dotenv), load);
        assert_eq!(
            by_node.get("authorization"),
            Some(format!("Bearer {sent_key}")),
            "{load}"
        );
    }
}

/// What the checklists say a program does when it has no key, or an empty
/// one: the SDK's own words, and whether anything is sent.
#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn what_a_program_does_without_a_key() {
    let python = python();
    // No key, but one in ~/.openai/auth.json: 3.x never reads the file.
    let local = server();
    let (sent, said) = python_with(
        python,
        &local,
        &[],
        None,
        "import os, pathlib; p = pathlib.Path(os.environ['HOME'], '.openai'); p.mkdir(); (p / 'auth.json').write_text('{\"api_key\": \"%s\"}' % 'sk-proj-InTheFile')",
    );
    assert!(sent.0.is_none());
    assert!(said.contains("Missing credentials"), "{said}");
    // An empty variable hides the key in .env, even with load_dotenv().
    let local = server();
    let dotenv = format!("OPENAI_API_KEY={KEY}\n");
    let (sent, said) = python_with(
        python,
        &local,
        &[("OPENAI_API_KEY", "")],
        Some(&dotenv),
        "from dotenv import load_dotenv; load_dotenv()",
    );
    assert!(sent.0.is_none());
    assert!(said.contains("Missing credentials"), "{said}");
    // openai-python 1.x sends an empty key without an Authorization header.
    let python_1x = python_1x();
    let local = Server::start();
    local.respond("/v1/models", json_response(401, &fixture("401_no_api_key.json")));
    let (sent, said) = python_with(python_1x, &local, &[("OPENAI_API_KEY", "")], None, "");
    assert!(sent.0.is_some(), "1.x sends the request: {said}");
    assert_eq!(sent.get("authorization"), None);
    assert!(said.contains("AuthenticationError"), "{said}");
}

/// What a world sends under `--client`: the same headers as the real
/// client, or nothing where the real client sends nothing.
fn assert_same(by_client: &Sent, by_doctor: &Sent, world: &str) {
    assert_eq!(
        by_doctor.0.is_some(),
        by_client.0.is_some(),
        "a request at all, {world}"
    );
    for header in COMPARED {
        assert_eq!(by_doctor.get(header), by_client.get(header), "{header}, {world}");
    }
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_doctor_sends_what_openai_node_sends() {
    let closed = format!("http://127.0.0.1:{}", common::closed_port());
    let padded = format!("{KEY}\n");
    let worlds: [(&str, &[(&str, &str)]); 5] = [
        // Node trims: a trailing newline is harmless, and so is a padded organization.
        (
            "a key with a newline",
            &[("OPENAI_API_KEY", &padded), ("OPENAI_ORG_ID", " org-Abc\n")],
        ),
        // Empty organization and project are left out.
        (
            "empty headers",
            &[
                ("OPENAI_API_KEY", KEY),
                ("OPENAI_ORG_ID", ""),
                ("OPENAI_PROJECT_ID", ""),
            ],
        ),
        // A blank key counts as unset: the constructor throws.
        ("a blank key", &[("OPENAI_API_KEY", " \n")]),
        // Node 20's fetch reads no proxy variable: the request goes direct.
        (
            "a proxy variable",
            &[
                ("OPENAI_API_KEY", KEY),
                ("HTTP_PROXY", &closed),
                ("HTTPS_PROXY", &closed),
            ],
        ),
        ("only an admin key", &[("OPENAI_ADMIN_KEY", OTHER)]),
    ];
    for (world, env) in worlds {
        let by_node = node_run(&server(), env, None, "");
        let (by_doctor, run) = doctor_for(&server(), env, Doctor::new().args(&["--client", "node"]));
        assert_same(&by_node, &by_doctor, world);
        assert_eq!(run.json()["client"], "node");
    }
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn under_node_a_dotenv_counts_only_in_the_current_folder() {
    let dotenv = format!("OPENAI_API_KEY={KEY}\n");
    let load = "require('dotenv').config({quiet: true});";
    for (sub, sends) in [("", true), ("app", false)] {
        let by_node = node_in(&server(), &[], Some(&dotenv), load, sub);
        assert_eq!(by_node.0.is_some(), sends, "Node in {sub:?}");
        let mut doctor = Doctor::new().args(&["--client", "node"]).file(".env", &dotenv);
        if !sub.is_empty() {
            doctor = doctor.in_dir(sub);
        }
        let (by_doctor, run) = doctor_for(&server(), &[], doctor);
        assert_same(&by_node, &by_doctor, sub);
        if !sends {
            assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
        }
    }
    // openai-python's programs load it from a parent folder: the doctor finds it there.
    let (by_doctor, _) = doctor_for(&server(), &[], Doctor::new().file(".env", &dotenv).in_dir("app"));
    assert!(by_doctor.0.is_some());
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_doctor_sends_what_langchain_sends() {
    let closed = format!("http://127.0.0.1:{}/v1", common::closed_port());
    // Each world's variables, for the server the run goes to.
    let world = |name: &str, server: &Server| -> Vec<(&'static str, String)> {
        let key = ("OPENAI_API_KEY", KEY.to_string());
        let away = ("OPENAI_BASE_URL", closed.clone());
        match name {
            // OPENAI_API_BASE comes first.
            "OPENAI_API_BASE" => vec![key, away, ("OPENAI_API_BASE", server.base_url())],
            // An empty one falls through to OPENAI_BASE_URL.
            "an empty OPENAI_API_BASE" => vec![key, ("OPENAI_API_BASE", String::new())],
            // The organization from OPENAI_ORGANIZATION when OPENAI_ORG_ID is empty.
            "OPENAI_ORGANIZATION" => vec![
                key,
                ("OPENAI_ORG_ID", String::new()),
                ("OPENAI_ORGANIZATION", "org-Old".into()),
            ],
            // OPENAI_PROXY carries every request: the server answers as the proxy.
            "OPENAI_PROXY" => vec![key, away, ("OPENAI_PROXY", server.mock.uri())],
            // LangSmith's gateway, ahead of OPENAI_BASE_URL, with its own key.
            "LANGSMITH_GATEWAY" => vec![
                key,
                away,
                ("LANGSMITH_GATEWAY", server.mock.uri()),
                ("LANGSMITH_GATEWAY_API_KEY", OTHER.into()),
            ],
            "no key" => vec![],
            other => unreachable!("{other}"),
        }
    };
    let server = || {
        let server = server();
        server.respond(
            "/openai/v1/models",
            json_response(200, &fixture("200_models.json")),
        );
        server
    };
    for name in [
        "OPENAI_API_BASE",
        "an empty OPENAI_API_BASE",
        "OPENAI_ORGANIZATION",
        "OPENAI_PROXY",
        "LANGSMITH_GATEWAY",
        "no key",
    ] {
        let for_langchain = server();
        let env = world(name, &for_langchain);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (by_langchain, said) = langchain_run(&for_langchain, &env);
        let for_doctor = server();
        let env = world(name, &for_doctor);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (by_doctor, run) = doctor_for(&for_doctor, &env, Doctor::new().args(&["--client", "langchain"]));
        assert_same(
            &by_langchain,
            &by_doctor,
            &format!("{name} (langchain said {said:?}; the doctor {})", run.stdout),
        );
        assert_eq!(
            for_doctor.requests().first().map(|r| r.url.path().to_string()),
            for_langchain.requests().first().map(|r| r.url.path().to_string()),
            "{name}"
        );
    }
}

/// What an Azure program sent: the path with its query and the headers
/// that carry who is calling; None when it sent nothing.
fn azure_sent(server: &Server) -> Option<(String, Vec<Option<String>>)> {
    let requests = server.requests();
    assert!(requests.len() <= 1, "{} requests", requests.len());
    let request = requests.into_iter().next()?;
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    Some((
        format!("{}?{}", request.url.path(), request.url.query().unwrap_or("")),
        [
            "api-key",
            "authorization",
            "openai-organization",
            "openai-project",
        ]
        .iter()
        .map(|name| header(name))
        .collect(),
    ))
}

fn azure_resource() -> Server {
    let server = Server::start();
    server.respond_any(
        "/openai/models",
        json_response(200, &fixture("azure_200_models.json")),
    );
    server.respond_any(
        "/openai/deployments/my-gpt-4o/chat/completions",
        json_response(400, &fixture("azure_400_empty_messages.json")),
    );
    server
}

type AzureWorld<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<String>, Option<&'a str>);

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_doctor_sends_what_azure_openai_sends() {
    const TOKEN: &str =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmVzZXJ2aWNlcyJ9.c2lnbmF0dXJl";
    let key = common::AZURE_KEY;
    let version = ("OPENAI_API_VERSION", "2024-10-21");
    // (world, variables besides the endpoint, a .env, a deployment)
    let worlds: Vec<AzureWorld> = vec![
        (
            "a key, organization and project",
            vec![
                ("AZURE_OPENAI_API_KEY", key),
                version,
                ("OPENAI_ORG_ID", "org-Abc"),
                ("OPENAI_PROJECT_ID", "proj_Def"),
            ],
            None,
            None,
        ),
        (
            "a token over a key",
            vec![
                ("AZURE_OPENAI_API_KEY", key),
                ("AZURE_OPENAI_AD_TOKEN", TOKEN),
                version,
            ],
            None,
            None,
        ),
        (
            "an empty token over a key",
            vec![
                ("AZURE_OPENAI_API_KEY", key),
                ("AZURE_OPENAI_AD_TOKEN", ""),
                version,
            ],
            None,
            None,
        ),
        (
            "an empty key",
            vec![("AZURE_OPENAI_API_KEY", ""), version],
            None,
            None,
        ),
        ("no credential", vec![version], None, None),
        ("no API version", vec![("AZURE_OPENAI_API_KEY", key)], None, None),
        (
            "a key in .env",
            vec![version],
            Some(format!("AZURE_OPENAI_API_KEY={key}\n")),
            None,
        ),
        (
            "a token in .env over a key outside",
            vec![("AZURE_OPENAI_API_KEY", key), version],
            Some(format!("AZURE_OPENAI_AD_TOKEN={TOKEN}\n")),
            None,
        ),
        (
            "a deployment",
            vec![("AZURE_OPENAI_API_KEY", key), version],
            None,
            Some("my-gpt-4o"),
        ),
    ];
    for (world, env, dotenv, deployment) in worlds {
        let for_sdk = azure_resource();
        let endpoint = format!("{}/", for_sdk.mock.uri());
        let mut sdk_env = env.clone();
        sdk_env.push(("AZURE_OPENAI_ENDPOINT", &endpoint));
        let call = match deployment {
            None => "c.models.list()".to_string(),
            Some(name) => format!("c.chat.completions.create(model='{name}', messages=[])"),
        };
        let load = if dotenv.is_some() {
            "from dotenv import load_dotenv; load_dotenv()\n"
        } else {
            ""
        };
        let program = format!(
            "{load}import openai\ntry:\n    c = openai.AzureOpenAI(max_retries=0)\n    {call}\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
        );
        let python = python();
        let (_, said) = python_program(python, &for_sdk, &sdk_env, dotenv.as_deref(), &program);
        let by_sdk = azure_sent(&for_sdk);

        let for_doctor = azure_resource();
        let endpoint = format!("{}/", for_doctor.mock.uri());
        let mut doctor = Doctor::new()
            .secret(key)
            .secret(TOKEN)
            .env("AZURE_OPENAI_ENDPOINT", &endpoint)
            .json();
        for (name, value) in &env {
            doctor = doctor.env(name, value);
        }
        if let Some(text) = &dotenv {
            doctor = doctor.file(".env", text);
        }
        if let Some(name) = deployment {
            doctor = doctor.args(&["--model", name]);
        }
        let run = doctor.run();
        assert_eq!(run.json()["client"], "azure", "{world}");
        assert_eq!(
            azure_sent(&for_doctor),
            by_sdk,
            "{world}: the SDK said {said:?}; the doctor:\n{}",
            run.stdout
        );
        if by_sdk.is_none() {
            assert_ne!(run.code, 0, "{world}: {}", run.stdout);
        }
    }
}
