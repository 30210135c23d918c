//! CI preflight: GitHub Actions annotations and step summary, --strict, --quiet.

use crate::common;

use common::{Doctor, KEY, Server, json_response};

fn tail() -> &'static str {
    &KEY[KEY.len() - 4..]
}

#[test]
fn annotations_for_each_severity_with_escaping() {
    let server = Server::start();
    let body = r#"{"error": {"message": "100% blocked\nsecond line: a, b", "type": "invalid_request_error", "param": null, "code": null}}"#;
    server.respond("/v1/models", json_response(403, body));
    let run = Doctor::new()
        .secret(KEY)
        .server(&server)
        .args(&["--api-key", &format!("\"{KEY}\""), "--format", "github"])
        .run();
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("::error title=openai-keycheck%3A surrounding_quotes::the key is wrapped")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning title=openai-keycheck%3A key_in_argv::")),
        "{lines:#?}"
    );
    let diagnosis = lines
        .iter()
        .find(|l| l.contains("key_malformed"))
        .expect("the diagnosis annotation");
    assert!(
        diagnosis.starts_with("::error title=openai-keycheck%3A key_malformed — The key is malformed::1. ")
    );
    // Info findings (a local base URL) are not annotated.
    assert!(!run.stdout.contains("custom_base_url::"));

    let server = Server::start();
    server.respond("/v1/models", json_response(403, body));
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--format", "github"])
        .run();
    let diagnosis = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error title=openai-keycheck%3A permission_denied"))
        .expect("annotation");
    assert!(
        diagnosis.contains("100%25 blocked\\nsecond line: a, b%0A2. "),
        "{diagnosis}"
    );
    assert!(!diagnosis.contains('\n'));
}

#[test]
fn github_actions_is_detected_from_the_environment() {
    let run = Doctor::new().env("GITHUB_ACTIONS", "true").run();
    assert!(
        run.stdout
            .contains("::error title=openai-keycheck%3A key_missing"),
        "{}",
        run.stdout
    );
    // JSON stays one object, without annotations.
    let run = Doctor::new().env("GITHUB_ACTIONS", "true").json().run();
    assert_eq!(run.diagnosis(), "key_missing");
    // Outside Actions, no workflow commands.
    let run = Doctor::new().run();
    assert!(!run.stdout.contains("::error"));
}

#[test]
fn a_passing_run_is_a_notice() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--format", "github"])
        .run();
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("::notice title=openai-keycheck%3A ok — "),
        "{}",
        run.stdout
    );
}

#[test]
fn the_step_summary_for_an_empty_secret_on_a_fork_pull_request() {
    let doctor = Doctor::new();
    let summary = doctor.home().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let run = doctor
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .env("OPENAI_API_KEY", "")
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .secret(KEY)
        .run();
    assert_eq!(run.code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n"), "appended, not replaced");
    assert!(
        text.contains("### ❌ openai-keycheck: `key_empty` — The API key is empty"),
        "{text}"
    );
    assert!(text.contains("| source | location | state | key |"));
    assert!(
        text.contains("| env | `OPENAI_API_KEY` | empty | (empty) **used** |"),
        "{text}"
    );
    assert!(
        text.contains(&format!("`sk-proj-…{}` shadowed", tail())),
        "{text}"
    );
    assert!(text.contains("triggered by `pull_request`"), "{text}");
    assert!(text.contains("pull_request_target"));
    assert!(text.contains("**Checklist**\n\n1. "));
    assert!(!text.contains(KEY), "the key must never reach the summary");
    assert!(run.stdout.contains("triggered by `pull_request`"));
}

#[test]
fn the_summary_is_written_only_for_github() {
    let doctor = Doctor::new();
    let summary = doctor.home().join("summary.md");
    let run = doctor.env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()).run();
    // The run reported as usual, without Actions' annotations or summary.
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("Diagnosis: key_missing"), "{}", run.stdout);
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert!(!summary.exists());
}

#[test]
fn strict_turns_warnings_into_failures() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    // Without --strict a warning passes.
    let run = Doctor::new()
        .secret(KEY)
        .server(&server)
        .args(&["--api-key", KEY])
        .json()
        .run();
    assert_eq!(run.code, 0);
    let run = Doctor::new()
        .secret(KEY)
        .server(&server)
        .args(&["--api-key", KEY, "--strict"])
        .json()
        .run();
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(
        (json["ok"].clone(), json["strict"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(json["diagnosis"]["id"], "ok", "the diagnosis stays what it is");
    assert!(
        json["diagnosis"]["checklist"]
            .to_string()
            .contains("--strict: key_in_argv")
    );

    // Info findings (the local base URL) do not count.
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--strict"])
        .json()
        .run();
    assert_eq!(run.code, 0);

    let run = Doctor::new()
        .secret(KEY)
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .args(&["--offline", "--strict"])
        .run();
    assert_eq!(run.code, 1);
}

#[test]
fn strict_fails_a_restricted_key_and_leaves_failures_alone() {
    let server = Server::start();
    server.answer(401, "401_missing_scopes.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--strict", "--quiet"])
        .run();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("authenticated, with a warning (HTTP 401)")
            && run.stdout.contains("but --strict fails on restricted_key"),
        "{}",
        run.stdout
    );

    let server = Server::start();
    server.answer(429, "429_rate_limit_exceeded.json");
    let run = Doctor::new()
        .secret(KEY)
        .server(&server)
        .args(&["--api-key", KEY, "--strict"])
        .run();
    assert_eq!(run.code, 3, "a retryable failure keeps its exit code");
}

