//! `lint`, run as a user runs it, on fixture pairs: under
//! `tests/fixtures/lint/<rule>/<language>/`, a program with the trap
//! (`trap/`) and the same program without it (`clean/`), with their `.env`
//! (`{KEY}` stands for the test key). The rule fires on the trap and is
//! silent on its twin; every format of both is a snapshot; and where a run
//! can show the trap, the real SDK runs both programs against a local
//! server, and the program goes wrong exactly where the rule fired.

use crate::common::{self, KEY, Server, fixture, json_response};
use crate::sdk;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wiremock::{Request, ResponseTemplate};

/// How a pair's programs are run, where a run can show the trap.
#[derive(Clone, Copy, Debug)]
enum Witness {
    /// openai-python 3.x, with the fixture's `.env`.
    Python,
    /// openai-python 1.x with OPENAI_API_KEY unset: the trap sends a
    /// request without a key, its twin refuses before sending.
    Python1KeyUnset,
    /// openai-node, with the fixture's `.env`.
    Node,
}

/// Every pair: the rule, the language folder, and its witness.
const PAIRS: &[(&str, &str, Option<Witness>)] = &[
    ("client_before_dotenv", "py", Some(Witness::Python)),
    ("client_before_dotenv", "cjs", Some(Witness::Node)),
    ("client_before_dotenv", "mjs", Some(Witness::Node)),
    ("client_before_dotenv", "ts", None),
    ("client_before_dotenv", "ipynb", None),
    // Across modules: the entry imports `llm.*`, which creates the client.
    ("client_before_dotenv", "py-across", Some(Witness::Python)),
    ("client_before_dotenv", "mjs-across", Some(Witness::Node)),
    ("client_before_dotenv", "cjs-across", Some(Witness::Node)),
    ("client_before_dotenv", "ts-across", None),
    ("env_set_after_client", "py", Some(Witness::Python)),
    ("env_set_after_client", "cjs", Some(Witness::Node)),
    ("env_set_after_client", "mjs", Some(Witness::Node)),
    ("env_set_after_client", "ts", None),
    ("legacy_module_api", "py", Some(Witness::Python)),
    ("legacy_module_api", "cjs", Some(Witness::Node)),
    ("legacy_module_api", "mjs", Some(Witness::Node)),
    ("legacy_module_api", "ts", None),
    ("retry_on_auth_error", "py", None),
    ("retry_on_auth_error", "mjs", None),
    ("retry_on_auth_error", "cjs", None),
    ("retry_on_auth_error", "ts", None),
    ("key_in_logs", "py", None),
    ("key_in_logs", "js", None),
    ("key_in_logs", "ts", None),
    ("wrong_variable_name", "py", Some(Witness::Python)),
    ("wrong_variable_name", "cjs", Some(Witness::Node)),
    ("wrong_variable_name", "mjs", Some(Witness::Node)),
    ("wrong_variable_name", "ts", None),
    ("empty_key_default", "py", Some(Witness::Python1KeyUnset)),
    ("hardcoded_key", "py", None),
    ("hardcoded_key", "ts", None),
    ("hardcoded_key", "cjs", None),
    ("hardcoded_key", "mjs", None),
    ("browser_exposed_key", "tsx", None),
    ("browser_exposed_key", "ts", None),
    ("browser_exposed_key", "mjs", None),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

/// A fixture folder copied to a temporary one, `{KEY}` filled in.
fn copy(rule: &str, language: &str, side: &str) -> tempfile::TempDir {
    let from = fixtures().join(rule).join(language).join(side);
    let to = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&from).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .replace("{KEY}", KEY);
        std::fs::write(to.path().join(entry.file_name()), text).unwrap();
    }
    to
}

struct Linted {
    code: i32,
    stdout: String,
    stderr: String,
}

fn lint(dir: &Path, args: &[&str]) -> Linted {
    let out = Command::new(common::binary())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    let linted = Linted {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!linted.stdout.contains(KEY), "the key leaked:\n{}", linted.stdout);
    assert!(!linted.stderr.contains(KEY), "the key leaked:\n{}", linted.stderr);
    linted
}

