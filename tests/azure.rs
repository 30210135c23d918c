//! Azure OpenAI (`--client azure`, or inferred): a local stand-in for an
//! Azure resource answers with the bodies Azure sends (`tests/fixtures/azure_*`);
//! what `AzureOpenAI()` itself sends is compared in `tests/sdk.rs`.

use crate::common;

use common::{AZURE_KEY, Doctor, KEY, Server, azure, fixture, json_response};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJl";

fn resource(path: &str, status: u16, name: &str) -> Server {
    let server = Server::start();
    server.respond_any(path, json_response(status, &fixture(name)));
    server
}

#[test]
fn the_key_goes_in_api_key_with_the_api_version() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["client"], "azure");
    assert!(run.finding("client_inferred").is_object());
    assert_eq!(json["settings"]["api_version"]["value"], "2024-10-21");
    assert_eq!(json["settings"]["azure_endpoint"]["origin"], "env");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.query(), Some("api-version=2024-10-21"));
    assert_eq!(request.headers.get("api-key").unwrap(), AZURE_KEY);
    assert!(
        request.headers.get("authorization").is_none(),
        "never the key in Authorization"
    );
}

#[test]
fn a_token_wins_over_the_key_and_goes_as_bearer() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server)
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.json()["key"]["source"], "azure_ad_token");
    assert_eq!(run.json()["key"]["kind"], "entra_token");
    let request = &server.requests()[0];
    assert_eq!(
        request.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert!(request.headers.get("api-key").is_none());
}

#[test]
fn an_empty_token_hides_a_good_key() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server).env("AZURE_OPENAI_AD_TOKEN", "").json().run();
    assert_eq!(run.diagnosis(), "key_empty");
    assert!(server.requests().is_empty());
    let advice = run.checklist();
    assert!(advice.contains("APIConnectionError"), "{advice}");
    assert!(advice.contains("unset AZURE_OPENAI_AD_TOKEN"), "{advice}");
}

#[test]
fn what_cannot_be_constructed_is_named_in_the_sdks_order() {
    // No credential comes before no version, which comes before no endpoint.
    let run = Doctor::new().args(&["--client", "azure"]).json().run();
    assert_eq!(run.diagnosis(), "key_missing");
    assert!(
        run.checklist()
            .contains("AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN")
    );
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "setting_missing");
    assert!(run.checklist().contains("OPENAI_API_VERSION"));
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env("OPENAI_API_VERSION", "2024-10-21")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "setting_missing");
    assert!(run.checklist().contains("AZURE_OPENAI_ENDPOINT"));
    assert!(run.json()["probe"].is_null());
}

#[test]
fn an_openai_key_for_azure_is_not_sent() {
    let server = resource("/openai/models", 401, "azure_401_invalid_key.json");
    let run = azure(&server)
        .secret(KEY)
        .env("AZURE_OPENAI_API_KEY", KEY)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "client_mismatch");
    assert!(server.requests().is_empty());
}

#[test]
fn both_kinds_of_variables_stay_python_and_say_so() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let run = Doctor::new()
        .key(KEY)
        .server(&server)
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com/",
        )
        .json()
        .run();
    assert_eq!(run.json()["client"], "python");
    assert!(
        run.finding("client_ambiguous")["message"]
            .as_str()
            .unwrap()
            .contains("--client azure")
    );
    // The pass says the other client's key was not tested, and how to test it.
    assert_eq!(run.code, 0);
    let unseen = &run.json()["diagnosis"]["unseen"];
    assert_eq!(unseen[0]["id"], "which_client", "{unseen}");
    assert!(unseen[0]["check"].as_str().unwrap().contains("--client azure"));
    // Under --client azure, OPENAI_API_KEY is named as not read.
    let run = Doctor::new()
        .key(KEY)
        .args(&["--client", "azure", "--offline"])
        .json()
        .run();
    assert!(run.finding("variable_not_read").is_object());
}

