//! `doctor PROGRAM`: programs in Python and JS/TS (`tests/fixtures/program/`),
//! each run as a user would (`doctor app.py`), against a local service, in
//! every format: what the code decides (the client, the variable or literal
//! its key comes from, the settings it passes, the `.env` it loads and
//! when, the deployment it calls) must decide the verdict, each with its
//! `path:line`, and the human report is pinned as a snapshot.
//!
//! In each fixture, `{base}` stands for the local service's base URL,
//! `{endpoint}` for its Azure endpoint, and `{KEY}` for the key it accepts.

use crate::common::{self, AZURE_KEY, Doctor, KEY, Server, json_response};

use std::path::Path;

use serde_json::Value;
use wiremock::{Request, ResponseTemplate};

const REVOKED: &str = "sk-proj-Rv0kd1Key2That3The4Server5Refuses6T3BlbkFJLeftInTheShell7From8LastYear9Zz00";

/// OpenAI's API and an Azure resource with one deployment, `gpt4o-prod`,
/// in one local service: `KEY` (Bearer) or `AZURE_KEY` (`api-key`) works.
fn service() -> Server {
    let server = Server::start();
    server.serve(|request: &Request| -> ResponseTemplate {
        let bearer = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let api_key = request.headers.get("api-key").and_then(|v| v.to_str().ok());
        let path = request.url.path();
        if path.starts_with("/openai/") {
            if api_key != Some(AZURE_KEY) {
                return json_response(401, &common::fixture("azure_401_invalid_key.json"));
            }
            return match path {
                "/openai/deployments/gpt4o-prod/chat/completions" => {
                    json_response(400, &common::fixture("azure_400_empty_messages.json"))
                }
                "/openai/models" => json_response(200, &common::fixture("azure_200_models.json")),
                _ => json_response(
                    404,
                    r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#,
                ),
            };
        }
        if bearer != Some(KEY) {
            return json_response(401, &common::fixture("401_invalid_api_key.json"));
        }
        json_response(200, &common::fixture("200_models.json"))
    });
    server
}

/// One fixture program, and the world it runs in.
struct Case {
    name: &'static str,
    /// What `doctor` is given: the entry point, or the folder.
    program: &'static str,
    env: &'static [(&'static str, &'static str)],
    exit: i32,
    diagnosis: &'static str,
    /// Findings the run must make.
    findings: &'static [&'static str],
    /// The client the code decides.
    client: &'static str,
}