fn rules_fired(dir: &Path) -> Vec<String> {
    let run = lint(dir, &["--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_rule_fires_on_its_trap_and_not_on_the_twin() {
    for (rule, language, _) in PAIRS {
        let trap = copy(rule, language, "trap");
        let clean = copy(rule, language, "clean");
        let fired = rules_fired(trap.path());
        assert!(fired.contains(&rule.to_string()), "{rule}/{language}: {fired:?}");
        assert_eq!(lint(trap.path(), &[]).code, 1, "{rule}/{language}");
        let quiet = rules_fired(clean.path());
        assert!(quiet.is_empty(), "{rule}/{language} clean: {quiet:?}");
        assert_eq!(lint(clean.path(), &[]).code, 0, "{rule}/{language} clean");
    }
}

#[test]
fn every_format_of_every_pair_is_a_snapshot() {
    for (rule, language, _) in PAIRS {
        for side in ["trap", "clean"] {
            let dir = copy(rule, language, side);
            for format in ["human", "json", "github", "sarif", "junit"] {
                let run = lint(dir.path(), &["--format", format]);
                insta::assert_snapshot!(format!("lint_{rule}_{language}_{side}_{format}"), run.stdout);
            }
        }
    }
}

/// The service: the models for the test key, 401 for any other or none.
fn service() -> Server {
    let server = Server::start();
    server.serve(|request: &Request| {
        let authorization = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap_or_default().to_string());
        if authorization.as_deref() == Some(&format!("Bearer {KEY}")) {
            json_response(200, &fixture("200_models.json"))
        } else {
            ResponseTemplate::new(401)
                .set_body_raw(fixture("401_no_api_key.json").into_bytes(), "application/json")
        }
    });
    server
}

/// What a program did: it worked, or it sent a request without the key,
/// or it sent nothing.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Worked,
    SentNoKey,
    Failed,
}

fn run_program(dir: &Path, witness: Witness) -> Outcome {
    let server = service();
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("app."))
        })
        .unwrap();
    let mut command = match witness {
        Witness::Python => Command::new(sdk::python()),
        Witness::Python1KeyUnset => Command::new(sdk::python_1x()),
        Witness::Node => {
            // ESM resolves packages from node_modules folders, not NODE_PATH.
            std::os::unix::fs::symlink(sdk::node().join("node_modules"), dir.join("node_modules")).unwrap();
            let mut node = Command::new("node");
            node.env("NODE_PATH", sdk::node().join("node_modules"));
            node
        }
    };
    let out = command
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env_remove("OPENAI_API_KEY")
        .env("HOME", dir)
        .env("OPENAI_BASE_URL", server.base_url())
        .env("SECRET_STORE_KEY", KEY)
        .current_dir(dir)
        .arg(&entry)
        .output()
        .unwrap();
    let requests = server.requests();
    let keyless = requests.iter().any(|r| {
        r.headers
            .get("authorization")
            .is_none_or(|v| v.to_str().unwrap_or_default().trim() == "Bearer")
    });
    match (out.status.success(), keyless) {
        (true, _) => Outcome::Worked,
        (false, true) => Outcome::SentNoKey,
        (false, false) => Outcome::Failed,
    }
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_real_sdks_fail_exactly_where_the_rules_fire() {
    for (rule, language, witness) in PAIRS {
        let Some(witness) = *witness else { continue };
        let trap = copy(rule, language, "trap");
        let clean = copy(rule, language, "clean");
        let (bad, good) = (
            run_program(trap.path(), witness),
            run_program(clean.path(), witness),
        );
        match witness {
            // Both fail without a key; only the trap sends a request without one.
            Witness::Python1KeyUnset => {
                assert_eq!(bad, Outcome::SentNoKey, "{rule}/{language} trap");
                assert_eq!(good, Outcome::Failed, "{rule}/{language} clean");
            }
            Witness::Python | Witness::Node => {
                assert_ne!(bad, Outcome::Worked, "{rule}/{language}: the trap worked");
                assert_eq!(good, Outcome::Worked, "{rule}/{language}: the clean twin failed");
            }
        }
    }
}

#[test]
fn the_json_report_validates_against_its_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/lint-v1.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (rule, language, _) in PAIRS {
        let dir = copy(rule, language, "trap");
        let report: Value = serde_json::from_str(&lint(dir.path(), &["--format", "json"]).stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{rule}/{language}: {errors:?}");
    }
}

