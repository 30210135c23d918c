//! Real `--format json` output of every diagnosis validates against the
//! published schema (schema/report-v1.json).

mod common;

use common::{Doctor, KEY, Run, Server, fixture, json_response};
use serde_json::Value;
use wiremock::ResponseTemplate;

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/report-v1.json")).unwrap()
}

fn answered(status: u16, name: &str) -> Run {
    let server = Server::start();
    server.answer(status, name);
    Doctor::new().key(KEY).server(&server).json().run()
}

fn served(path: &str, response: ResponseTemplate, args: &[&str]) -> Run {
    let server = Server::start();
    server.respond(path, response);
    Doctor::new().key(KEY).server(&server).args(args).json().run()
}

/// A real run that ends in `id`.
fn scenario(id: &str) -> Run {
    match id {
        "ok" => answered(200, "200_models.json"),
        "offline" => Doctor::new().key(KEY).args(&["--offline"]).json().run(),
        "key_missing" => Doctor::new().json().run(),
        "key_empty" => Doctor::new().env("OPENAI_API_KEY", "").json().run(),
        "key_malformed" => Doctor::new().key("sk-proj-...wxyz").json().run(),
        "insecure_base_url" => Doctor::new()
            .key(KEY)
            .args(&["--base-url", "http://example.com/v1"])
            .json()
            .run(),
        "network_error" => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            Doctor::new()
                .key(KEY)
                .args(&["--base-url", &format!("http://127.0.0.1:{port}/v1")])
                .json()
                .run()
        }
        "restricted_key" => answered(401, "401_missing_scopes.json"),
        "ip_not_allowed" => answered(401, "401_ip_not_authorized.json"),
        "account_disabled" => answered(401, "401_account_deactivated.json"),
        "organization_mismatch" => answered(401, "401_mismatched_organization.json"),
        "project_mismatch" => answered(401, "401_mismatched_project.json"),
        "unsupported_region" => answered(403, "403_unsupported_region.json"),
        "model_not_found" => served(
            "/v1/models/gpt-x",
            json_response(404, &fixture("404_model_not_found.json")),
            &["--model", "gpt-x"],
        ),
        "invalid_api_key" => answered(401, "401_invalid_api_key.json"),
        "permission_denied" => answered(403, "403_not_allowed.json"),
        "quota_exceeded" => answered(429, "429_insufficient_quota.json"),
        "rate_limited" => answered(429, "429_rate_limit_exceeded.json"),
        "server_error" => answered(503, "503_overloaded.json"),
        "wrong_base_url" => served(
            "/v1/models",
            ResponseTemplate::new(200).set_body_raw(fixture("captive_portal.html"), "text/html"),
            &[],
        ),
        "unexpected_response" => served("/v1/models", json_response(418, "{}"), &[]),
        other => panic!("no scenario for the diagnosis {other}: add one here"),
    }
}

#[test]
fn every_diagnosis_validates_against_the_schema() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let ids: Vec<String> = schema["$defs"]["diagnosis_id"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 21);
    for id in &ids {
        let run = scenario(id);
        let json = run.json();
        assert_eq!(&run.diagnosis(), id, "{}", run.stdout);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}\n{}", run.stdout);
    }
}

#[test]
fn the_schema_rejects_what_it_should() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut json = answered(200, "200_models.json").json();
    assert!(validator.is_valid(&json));
    json["diagnosis"]["id"] = "renamed".into();
    assert!(
        !validator.is_valid(&json),
        "an unknown diagnosis id must not validate"
    );
    let mut json = answered(200, "200_models.json").json();
    json["key"]["fingerprint"] = KEY.into();
    assert!(
        !validator.is_valid(&json),
        "a fingerprint is 12 hex digits, never the key"
    );
}

#[test]
fn findings_and_sources_of_a_busy_run_validate() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let run = Doctor::new()
        .key(&format!("'{KEY}'\n"))
        .file(".env", "OPENAI_API_KEY=sk-other\nBROKEN LINE\n")
        .file(".openai/auth.json", "not json")
        .env("OPENAI_BASE_URL", "")
        .env("OPENAI_API_BASE", "x")
        .env("OPENAI_ADMIN_KEY", "sk-admin-x")
        .env("OPENAI_CUSTOM_HEADERS", "Authorization: Bearer x")
        .args(&["--offline", "--strict"])
        .json()
        .run();
    let json = run.json();
    let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", run.stdout);
    assert!(run.finding_ids().len() >= 6, "{:?}", run.finding_ids());
}
