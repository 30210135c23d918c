//! The chain, the request, the outputs and the promise never to show the key.

use crate::common;

use common::{Doctor, KEY, Server, fixture, json_response};

#[test]
fn one_request_with_the_headers_the_sdk_sends() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .env("OPENAI_ORG_ID", "org-Abc")
        .env("OPENAI_PROJECT_ID", "proj_Def")
        .json()
        .run();
    assert_eq!(run.code, 0);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/v1/models");
    assert_eq!(
        r.headers.get("authorization").unwrap(),
        format!("Bearer {KEY}").as_str()
    );
    assert_eq!(r.headers.get("openai-organization").unwrap(), "org-Abc");
    assert_eq!(r.headers.get("openai-project").unwrap(), "proj_Def");
    let agent = r.headers.get("user-agent").unwrap().to_str().unwrap();
    assert_eq!(agent, concat!("openai-keycheck/", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_retry_on_a_retryable_status() {
    let server = Server::start();
    server.answer(429, "429_rate_limit_exceeded.json");
    Doctor::new().key(KEY).server(&server).run();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn json_shape() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new().key(KEY).server(&server).json().run();
    let j = run.json();
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["tool"]["name"], "openai-keycheck");
    assert_eq!(j["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(j["ok"], true);
    assert_eq!(j["exit_code"], 0);
    assert_eq!(j["base_url"], server.base_url());
    for field in ["id", "title", "retry", "retry_after_seconds", "checklist"] {
        assert!(j["diagnosis"].get(field).is_some(), "diagnosis.{field}");
    }
    let key = &j["key"];
    assert_eq!(key["source"], "env");
    assert_eq!(key["location"], "OPENAI_API_KEY");
    assert_eq!(key["masked"], format!("sk-proj-…{}", &KEY[KEY.len() - 4..]));
    assert_eq!(key["fingerprint"].as_str().unwrap().len(), 12);
    assert_eq!(key["kind"], "project");
    assert_eq!(key["length"], KEY.len());
    let sources = j["sources"].as_array().unwrap();
    let names: Vec<&str> = sources.iter().map(|s| s["source"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["flag", "env", "dotenv", "openai_auth_json", "codex_auth_json"]
    );
    for s in sources {
        for field in ["location", "state", "used", "masked", "fingerprint"] {
            assert!(s.get(field).is_some(), "sources[].{field}");
        }
    }
    assert_eq!(sources[1]["used"], true);
    assert_eq!(sources[1]["fingerprint"], key["fingerprint"]);
    // A local base URL is worth a note, nothing more.
    let findings: Vec<_> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].clone(), f["severity"].clone()))
        .collect();
    assert_eq!(findings, [("custom_base_url".into(), "info".into())]);
    let probe = &j["probe"];
    assert_eq!(probe["method"], "GET");
    assert_eq!(probe["url"], format!("{}/models", server.base_url()));
    assert_eq!(probe["status"], 200);
    assert!(probe["error"].is_null());
    assert!(probe["network_error"].is_null());
    assert!(probe["elapsed_ms"].is_u64());
    for field in ["request_id", "organization", "project"] {
        assert!(probe.get(field).is_some(), "probe.{field}");
    }
    // Nothing but the object on stdout.
    assert!(run.stdout.trim_start().starts_with('{') && run.stdout.trim_end().ends_with('}'));
}

#[test]
fn a_trailing_newline_is_malformed_but_the_cleaned_key_is_tested() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(&format!("{KEY}\n"))
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_malformed");
    assert_eq!(run.code, 1);
    assert!(run.finding_ids().contains(&"surrounding_whitespace".to_string()));
    assert!(
        run.json()["diagnosis"]["checklist"]
            .to_string()
            .contains("cleaned key was accepted")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        format!("Bearer {KEY}").as_str()
    );
}

#[test]
fn quoted_key_rejected_even_when_cleaned() {
    let server = Server::start();
    server.answer(401, "401_invalid_api_key.json");
    let run = Doctor::new()
        .key(&format!("\"{KEY}\""))
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_malformed");
    assert!(
        run.json()["diagnosis"]["checklist"]
            .to_string()
            .contains("Even cleaned")
    );
}