#[test]
fn the_sarif_log_validates_against_the_sarif_schema() {
    let schema: Value = serde_json::from_str(&fixture("sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap();
    // The schema bites: a log without its version, or a result without a message, fails it.
    assert!(!validator.is_valid(&serde_json::json!({"runs": []})));
    let no_message = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "x"}]}]});
    assert!(!validator.is_valid(&no_message));
    for (rule, language, _) in PAIRS {
        for side in ["trap", "clean"] {
            let dir = copy(rule, language, side);
            let log: Value = serde_json::from_str(&lint(dir.path(), &["--format", "sarif"]).stdout).unwrap();
            let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{rule}/{language}/{side}: {errors:?}");
            let results = log["runs"][0]["results"].as_array().unwrap();
            assert_eq!(results.is_empty(), side == "clean");
            for result in results {
                let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap();
                assert!(!uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
                assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
            }
        }
    }
}

#[test]
fn annotations_by_default_under_github_actions_and_junit_is_xml() {
    let dir = copy("client_before_dotenv", "py", "trap");
    let out = Command::new(common::binary())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .current_dir(dir.path())
        .arg("lint")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .starts_with("::error file=app.py,line=4,col=10,title=openai-keycheck%3A client_before_dotenv::"),
        "{stdout}"
    );
    let junit = lint(dir.path(), &["--format", "junit"]).stdout;
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut failures = 0;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == "failure" => failures += 1,
            _ => {}
        }
    }
    assert_eq!(failures, 1, "{junit}");
}

#[test]
fn a_comment_silences_a_rule_on_its_line_or_the_one_below() {
    let dir = copy("client_before_dotenv", "py", "trap");
    let app = dir.path().join("app.py");
    let text = std::fs::read_to_string(&app).unwrap().replace(
        "client = OpenAI(max_retries=0)\n",
        "# keycheck: ignore[client_before_dotenv]\nclient = OpenAI(max_retries=0)\n",
    );
    std::fs::write(&app, text).unwrap();
    assert!(rules_fired(dir.path()).is_empty());
    // Another rule's id silences nothing.
    let dir = copy("client_before_dotenv", "py", "trap");
    let app = dir.path().join("app.py");
    let text = std::fs::read_to_string(&app).unwrap().replace(
        "client = OpenAI(max_retries=0)\n",
        "client = OpenAI(max_retries=0)  # keycheck: ignore[hardcoded_key]\n",
    );
    std::fs::write(&app, text).unwrap();
    assert_eq!(rules_fired(dir.path()), ["client_before_dotenv"]);
}

#[test]
fn select_ignore_and_fail_on() {
    let dir = copy("empty_key_default", "py", "trap");
    assert_eq!(lint(dir.path(), &[]).code, 1, "a warning fails by default");
    assert_eq!(lint(dir.path(), &["--fail-on", "error"]).code, 0);
    assert_eq!(lint(dir.path(), &["--ignore", "empty_key_default"]).code, 0);
    assert_eq!(
        lint(dir.path(), &["--select", "hardcoded_key,parse_error"]).code,
        0
    );
    assert_eq!(lint(dir.path(), &["--select", "empty_key_default"]).code, 1);
}

#[test]
fn hidden_ignored_and_vendored_files_are_skipped_unless_asked() {
    let dir = copy("client_before_dotenv", "py", "trap");
    let app = std::fs::read_to_string(dir.path().join("app.py")).unwrap();
    std::fs::remove_file(dir.path().join("app.py")).unwrap();
    for place in ["node_modules/pkg/app.py", ".venv/lib/app.py", "build/app.py"] {
        let path = dir.path().join(place);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &app).unwrap();
    }
    std::fs::write(dir.path().join(".ignore"), "build/\n").unwrap();
    assert!(rules_fired(dir.path()).is_empty());
    let all = lint(dir.path(), &["--no-ignore", "--format", "json"]);
    let json: Value = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 3, "{}", all.stdout);
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = lint(dir.path(), &["no-such-folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);
}

#[test]
fn a_file_that_does_not_parse_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.py"),
        "from openai import OpenAI\nclient = OpenAI(\ndef (:\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.ts"),
        "import OpenAI from 'openai';\nconst = ;\n",
    )
    .unwrap();
    assert_eq!(rules_fired(dir.path()), ["parse_error", "parse_error"]);
}

