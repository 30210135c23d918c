//! The promise: the full key appears in no output, whatever the diagnosis,
//! the format, or what the server sends back. `Doctor::run` checks stdout,
//! stderr and the step summary of every run against the planted key.

use crate::common;

use common::scenarios::scenario;
use common::{Doctor, FORMATS, KEY, Server, in_actions, json_response};
use openai_keycheck::vocab::DiagnosisId;
use strum::IntoEnumIterator;
use wiremock::ResponseTemplate;

#[test]
fn no_diagnosis_in_any_format_shows_the_key() {
    for id in DiagnosisId::iter() {
        for format in FORMATS {
            let run = scenario(id, &|d| in_actions(d, format));
            assert!(
                run.summary
                    .as_deref()
                    .is_some_and(|s| s.contains(&format!("`{id}`"))),
                "{id} {format:?}"
            );
        }
    }
}

#[test]
fn a_server_echoing_the_key_everywhere_is_masked_in_every_format() {
    let body = format!(
        r#"{{"error": {{"message": "Incorrect API key provided: {KEY}.", "type": "invalid_request_error", "param": "{KEY}", "code": "invalid_api_key"}}}}"#
    );
    let echo = json_response(401, &body)
        .insert_header("x-echo", KEY)
        .insert_header("x-request-id", KEY)
        .insert_header("openai-organization", KEY)
        .insert_header("x-ratelimit-limit-requests", KEY);
    let redirect = ResponseTemplate::new(307).insert_header(
        "location",
        format!("https://elsewhere.example/v1?key={KEY}").as_str(),
    );
    for (response, shown) in [(echo, "sk-proj-…"), (redirect, "elsewhere.example")] {
        let server = Server::start();
        server.respond("/v1/models", response);
        for format in FORMATS {
            let in_ci = in_actions(Doctor::new().key(KEY).server(&server), format).run();
            assert!(in_ci.summary.is_some());
            for run in [Doctor::new().key(KEY).server(&server).args(format).run(), in_ci] {
                assert_eq!(run.code, 1);
                // The masked key, or where the redirect pointed, is shown instead.
                if format.is_empty() || format == &["--verbose"] {
                    assert!(run.stdout.contains(shown), "{format:?}:\n{}", run.stdout);
                }
            }
        }
    }
}

#[test]
fn a_key_pasted_with_whitespace_or_quotes_is_masked_in_every_form() {
    for raw in [
        format!("{KEY}\n"),
        format!("  '{KEY}'  "),
        format!("Bearer {KEY}"),
    ] {
        for format in FORMATS {
            // `key` plants the raw value; `secret` also the clean key.
            let run = in_actions(Doctor::new().key(&raw).secret(KEY), format)
                .args(&["--offline"])
                .run();
            assert_eq!(run.code, 1);
        }
    }
}