#[test]
fn unsendable_keys_make_no_request() {
    for key in [
        "sk-proj-...wxyz".to_string(),
        "sk-your-api-key-here".to_string(),
        format!("{}\u{200b}", KEY),
    ] {
        let server = Server::start();
        server.answer(200, "200_models.json");
        let run = Doctor::new().key(&key).server(&server).json().run();
        assert_eq!(run.diagnosis(), "key_malformed", "{key:?}");
        assert_eq!(run.code, 1);
        assert_eq!(server.requests().len(), 0, "{key:?}");
    }
}

#[test]
fn another_providers_key_is_not_sent_to_openai() {
    // The default base URL: had anything been sent, this would be a network error.
    let key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    let run = Doctor::new().key(key).json().run();
    assert_eq!(run.diagnosis(), "key_malformed");
    assert!(run.json()["probe"].is_null());
    assert!(run.finding_ids().contains(&"other_provider".to_string()));
}

#[test]
fn another_providers_key_is_fine_elsewhere() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let key = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef";
    let run = Doctor::new().key(key).server(&server).json().run();
    assert_eq!(run.diagnosis(), "ok");
    assert_eq!(run.json()["key"]["provider"], "OpenRouter");
}

#[test]
fn the_key_from_stdin() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .secret(KEY)
        .stdin(&format!("{KEY}\n"))
        .server(&server)
        .args(&["--api-key-stdin"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.json()["key"]["source"], "flag");
    assert!(!run.finding_ids().contains(&"key_in_argv".to_string()));
}

#[test]
fn the_key_in_argv_is_a_warning() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .secret(KEY)
        .server(&server)
        .args(&["--api-key", KEY])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok");
    assert_eq!(run.code, 0);
    assert!(run.finding_ids().contains(&"key_in_argv".to_string()));
}

#[test]
fn a_key_only_in_dotenv_is_used_with_the_load_warning() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .secret(KEY)
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok");
    assert_eq!(run.json()["key"]["source"], "dotenv");
    assert!(run.finding_ids().contains(&"dotenv_not_loaded".to_string()));
}

#[test]
fn an_explicit_env_file() {
    let run = Doctor::new()
        .secret(KEY)
        .file("config/prod.env", &format!("OPENAI_API_KEY='{KEY}'\n"))
        .args(&["--env-file", "config/prod.env", "--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "offline");
    assert!(
        run.json()["key"]["location"]
            .as_str()
            .unwrap()
            .ends_with("prod.env:1")
    );
}

#[test]
fn conflicting_sources_name_the_winner() {
    let other = "sk-proj-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0PpT3BlbkFJOo9Nn8Mm7Ll6Kk5Jj4Ii3Hh2Gg1Ff0Ee";
    let run = Doctor::new()
        .key(KEY)
        .secret(other)
        .file(".env", &format!("OPENAI_API_KEY={other}\n"))
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "offline");
    let finding = run.finding("conflicting_sources");
    assert_eq!(finding["severity"], "warning");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("the one used is env")
    );
    let sources = run.json()["sources"].clone();
    assert_eq!(sources[2]["state"], "set");
    assert_eq!(sources[2]["used"], false);
}

#[test]
fn auth_json_keys_are_flagged_as_unread_by_the_sdk() {
    let run = Doctor::new()
        .secret(KEY)
        .file(".openai/auth.json", &format!("{{\"api_key\": \"{KEY}\"}}"))
        .args(&["--offline", "--no-env-file"])
        .json()
        .run();
    assert_eq!(run.json()["key"]["source"], "openai_auth_json");
    assert!(
        run.finding_ids()
            .contains(&"key_file_not_read_by_sdk".to_string())
    );

    let run = Doctor::new()
        .secret(KEY)
        .file(
            ".codex/auth.json",
            &format!("{{\"OPENAI_API_KEY\": \"{KEY}\", \"tokens\": null}}"),
        )
        .args(&["--offline", "--no-env-file"])
        .json()
        .run();
    assert_eq!(run.json()["key"]["source"], "codex_auth_json");
}

#[test]
fn a_broken_auth_json_is_reported_not_fatal() {
    let run = Doctor::new().file(".openai/auth.json", "{ not json").json().run();
    assert_eq!(run.diagnosis(), "key_missing");
    assert_eq!(run.json()["sources"][3]["state"], "invalid");
    assert!(run.finding_ids().contains(&"source_invalid".to_string()));
}