const CASES: &[Case] = &[
    // A settings module with a pydantic-settings class that reads its own .env.
    Case {
        name: "py-settings-module",
        program: "app.py",
        env: &[],
        exit: 0,
        diagnosis: "ok",
        findings: &["client_from_code"],
        client: "python",
    },
    // The seed's trap: the client is made before the .env is loaded.
    Case {
        name: "py-dotenv-too-late",
        program: "app.py",
        env: &[("LLM_BASE_URL", "{base}")],
        exit: 1,
        diagnosis: "key_missing",
        findings: &["dotenv_loaded_too_late"],
        client: "python",
    },
    // A variable of the program's own naming, and a base URL in code:
    // a host the code names gets nothing from the shell unless vouched for.
    Case {
        name: "py-key-variable",
        program: "app.py",
        env: &[("MY_OPENAI_KEY", "{KEY}"), ("OPENAI_API_KEY", REVOKED)],
        exit: 1,
        diagnosis: "untrusted_base_url",
        findings: &["client_from_code"],
        client: "python",
    },
    // A key written in the code: tested, never shown.
    Case {
        name: "py-hardcoded-key",
        program: "app.py",
        env: &[("LLM_BASE_URL", "{base}"), ("OPENAI_API_KEY", REVOKED)],
        exit: 0,
        diagnosis: "ok",
        findings: &["hardcoded_key"],
        client: "python",
    },
    // load_dotenv(override=True): the .env's key beats the exported one.
    Case {
        name: "py-dotenv-override",
        program: "app.py",
        env: &[("OPENAI_API_KEY", REVOKED)],
        exit: 0,
        diagnosis: "ok",
        findings: &["client_from_code"],
        client: "python",
    },
    // A folder with two kinds of client: the first is followed, the other named.
    Case {
        name: "py-two-clients",
        program: ".",
        env: &[
            ("OPENAI_API_KEY", "{KEY}"),
            ("AZURE_OPENAI_API_KEY", "{AZURE_KEY}"),
            ("AZURE_OPENAI_ENDPOINT", "{endpoint}"),
        ],
        exit: 0,
        diagnosis: "ok",
        findings: &["clients_differ"],
        client: "azure",
    },
    // Azure's recommended token provider: not followed, and said so.
    Case {
        name: "azure-token-provider",
        program: "app.py",
        env: &[
            ("AZURE_OPENAI_ENDPOINT", "{endpoint}"),
            ("AZURE_OPENAI_API_KEY", "{AZURE_KEY}"),
        ],
        exit: 0,
        diagnosis: "ok",
        findings: &["key_not_followed"],
        client: "azure",
    },
    // The deployment the code calls does not exist.
    Case {
        name: "azure-deployment-in-code",
        program: "app.py",
        env: &[
            ("AZURE_OPENAI_ENDPOINT", "{endpoint}"),
            ("AZURE_OPENAI_API_KEY", "{AZURE_KEY}"),
        ],
        exit: 1,
        diagnosis: "deployment_not_found",
        findings: &["client_from_code"],
        client: "azure",
    },
    // TypeScript: `import "dotenv/config"` first, a settings module after it.
    Case {
        name: "ts-settings-module",
        program: "app.ts",
        env: &[],
        exit: 0,
        diagnosis: "ok",
        findings: &["client_from_code"],
        client: "node",
    },
    // Node without dotenv: the key in .env is never seen.
    Case {
        name: "cjs-no-dotenv",
        program: "app.cjs",
        env: &[("LLM_BASE_URL", "{base}")],
        exit: 1,
        diagnosis: "key_missing",
        findings: &["dotenv_never_loaded"],
        client: "node",
    },
];

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/program"))
}

fn fill(text: &str, server: &Server) -> String {
    text.replace("{base}", &server.base_url())
        .replace("{endpoint}", &format!("{}/", server.mock.uri()))
        .replace("{AZURE_KEY}", AZURE_KEY)
        .replace("{KEY}", KEY)
}

