use super::explain;
use crate::recognise::recognise;
use crate::report::{Report, Subject};
use crate::vocab::DiagnosisId;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/explain")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn report(text: &str) -> Report {
    explain(text).expect("recognised")
}

fn diagnosis_of(text: &str) -> &'static str {
    report(text).diagnosis.id.name()
}

fn alternatives(report: &Report) -> Vec<DiagnosisId> {
    match &report.subject {
        Subject::Explain(x) => x.explain.alternatives.clone(),
        Subject::Doctor(_) => panic!("an explain report"),
    }
}

#[test]
fn every_fixture_gets_its_diagnosis() {
    let cases = [
        ("python1_invalid_api_key.txt", "invalid_api_key"),
        ("python3_invalid_api_key.txt", "invalid_api_key"),
        ("python1_no_api_key.txt", "key_empty"),
        ("python1_insufficient_quota.txt", "quota_exceeded"),
        ("python1_rate_limit.txt", "rate_limited"),
        ("python1_unsupported_region.txt", "unsupported_region"),
        ("python1_model_not_found.txt", "model_not_found"),
        ("python1_missing_scopes.txt", "restricted_key"),
        ("python1_mismatched_organization.txt", "organization_mismatch"),
        ("python1_mismatched_project.txt", "project_mismatch"),
        ("python1_ip_not_authorized.txt", "ip_not_allowed"),
        ("python1_account_deactivated.txt", "account_disabled"),
        ("python1_permission_denied.txt", "permission_denied"),
        ("python1_server_error.txt", "server_error"),
        ("python_connection_error.txt", "key_malformed"),
        ("python_timeout.txt", "network_error"),
        ("python1_missing_key.txt", "key_missing"),
        ("python3_missing_credentials.txt", "key_missing"),
        ("node_invalid_api_key.txt", "invalid_api_key"),
        ("node_insufficient_quota.txt", "quota_exceeded"),
        ("node_connection_enotfound.txt", "network_error"),
        ("langchain_rate_limit.txt", "rate_limited"),
        ("curl_invalid_api_key.txt", "invalid_api_key"),
        ("curl_rate_limited.txt", "rate_limited"),
        ("curl_not_found_html.txt", "wrong_base_url"),
    ];
    for (name, expected) in cases {
        assert_eq!(diagnosis_of(&fixture(name)), expected, "{name}");
    }
}

#[test]
fn says_what_it_recognised() {
    let r = recognise(&fixture("python1_insufficient_quota.txt")).unwrap();
    assert_eq!(
        r.recognised,
        "Python SDK exception (RateLimitError), status 429, code insufficient_quota"
    );
    let r = recognise(&fixture("node_invalid_api_key.txt")).unwrap();
    assert_eq!(r.forms[0], crate::recognise::Form::NodeSdk);
    assert_eq!(r.status, Some(401));
    let r = recognise(&fixture("langchain_rate_limit.txt")).unwrap();
    assert!(r.forms.contains(&crate::recognise::Form::Langchain));
    let r = recognise(&fixture("curl_rate_limited.txt")).unwrap();
    assert_eq!(
        (
            r.retry_after.as_deref(),
            r.forms.contains(&crate::recognise::Form::HttpResponse)
        ),
        (Some("20"), true)
    );
    assert_eq!(
        report(&fixture("curl_rate_limited.txt"))
            .diagnosis
            .retry_after_seconds,
        Some(20)
    );
    let r = recognise(&fixture("node_connection_enotfound.txt")).unwrap();
    assert_eq!(
        r.recognised,
        "Node SDK error (APIConnectionError), no HTTP answer (dns)"
    );
    assert!(
        report(&fixture("node_connection_enotfound.txt"))
            .diagnosis
            .checklist[0]
            .contains("could not be resolved")
    );
}

#[test]
fn a_bare_status_names_its_meanings() {
    let r = recognise("429").unwrap();
    assert_eq!(r.recognised, "status code 429 alone");
    let report = report("429");
    assert_eq!(
        alternatives(&report),
        [DiagnosisId::RateLimited, DiagnosisId::QuotaExceeded]
    );
    assert!(report.diagnosis.checklist[0].starts_with("429 has two meanings"));
    for (status, id) in [
        (401, "invalid_api_key"),
        (403, "permission_denied"),
        (404, "wrong_base_url"),
        (500, "server_error"),
        (418, "unexpected_response"),
    ] {
        assert_eq!(diagnosis_of(&status.to_string()), id, "{status}");
    }
}

#[test]
fn a_json_body_alone_is_enough() {
    let body = r#"{"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": null}}"#;
    assert_eq!(diagnosis_of(body), "quota_exceeded");
}

#[test]
fn a_refused_header_proves_the_newline_and_a_bare_connection_error_suggests_it() {
    // h11's refusal of the header, chained under APIConnectionError.
    let report = report(&fixture("python_connection_error.txt"));
    assert_eq!(report.diagnosis.id, DiagnosisId::KeyMalformed);
    assert!(report.diagnosis.checklist[0].contains("newline at its end"));
    // The last exception alone cannot prove it, only suggest it.
    let report = report_of("openai.APIConnectionError: Connection error.");
    assert_eq!(report.diagnosis.id, DiagnosisId::NetworkError);
    assert!(
        report
            .diagnosis
            .checklist
            .iter()
            .any(|s| s.contains("trailing newline"))
    );
}

fn report_of(text: &str) -> Report {
    report(text)
}

#[test]
fn nothing_to_recognise() {
    for text in [
        "",
        "   ",
        "hello world",
        "Error: something else entirely",
        "\u{0}\u{1}garbage\u{fffd}",
    ] {
        assert!(recognise(text).is_none(), "{text:?}");
    }
}