#[test]
fn a_wrong_key_gets_azures_checklist() {
    let server = resource("/openai/models", 401, "azure_401_invalid_key.json");
    let run = azure(&server).json().run();
    assert_eq!(run.diagnosis(), "invalid_api_key");
    let advice = run.checklist();
    assert!(advice.contains("KEY1 or KEY2"), "{advice}");
    assert!(!advice.contains("platform.openai.com"), "{advice}");
    assert!(advice.contains("Azure support"), "{advice}");

    let server = resource("/openai/models", 401, "azure_401_token.json");
    let run = azure(&server)
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "invalid_api_key");
    assert!(run.checklist().contains("az account get-access-token"));
}

#[test]
fn a_deployment_is_checked_by_an_empty_chat_request() {
    let path = "/openai/deployments/my-gpt-4o/chat/completions";
    let server = resource(path, 400, "azure_400_empty_messages.json");
    let run = azure(&server).args(&["--model", "my-gpt-4o"]).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(run.checklist().contains("nothing was billed"));
    let request = &server.requests()[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.body, br#"{"messages":[]}"#);
    assert_eq!(run.json()["probe"]["method"], "POST");

    let server = resource(path, 404, "azure_404_deployment_not_found.json");
    let run = azure(&server).args(&["--model", "my-gpt-4o"]).json().run();
    assert_eq!(run.diagnosis(), "deployment_not_found");
    assert!(run.checklist().contains("`my-gpt-4o`"));
}

#[test]
fn each_azure_refusal_has_its_diagnosis() {
    for (status, name, id) in [
        (400, "azure_400_api_version.json", "api_version_unsupported"),
        (403, "azure_403_private_endpoint.json", "network_access_denied"),
        (
            403,
            "azure_403_public_access_disabled.json",
            "network_access_denied",
        ),
        (403, "azure_403_virtual_network.json", "network_access_denied"),
        (401, "azure_401_permission_denied.json", "role_missing"),
    ] {
        let server = resource("/openai/models", status, name);
        let run = azure(&server).json().run();
        assert_eq!(run.diagnosis(), id, "{name}");
        assert_eq!(run.code, 1, "{name}");
        // explain reads the same body the same way.
        let text = format!(
            "openai.APIStatusError: Error code: {status} - {}",
            fixture(name).trim()
        );
        let explained = Doctor::new()
            .stdin(&text)
            .args(&["-", "--format", "json"])
            .run_command("explain");
        assert_eq!(explained.diagnosis(), id, "explain {name}: {}", explained.stdout);
    }
}

#[test]
fn explain_tells_an_azure_key_sent_to_openai() {
    let text = "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: 3f9a1c0e********************0e2c. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}";
    let run = Doctor::new()
        .stdin(text)
        .args(&["-", "--format", "json"])
        .run_command("explain");
    assert_eq!(run.diagnosis(), "client_mismatch", "{}", run.stdout);
    let text = "openai.AuthenticationError: Error code: 401 - {'error': {'code': '401', 'message': 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'}}";
    let run = Doctor::new()
        .stdin(text)
        .args(&["-", "--format", "json"])
        .run_command("explain");
    assert_eq!(run.diagnosis(), "invalid_api_key");
    assert!(run.checklist().contains("KEY1 or KEY2"));
}

#[test]
fn an_endpoint_with_the_path_already_in_it_is_named() {
    // AzureOpenAI() adds /openai to whatever the endpoint holds.
    let server = resource(
        "/openai/v1/openai/models",
        404,
        "azure_404_resource_not_found.json",
    );
    let run = azure(&server)
        .env(
            "AZURE_OPENAI_ENDPOINT",
            &format!("{}/openai/v1/", server.mock.uri()),
        )
        .json()
        .run();
    assert_eq!(run.diagnosis(), "wrong_base_url");
    assert!(
        run.checklist().contains("without /openai or /openai/v1"),
        "{}",
        run.checklist()
    );
}

/// Without --model no deployment is called: the pass says so, and how to
/// check it; with --model, nothing is left unseen.
#[test]
fn a_pass_without_a_deployment_says_it_called_none() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let unseen = &run.json()["diagnosis"]["unseen"];
    assert_eq!(unseen[0]["id"], "deployment", "{unseen}");
    assert!(
        unseen[0]["check"].as_str().unwrap().contains("--model"),
        "{unseen}"
    );

    let path = "/openai/deployments/my-gpt-4o/chat/completions";
    let server = resource(path, 400, "azure_400_empty_messages.json");
    let run = azure(&server).args(&["--model", "my-gpt-4o"]).json().run();
    assert_eq!(
        run.json()["diagnosis"]["unseen"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
}

/// Azure's quickstart keeps its three variables in `.env` and calls
/// `load_dotenv()`: the run infers Azure from the `.env` as from the
/// environment, and tests that key at that endpoint.
#[test]
fn azure_is_inferred_from_the_dotenv_too() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .file(
            ".env",
            &format!(
                "AZURE_OPENAI_API_KEY={AZURE_KEY}\nAZURE_OPENAI_ENDPOINT={}\nOPENAI_API_VERSION=2024-10-21\n",
                server.mock.uri()
            ),
        )
        .json()
        .run();
    assert_eq!(run.json()["client"], "azure", "{}", run.stdout);
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(
        run.finding("client_inferred")["message"]
            .as_str()
            .unwrap()
            .contains(".env")
    );
    let request = &server.requests()[0];
    assert_eq!(request.headers.get("api-key").unwrap(), AZURE_KEY);
    // Not OpenAI's advice for a key it never looked for.
    assert!(
        !run.checklist().contains("export OPENAI_API_KEY"),
        "{}",
        run.checklist()
    );
}

/// A token given by hand (`az account get-access-token … |`) is tested as
/// AzureOpenAI(azure_ad_token=…) sends it: as Bearer, never as api-key; the
/// flag implies --client azure, and refuses another client.
#[test]
fn a_token_from_standard_input_goes_as_bearer() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = Doctor::new()
        .secret(TOKEN)
        .env("AZURE_OPENAI_ENDPOINT", &server.mock.uri())
        .env("OPENAI_API_VERSION", "2024-10-21")
        .args(&["--azure-ad-token-stdin"])
        .stdin(&format!("{TOKEN}\n"))
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.json()["client"], "azure");
    assert_eq!(run.json()["key"]["kind"], "entra_token");
    let request = &server.requests()[0];
    assert_eq!(
        request.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert!(request.headers.get("api-key").is_none());

    let refused = Doctor::new()
        .args(&["--client", "python", "--azure-ad-token-stdin"])
        .stdin(TOKEN)
        .run();
    assert_eq!(refused.code, 2, "{}", refused.stdout);
}

