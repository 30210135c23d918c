//! Every diagnosis of the table, from real error bodies served on 127.0.0.1.

use crate::common;

use common::{Doctor, KEY, Server, fixture, json_response};
use wiremock::ResponseTemplate;

/// Runs doctor against a server answering `/v1/models` and checks the
/// diagnosis, the exit code and that exactly one request was made.
fn expect(status: u16, fixture_name: &str, diagnosis: &str, exit_code: i32) -> common::Run {
    let server = Server::start();
    server.answer(status, fixture_name);
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), diagnosis, "{fixture_name}:\n{}", run.stdout);
    assert_eq!(run.code, exit_code, "{fixture_name}");
    assert_eq!(run.json()["exit_code"], exit_code);
    assert_eq!(
        server.requests().len(),
        1,
        "exactly one request for {fixture_name}"
    );
    run
}

#[test]
fn ok_means_authenticated_not_funded() {
    let run = expect(200, "200_models.json", "ok", 0);
    let json = run.json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["probe"]["status"], 200);
    let checklist = json["diagnosis"]["checklist"].to_string();
    assert!(checklist.contains("not that it has credit"), "{checklist}");
}

#[test]
fn invalid_api_key() {
    let run = expect(401, "401_invalid_api_key.json", "invalid_api_key", 1);
    let json = run.json();
    assert_eq!(json["diagnosis"]["retry"], "never");
    assert_eq!(json["probe"]["error"]["code"], "invalid_api_key");
    assert_eq!(
        json["probe"]["request_id"],
        "req_0123456789abcdef0123456789abcdef"
    );
}

#[test]
fn no_key_reached_the_server() {
    let run = expect(401, "401_no_api_key.json", "invalid_api_key", 1);
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("received no key")
    );
}

#[test]
fn the_servers_echo_is_compared_with_the_key_sent() {
    let echo = |key: &str| {
        let n = key.chars().count();
        format!("{}{}{}", &key[..8], "*".repeat(n - 12), &key[n - 4..])
    };
    let body_for = |echoed: &str| fixture("401_invalid_api_key.json").replace("sk-proj-****6789", echoed);

    let server = Server::start();
    server.respond("/v1/models", json_response(401, &body_for(&echo(KEY))));
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert!(
        run.json()["diagnosis"]["checklist"]
            .to_string()
            .contains("exactly this key"),
        "{}",
        run.stdout
    );

    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(401, &body_for(&echo(&KEY[..KEY.len() - 10]))),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert!(
        run.json()["diagnosis"]["checklist"]
            .to_string()
            .contains("cut short or padded"),
        "{}",
        run.stdout
    );

    // A server that puts the whole key back: not a placeholder.
    let server = Server::start();
    server.respond("/v1/models", json_response(401, &body_for(KEY)));
    let run = Doctor::new().key(KEY).server(&server).json().run();
    let checklist = run.json()["diagnosis"]["checklist"].to_string();
    assert!(checklist.contains("echoed the whole key back"), "{checklist}");
    assert!(!checklist.contains("instead of a key"), "{checklist}");

    let server = Server::start();
    server.respond("/v1/models", json_response(401, &body_for("undefined")));
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert!(
        run.json()["diagnosis"]["checklist"]
            .to_string()
            .contains("instead of a key"),
        "{}",
        run.stdout
    );
}

#[test]
fn restricted_key_is_a_pass_with_a_warning() {
    let run = expect(401, "401_missing_scopes.json", "restricted_key", 0);
    let checklist = run.json()["diagnosis"]["checklist"].to_string();
    assert!(checklist.contains("api.model.read"), "{checklist}");
    assert!(checklist.contains("Models: Read"), "{checklist}");
}

#[test]
fn ip_not_allowed() {
    expect(401, "401_ip_not_authorized.json", "ip_not_allowed", 1);
}

#[test]
fn account_disabled() {
    expect(401, "401_account_deactivated.json", "account_disabled", 1);
}