#[test]
fn a_key_in_code_or_a_dotenv_is_never_printed_whole() {
    let dir = copy("hardcoded_key", "py", "trap");
    std::fs::write(dir.path().join(".env"), format!("OPEN_AI_API_KEY={KEY}\n")).unwrap();
    for format in ["human", "json"] {
        // `lint` itself asserts that the key is not in the output.
        let run = lint(dir.path(), &["--format", format]);
        assert!(run.stdout.contains("sk-proj-…"), "{}", run.stdout);
    }
}

#[test]
fn a_file_too_large_or_not_utf8_is_said_or_read() {
    let dir = tempfile::tempdir().unwrap();
    // A bundle past the size limit that mentions OpenAI: said, not parsed.
    let mut bundle = String::from("import OpenAI from 'openai';\n");
    while bundle.len() <= 1024 * 1024 {
        bundle.push_str("var a=1;");
    }
    std::fs::write(dir.path().join("bundle.js"), bundle).unwrap();
    // Latin-1 with its coding line: read as far as it is UTF-8.
    let mut latin =
        b"# -*- coding: latin-1 -*-\n# caf\xe9\nfrom openai import OpenAI\nfrom dotenv import load_dotenv\n"
            .to_vec();
    latin.extend_from_slice(b"client = OpenAI()\nload_dotenv()\n");
    std::fs::write(dir.path().join("latin.py"), latin).unwrap();
    assert_eq!(rules_fired(dir.path()), ["parse_error", "client_before_dotenv"]);
}