/// A token's claims are read offline: an `exp` in the past, or another
/// audience, is said before Azure's 401 says less.
#[test]
fn an_expired_token_or_another_audience_is_named() {
    const EXPIRED: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl";
    const GRAPH: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl";
    for (token, finding) in [(EXPIRED, "token_expired"), (GRAPH, "token_audience")] {
        let server = resource("/openai/models", 401, "azure_401_token.json");
        let run = Doctor::new()
            .secret(token)
            .env("AZURE_OPENAI_ENDPOINT", &server.mock.uri())
            .env("OPENAI_API_VERSION", "2024-10-21")
            .env("AZURE_OPENAI_AD_TOKEN", token)
            .json()
            .run();
        assert_eq!(run.finding(finding)["severity"], "error", "{}", run.stdout);
        assert_eq!(run.diagnosis(), "invalid_api_key");
        assert!(
            run.checklist().contains("az account get-access-token"),
            "{}",
            run.checklist()
        );
    }
    // Whatever the body says, a 401 for a token seen expired is the expiry.
    let server = resource("/openai/models", 401, "azure_401_permission_denied.json");
    let run = Doctor::new()
        .secret(EXPIRED)
        .env("AZURE_OPENAI_ENDPOINT", &server.mock.uri())
        .env("OPENAI_API_VERSION", "2024-10-21")
        .env("AZURE_OPENAI_AD_TOKEN", EXPIRED)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "invalid_api_key", "{}", run.stdout);
    // A token within its hour and for Azure: nothing said.
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server)
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .json()
        .run();
    assert!(
        run.finding_ids().iter().all(|f| !f.starts_with("token_")),
        "{}",
        run.stdout
    );
}