#[test]
fn organization_mismatch_names_the_header_sent() {
    let server = Server::start();
    server.answer(401, "401_mismatched_organization.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .env("OPENAI_ORG_ID", "org-Stale123")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "organization_mismatch");
    assert_eq!(run.code, 1);
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("org-Stale123")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].headers.get("openai-organization").unwrap(),
        "org-Stale123"
    );
}

#[test]
fn no_organization() {
    expect(401, "401_no_organization.json", "organization_mismatch", 1);
}

#[test]
fn project_mismatch_names_the_header_sent() {
    let server = Server::start();
    server.answer(401, "401_mismatched_project.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--project", "proj_Old"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "project_mismatch");
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("proj_Old")
    );
    assert_eq!(
        server.requests()[0].headers.get("openai-project").unwrap(),
        "proj_Old"
    );
}

#[test]
fn unsupported_region() {
    expect(403, "403_unsupported_region.json", "unsupported_region", 1);
}

#[test]
fn permission_denied() {
    expect(403, "403_not_allowed.json", "permission_denied", 1);
}

#[test]
fn model_not_found_with_model() {
    let server = Server::start();
    server.respond(
        "/v1/models/gpt-x",
        json_response(404, &fixture("404_model_not_found.json")),
    );
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--model", "gpt-x"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "model_not_found");
    assert_eq!(run.code, 1);
    assert!(
        run.json()["probe"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/v1/models/gpt-x")
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn model_access_of_the_project() {
    expect(403, "403_project_model_access.json", "model_not_found", 1);
}

#[test]
fn model_found() {
    let server = Server::start();
    server.respond(
        "/v1/models/gpt-4o-mini",
        json_response(200, &fixture("200_model.json")),
    );
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--model", "gpt-4o-mini"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok");
}

#[test]
fn quota_exceeded_is_billing() {
    let run = expect(429, "429_insufficient_quota.json", "quota_exceeded", 1);
    assert_eq!(run.json()["diagnosis"]["retry"], "never");
    expect(429, "429_insufficient_quota_old.json", "quota_exceeded", 1);
    expect(429, "429_billing_not_active.json", "quota_exceeded", 1);
}

#[test]
fn rate_limited_says_when_to_retry() {
    let run = expect(429, "429_rate_limit_exceeded.json", "rate_limited", 3);
    let json = run.json();
    assert_eq!(json["diagnosis"]["retry"], "after");
    assert_eq!(json["diagnosis"]["retry_after_seconds"], 20);

    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(429, &fixture("429_rate_limit_exceeded.json")).insert_header("retry-after-ms", "1500"),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.json()["diagnosis"]["retry_after_seconds"], 2);
}

#[test]
fn server_errors_are_retryable() {
    let run = expect(500, "500_server_error.json", "server_error", 3);
    assert_eq!(run.json()["diagnosis"]["retry"], "later");
    expect(503, "503_overloaded.json", "server_error", 3);
}

#[test]
fn wrong_base_url_missing_v1() {
    let server = Server::start();
    server.respond(
        "/models",
        ResponseTemplate::new(404).set_body_raw(fixture("404_not_found.html"), "text/html"),
    );
    // The user forgot /v1.
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &server.mock.uri()])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
    assert_eq!(run.code, 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_json_404_on_models_is_a_wrong_base_url() {
    let server = Server::start();
    server.respond("/v1/models", json_response(404, "{\"detail\": \"Not Found\"}"));
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
}

#[test]
fn captive_portal_is_not_the_api() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        ResponseTemplate::new(200).set_body_raw(fixture("captive_portal.html"), "text/html"),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("text/html")
    );
}

#[test]
fn a_redirect_is_not_followed() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        ResponseTemplate::new(301).insert_header("location", "https://elsewhere.example/v1/models"),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
    assert_eq!(server.requests().len(), 1);
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("elsewhere.example")
    );
}

#[test]
fn unexpected_response() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(418, "{\"error\": {\"message\": \"I'm a teapot\"}}"),
    );
    let run = Doctor::new().key(KEY).server(&server).json().run();
    assert_eq!(run.diagnosis(), "unexpected_response");
    assert_eq!(run.code, 1);
}

