//! The advice in the cases people actually hit, one test per case, against a
//! local server with real error bodies. What the SDKs themselves do in these
//! cases is checked against the real clients in `tests/sdk.rs`.

use crate::common;

use common::{Doctor, KEY, Server, fixture, json_response};
use wiremock::ResponseTemplate;

/// A second key of the real shape.
const FRESH: &str = "sk-proj-Fresh0Key1In2The3Dotenv4File5T3BlbkFJ6Fresh7Key8In9The0Dotenv1File2Ab";

fn rejecting(server: &Server) {
    server.answer(401, "401_invalid_api_key.json");
}

#[test]
fn a_stale_exported_key_in_front_of_a_fresh_one_in_dotenv() {
    let server = Server::start();
    rejecting(&server);
    let run = Doctor::new()
        .key(KEY)
        .secret(FRESH)
        .file(".env", &format!("OPENAI_API_KEY={FRESH}\n"))
        .file(".zshrc", &format!("export OPENAI_API_KEY={KEY}\n"))
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "invalid_api_key");
    let advice = run.checklist();
    let dotenv_line = advice.find("holds a different key").expect(&advice);
    let new_key_line = advice.find("create a new key").expect(&advice);
    assert!(dotenv_line < new_key_line, "the cheaper fix first:\n{advice}");
    assert!(advice.contains("--source dotenv"), "{advice}");
    assert!(advice.contains("unset OPENAI_API_KEY"), "{advice}");
    assert!(advice.contains(".zshrc:1"), "the export is named:\n{advice}");
    assert!(advice.contains("If neither key works"), "{advice}");
}