#[test]
fn human_report_has_every_section() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(200, &fixture("200_models.json")).insert_header("openai-organization", "user-abc123"),
    );
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--color", "never"])
        .run();
    assert_eq!(run.code, 0);
    for section in ["Key sources", "Key\n", "Probe", "Diagnosis: ok", "✓ ok:"] {
        assert!(run.stdout.contains(section), "{section:?} in:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("user-abc123"));
    assert!(run.stdout.contains("req_0123456789abcdef0123456789abcdef"));
    assert!(!run.stdout.contains('\u{1b}'), "no colour when asked for none");
}

#[test]
fn colour_is_forced_and_refused_on_request() {
    let run = Doctor::new().args(&["--color", "always"]).run();
    assert!(run.stdout.contains('\u{1b}'));
    let run = Doctor::new().env("CLICOLOR_FORCE", "1").run();
    assert!(run.stdout.contains('\u{1b}'));
    let run = Doctor::new()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .run();
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn quiet_prints_one_line() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(200, &fixture("200_models.json")).insert_header("openai-organization", "user-abc123"),
    );
    let run = Doctor::new().key(KEY).server(&server).args(&["-q"]).run();
    let tail = &KEY[KEY.len() - 4..];
    assert_eq!(
        run.stdout,
        format!("ok: key from env (sk-proj-…{tail}) accepted (user-abc123)\n")
    );

    let server = Server::start();
    server.answer(401, "401_invalid_api_key.json");
    let run = Doctor::new().key(KEY).server(&server).args(&["--quiet"]).run();
    assert_eq!(
        run.stdout,
        format!(
            "invalid_api_key: key from env (sk-proj-…{tail}) rejected with 401 — run without --quiet for the checklist\n"
        )
    );
}

#[test]
fn verbose_shows_the_raw_body_and_headers() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(429, &fixture("429_rate_limit_exceeded.json"))
            .insert_header("retry-after", "20")
            .insert_header("x-ratelimit-remaining-requests", "0"),
    );
    let run = Doctor::new().key(KEY).server(&server).args(&["-v"]).run();
    assert_eq!(run.code, 3);
    assert!(
        run.stdout.contains("x-ratelimit-remaining-requests: 0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"code\":\"rate_limit_exceeded\""),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = Doctor::new().args(&["--api-key", "x", "--api-key-stdin"]).run();
    assert_eq!(run.code, 2);
    let run = Doctor::new().args(&["--format", "yaml"]).run();
    assert_eq!(run.code, 2);
}

#[test]
fn help_never_shows_the_environment_key() {
    let run = Doctor::new().key(KEY).args(&["--help"]).run();
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--api-key-stdin"));
    assert!(run.stdout.contains("Exit codes"));
}

