//! One real run for each diagnosis, shared by the schema and leak tests.

use wiremock::ResponseTemplate;

use super::{Doctor, KEY, Run, Server, fixture, json_response};

pub fn answered(status: u16, name: &str) -> Run {
    answered_with(status, name, &|d| d.json())
}

fn answered_with(status: u16, name: &str, customise: &dyn Fn(Doctor) -> Doctor) -> Run {
    let server = Server::start();
    server.answer(status, name);
    customise(Doctor::new().key(KEY).server(&server)).run()
}

fn served(
    path: &str,
    response: ResponseTemplate,
    args: &[&str],
    customise: &dyn Fn(Doctor) -> Doctor,
) -> Run {
    let server = Server::start();
    server.respond(path, response);
    customise(Doctor::new().key(KEY).server(&server).args(args)).run()
}

/// A real run that ends in the diagnosis `id`; `customise` adds flags or
/// variables (a format, CI variables) before it runs.
pub fn scenario(id: &str, customise: &dyn Fn(Doctor) -> Doctor) -> Run {
    let answered = |status, name| answered_with(status, name, customise);
    match id {
        "ok" => answered(200, "200_models.json"),
        "offline" => customise(Doctor::new().key(KEY).args(&["--offline"])).run(),
        "key_missing" => customise(Doctor::new()).run(),
        "key_empty" => customise(Doctor::new().env("OPENAI_API_KEY", "")).run(),
        "key_malformed" => customise(Doctor::new().key("sk-proj-...wxyz")).run(),
        "insecure_base_url" => customise(
            Doctor::new()
                .key(KEY)
                .args(&["--base-url", "http://example.com/v1"]),
        )
        .run(),
        "network_error" => {
            let port = super::closed_port();
            customise(
                Doctor::new()
                    .key(KEY)
                    .args(&["--base-url", &format!("http://127.0.0.1:{port}/v1")]),
            )
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
            customise,
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
            customise,
        ),
        "unexpected_response" => served("/v1/models", json_response(418, "{}"), &[], customise),
        other => panic!("no scenario for the diagnosis {other}: add one here"),
    }
}