/// A `.env` line shown for a finding there masks a value named as a
/// credential, even one in no known key's form (a gateway's or Azure's).
#[test]
fn a_credential_in_a_dotenv_line_is_masked_whatever_its_form() {
    let dir = copy("wrong_variable_name", "cjs", "trap");
    let secret = "9c2e0f4a6b8d1c3e5f7a9b0d2e4f6a8c";
    std::fs::write(dir.path().join(".env"), format!("OPEN_AI_API_KEY={secret}\n")).unwrap();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let run = lint(dir.path(), &["--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stdout);
        assert!(!run.stdout.contains(secret), "{format}: {}", run.stdout);
    }
}

/// Real code from public repositories, before and after a fix
/// (`tests/fixtures/lint/corpus/README.md` names each source): the rules
/// that fire on each side, and the traps known to be missed today.
#[test]
fn real_code_before_and_after_a_fix() {
    let corpus = fixtures().join("corpus");
    // (folder, rules before, rules after)
    let expected: &[(&str, &[&str], &[&str])] = &[
        ("eval-framework", &["empty_key_default"], &["empty_key_default"]),
        // The trap across modules: an ES import three modules deep, and a
        // CommonJS require two deep.
        ("bolt-js-assistant-template", &["client_before_dotenv"], &[]),
        ("voice-ai-js-starter", &["client_before_dotenv"], &[]),
        ("garak-backoff-apierror", &["retry_on_auth_error"], &[]),
        // Unpinned in requirements.txt: a fresh install is 1.x.
        ("streamlit-llm-examples-v1", &["legacy_module_api"], &[]),
        // Known misses: a hand-written retry loop; tenacity's `Retrying`
        // iterator around litellm. When lint sees them, `before` here
        // becomes ["retry_on_auth_error"].
        ("langroid-retry-auth", &[], &[]),
        ("swe-agent-retry-auth", &[], &[]),
    ];
    for (folder, before, after) in expected {
        for (side, want) in [("before", before), ("after", after)] {
            let mut fired = rules_fired(&corpus.join(folder).join(side));
            fired.dedup();
            assert_eq!(
                &fired, want,
                "{folder}/{side} (see tests/fixtures/lint/corpus/README.md)"
            );
        }
    }
}

/// `.openai-keycheck.toml` (`[lint]`) or a `pyproject.toml`'s
/// `[tool.openai-keycheck.lint]`, the nearest one at or above the first path:
/// what it selects, ignores, excludes and turns off for some paths, and
/// `fail-on`; flags win over it.
#[test]
fn settings_from_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.replace("{KEY}", KEY)).unwrap();
    };
    let hardcoded = std::fs::read_to_string(fixtures().join("hardcoded_key/py/trap/app.py")).unwrap();
    let empty_default = std::fs::read_to_string(fixtures().join("empty_key_default/py/trap/app.py")).unwrap();
    write("src/app.py", &hardcoded);
    write("src/settings.py", &empty_default);
    write("tests/test_app.py", &hardcoded);
    write("legacy/old.py", &hardcoded);
    let fired = |args: &[&str]| -> (Vec<String>, i32) {
        let run = lint(root, args);
        let json: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{e}: {} {}", run.stdout, run.stderr));
        let hits = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["rule"].as_str().unwrap()))
            .collect();
        (hits, run.code)
    };
    let all = fired(&["--format", "json"]);
    assert_eq!(all.0.len(), 4, "{all:?}");
    // A pyproject that only depends on the tool, or does not parse, is no settings file.
    write(
        "pyproject.toml",
        "[project]\nname = \"x\"\ndependencies = [\"openai-keycheck\"]\n",
    );
    assert_eq!(fired(&["--format", "json"]), all);
    write(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.openai-keycheck.lint]\nexclude = [\"legacy/\"]\nfail-on = \"error\"\n\n[tool.openai-keycheck.lint.per-file-ignores]\n\"tests/**\" = [\"hardcoded_key\"]\n",
    );
    let (hits, code) = fired(&["--format", "json"]);
    assert_eq!(
        hits,
        ["src/app.py:hardcoded_key", "src/settings.py:empty_key_default"]
    );
    assert_eq!(code, 1);
    // fail-on = "error": the warning alone exits 0; the flag wins over it.
    let (hits, code) = fired(&["--format", "json", "--select", "empty_key_default"]);
    assert_eq!((hits.len(), code), (1, 0));
    assert_eq!(
        fired(&[
            "--format",
            "json",
            "--select",
            "empty_key_default",
            "--fail-on",
            "warning"
        ])
        .1,
        1
    );
    // The nearest settings file wins: beside pyproject.toml, the tool's own.
    write(".openai-keycheck.toml", "[lint]\nignore = [\"hardcoded_key\"]\n");
    assert_eq!(
        fired(&["--format", "json"]).0,
        ["src/settings.py:empty_key_default"]
    );
    // Found from the path linted, whatever the working folder.
    let run = lint(root.join("tests").as_path(), &["--format", "json", "."]);
    assert!(!run.stdout.contains("hardcoded_key"), "{}", run.stdout);
    assert_eq!(fired(&["--format", "json", "--no-config"]).0.len(), 4);
    let (hits, _) = fired(&["--format", "json", "--config", "pyproject.toml"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    // A mistake in the settings is a usage error that names the file and the key.
    write(".openai-keycheck.toml", "[lint]\nignore = [\"hardcoded_keys\"]\n");
    let run = lint(root, &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(".openai-keycheck.toml") && run.stderr.contains("hardcoded_keys"),
        "{}",
        run.stderr
    );
    write(".openai-keycheck.toml", "[lint]\nselekt = [\"hardcoded_key\"]\n");
    let run = lint(root, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("selekt"), "{}", run.stderr);
    write(".openai-keycheck.toml", "[lint]\nfail-on = \"info\"\n");
    assert_eq!(lint(root, &[]).code, 2);
    // A setting beside `lint` in the tool's table, or a misspelt table.
    std::fs::remove_file(root.join(".openai-keycheck.toml")).unwrap();
    write(
        "pyproject.toml",
        "[tool.openai-keycheck]\nignore = [\"hardcoded_key\"]\n",
    );
    let run = lint(root, &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("`ignore` is not a table"), "{}", run.stderr);
    write(
        "pyproject.toml",
        "[tool.openai-keycheck.lnit]\nignore = [\"hardcoded_key\"]\n",
    );
    assert_eq!(lint(root, &[]).code, 2);
}

/// `--fix` applies the safe fixes, and the real SDK then works where the
/// trap failed; `--diff` shows every fix and changes no file.
#[test]
fn fixes_that_the_real_sdks_accept() {
    for (rule, language, witness) in [
        ("client_before_dotenv", "py", Witness::Python),
        ("client_before_dotenv", "cjs", Witness::Node),
        ("client_before_dotenv", "mjs", Witness::Node),
    ] {
        let trap = copy(rule, language, "trap");
        let entry = std::fs::read_dir(trap.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("app."))
            })
            .unwrap();
        let before = std::fs::read_to_string(&entry).unwrap();
        let diff = lint(trap.path(), &["--diff"]);
        assert_eq!(diff.code, 1, "{rule}/{language}: {}", diff.stderr);
        insta::assert_snapshot!(format!("lint_fix_{rule}_{language}_diff"), diff.stdout);
        assert_eq!(
            std::fs::read_to_string(&entry).unwrap(),
            before,
            "--diff changed a file"
        );
        let fixed = lint(trap.path(), &["--fix"]);
        assert_eq!(
            fixed.code, 0,
            "{rule}/{language}: {}{}",
            fixed.stdout, fixed.stderr
        );
        assert!(fixed.stderr.contains("Fixed 1 problem"), "{}", fixed.stderr);
        assert!(rules_fired(trap.path()).is_empty());
        if cfg!(has_registries) {
            assert_eq!(
                run_program(trap.path(), witness),
                Outcome::Worked,
                "{rule}/{language} fixed"
            );
        }
    }
}