#[test]
fn bad_local_input_is_reported_not_fatal() {
    use std::os::unix::ffi::OsStrExt;
    // A key variable that is not UTF-8.
    let mut cmd = assert_cmd::Command::cargo_bin("openai-keycheck").unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = cmd
        .env_clear()
        .env("HOME", home.path())
        .env("OPENAI_API_KEY", std::ffi::OsStr::from_bytes(b"sk-\xff\xfe"))
        .current_dir(home.path())
        .args(["doctor", "--format", "json", "--no-env-file"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sources"][1]["state"], "invalid");
    assert_eq!(json["diagnosis"]["id"], "key_missing");

    // HOME unset.
    let out = assert_cmd::Command::cargo_bin("openai-keycheck")
        .unwrap()
        .env_clear()
        .current_dir(home.path())
        .args(["doctor", "--format", "json", "--no-env-file"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sources"][3]["detail"], "HOME is not set");

    // A .env that is not UTF-8, a huge auth.json, an empty codex file.
    let run = Doctor::new()
        .file(".env", "OPENAI_API_KEY=sk-\u{0}")
        .file(".openai/auth.json", &"x".repeat(2 * 1024 * 1024))
        .file(".codex/auth.json", "")
        .json()
        .run();
    let sources = run.json()["sources"].clone();
    assert_eq!(sources[3]["state"], "invalid");
    assert!(sources[3]["detail"].as_str().unwrap().contains("larger than"));
    assert_eq!(sources[4]["state"], "invalid");
    // The NUL in the .env key is a control character: nothing is sent.
    assert_eq!(run.diagnosis(), "key_malformed");
    assert!(run.finding_ids().contains(&"control_characters".to_string()));
}

#[test]
fn a_dotenv_that_is_not_utf8() {
    let doctor = Doctor::new();
    std::fs::write(doctor.home().join(".env"), b"OPENAI_API_KEY=sk-\xff\xfe\n").unwrap();
    let run = doctor.json().run();
    assert_eq!(run.json()["sources"][2]["state"], "unreadable");
    assert!(
        run.json()["sources"][2]["detail"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
}

#[test]
fn an_unreadable_file_says_why() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join(".openai/auth.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "{}").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut binary = assert_cmd::cargo::cargo_bin("openai-keycheck");
    let mut cmd = std::process::Command::new(&binary);
    // Root reads every file: then the check runs as `nobody`, from a copy of
    // the binary in a folder that user can reach.
    if unsafe { libc::geteuid() } == 0 {
        for dir in [home.path(), file.parent().unwrap()] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let copy = home.path().join("openai-keycheck");
        std::fs::copy(&binary, &copy).unwrap();
        binary = copy;
        cmd = std::process::Command::new(&binary);
        cmd.uid(65534).gid(65534);
    }
    let out = cmd
        .env_clear()
        .env("HOME", home.path())
        .current_dir(home.path())
        .args(["doctor", "--format", "json", "--no-env-file", "--offline"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(json["sources"][3]["state"], "unreadable", "{json:#}");
    assert!(
        json["sources"][3]["detail"].as_str().unwrap().contains("denied"),
        "{json:#}"
    );
}

#[test]
fn the_other_sdk_variables_are_reported_with_their_origin() {
    let admin = "sk-admin-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    let run = Doctor::new()
        .key(KEY)
        .secret(admin)
        .secret("hunter2-custom-token")
        .env("OPENAI_ADMIN_KEY", admin)
        .env(
            "OPENAI_CUSTOM_HEADERS",
            "X-Team: search\nAuthorization: Bearer hunter2-custom-token",
        )
        .env("OPENAI_ORG_ID", "org-Abc")
        .file(".env", "OPENAI_PROJECT_ID=proj_Def\n")
        .args(&["--offline"])
        .json()
        .run();
    let settings = run.json()["settings"].clone();
    assert_eq!(settings["organization"]["origin"], "env");
    assert_eq!(settings["project"]["value"], "proj_Def");
    assert_eq!(settings["project"]["origin"], "dotenv");
    assert_eq!(
        settings["custom_headers"]["names"],
        serde_json::json!(["X-Team", "Authorization"])
    );
    assert_eq!(settings["admin_key"]["masked"], "sk-admin-…6789");
    assert_eq!(settings["admin_key"]["origin"], "env");
    for id in ["custom_headers_authorization", "admin_key_variable"] {
        assert!(run.finding_ids().contains(&id.to_string()), "{id}");
    }
}

#[test]
fn a_fifo_where_a_file_should_be_is_refused_not_waited_on() {
    let doctor = Doctor::new();
    let home = doctor.home();
    for fifo in [home.join("planted.env"), home.join("ca.pem")] {
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success(), "mkfifo {}", fifo.display());
    }
    // Nothing ever writes to them: reading would block for ever.
    let run = doctor
        .key(KEY)
        .args(&["--env-file", "planted.env", "--ca-cert", "ca.pem", "--offline"])
        .json()
        .run();
    let json = run.json();
    assert_eq!(json["sources"][2]["state"], "unreadable", "{json:#}");
    assert!(
        json["sources"][2]["detail"]
            .as_str()
            .unwrap()
            .contains("named pipe (FIFO)"),
        "{json:#}"
    );
    let ca = run.finding("ca_cert_unusable");
    assert!(
        ca["message"].as_str().unwrap().contains("named pipe (FIFO)"),
        "{ca}"
    );
}

/// A setting that stops the client stops the check: with `OPENAI_BASE_URL`
/// set but empty, openai-python and LangChain fail every call before
/// sending anything, so the verdict is a fix, never an `ok` from the
/// default URL; openai-node takes the default.
#[test]
fn an_empty_base_url_fails_where_the_client_fails() {
    for client in ["python", "langchain"] {
        let run = Doctor::new()
            .key(KEY)
            .env("OPENAI_BASE_URL", "")
            .args(&["--client", client])
            .json()
            .run();
        assert_eq!(run.code, 1, "{client}: {}", run.stdout);
        assert_eq!(run.diagnosis(), "wrong_base_url", "{client}");
        assert_eq!(
            run.json()["probe"],
            serde_json::Value::Null,
            "{client}: something was sent"
        );
        assert!(
            run.checklist().contains("every call fails"),
            "{client}: {}",
            run.checklist()
        );
        assert_eq!(run.finding("empty_base_url")["severity"], "error", "{client}");
    }
    let node = Doctor::new()
        .key(KEY)
        .env("OPENAI_BASE_URL", "")
        .args(&["--client", "node", "--offline"])
        .json()
        .run();
    assert!(
        !node.finding_ids().contains(&"empty_base_url".to_string()),
        "{}",
        node.stdout
    );
    assert_ne!(node.diagnosis(), "wrong_base_url");
}

/// A pass that rests on what the run could not see says so in every
/// format, with the command that checks it, and --strict fails on it.
#[test]
fn a_pass_names_what_it_could_not_see_in_every_format() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let only_in_dotenv = || {
        Doctor::new()
            .secret(KEY)
            .server(&server)
            .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
    };
    let run = only_in_dotenv().json().run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    let unseen = &run.json()["diagnosis"]["unseen"];
    assert_eq!(unseen[0]["id"], "dotenv_loaded", "{unseen}");
    assert!(
        unseen[0]["check"].as_str().unwrap().contains("load_dotenv"),
        "{unseen}"
    );
    assert!(run.checklist().contains("Not checked:"), "{}", run.checklist());

    let human = only_in_dotenv().run();
    assert!(
        human.stdout.contains("not checked: dotenv_loaded"),
        "{}",
        human.stdout
    );
    let quiet = only_in_dotenv().args(&["--quiet"]).run();
    assert!(
        quiet.stdout.contains("but not checked: dotenv_loaded"),
        "{}",
        quiet.stdout
    );
    let github = only_in_dotenv().args(&["--format", "github"]).run();
    assert!(
        github.stdout.contains("::warning title=openai-keycheck%3A ok — The key works (authenticated)%2C but not checked%3A dotenv_loaded"),
        "{}",
        github.stdout
    );
    let strict = only_in_dotenv().args(&["--strict"]).json().run();
    assert_eq!(strict.code, 1, "{}", strict.stdout);

    // The key in the environment the program reads: nothing unseen.
    let seen = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(seen.json()["diagnosis"]["unseen"], serde_json::json!([]));
    assert!(!seen.checklist().contains("Not checked"));
}

/// Under --strict, an annotation for a run that fails is never titled
/// "ok" alone.
#[test]
fn a_strict_failure_is_titled_as_one() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .env("OPENAI_ORG_ID", "")
        .args(&["--strict", "--format", "github"])
        .run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    let title = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error title=openai-keycheck%3A ok"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(title.contains("but --strict fails on"), "{title}");
}

/// Gateways and local servers, as they answer: Together's model list is a
/// bare JSON array (an answer, not a portal); a local server without /v1
/// answers 404 in text (the missing /v1, not a captive portal); a refused
/// local port is a server not running.
#[test]
fn gateways_and_local_servers_are_read_as_they_answer() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(200, r#"[{"id": "meta-llama/Llama-3-8b", "object": "model"}]"#),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);

    // A local server that answers as Ollama does (no request id): its pass
    // proves the server and the base URL, not that the key is checked.
    let server = Server::start();
    server.respond(
        "/v1/models",
        wiremock::ResponseTemplate::new(200).set_body_raw(
            r#"{"object":"list","data":[{"id":"llama3.2"}]}"#,
            "application/json",
        ),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(
        run.checklist().contains("does not show that the key is checked"),
        "{}",
        run.checklist()
    );

    let server = Server::start();
    server.respond_any(
        "/models",
        wiremock::ResponseTemplate::new(404).set_body_raw("404 page not found", "text/plain"),
    );
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &server.mock.uri()])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "wrong_base_url", "{}", run.stdout);
    let list = run.checklist();
    assert!(
        list.contains("local server answered 404") && list.contains("/v1"),
        "{list}"
    );
    assert!(!list.contains("captive portal"), "{list}");

    let port = common::closed_port();
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &format!("http://127.0.0.1:{port}/v1")])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);
    assert!(
        run.checklist().contains("is the local server"),
        "{}",
        run.checklist()
    );
    assert!(
        run.checklist().contains(&format!("127.0.0.1:{port}")),
        "{}",
        run.checklist()
    );
}