#[test]
fn network_error_connection_refused() {
    // Bind then drop: nothing listens on that port any more.
    let port = common::closed_port();
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &format!("http://127.0.0.1:{port}/v1")])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.code, 4);
    assert_eq!(run.json()["probe"]["network_error"], "connect");
    assert_eq!(run.json()["diagnosis"]["retry"], "later");
}

#[test]
fn network_error_timeout() {
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(200, &fixture("200_models.json")).set_delay(std::time::Duration::from_secs(5)),
    );
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--timeout", "1"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.json()["probe"]["network_error"], "timeout");
    assert_eq!(run.code, 4);
}

#[test]
fn network_error_dns() {
    // `.invalid` never resolves (RFC 6761), with or without a network.
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", "https://api.openai.invalid/v1"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.json()["probe"]["network_error"], "dns");
}

#[test]
fn insecure_base_url_sends_nothing() {
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", "http://proxy.example.com/v1"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "insecure_base_url");
    assert_eq!(run.code, 1);
    assert!(run.json()["probe"].is_null());
}

#[test]
fn invalid_base_url_sends_nothing() {
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", "api.openai.com/v1"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
    assert!(run.json()["probe"].is_null());
}

#[test]
fn offline_makes_no_request() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .args(&["--offline"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "offline");
    assert_eq!(run.code, 0);
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn offline_with_an_error_finding_is_malformed() {
    let cut = &KEY[..KEY.find("T3BlbkFJ").unwrap() + 10];
    let run = Doctor::new().key(cut).args(&["--offline"]).json().run();
    assert_eq!(run.diagnosis(), "key_malformed");
    assert_eq!(run.code, 1);
    assert!(run.finding_ids().contains(&"truncated".to_string()));
}

#[test]
fn key_missing() {
    let run = Doctor::new().json().run();
    assert_eq!(run.diagnosis(), "key_missing");
    assert_eq!(run.code, 1);
    assert!(run.json()["key"].is_null());
}

#[test]
fn key_empty_from_a_fork_pull_request() {
    let server = Server::start();
    let run = Doctor::new()
        .env("OPENAI_API_KEY", "")
        .env("GITHUB_ACTIONS", "true")
        .server(&server)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_empty");
    assert_eq!(run.code, 1);
    let checklist = run.json()["diagnosis"]["checklist"].to_string();
    assert!(
        checklist.contains("fork") && checklist.contains("Dependabot"),
        "{checklist}"
    );
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn key_empty_on_a_laptop_names_the_local_causes_only() {
    let run = Doctor::new()
        .env("OPENAI_API_KEY", "")
        .file(".zshrc", "alias ll='ls -l'\nexport OPENAI_API_KEY=\n")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_empty");
    let checklist = run.json()["diagnosis"]["checklist"].to_string();
    assert!(
        checklist.contains(".zshrc:2 sets OPENAI_API_KEY to nothing"),
        "{checklist}"
    );
    assert!(checklist.contains("docker compose"), "{checklist}");
    assert!(!checklist.contains("fork"), "{checklist}");
}

/// Every diagnosis, from its one real run (`common::scenarios`): the run
/// ends in it, with the exit code and retry its rule states.
#[test]
fn every_diagnosis_ends_its_scenario_as_its_rule_says() {
    use openai_keycheck::diagnose::RULES;
    use openai_keycheck::vocab::{DiagnosisId, ExitStatus};
    use strum::IntoEnumIterator;
    for id in DiagnosisId::iter() {
        let rule = RULES.iter().find(|r| r.id == id).expect("a rule for every id");
        let run = common::scenarios::scenario(id, &|d| d.json());
        let code = i32::from(ExitStatus::from(rule.verdict).code());
        let retry: &str = rule.retry.into();
        assert_eq!(run.diagnosis(), id.name(), "{}", run.stdout);
        assert_eq!(run.code, code, "{id}");
        assert_eq!(run.json()["exit_code"], code, "{id}");
        assert_eq!(run.json()["diagnosis"]["retry"], retry, "{id}");
        assert_eq!(run.json()["diagnosis"]["title"], rule.title, "{id}");
    }
}
