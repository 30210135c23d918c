//! TLS, proxies and hostile servers.

mod common;

use common::tls::TlsServer;
use common::{Doctor, KEY, fixture};

#[test]
fn an_unknown_issuer_is_a_tls_error_with_advice() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &server.base_url()])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);
    assert_eq!(run.json()["probe"]["network_error"], "tls");
    let checklist = run.json()["diagnosis"]["checklist"].to_string();
    assert!(
        checklist.contains("--ca-cert") && checklist.contains("SSL_CERT_FILE"),
        "{checklist}"
    );
    assert_eq!(
        server.requests(),
        0,
        "the key never crossed an untrusted connection"
    );
}

#[test]
fn ca_cert_adds_a_trusted_root() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let doctor = Doctor::new();
    let ca = doctor.home().join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let run = doctor
        .key(KEY)
        .args(&[
            "--base-url",
            &server.base_url(),
            "--ca-cert",
            ca.to_str().unwrap(),
        ])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests(), 1);
}

#[test]
fn ssl_cert_file_replaces_the_system_store() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let doctor = Doctor::new();
    let ca = doctor.home().join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let run = doctor
        .key(KEY)
        .env("SSL_CERT_FILE", ca.to_str().unwrap())
        .args(&["--base-url", &server.base_url()])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert!(run.finding_ids().contains(&"custom_trust_store".to_string()));
}

#[test]
fn a_ca_cert_that_is_not_pem_is_an_error_finding() {
    let run = Doctor::new()
        .key(KEY)
        .file("ca.pem", "hello")
        .args(&["--ca-cert", "ca.pem", "--offline"])
        .json()
        .run();
    assert!(run.finding_ids().contains(&"ca_cert_unusable".to_string()));
    let finding = &run.json()["findings"][0];
    assert_eq!(
        (finding["id"].as_str(), finding["severity"].as_str()),
        (Some("ca_cert_unusable"), Some("error"))
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("holds no certificate")
    );
}