/// Node's dotenv and `node --env-file` read ./.env only: a key one folder
/// up is named with the ways to load it, never used and never printed.
#[test]
fn node_names_a_dotenv_above_that_it_cannot_see() {
    let run = Doctor::new()
        .secret(KEY)
        .file("app/.env", &format!("OPENAI_API_KEY={KEY}\n"))
        .in_dir("app/src")
        .args(&["--client", "node"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    let finding = run.finding("dotenv_out_of_reach");
    assert_eq!(finding["severity"], "warning");
    let advice = run.checklist();
    assert!(
        advice.contains("../.env") && advice.contains("--env-file=../.env"),
        "{advice}"
    );
    assert!(
        run.json()["key"].is_null() || run.json()["key"]["source"].is_null(),
        "{}",
        run.stdout
    );

    // python-dotenv's load_dotenv() walks up and finds it.
    let python = Doctor::new()
        .secret(KEY)
        .file("app/.env", &format!("OPENAI_API_KEY={KEY}\n"))
        .in_dir("app/src")
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(python.json()["key"]["source"], "dotenv", "{}", python.stdout);
    assert!(!python.finding_ids().contains(&"dotenv_out_of_reach".to_string()));
}

/// LangChain reads OPENAI_API_BASE before OPENAI_BASE_URL and
/// OPENAI_ORGANIZATION after OPENAI_ORG_ID: the checklist names the one it read.
#[test]
fn langchain_advice_names_the_variable_it_read() {
    let server = Server::start();
    server.answer(401, "401_mismatched_organization.json");
    let run = Doctor::new()
        .key(KEY)
        .env("OPENAI_API_BASE", &server.base_url())
        .env("OPENAI_ORGANIZATION", "org-AbCdEf0123456789")
        .args(&["--client", "langchain"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "organization_mismatch", "{}", run.stdout);
    let advice = run.checklist();
    assert!(
        advice.contains("from OPENAI_ORGANIZATION in the environment"),
        "{advice}"
    );
    assert!(advice.contains("Unset OPENAI_ORGANIZATION"), "{advice}");
    assert!(!advice.contains("OPENAI_ORG_ID"), "{advice}");

    let server = Server::start();
    server.respond("/v1/models", wiremock::ResponseTemplate::new(404));
    let run = Doctor::new()
        .key(KEY)
        .env("OPENAI_API_BASE", &format!("{}/", server.base_url()))
        .env("OPENAI_BASE_URL", "https://api.openai.com/v1")
        .args(&["--client", "langchain"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "wrong_base_url", "{}", run.stdout);
    assert!(
        run.checklist().contains("OPENAI_API_BASE in the environment"),
        "{}",
        run.checklist()
    );
}

/// A gateway's own `sk-` keys (LiteLLM's virtual keys) are not OpenAI's
/// form: no error, and no "create a new key at platform.openai.com".
#[test]
fn a_gateways_own_key_is_judged_by_the_gateway() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let key = "sk-litellm-Zq9Xw8Vu7Ts6Rp5";
    let run = Doctor::new().key(key).server(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.finding("unfamiliar_key_form")["severity"], "info");
    assert!(!run.finding_ids().contains(&"truncated".to_string()));

    // The gateway's own refusal, untagged by OpenAI (no `req_…` id).
    let server = Server::start();
    server.respond(
        "/v1/models",
        wiremock::ResponseTemplate::new(429).set_body_raw(
            fixture("429_insufficient_quota.json").into_bytes(),
            "application/json",
        ),
    );
    let run = Doctor::new().key(key).server(&server).json().run();
    assert_eq!(run.diagnosis(), "quota_exceeded", "{}", run.stdout);
    let advice = run.checklist();
    assert!(!advice.contains("https://platform.openai.com"), "{advice}");
    assert!(!advice.contains("OpenAI support"), "{advice}");
}

/// A base URL only in the `.env`: a program that does not load it goes to
/// the default, so a pass names that, under every client.
#[test]
fn a_setting_only_in_the_dotenv_is_named_unseen() {
    for client in ["python", "node"] {
        let server = Server::start();
        server.answer(200, "200_models.json");
        let run = Doctor::new()
            .key(KEY)
            .file(".env", &format!("OPENAI_BASE_URL={}\n", server.base_url()))
            .args(&["--client", client, "--trust-env-file"])
            .json()
            .run();
        assert_eq!(run.diagnosis(), "ok", "{client}: {}", run.stdout);
        let unseen = run.json()["diagnosis"]["unseen"].to_string();
        assert!(
            unseen.contains("OPENAI_BASE_URL is only in the .env"),
            "{client}: {unseen}"
        );
    }
}

/// A server that is not OpenAI's refused the key and its answer is not
/// OpenAI's: no new key from platform.openai.com, and no OpenAI project talk.
#[test]
fn a_refusal_by_another_server_asks_for_that_servers_key() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        wiremock::ResponseTemplate::new(401).set_body_raw(
            br#"{"error":{"message":"Authentication Error, Invalid proxy server token passed.","type":"auth_error","param":"None","code":"401"}}"#.to_vec(),
            "application/json",
        ),
    );
    let run = Doctor::new()
        .key("sk-litellm-Zq9Xw8Vu7Ts6Rp5")
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "invalid_api_key", "{}", run.stdout);
    let advice = run.checklist();
    assert!(!advice.contains("platform.openai.com/api-keys"), "{advice}");
    assert!(!advice.contains("deleted project"), "{advice}");
    assert!(advice.contains("a key that server accepts"), "{advice}");
}