#[test]
fn source_tests_the_shadowed_key() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .secret(FRESH)
        .file(".env", &format!("OPENAI_API_KEY={FRESH}\n"))
        .server(&server)
        .args(&["--source", "dotenv"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok");
    let json = run.json();
    assert_eq!(json["key"]["source"], "dotenv");
    assert_eq!(
        (
            json["sources"][1]["used"].clone(),
            json["sources"][1]["tested"].clone()
        ),
        (true.into(), false.into())
    );
    assert_eq!(
        (
            json["sources"][2]["used"].clone(),
            json["sources"][2]["tested"].clone()
        ),
        (false.into(), true.into())
    );
    let sent = server.requests()[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(sent, format!("Bearer {FRESH}"));
    assert!(
        run.checklist()
            .contains("This run tested the key from the .env file"),
        "{}",
        run.checklist()
    );
    assert!(
        run.checklist()
            .contains("your programs use OPENAI_API_KEY in the environment")
    );

    // A source with no key: nothing is sent.
    let run = Doctor::new()
        .key(KEY)
        .args(&["--source", "codex_auth_json", "--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing");
}

#[test]
fn a_proxy_whose_name_does_not_resolve_is_named() {
    // `.invalid` never resolves (RFC 6761).
    let run = Doctor::new()
        .key(KEY)
        .env("HTTPS_PROXY", "http://proxy.invalid:3128")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error");
    let advice = run.checklist();
    assert!(
        advice.contains("The proxy's name proxy.invalid (from HTTPS_PROXY)"),
        "{advice}"
    );
    assert!(
        !advice.contains("api.openai.com could not be resolved"),
        "{advice}"
    );
}

#[test]
fn a_key_only_in_a_key_file_fails_after_testing_it() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .secret(KEY)
        .file(".codex/auth.json", &format!("{{\"OPENAI_API_KEY\": \"{KEY}\"}}"))
        .server(&server)
        .json()
        .run();
    assert_eq!((run.diagnosis().as_str(), run.code), ("key_only_in_file", 1));
    let advice = run.checklist();
    assert!(advice.contains("was tested and works (HTTP 200)"), "{advice}");
    assert!(advice.contains("jq -r '.OPENAI_API_KEY'"), "{advice}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_custom_authorization_is_sent_as_the_sdk_sends_it() {
    let server = Server::start();
    rejecting(&server);
    let run = Doctor::new()
        .key(KEY)
        .secret(FRESH)
        .env(
            "OPENAI_CUSTOM_HEADERS",
            &format!("Authorization: Bearer {FRESH}\nX-Team: search"),
        )
        .server(&server)
        .json()
        .run();
    let request = &server.requests()[0];
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        &format!("Bearer {FRESH}")
    );
    assert_eq!(request.headers.get("x-team").unwrap(), "search");
    let advice = run.checklist();
    assert!(
        advice.contains("Authorization header from OPENAI_CUSTOM_HEADERS"),
        "{advice}"
    );
    assert!(
        advice.contains("The server rejected the Authorization header from OPENAI_CUSTOM_HEADERS"),
        "{advice}"
    );
}

#[test]
fn empty_organization_and_project_are_sent_empty() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .env("OPENAI_ORG_ID", "")
        .env("OPENAI_PROJECT_ID", "")
        .server(&server)
        .json()
        .run();
    let request = &server.requests()[0];
    assert_eq!(request.headers.get("openai-organization").unwrap(), "");
    assert_eq!(request.headers.get("openai-project").unwrap(), "");
    let ids = run.finding_ids();
    assert_eq!(
        ids.iter().filter(|i| *i == "empty_header_variable").count(),
        2,
        "{ids:?}"
    );
}

#[test]
fn white_space_is_described_as_it_is() {
    let message = |raw: &str| {
        let run = Doctor::new()
            .key(raw)
            .secret(KEY)
            .args(&["--offline"])
            .json()
            .run();
        run.finding("surrounding_whitespace")["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let trailing = message(&format!("{KEY} "));
    assert!(
        trailing.contains("ends with a space") && trailing.contains("sends nothing"),
        "{trailing}"
    );
    assert!(!trailing.contains("Bearer  "), "{trailing}");
    let leading = message(&format!(" {KEY}"));
    assert!(
        leading.contains("starts with a space") && leading.contains("rejects the key with 401"),
        "{leading}"
    );
    let newline = message(&format!("{KEY}\n"));
    assert!(newline.contains("ends with a newline"), "{newline}");
}

#[test]
fn a_key_wrapped_onto_two_lines_of_dotenv() {
    let server = Server::start();
    rejecting(&server);
    let (first, rest) = KEY.split_at(60);
    let run = Doctor::new()
        .secret(KEY)
        .file(".env", &format!("OPENAI_API_KEY={first}\n{rest}\n"))
        .server(&server)
        .args(&["--trust-env-file"])
        .json()
        .run();
    let advice = run.checklist();
    assert!(advice.starts_with("The key in"), "{advice}");
    assert!(advice.contains("continues on line 2"), "{advice}");
    assert!(advice.contains("Join the lines and run again"), "{advice}");
    assert!(
        !advice.contains("create a new key") && !advice.contains("Create a new key"),
        "{advice}"
    );
    assert!(!advice.contains("the key itself is the problem"), "{advice}");
    let wrapped = run.finding("dotenv_invalid_line");
    assert!(
        wrapped["message"]
            .as_str()
            .unwrap()
            .contains("rest of the key on line 1")
    );
}

#[test]
fn a_gateways_error_page_is_not_called_an_openai_fault() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        ResponseTemplate::new(502).set_body_raw(
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
            "text/html",
        ),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "server_error");
    let advice = run.checklist();
    assert!(
        advice.contains("The server on this machine (127.0.0.1), your base URL, answered 502 with text/html"),
        "{advice}"
    );
    assert!(!advice.contains("OpenAI answered"), "{advice}");

    // A 401 from a base URL that is not OpenAI's names where it came from.
    let server = Server::start();
    rejecting(&server);
    let advice = Doctor::new().key(KEY).server(&server).json().run().checklist();
    assert!(
        advice.contains("This answer came from the server on this machine"),
        "{advice}"
    );
}

#[test]
fn the_systems_own_trust_store_and_a_default_dotenv_do_not_fail_strict() {
    let run = Doctor::new()
        .key(KEY)
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .env("SSL_CERT_DIR", "/etc/ssl/certs")
        .args(&["--offline", "--strict"])
        .json()
        .run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.finding_ids().contains(&"custom_trust_store".to_string()));
    let permissions = run.finding("key_file_permissions");
    assert_eq!(permissions["severity"], "info");
}

