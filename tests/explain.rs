//! `openai-keycheck explain`: the built binary on real error texts.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

struct Out {
    code: i32,
    stdout: String,
}

fn explain(args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut cmd = Command::new(common::binary());
    cmd.env_clear().arg("explain").args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

fn fixture_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/explain")
        .join(name)
        .display()
        .to_string()
}

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn a_file_a_pipe_and_a_literal() {
    let from_file = explain(
        &[
            &fixture_path("python1_insufficient_quota.txt"),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(from_file.code, 1);
    assert_eq!(json(&from_file)["diagnosis"]["id"], "quota_exceeded");
    assert_eq!(
        json(&from_file)["explain"]["recognised"],
        "Python SDK exception (RateLimitError), status 429, code insufficient_quota"
    );

    let text = std::fs::read(fixture_path("curl_rate_limited.txt")).unwrap();
    let piped = explain(&["--format", "json"], Some(&text));
    assert_eq!(piped.code, 3);
    assert_eq!(json(&piped)["diagnosis"]["retry_after_seconds"], 20);
    let dash = explain(&["-", "--format", "json"], Some(&text));
    assert_eq!(json(&dash)["diagnosis"]["id"], "rate_limited");

    let literal = explain(&["openai.APITimeoutError: Request timed out.", "-q"], None);
    assert_eq!(literal.code, 4);
    assert_eq!(
        literal.stdout,
        "network_error: Python SDK exception (APITimeoutError), no HTTP answer (timeout) — run without --quiet for the checklist\n"
    );
}

#[test]
fn a_bare_status_in_human_form() {
    // One meaning of 429 is "never retry": a status alone is no reason to retry.
    let out = explain(&["429", "--color", "never"], None);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("not a retry: if it is quota_exceeded, retrying never helps")
    );
    assert!(
        out.stdout.contains("Recognised\n  status code 429 alone"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("could mean: rate_limited, quota_exceeded"));
    assert!(out.stdout.contains("1. 429 has two meanings"));
}

#[test]
fn explain_json_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(include_str!("../schema/report-v1.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in [
        "python1_invalid_api_key.txt",
        "node_connection_enotfound.txt",
        "python1_missing_key.txt",
        "curl_not_found_html.txt",
    ] {
        let out = explain(&[&fixture_path(name), "--format", "json"], None);
        let value = json(&out);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(value["probe"].is_null(), "no request was made");
    }
}

#[test]
fn a_pasted_full_key_is_masked() {
    let key = common::KEY;
    let text = format!(
        "OPENAI_API_KEY={key}\nopenai.AuthenticationError: Error code: 401 - Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys."
    );
    for format in ["human", "json", "github"] {
        let out = explain(&["--format", format], Some(text.as_bytes()));
        assert_eq!(out.code, 1);
        assert!(!out.stdout.contains(key), "{format}: {}", out.stdout);
        assert!(
            out.stdout
                .contains(&format!("sk-proj-…{}", &key[key.len() - 4..])),
            "{format}"
        );
    }
}

#[test]
fn nothing_to_recognise_exits_5() {
    for input in [
        &b""[..],
        b"   \n",
        b"all good here\n",
        &[0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96][..],
    ] {
        let out = explain(&[], Some(input));
        assert_eq!(out.code, 5, "{input:?}");
        assert!(out.stdout.starts_with("could not recognise an OpenAI error"));
    }
    let out = explain(&["--format", "json"], Some(b"nothing"));
    assert_eq!((out.code, json(&out)["exit_code"].as_i64()), (5, Some(5)));
}

#[test]
fn a_five_megabyte_log_is_read_to_the_end() {
    // The error sits after 5 MB of noise, with many decoy braces and "error"s on the way.
    let mut log = String::new();
    while log.len() < 5 * 1024 * 1024 {
        log.push_str("INFO 2026-11-24 worker {job: 17} ok; no error here {\n");
        log.push_str("WARN retry {\"error\": null} HTTP/1.1 503 Error code: 503 'error' {\n");
    }
    log.push_str(&std::fs::read_to_string(fixture_path("python1_mismatched_project.txt")).unwrap());
    let out = explain(&["--format", "json"], Some(log.as_bytes()));
    assert_eq!(json(&out)["diagnosis"]["id"], "project_mismatch");
}

#[test]
fn binary_garbage_of_any_size_is_refused_cleanly() {
    let garbage: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let out = explain(&[], Some(&garbage));
    assert_eq!(out.code, 5, "{}", out.stdout);
    assert!(out.stdout.starts_with("could not recognise an OpenAI error"));

    // The same bytes around a real error: it is still found.
    let mut mixed = garbage.clone();
    mixed.extend_from_slice(b"\nopenai.RateLimitError: Error code: 429 - {'error': {'message': 'x', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}\n");
    let out = explain(&["--format", "json"], Some(&mixed));
    assert_eq!(
        (out.code, json(&out)["diagnosis"]["id"].as_str()),
        (1, Some("quota_exceeded"))
    );
}

const LANGCHAIN_MODEL: &str = "langchain_core.exceptions: openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-5x` does not exist or you do not have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}";

/// `explain` has no request of its own: no timeout, URL or base-URL origin
/// may appear in what it says, whatever the input and the format.
#[test]
fn explain_states_only_what_the_text_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain");
    let mut inputs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    inputs.extend(
        [
            "openai.APITimeoutError: Request timed out.",
            "openai.NotFoundError: Error code: 404 - {'error': {'message': 'Invalid URL (GET /v1/models)', 'type': 'invalid_request_error', 'param': None, 'code': None}}",
            "openai.AuthenticationError: Error code: 401",
            LANGCHAIN_MODEL,
            "401",
            "404",
            "407",
            "429",
            "502",
        ]
        .map(String::from),
    );
    for input in &inputs {
        for format in ["human", "json", "github"] {
            let out = explain(&["--format", format, "--color", "never"], Some(input.as_bytes()));
            assert_ne!(out.code, 5, "{input}");
            for invented in [
                "--timeout",
                "within 0 s",
                "GET  ",
                "URL came from",
                "(default)",
                "\"origin\"",
                "`?`",
                "where the key is stored",
            ] {
                assert!(
                    !out.stdout.contains(invented),
                    "{format} output for {input:?} says {invented:?}:\n{}",
                    out.stdout
                );
            }
        }
    }
    // What the text does say is kept: the model's name.
    let out = explain(&["--color", "never"], Some(LANGCHAIN_MODEL.as_bytes()));
    assert!(
        out.stdout.contains("The model `gpt-5x` does not exist"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_path_that_is_not_a_regular_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = explain(&[dir.path().to_str().unwrap()], None);
    assert_eq!(out.code, 2, "{}", out.stdout);
}

fn other(name: &str) -> String {
    fixture_path(&format!("other/{name}"))
}

#[test]
fn the_wrong_advice_the_red_team_found_is_gone() {
    let checklist = |input: &str| -> (String, i32, String) {
        let out = explain(&[input, "--format", "json"], None);
        let v = json(&out);
        let list: Vec<String> = v["diagnosis"]["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        (
            v["diagnosis"]["id"].as_str().unwrap().to_string(),
            out.code,
            list.join("\n"),
        )
    };
    // A refused header proves the key's form, whatever exception wraps it.
    let (id, code, list) = checklist(&other("python_illegal_header_newline.txt"));
    assert_eq!((id.as_str(), code), ("key_malformed", 1), "{list}");
    assert_eq!(
        checklist(&other("python_illegal_header_empty.txt")).0,
        "key_empty"
    );
    assert_eq!(
        checklist(&other("node_invalid_char_header.txt")).0,
        "key_malformed"
    );
    // "You didn't provide an API key": an empty variable, never a new key first.
    let (id, _, list) = checklist(&fixture_path("python1_no_api_key.txt"));
    assert_eq!(id, "key_empty");
    assert!(!list.contains("Create a new key"), "{list}");
    assert!(list.lines().next().unwrap().contains("empty or unset"), "{list}");
    // The organization header: unset it, not "join an organization".
    let (id, _, list) =
        checklist("Error code: 401 - OpenAI-Organization header should match organization for API key");
    assert_eq!(id, "organization_mismatch");
    assert!(
        list.contains("Unset OPENAI_ORG_ID") && !list.contains("join"),
        "{list}"
    );
    // The address the error names, not OpenAI's.
    let (_, code, list) = checklist("Error: connect ECONNREFUSED 127.0.0.1:3999");
    assert_eq!(code, 4);
    assert!(
        list.contains("No connection to 127.0.0.1:3999") && !list.contains("api.openai.com"),
        "{list}"
    );
    // /v1 twice is one too many, not one missing.
    let (id, _, list) = checklist(&other("python_doubled_v1.txt"));
    assert_eq!(id, "wrong_base_url");
    assert!(
        list.contains("/v1 twice") && !list.contains("missing `/v1`"),
        "{list}"
    );
    // A 400 that is not about the key.
    let (id, _, list) = checklist(&fixture_path("sdk/openai-python-3_context_length.txt"));
    assert_eq!(id, "bad_request");
    assert!(
        list.contains("context window") && list.contains("do not create a new one"),
        "{list}"
    );
}

#[test]
fn the_masked_echo_says_what_was_sent() {
    for (name, says) in [
        ("docker_litellm_placeholder.txt", "a placeholder"),
        ("json_log_url_in_key.txt", "a URL, not a key"),
        ("ansi_variable_name.txt", "the variable's name"),
        ("node_wrapped_key.txt", "brackets or quotes"),
        ("ansi_literal_openrouter.txt", "a key from OpenRouter"),
    ] {
        let out = explain(&[&other(name), "--format", "json"], None);
        let v = json(&out);
        let first = v["diagnosis"]["checklist"][0].as_str().unwrap();
        assert!(first.contains(says), "{name}: {first}");
        let all = v["diagnosis"]["checklist"].to_string();
        assert!(!all.contains("Create a new key"), "{name}: {all}");
    }
}

#[test]
fn every_error_is_counted_and_the_last_decides() {
    let mut log = String::from("INFO start\n");
    for _ in 0..3 {
        log.push_str("openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}\n");
        log.push_str("INFO Retrying request to /chat/completions in 0.4 seconds\n");
    }
    log.push_str(&std::fs::read_to_string(fixture_path("python1_invalid_api_key.txt")).unwrap());
    let out = explain(&["--format", "json"], Some(log.as_bytes()));
    let v = json(&out);
    assert_eq!(v["diagnosis"]["id"], "invalid_api_key");
    let occurrences = &v["explain"]["occurrences"];
    assert_eq!(occurrences[0]["id"], "rate_limited");
    assert_eq!(
        (
            &occurrences[0]["count"],
            &occurrences[0]["first_line"],
            &occurrences[0]["last_line"]
        ),
        (&Value::from(3), &Value::from(2), &Value::from(6))
    );
    assert_eq!(
        (&occurrences[1]["id"], &occurrences[1]["count"]),
        (&Value::from("invalid_api_key"), &Value::from(1))
    );
    let human = explain(&["--color", "never"], Some(log.as_bytes()));
    assert!(
        human
            .stdout
            .contains("Earlier in the input: 3 × rate_limited (lines 2–6); the last error decides."),
        "{}",
        human.stdout
    );
}

#[test]
fn a_log_larger_than_any_old_limit_is_read_to_its_end() {
    // 40 MB of noise (the old reader stopped at 8 MiB), then the error.
    let line = "2026-11-24T10:11:12Z INFO worker 7 handled request in 12 ms status=200\n";
    let mut log = line.repeat(40 * 1024 * 1024 / line.len());
    log.push_str(
        "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: sk-abc***wxyz.\n",
    );
    let out = explain(&["--format", "json"], Some(log.as_bytes()));
    let v = json(&out);
    assert_eq!(v["diagnosis"]["id"], "invalid_api_key");
    let lines = log.lines().count() as u64;
    assert_eq!(v["explain"]["input"]["lines"], lines);
    assert_eq!(v["explain"]["occurrences"][0]["first_line"], lines);
    assert_eq!(v["explain"]["input"]["skipped_bytes"], 0);
}

#[test]
fn what_is_not_read_is_reported() {
    // A minified line of 200 KiB that mentions an error, then the error.
    let mut log = format!("error {}\n", "x".repeat(200 * 1024));
    log.push_str(
        "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: sk-abc***wxyz.\n",
    );
    let out = explain(&["--format", "json"], Some(log.as_bytes()));
    let v = json(&out);
    assert_eq!(v["diagnosis"]["id"], "invalid_api_key");
    assert_eq!(v["explain"]["input"]["cut_lines"], 1);
    assert_eq!(v["explain"]["input"]["skipped_bytes"], 6 + 200 * 1024 - 64 * 1024);
    let human = explain(&["--color", "never"], Some(log.as_bytes()));
    assert!(
        human.stdout.contains("  Not read: 139270 bytes"),
        "{}",
        human.stdout
    );
}

#[test]
fn forms_found_only_by_reading_every_line() {
    // Past the size read whole, so only the line-by-line reading can find them.
    let noise = "2026-11-24T10:11:12Z INFO worker ok\n".repeat(4000);
    for (error, id) in [
        (
            "RetryError[<Future at 0x7f3a2c1d5e10 state=finished raised APIConnectionError>]",
            "network_error",
        ),
        (
            "openai.error.RateLimitError: You exceeded your current\n    quota, please check your plan and billing details.",
            "quota_exceeded",
        ),
        (
            "openai.BadRequestError: Error code: 400 - {'error': {'message': \"Invalid type for 'messages[0]': expected an object, but got a string instead.\", 'type': 'invalid_request_error', 'param': 'messages[0]', 'code': 'invalid_type'}}",
            "bad_request",
        ),
    ] {
        let log = format!("{noise}{error}\n");
        let out = explain(&["--format", "json"], Some(log.as_bytes()));
        let v = json(&out);
        assert_eq!(v["diagnosis"]["id"], id, "{error}");
        assert_eq!(v["explain"]["occurrences"][0]["first_line"], 4001, "{error}");
    }
    let log = format!(
        "{noise}openai.BadRequestError: Error code: 400 - {{'error': {{'message': \"Invalid type for 'messages[0]': expected an object\", 'param': 'messages[0]', 'code': 'invalid_type'}}}}\n"
    );
    let out = explain(&["--format", "json"], Some(log.as_bytes()));
    let checklist = json(&out)["diagnosis"]["checklist"].to_string();
    assert!(
        checklist.contains("The `messages` list is malformed"),
        "{checklist}"
    );
}

#[test]
fn a_url_password_in_the_text_is_not_printed() {
    let text = "openai.APIConnectionError: Connection error.\nProxyError: Unable to connect to proxy http://bob:hunter2@proxy.corp:3128 (407 Proxy Authentication Required)\n";
    for format in ["human", "json", "github"] {
        // Read whole, and read line by line past the size read whole.
        for input in [text.to_string(), format!("{}{text}", "INFO ok\n".repeat(10_000))] {
            let out = explain(&["--format", format], Some(input.as_bytes()));
            assert_eq!(out.code, 4, "{format}");
            assert!(!out.stdout.contains("hunter2"), "{format}: {}", out.stdout);
            assert!(
                out.stdout.contains("http://***@proxy.corp:3128"),
                "{format}: {}",
                out.stdout
            );
        }
    }
}

/// Another service's error gets no OpenAI advice, in any format: not
/// where to make an OpenAI key, not to set OPENAI_API_KEY, not that OpenAI
/// answered.
#[test]
fn another_services_error_gets_no_openai_advice() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain/other-services");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the negatives shrank to {}", files.len());
    for file in &files {
        let path = file.display().to_string();
        for format in ["human", "json", "github"] {
            let out = explain(&[&path, "--format", format], None);
            assert_eq!(
                out.code, 5,
                "{path} --format {format}: exit {}\n{}",
                out.code, out.stdout
            );
            for words in [
                "platform.openai.com",
                "OPENAI_API_KEY",
                "OpenAI answered",
                "status.openai.com",
            ] {
                assert!(
                    !out.stdout.contains(words),
                    "{path} --format {format} says {words:?}:\n{}",
                    out.stdout
                );
            }
            if format == "json" {
                let report = json(&out);
                assert_eq!(report["diagnosis"]["id"], "other_service", "{path}");
                assert!(
                    report["explain"]["other_service"].is_string(),
                    "{path}: the service is not named"
                );
            }
        }
    }
}

fn checklist_of(file: &str) -> (String, Vec<String>) {
    let out = explain(&[&fixture_path(file), "--format", "json"], None);
    let report = json(&out);
    let id = report["diagnosis"]["id"].as_str().unwrap_or_default().to_string();
    let list = report["diagnosis"]["checklist"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    (id, list)
}

/// When a 401 shows what was sent instead of a key (a word, a sentence, a
/// placeholder, `undefined`, a variable's name, nothing) or that a LiteLLM
/// proxy refused its own key, that leads the checklist, and no new OpenAI
/// key is asked for: the key was never tried.
#[test]
fn the_clue_leads_and_no_new_key_is_asked_for() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain/public");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("c8_") {
            continue;
        }
        let (id, list) = checklist_of(&format!("public/{name}"));
        assert_eq!(id, "invalid_api_key", "{name}");
        let first = list.first().map(String::as_str).unwrap_or_default();
        assert!(
            [
                "The server received",
                "The request carried",
                "The LiteLLM proxy refused"
            ]
            .iter()
            .any(|w| first.starts_with(w)),
            "{name}: the clue does not lead: {list:#?}"
        );
        assert!(
            !list
                .iter()
                .any(|l| l.contains("Create a new key") || l.contains("platform.openai.com/api-keys")),
            "{name}: asks for a new key: {list:#?}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "{checked}");
}

/// An Azure text gets Azure's steps, a LangChain text LangChain's
/// settings, a Node text Node's.
#[test]
fn each_client_gets_its_own_words() {
    for (file, words, never) in [
        (
            "public/c9_azure_apim_missing_subscription_key_python.txt",
            &["AZURE_OPENAI_API_KEY", "Ocp-Apim-Subscription-Key"][..],
            "OPENAI_API_KEY is empty",
        ),
        (
            "public/c9_azureopenai_missing_credentials_node.txt",
            &["AZURE_OPENAI_API_KEY", "Keys and Endpoint", "--client azure"][..],
            "platform.openai.com",
        ),
        (
            "public/c9_azureopenai_missing_credentials_litellm.txt",
            &["AZURE_OPENAI_API_KEY"][..],
            "platform.openai.com",
        ),
        (
            "public/c9_azure_invalid_subscription_key_node_openai_sdk.txt",
            &["Keys and Endpoint"][..],
            "platform.openai.com",
        ),
        (
            "public/c9_flowise_node_azure_401_body.txt",
            &["Keys and Endpoint"][..],
            "platform.openai.com",
        ),
        (
            "public/c9_langchain_openai_api_base_404_ollama.txt",
            &["OPENAI_API_BASE"][..],
            "(base_url= or OPENAI_BASE_URL)",
        ),
        (
            "public/c9_langchain_chatopenai_invalid_key.txt",
            &["ChatOpenAI()", "OPENAI_API_BASE"][..],
            "a secret store",
        ),
        (
            "public/c9_node_axios_401_openai_v3.txt",
            &["process.env", "dotenv/config"][..],
            "a secret store",
        ),
        (
            "public/c9_node_console_no_api_key_header.txt",
            &["process.env", "--client node"][..],
            "openai-python 1.x",
        ),
    ] {
        let (id, list) = checklist_of(file);
        let text = list.join("\n");
        for w in words {
            assert!(text.contains(w), "{file} ({id}) lacks {w:?}:\n{text}");
        }
        assert!(!text.contains(never), "{file} ({id}) says {never:?}:\n{text}");
    }
}