/// A near miss of `OPENAI_API_KEY`, in the environment or the `.env`, is
/// named with where it is, its value masked; with no key anywhere it leads
/// the checklist. The name a program reads (`doctor app.py`) is no miss.
#[test]
fn a_near_miss_of_the_key_variable_is_named_and_leads_key_missing() {
    let run = Doctor::new()
        .secret(KEY)
        .env("OPENAI_KEY", KEY)
        .file(".env", &format!("NEXT_PUBLIC_OPENAI_API_KEY={KEY}\n"))
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.diagnosis(), "key_missing");
    let findings: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "near_miss_variable")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(
        findings[0].starts_with("OPENAI_KEY is set in the environment (sk-proj-…"),
        "{findings:?}"
    );
    assert!(
        findings[1].contains("NEXT_PUBLIC_OPENAI_API_KEY is set in") && findings[1].contains(".env:1"),
        "{findings:?}"
    );
    assert!(
        run.checklist()
            .starts_with("OPENAI_KEY is set in the environment"),
        "{}",
        run.checklist()
    );

    // With the key where the SDK reads it, a misspelt copy is information.
    let run = Doctor::new()
        .key(KEY)
        .env("OPENAI_APIKEY", KEY)
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(run.finding("near_miss_variable")["severity"], "info");

    // The variable the program's code reads is the program's key, not a miss.
    let run = Doctor::new()
        .secret(KEY)
        .env("OPENAI_KEY", KEY)
        .file(
            "app.py",
            "import os\nfrom openai import OpenAI\nclient = OpenAI(api_key=os.environ[\"OPENAI_KEY\"])\n",
        )
        .args(&["app.py", "--offline"])
        .json()
        .run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        !run.finding_ids().contains(&"near_miss_variable".to_string()),
        "{}",
        run.stdout
    );
}

/// Under Azure's client the key is AZURE_OPENAI_API_KEY: a near miss of
/// OPENAI_API_KEY is no reason it is missing, and renaming it would not help.
#[test]
fn a_near_miss_of_openai_api_key_is_not_azures_reason() {
    let run = Doctor::new()
        .secret(KEY)
        .env("OPENAI_KEY", KEY)
        .args(&["--client", "azure", "--offline"])
        .json()
        .run();
    assert!(
        !run.finding_ids().contains(&"near_miss_variable".to_string()),
        "{}",
        run.stdout
    );
    assert!(!run.checklist().contains("OPENAI_KEY"), "{}", run.checklist());
}