/// Azure's missing key speaks Azure: its variables, and how to test a
/// token provider given in code; never OpenAI's `export OPENAI_API_KEY`.
#[test]
fn a_missing_azure_credential_gets_azures_steps() {
    let run = Doctor::new()
        .env(
            "AZURE_OPENAI_ENDPOINT",
            "https://example-resource.openai.azure.com/",
        )
        .env("OPENAI_API_VERSION", "2024-10-21")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "key_missing", "{}", run.stdout);
    let list = run.checklist();
    for words in [
        "AZURE_OPENAI_API_KEY",
        "azure_ad_token_provider",
        "--azure-ad-token-stdin",
    ] {
        assert!(list.contains(words), "{words}: {list}");
    }
    assert!(!list.contains("export OPENAI_API_KEY"), "{list}");
}

/// Azure resolves the name of every resource that exists: a name under
/// openai.azure.com that does not resolve is misspelt or deleted — a fix
/// (exit 1), not a network fault to retry. Run in an empty network
/// namespace, where no name resolves: another host's failure stays a retry.
#[test]
#[cfg_attr(
    not(has_netns),
    ignore = "needs a network namespace: unshare, as root or with user namespaces"
)]
fn an_unknown_azure_resource_name_is_a_fix_not_a_retry() {
    crate::security::assert_namespaces_work();
    let run = |endpoint: &str| {
        crate::security::in_namespace(
            "exec \"$0\" \"$@\"",
            &[
                ("AZURE_OPENAI_API_KEY", AZURE_KEY),
                ("AZURE_OPENAI_ENDPOINT", endpoint),
                ("OPENAI_API_VERSION", "2024-10-21"),
            ],
            &["doctor", "--format", "json", "--timeout", "5"],
        )
    };
    let out = run("https://contoso-misspelt.openai.azure.com/");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnosis"]["id"], "network_error", "{report}");
    assert_eq!(report["exit_code"], 1, "{report}");
    assert_eq!(report["diagnosis"]["retry"], "never");
    assert!(
        report["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("`contoso-misspelt`")
    );

    let out = run("https://gateway.example.com/");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnosis"]["id"], "network_error", "{report}");
    assert_eq!(report["exit_code"], 4, "{report}");
}

/// Azure's API Management front refuses a token with a body of its own
/// shape; its words reach the Probe section and the checklist.
#[test]
fn a_refused_token_shows_the_services_words() {
    let server = resource("/openai/models", 401, "azure_401_token_apim.json");
    let run = azure(&server)
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "invalid_api_key", "{}", run.stdout);
    let error = &run.json()["probe"]["error"];
    assert_eq!(error["code"], "401", "{}", run.stdout);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("audience is incorrect")),
        "{error}"
    );
    assert!(
        run.checklist().contains("audience is incorrect"),
        "{}",
        run.checklist()
    );
}

/// An Azure endpoint on api.openai.com is the wrong client, not a proxy
/// that dropped a header: nothing is sent, and both ways out are named.
#[test]
fn an_azure_endpoint_on_openais_host_is_the_wrong_client() {
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env("AZURE_OPENAI_ENDPOINT", "https://api.openai.com")
        .env("OPENAI_API_VERSION", "2024-10-21")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "client_mismatch", "{}", run.stdout);
    assert!(run.json()["probe"].is_null(), "nothing is sent: {}", run.stdout);
    let advice = run.checklist();
    assert!(
        advice.contains("OpenAI()") && advice.contains("NAME.openai.azure.com"),
        "{advice}"
    );
    assert!(!advice.contains("dropped"), "{advice}");
}