/// The case's doctor: its files in HOME (the working folder), its variables.
fn doctor(case: &Case, server: &Server) -> Doctor {
    let mut doctor = Doctor::new().secret(KEY).secret(REVOKED).secret(AZURE_KEY);
    let dir = fixtures().join(case.name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for file in files {
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        doctor = doctor.file(&name, &fill(&std::fs::read_to_string(&file).unwrap(), server));
    }
    for (name, value) in case.env {
        doctor = doctor.env(name, &fill(value, server));
    }
    doctor.args(&[case.program])
}

#[test]
fn every_fixture_program_decides_its_verdict() {
    let names = common::names_in(fixtures());
    for name in &names {
        assert!(
            CASES.iter().any(|c| c.name == name),
            "tests/fixtures/program/{name} has no case in CASES"
        );
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report-v1.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for case in CASES {
        let server = service();
        let run = doctor(case, &server).json().run();
        let json = run.json();
        assert_eq!(
            (run.code, run.diagnosis().as_str()),
            (case.exit, case.diagnosis),
            "{}:\n{}{}",
            case.name,
            run.stdout,
            run.stderr
        );
        assert_eq!(json["client"], case.client, "{}", case.name);
        for id in case.findings {
            run.finding(id);
        }
        let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", case.name);
        // Every place the code is cited is a file of the fixture, and a line in it.
        let program = &json["program"];
        let cited = program["clients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["at"])
            .chain(program["settings"].as_array().unwrap().iter().map(|s| &s["at"]))
            .chain(program["models"].as_array().unwrap().iter().map(|m| &m["at"]));
        for at in cited {
            let at = at.as_str().unwrap();
            let (file, line) = at.rsplit_once(':').unwrap();
            let text =
                std::fs::read_to_string(fixtures().join(case.name).join(file.trim_start_matches("./")))
                    .unwrap_or_else(|e| panic!("{}: {at}: {e}", case.name));
            let line: usize = line.parse().unwrap();
            assert!(line >= 1 && line <= text.lines().count(), "{}: {at}", case.name);
        }
        // Every other format says the same, and none shows a key.
        for format in common::FORMATS {
            let other = doctor(case, &server).args(format).run();
            assert_eq!(other.code, case.exit, "{} {format:?}", case.name);
        }
    }
}

#[test]
fn each_fixture_program_in_human_form() {
    for case in CASES {
        let server = service();
        let run = doctor(case, &server).args(&["--color", "never"]).run();
        assert!(run.stderr.is_empty(), "{}: {}", case.name, run.stderr);
        let text = crate::snapshots::stable(&run.stdout, run.home.path());
        insta::assert_snapshot!(format!("program_{}", case.name), text);
    }
}

/// What code the doctor cannot read is a usage error, said plainly.
#[test]
fn a_program_that_cannot_be_read_is_a_usage_error() {
    let run = Doctor::new().args(&["no-such-app.py"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no-such-app.py"), "{}", run.stderr);
    let run = Doctor::new()
        .file("notes.txt", "hello")
        .args(&["notes.txt"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a program"), "{}", run.stderr);
}

/// A file's name reaches the report as the place the code is cited: its
/// control characters are shown escaped, in every format.
#[test]
fn a_hostile_file_name_is_shown_escaped() {
    let name = "app\u{1b}[2J\u{7}.py";
    for format in common::FORMATS {
        let run = Doctor::new()
            .secret(KEY)
            .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
            .file(
                name,
                "from openai import OpenAI\nclient = OpenAI()\nfrom dotenv import load_dotenv\nload_dotenv()\n",
            )
            .args(&[name, "--offline"])
            .args(format)
            .run();
        assert_eq!(run.code, 1, "{format:?}: {}{}", run.stdout, run.stderr);
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
            "{format:?}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("\\u{1b}") || *format == ["--quiet"],
            "{format:?}: {}",
            run.stdout
        );
    }
}

/// A chain of imports as deep as the files allow is followed to its end
/// without exhausting the stack, and a cycle ends.
#[test]
fn a_deep_chain_of_imports_and_a_cycle_end() {
    let depth = 3000;
    let mut doctor = Doctor::new().secret(KEY);
    for i in 0..depth {
        doctor = doctor.file(&format!("m{i}.py"), &format!("import m{}\n", i + 1));
    }
    doctor = doctor
        .file(
            &format!("m{depth}.py"),
            &format!("import m0\nfrom openai import OpenAI\nclient = OpenAI(api_key=\"{KEY}\", base_url=\"http://127.0.0.1:9/v1\")\n"),
        )
        .args(&["m0.py", "--offline", "--format", "json"]);
    let run = doctor.run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["program"]["clients"][0]["at"], format!("m{depth}.py:3"));
    assert_eq!(json["program"]["files"].as_array().unwrap().len(), depth + 1);
}

/// A `.env` the code names outside the program's project (the user's own
/// secrets file) is not the project's: a host the code names may not have
/// its key. One inside the project may. And a program started by a relative
/// path that climbs (`../code/app.py`) loads the `.env` python-dotenv finds
/// from the program's own folder.
#[test]
fn a_dotenv_outside_the_project_is_not_the_projects() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let app = |env_file: &str| {
        format!(
            "from dotenv import load_dotenv\nload_dotenv(\"{env_file}\")\nfrom openai import OpenAI\nclient = OpenAI(base_url=\"{}\")\n",
            server.base_url()
        )
    };
    let doctor = Doctor::new().secret(KEY);
    let outside = doctor.home().join("secrets/openai.env");
    let run = doctor
        .file("secrets/openai.env", &format!("OPENAI_API_KEY={KEY}\n"))
        .file("proj/app.py", &app(outside.to_str().unwrap()))
        .args(&["proj/app.py"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(
        run.checklist().contains("a .env outside the project"),
        "{}",
        run.checklist()
    );
    assert!(server.requests().is_empty());

    let run = Doctor::new()
        .secret(KEY)
        .file("proj/config/openai.env", &format!("OPENAI_API_KEY={KEY}\n"))
        .file("proj/app.py", &app("proj/config/openai.env"))
        .args(&["proj/app.py"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests().len(), 1);

    // `load_dotenv()` searches from app.py's folder up, not from the
    // working one: a `.env` beside where it is started is not the program's.
    let run = Doctor::new()
        .secret(KEY)
        .in_dir("run")
        .file("run/.env", &format!("OPENAI_API_KEY={KEY}\n"))
        .file(
            "code/app.py",
            &format!(
                "from dotenv import load_dotenv\nload_dotenv()\nfrom openai import OpenAI\nclient = OpenAI(base_url=\"{}\")\n",
                server.base_url()
            ),
        )
        .args(&["../code/app.py"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    assert_eq!(
        server.requests().len(),
        1,
        "only the request of the project's own .env"
    );
}

/// openai-node's AzureOpenAI with `endpoint` in the code and OPENAI_BASE_URL
/// set: the real client throws when it is made, and the doctor, reading the
/// program, sends nothing and says why.
#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn an_azure_endpoint_in_code_beside_openai_base_url_stops_the_node_client() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let app = "const { AzureOpenAI } = require(\"openai\");\nconst client = new AzureOpenAI({ endpoint: process.env.AZURE_OPENAI_ENDPOINT, apiVersion: \"2024-10-21\" });\nclient.models.list().then(() => console.log(\"listed\"), (e) => { console.error(e.message); process.exit(1); });\n";
    let doctor = Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com",
        )
        .env("OPENAI_BASE_URL", &server.base_url())
        .file("app.js", app);
    let home = doctor.home();
    let run = doctor.args(&["app.js"]).json().run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.diagnosis(), "wrong_base_url", "{}", run.stdout);
    assert!(
        run.finding_ids().contains(&"base_url_and_endpoint".to_string()),
        "{}",
        run.stdout
    );
    assert!(server.requests().is_empty());
    // The real client, in the same world.
    let out = std::process::Command::new("node")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NODE_PATH", crate::sdk::node().join("node_modules"))
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com",
        )
        .env("OPENAI_BASE_URL", server.base_url())
        .current_dir(&home)
        .arg("app.js")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("baseURL and endpoint are mutually exclusive"),
        "{stderr}"
    );
    assert!(server.requests().is_empty());
}

/// A key the code computes when it runs (a secret store's call), and none
/// anywhere else: the run says it cannot see it and how to give it one —
/// not that the client would fail — and with the key piped in, checks it.
#[test]
fn a_key_the_code_computes_is_asked_for_not_called_missing() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let app = format!(
        "from openai import OpenAI\nfrom vault import get_secret\nclient = OpenAI(api_key=get_secret(\"openai\"), base_url=\"{}\")\n",
        server.base_url()
    );
    let run = Doctor::new().file("app.py", &app).args(&["app.py"]).json().run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    let checklist = run.checklist();
    assert!(checklist.contains("computes its credential"), "{checklist}");
    assert!(
        checklist.contains("openai-keycheck doctor app.py --api-key-stdin"),
        "{checklist}"
    );
    assert!(!checklist.contains("Missing credentials"), "{checklist}");
    let run = Doctor::new()
        .secret(KEY)
        .file("app.py", &app)
        .stdin(KEY)
        .args(&["app.py", "--api-key-stdin", "--trust-env-file"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests().len(), 1);
}

/// A pass that rests on a setting the code computes: the step summary's
/// heading is a warning, not a clean pass, and the settings table does not
/// credit the code with a value that came from elsewhere.
#[test]
fn a_pass_that_could_not_see_everything_is_not_shown_as_clean() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let app = "import os\nfrom openai import OpenAI\nclient = OpenAI(base_url=os.environ[\"GATEWAY\"].rstrip(\"/\") + \"/v1\")\n";
    let doctor = || {
        Doctor::new()
            .key(KEY)
            .server(&server)
            .args(&["--trust-env-file"])
            .file("app.py", app)
            .args(&["app.py"])
    };
    let run = common::in_actions(doctor(), &[]).run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    let summary = run.summary.clone().unwrap_or_default();
    assert!(summary.starts_with("### ⚠️ openai-keycheck: `ok`"), "{summary}");
    let run = doctor().args(&["--color", "never"]).run();
    let base = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("base URL"))
        .unwrap_or_default();
    assert!(!base.contains("base_url= at"), "{base}");
}

/// A Node program whose code loads no .env, started by a `package.json`
/// script with `node --env-file=.env` (as the real Node does): the .env is
/// taken as loaded, and the run says it could not see how the program is
/// started — instead of calling the key missing.
#[test]
fn a_dotenv_a_launcher_loads_is_taken_as_loaded_and_said() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .secret(KEY)
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .file(
            "package.json",
            "{\"scripts\": {\"start\": \"node --env-file=.env app.js\"}, \"dependencies\": {\"openai\": \"^6\"}}",
        )
        .file(
            "app.js",
            "const OpenAI = require(\"openai\");\nconst client = new OpenAI();\n",
        )
        .server(&server)
        .args(&["app.js", "--trust-env-file"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let unseen = run.json()["diagnosis"]["unseen"].to_string();
    assert!(
        unseen.contains("not_followed") && unseen.contains("`start` loads .env"),
        "{unseen}"
    );
    assert_eq!(server.requests().len(), 1);
}

/// pydantic-settings' `env_file` fills the settings object, not the
/// environment: a client that reads OPENAI_BASE_URL itself gets nothing of
/// the file's (the key, passed from a field, does come from it).
#[test]
fn a_settings_class_env_file_does_not_reach_the_clients_own_variables() {
    let config = "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file=\".env\", extra=\"ignore\")\n    openai_api_key: str\n\nsettings = Settings()\n";
    let app = "from openai import OpenAI\nfrom config import settings\nclient = OpenAI(api_key=settings.openai_api_key)\n";
    let run = Doctor::new()
        .secret(KEY)
        .file(
            ".env",
            &format!("OPENAI_API_KEY={KEY}\nOPENAI_BASE_URL=https://gateway.example/v1\n"),
        )
        .file("config.py", config)
        .file("app.py", app)
        .args(&["app.py", "--offline"])
        .json()
        .run();
    let json = run.json();
    assert_eq!(json["diagnosis"]["id"], "offline", "{}", run.stdout);
    assert_eq!(json["key"]["source"], "dotenv", "{}", run.stdout);
    assert_eq!(json["base_url"], "https://api.openai.com/v1", "{}", run.stdout);
}

/// openai-node's AzureOpenAI checks its API version before its credential,
/// and says so in its own words: with neither, the real client throws the
/// version's error first, and the doctor leads with the same.
#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_node_azure_client_is_short_of_its_api_version_first() {
    let app = "const { AzureOpenAI } = require(\"openai\");\ntry { new AzureOpenAI(); } catch (e) { console.error(e.message); process.exit(1); }\n";
    let doctor = Doctor::new()
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com",
        )
        .file("app.js", app);
    let home = doctor.home();
    let run = doctor.args(&["app.js"]).json().run();
    assert_eq!(run.diagnosis(), "setting_missing", "{}", run.stdout);
    let checklist = run.checklist();
    assert!(
        checklist.contains("openai-node's `new AzureOpenAI()` throws `OpenAIError: The OPENAI_API_VERSION environment variable is missing or empty"),
        "{checklist}"
    );
    let out = std::process::Command::new("node")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NODE_PATH", crate::sdk::node().join("node_modules"))
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com",
        )
        .current_dir(&home)
        .arg("app.js")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("The OPENAI_API_VERSION environment variable is missing or empty"),
        "{stderr}"
    );
}