#[test]
fn quiet_for_every_exit_code() {
    let t = tail();
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new().key(KEY).server(&server).args(&["-q"]).run();
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, format!("ok: key from env (sk-proj-…{t}) accepted\n").as_str())
    );

    let run = Doctor::new().key(KEY).args(&["-q", "--offline"]).run();
    assert_eq!(
        run.stdout,
        format!("offline: key from env (sk-proj-…{t}) looks well-formed; no request made\n")
    );
    assert_eq!(run.code, 0);

    let server = Server::start();
    server.answer(401, "401_missing_scopes.json");
    let run = Doctor::new().key(KEY).server(&server).args(&["-q"]).run();
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!(
            "restricted_key: key from env (sk-proj-…{t}) authenticated, with a warning (HTTP 401): The key works but lacks a permission\n"
        )
    );

    let run = Doctor::new().args(&["-q"]).run();
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            1,
            "key_missing: no key found — run without --quiet for the checklist\n"
        )
    );

    let run = Doctor::new().env("OPENAI_API_KEY", "").args(&["-q"]).run();
    assert_eq!(
        run.stdout,
        "key_empty: key from env (empty) not sent (The API key is empty) — run without --quiet for the checklist\n"
    );

    let server = Server::start();
    server.answer(429, "429_rate_limit_exceeded.json");
    let run = Doctor::new().key(KEY).server(&server).args(&["-q"]).run();
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stdout,
        format!(
            "rate_limited: key from env (sk-proj-…{t}) got HTTP 429 (Rate limited: retry later) — run without --quiet for the checklist\n"
        )
    );

    let server = Server::start();
    server.answer(500, "500_server_error.json");
    let run = Doctor::new().key(KEY).server(&server).args(&["-q"]).run();
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stdout,
        format!(
            "server_error: key from env (sk-proj-…{t}) got HTTP 500 (Server error: retry later) — run without --quiet for the checklist\n"
        )
    );

    let port = common::closed_port();
    let run = Doctor::new()
        .key(KEY)
        .args(&["-q", "--base-url", &format!("http://127.0.0.1:{port}/v1")])
        .run();
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stdout,
        format!(
            "network_error: key from env (sk-proj-…{t}) could not be tested (The request did not reach the server) — run without --quiet for the checklist\n"
        )
    );
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn exit_codes_are_in_the_long_help() {
    use openai_keycheck::vocab::ExitStatus;
    let doctor = Doctor::new().args(&["--help"]).run();
    let explain = Doctor::new().args(&["--help"]).run_command("explain");
    for status in ExitStatus::ALL {
        let line = format!("  {}  {}", status.code(), status.meaning());
        assert_eq!(
            doctor.stdout.contains(&line),
            status.used_by_doctor(),
            "doctor: {line}"
        );
        assert!(explain.stdout.contains(&line), "explain: {line}");
    }
}

#[test]
fn the_step_outputs_name_the_diagnosis_and_exit_code() {
    let doctor = Doctor::new();
    let outputs = doctor.home().join("outputs");
    std::fs::write(&outputs, "earlier=1\n").unwrap();
    let run = doctor
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", outputs.to_str().unwrap())
        .run();
    assert_eq!(run.code, 1);
    assert_eq!(
        std::fs::read_to_string(&outputs).unwrap(),
        "earlier=1\ndiagnosis=key_missing\nexit-code=1\n"
    );
    // Outside Actions the variable is left alone.
    let doctor = Doctor::new();
    let outputs = doctor.home().join("outputs");
    doctor.env("GITHUB_OUTPUT", outputs.to_str().unwrap()).run();
    assert!(!outputs.exists());
}

#[test]
fn explain_of_a_ci_log_writes_the_step_summary_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, outputs) = (dir.path().join("summary.md"), dir.path().join("outputs"));
    let log = "openai.RateLimitError: Error code: 429 - Rate limit reached for gpt-4o\nopenai.RateLimitError: Error code: 429 - Rate limit reached for gpt-4o\nopenai.AuthenticationError: Error code: 401 - Incorrect API key provided: sk-abc***wxyz.\n";
    let out = assert_cmd::Command::cargo_bin("openai-keycheck")
        .unwrap()
        .env_clear()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .args(["explain", "-"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.contains("- 2 × `rate_limited` (lines 1–2)\n- 1 × `invalid_api_key` (lines 3–3)\n"),
        "{summary}"
    );
    assert_eq!(
        std::fs::read_to_string(&outputs).unwrap(),
        "diagnosis=invalid_api_key\nexit-code=1\n"
    );
}