#[test]
fn a_key_in_a_parent_folders_dotenv_says_how_far_up() {
    let run = Doctor::new()
        .secret(KEY)
        .in_dir("work/app")
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .args(&["--offline"])
        .json()
        .run();
    let not_loaded = run.finding("dotenv_not_loaded");
    let message = not_loaded["message"].as_str().unwrap();
    assert!(message.contains("../../.env, 2 folders above"), "{message}");
    assert!(message.contains("read ./.env only"), "{message}");
}

#[test]
fn a_secret_manager_reference_is_named_and_not_sent() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .env("OPENAI_API_KEY", "op://Private/OpenAI/credential")
        .server(&server)
        .json()
        .run();
    assert_eq!((run.diagnosis().as_str(), run.code), ("key_malformed", 1));
    assert_eq!(
        run.finding_ids().first().map(String::as_str),
        Some("secret_reference")
    );
    let advice = run.checklist();
    assert!(
        advice.contains("1Password") && advice.contains("op run --"),
        "{advice}"
    );
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn a_rate_limit_reads_as_one() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(429, &fixture("429_rate_limit_exceeded.json")),
    );
    let run = Doctor::new().key(KEY).server(&server).args(&["--quiet"]).run();
    assert!(!run.stdout.contains("rejected with 429"), "{}", run.stdout);
    assert!(
        run.stdout.contains("got HTTP 429 (Rate limited: retry later)"),
        "{}",
        run.stdout
    );
}

/// Only OPENAI_ADMIN_KEY: the client is created, and the call fails before
/// sending (tests/sdk.rs runs openai-node so); the advice says that, not
/// "Missing credentials".
#[test]
fn only_an_admin_key_is_no_key_for_model_calls() {
    for client in ["python", "node", "langchain"] {
        let run = Doctor::new()
            .secret("sk-admin-Abc0Def1Ghi2Jkl3Mno4Pqr5Stu6")
            .env("OPENAI_ADMIN_KEY", "sk-admin-Abc0Def1Ghi2Jkl3Mno4Pqr5Stu6")
            .args(&["--client", client])
            .json()
            .run();
        assert_eq!(run.diagnosis(), "key_missing");
        let advice = run.checklist();
        assert!(
            advice.contains("the Administration API only"),
            "{client}: {advice}"
        );
        assert!(!advice.contains("Missing credentials"), "{client}: {advice}");
    }
}

/// Under --client node, the advice speaks Node: the constructor's words, and
/// its .env loaders.
#[test]
fn an_empty_key_under_node() {
    let run = Doctor::new()
        .env("OPENAI_API_KEY", " ")
        .secret(FRESH)
        .file(".env", &format!("OPENAI_API_KEY={FRESH}\n"))
        .args(&["--client", "node"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_empty");
    assert_eq!(run.json()["client"], "node");
    let advice = run.checklist();
    assert!(advice.contains("openai-node constructor throws"), "{advice}");
    assert!(advice.contains("node --env-file"), "{advice}");
    assert!(!advice.contains("Python"), "{advice}");
}

/// A request that got no answer is said in the words of the client the run
/// follows: never "the Python SDK" for a Node or LangChain program.
#[test]
fn a_network_error_speaks_the_clients_words() {
    let port = common::closed_port();
    for (client, words) in [
        ("python", "The Python SDK reports"),
        ("node", "openai-node reports"),
        ("langchain", "langchain-openai raises"),
    ] {
        let run = Doctor::new()
            .key(KEY)
            .args(&[
                "--client",
                client,
                "--base-url",
                &format!("http://127.0.0.1:{port}/v1"),
            ])
            .json()
            .run();
        assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);
        let checklist = run.checklist();
        assert!(checklist.contains(words), "{client}: {checklist}");
        if client != "python" {
            assert!(!checklist.contains("Python SDK"), "{client}: {checklist}");
        }
    }
}