/// The unsafe fixes are shown, never applied by `--fix`.
#[test]
fn unsafe_fixes_are_only_shown() {
    // What the program does once the diff is applied by hand.
    for (rule, language, applied) in [
        ("empty_key_default", "py", Outcome::Failed),
        ("wrong_variable_name", "py", Outcome::Worked),
        ("env_set_after_client", "py", Outcome::Worked),
    ] {
        let trap = copy(rule, language, "trap");
        let diff = lint(trap.path(), &["--diff"]);
        assert_eq!(diff.code, 1, "{rule}/{language}: {}", diff.stderr);
        assert!(diff.stderr.contains("0 safe"), "{rule}: {}", diff.stderr);
        insta::assert_snapshot!(format!("lint_fix_{rule}_{language}_diff"), diff.stdout);
        let fixed = lint(trap.path(), &["--fix"]);
        assert_eq!(fixed.code, 1);
        assert!(!fixed.stderr.contains("Fixed"), "{}", fixed.stderr);
        assert!(rules_fired(trap.path()).contains(&rule.to_string()));
        // The diff is a patch git applies; then the rule is silent, and the
        // real SDK does what the fix promised (1.x, key unset: it refuses
        // at once instead of sending no key).
        std::fs::write(trap.path().join("fix.patch"), &diff.stdout).unwrap();
        let git = Command::new("git")
            .args(["apply", "fix.patch"])
            .current_dir(trap.path())
            .output()
            .unwrap();
        assert!(git.status.success(), "{}", String::from_utf8_lossy(&git.stderr));
        assert!(!rules_fired(trap.path()).contains(&rule.to_string()));
        if cfg!(has_registries) {
            let witness = if rule == "empty_key_default" {
                Witness::Python1KeyUnset
            } else {
                Witness::Python
            };
            assert_eq!(run_program(trap.path(), witness), applied, "{rule} applied");
        }
    }
    // Nothing to fix: said, and exit 0.
    let clean = copy("client_before_dotenv", "py", "clean");
    let diff = lint(clean.path(), &["--diff"]);
    assert_eq!((diff.code, diff.stdout.as_str()), (0, ""));
}

/// A key no rule reads — in a comment, beside the code a finding shows or
/// a fix moves — is masked in the code frame and in the diff.
#[test]
fn a_key_in_a_comment_is_masked_where_code_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let app = format!(
        "from dotenv import load_dotenv\nfrom openai import OpenAI\n\nclient = OpenAI()  # was {KEY}\nload_dotenv()\n"
    );
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    // `lint` fails the test if the key appears anywhere.
    let human = lint(dir.path(), &[]);
    assert!(human.stdout.contains("# was sk-"), "{}", human.stdout);
    let diff = lint(dir.path(), &["--diff"]);
    assert!(diff.stdout.contains("# was sk-"), "{}", diff.stdout);
}
