//! One real run for each diagnosis, shared by the schema and leak tests.

use openai_keycheck::vocab::DiagnosisId;
use wiremock::ResponseTemplate;

use super::{AZURE_KEY, Doctor, KEY, Run, Server, azure, fixture, json_response};

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
/// variables (a format, CI variables) before it runs. The schema, leak and
/// snapshot tests run every diagnosis through here.
pub fn scenario(id: DiagnosisId, customise: &dyn Fn(Doctor) -> Doctor) -> Run {
    use DiagnosisId::*;
    let answered = |status, name| answered_with(status, name, customise);
    match id {
        Ok => answered(200, "200_models.json"),
        Offline => customise(Doctor::new().key(KEY).args(&["--offline"])).run(),
        // The shell's key is there; the process's environment is not.
        ProcessUnreadable => {
            let foreign = super::ForeignProcess::start();
            let pid = foreign.pid.to_string();
            customise(Doctor::new().key(KEY).run_as_nobody().args(&["--pid", &pid])).run()
        }
        KeyMissing => customise(Doctor::new()).run(),
        KeyEmpty => customise(Doctor::new().env("OPENAI_API_KEY", "")).run(),
        KeyMalformed => customise(Doctor::new().key("sk-proj-...wxyz")).run(),
        InsecureBaseUrl => customise(
            Doctor::new()
                .key(KEY)
                .args(&["--base-url", "http://example.com/v1"]),
        )
        .run(),
        UntrustedBaseUrl => customise(
            Doctor::new()
                .key(KEY)
                .file(".env", "OPENAI_BASE_URL=https://gateway.example/v1\n"),
        )
        .run(),
        KeyOnlyInFile => {
            let server = Server::start();
            server.answer(200, "200_models.json");
            let file = format!("{{\"api_key\": \"{KEY}\"}}");
            customise(
                Doctor::new()
                    .secret(KEY)
                    .file(".openai/auth.json", &file)
                    .server(&server),
            )
            .run()
        }
        NetworkError => {
            let port = super::closed_port();
            customise(
                Doctor::new()
                    .key(KEY)
                    .args(&["--base-url", &format!("http://127.0.0.1:{port}/v1")]),
            )
            .run()
        }
        RestrictedKey => answered(401, "401_missing_scopes.json"),
        IpNotAllowed => answered(401, "401_ip_not_authorized.json"),
        AccountDisabled => answered(401, "401_account_deactivated.json"),
        OrganizationMismatch => answered_with(401, "401_mismatched_organization.json", &|d| {
            customise(d.env("OPENAI_ORG_ID", "org-Stale123"))
        }),
        ProjectMismatch => answered_with(401, "401_mismatched_project.json", &|d| {
            customise(d.env("OPENAI_PROJECT_ID", "proj_Old"))
        }),
        UnsupportedRegion => answered(403, "403_unsupported_region.json"),
        ModelNotFound => served(
            "/v1/models/gpt-x",
            json_response(404, &fixture("404_model_not_found.json")),
            &["--model", "gpt-x"],
            customise,
        ),
        InvalidApiKey => answered(401, "401_invalid_api_key.json"),
        PermissionDenied => answered(403, "403_not_allowed.json"),
        QuotaExceeded => answered(429, "429_insufficient_quota.json"),
        RateLimited => answered(429, "429_rate_limit_exceeded.json"),
        ServerError => answered(503, "503_overloaded.json"),
        WrongBaseUrl => served(
            "/v1/models",
            ResponseTemplate::new(200).set_body_raw(fixture("captive_portal.html"), "text/html"),
            &[],
            customise,
        ),
        UnexpectedResponse => served("/v1/models", json_response(418, "{}"), &[], customise),
        SettingMissing => customise(
            Doctor::new()
                .secret(AZURE_KEY)
                .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
                .env(
                    "AZURE_OPENAI_ENDPOINT",
                    "https://example-resource.openai.azure.com/",
                ),
        )
        .run(),
        ClientMismatch => customise(
            Doctor::new()
                .key("3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c")
                .args(&["--client", "python"]),
        )
        .run(),
        DeploymentNotFound => azure_answered(
            "/openai/deployments/my-gpt-4o/chat/completions",
            404,
            "azure_404_deployment_not_found.json",
            &["--model", "my-gpt-4o"],
            customise,
        ),
        ApiVersionUnsupported => azure_answered(
            "/openai/models",
            400,
            "azure_400_api_version.json",
            &[],
            customise,
        ),
        NetworkAccessDenied => azure_answered(
            "/openai/models",
            403,
            "azure_403_private_endpoint.json",
            &[],
            customise,
        ),
        // explain only: doctor never talks to another service.
        OtherService => customise(Doctor::new()).run_explain(
            "huggingface_hub.utils._errors.HfHubHTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/api/models/meta-llama/Llama-2-7b-hf",
        ),
        // A doctor run rarely meets a 400 (a gateway in front of the API);
        // explain meets it in every log of a too-long conversation.
        BadRequest => answered(400, "400_context_length_exceeded.json"),
        RoleMissing => {
            let server = Server::start();
            server.respond_any(
                "/openai/models",
                json_response(401, &fixture("azure_401_permission_denied.json")),
            );
            let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJl";
            customise(azure(&server).secret(token).env("AZURE_OPENAI_AD_TOKEN", token)).run()
        }
    }
}

fn azure_answered(
    path: &str,
    status: u16,
    name: &str,
    args: &[&str],
    customise: &dyn Fn(Doctor) -> Doctor,
) -> Run {
    let server = Server::start();
    server.respond_any(path, json_response(status, &fixture(name)));
    customise(azure(&server).args(args)).run()
}