/// Credit for an Azure resource is kept in the Azure portal, not on
/// OpenAI's billing page.
#[test]
fn azure_billing_is_the_portals() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(run.checklist().contains("Azure portal"), "{}", run.checklist());
    assert!(
        !run.checklist().contains("platform.openai.com"),
        "{}",
        run.checklist()
    );
}

/// An Azure credential only in the `.env`: a program that does not load it
/// has none, so a pass names that, and a finding says so.
#[test]
fn an_azure_key_only_in_the_dotenv_is_named_unseen() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .file(".env", &format!("AZURE_OPENAI_API_KEY={AZURE_KEY}\n"))
        .env("AZURE_OPENAI_ENDPOINT", &server.mock.uri())
        .env("OPENAI_API_VERSION", "2024-10-21")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(
        run.finding("dotenv_not_loaded")["message"]
            .as_str()
            .unwrap()
            .contains("AZURE_OPENAI_API_KEY")
    );
    let unseen = &run.json()["diagnosis"]["unseen"];
    let loaded = unseen
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "dotenv_loaded")
        .unwrap_or_else(|| panic!("{unseen}"));
    assert!(
        loaded["says"]
            .as_str()
            .unwrap()
            .starts_with("AZURE_OPENAI_API_KEY is only in the .env"),
        "{loaded}"
    );
}

/// An empty token hides the key from openai-python, not from openai-node,
/// whose AzureOpenAI reads no token variable: the checklist says so.
#[test]
fn an_empty_token_names_the_node_client_it_does_not_stop() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server).env("AZURE_OPENAI_AD_TOKEN", "").json().run();
    assert_eq!(run.diagnosis(), "key_empty", "{}", run.stdout);
    assert!(
        run.checklist().contains("A Node program is not affected"),
        "{}",
        run.checklist()
    );
}

/// A token and a key both set: a Node program sends the key, untested.
#[test]
fn a_token_and_a_key_say_what_a_node_program_sends() {
    let server = resource("/openai/models", 200, "azure_200_models.json");
    let run = azure(&server)
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let unseen = run.json()["diagnosis"]["unseen"].to_string();
    assert!(unseen.contains("sends AZURE_OPENAI_API_KEY instead"), "{unseen}");
}

/// On OpenAI's host a token would go as Bearer: the wording says so.
#[test]
fn a_token_for_an_endpoint_on_openais_host_is_named_as_bearer() {
    let run = Doctor::new()
        .secret(TOKEN)
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .env("AZURE_OPENAI_ENDPOINT", "https://api.openai.com/v1")
        .env("OPENAI_API_VERSION", "2024-10-21")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "client_mismatch", "{}", run.stdout);
    assert!(
        run.checklist().contains("`Authorization: Bearer`"),
        "{}",
        run.checklist()
    );
    assert!(!run.checklist().contains("api-key"), "{}", run.checklist());
}

/// An endpoint that holds `/openai` already doubles it in the URL: Azure's
/// bare "Resource not found" is the endpoint, with or without --model,
/// never a model the project may not use.
#[test]
fn an_endpoint_holding_openai_is_the_endpoint_with_a_deployment_too() {
    let path = "/openai/openai/deployments/my-gpt-4o/chat/completions";
    let server = resource(path, 404, "azure_404_resource_not_found.json");
    let run = Doctor::new()
        .secret(AZURE_KEY)
        .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
        .env("AZURE_OPENAI_ENDPOINT", &format!("{}/openai/", server.mock.uri()))
        .env("OPENAI_API_VERSION", "2024-10-21")
        .args(&["--model", "my-gpt-4o"])
        .json()
        .run();
    assert_eq!(server.requests().len(), 1, "{}", run.stdout);
    assert_eq!(run.diagnosis(), "wrong_base_url", "{}", run.stdout);
    assert!(run.checklist().contains("without /openai"), "{}", run.checklist());
}
