//! TLS, proxies and hostile servers.

use crate::common;

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
    let run = Doctor::new()
        .key(KEY)
        .file("ca.pem", &server.ca_pem)
        .args(&["--base-url", &server.base_url(), "--ca-cert", "ca.pem"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests(), 1);
}

#[test]
fn ssl_cert_file_replaces_the_system_store() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let doctor = Doctor::new().file("ca.pem", &server.ca_pem);
    let ca = doctor.home().join("ca.pem");
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

use common::raw::{Behaviour, RawServer};
use std::time::{Duration, Instant};

fn against(server: &RawServer, args: &[&str]) -> (common::Run, Duration) {
    let started = Instant::now();
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &server.base_url()])
        .args(args)
        .json()
        .run();
    (run, started.elapsed())
}

#[test]
fn a_hanging_server_gets_a_verdict_within_the_timeout() {
    let server = RawServer::start(Behaviour::Hang);
    let (run, took) = against(&server, &["--timeout", "2"]);
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.json()["probe"]["network_error"], "timeout");
    assert!(
        run.json()["probe"]["network_error_detail"]
            .as_str()
            .unwrap()
            .starts_with("read:")
    );
    assert_eq!(run.code, 4);
    common::assert_bounded(took, common::probe_bound(2), "a hanging server");
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_dripping_body_is_cut_at_the_timeout() {
    let server = RawServer::start(Behaviour::Drip);
    let (run, took) = against(&server, &["--timeout", "2"]);
    assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);
    let detail = run.json()["probe"]["network_error_detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("HTTP 200 arrived"), "{detail}");
    assert_eq!(run.json()["probe"]["status"], 200);
    common::assert_bounded(took, common::probe_bound(2), "a dripping body");
}

#[test]
fn a_ten_megabyte_body_is_read_only_in_part() {
    let body = vec![b'a'; 10 * 1024 * 1024];
    let server = RawServer::start(Behaviour::Reply(RawServer::response(200, "text/html", &body)));
    let (run, _) = against(&server, &[]);
    assert_eq!(run.diagnosis(), "wrong_base_url");
    let human = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &server.base_url(), "--verbose"])
        .run();
    assert_eq!(human.code, 1);
    assert!(
        human.stdout.len() < 16 * 1024,
        "the report shows an excerpt, not the body"
    );
}

#[test]
fn bodies_that_are_not_an_openai_answer() {
    let cases: [(u16, &str, &[u8], &str); 5] = [
        (
            401,
            "application/json",
            b"\xff\xfe\xfdnot utf-8",
            "wrong_base_url",
        ),
        (
            401,
            "application/json",
            br#"{"error": {"message": "Incorrect API key"#,
            "wrong_base_url",
        ),
        (
            401,
            "application/json",
            br#"{"error": ["not", "an", "object"]}"#,
            "invalid_api_key",
        ),
        (200, "application/json", b"[1, 2, 3]", "wrong_base_url"),
        (200, "application/json", b"", "wrong_base_url"),
    ];
    for (status, content_type, body, diagnosis) in cases {
        let server = RawServer::start(Behaviour::Reply(RawServer::response(status, content_type, body)));
        let (run, _) = against(&server, &[]);
        assert_eq!(
            run.diagnosis(),
            diagnosis,
            "{status} {:?}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(server.requests(), 1);
        // The human report with the raw body must not choke either.
        let human = Doctor::new()
            .key(KEY)
            .args(&["--base-url", &server.base_url(), "-v"])
            .run();
        assert!(human.stdout.contains("Diagnosis"));
    }
}

#[test]
fn a_server_that_hangs_up() {
    let server = RawServer::start(Behaviour::HangUp);
    let (run, _) = against(&server, &[]);
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.code, 4);
}

#[test]
fn a_proxy_that_asks_for_credentials() {
    let server = RawServer::start(Behaviour::Reply(RawServer::response(
        407,
        "text/html",
        b"<html>Proxy Authentication Required</html>",
    )));
    let (run, _) = against(&server, &[]);
    assert_eq!(run.diagnosis(), "network_error");
    assert!(
        run.json()["diagnosis"]["checklist"][0]
            .as_str()
            .unwrap()
            .contains("proxy")
    );
}

#[test]
fn a_proxy_that_is_down_is_named() {
    let port = common::closed_port();
    let run = Doctor::new()
        .key(KEY)
        .env("HTTPS_PROXY", &format!("http://user:hunter2@127.0.0.1:{port}"))
        .args(&["--base-url", "https://api.openai.com/v1"])
        .secret("hunter2")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(run.json()["probe"]["network_error"], "proxy");
    assert_eq!(run.json()["settings"]["proxy"]["variable"], "HTTPS_PROXY");
    assert!(run.finding_ids().contains(&"proxy_in_use".to_string()));
}

#[test]
fn one_connection_per_run_whatever_the_answer() {
    // The performance guard that is not a timing: one TCP connection, one request.
    for (status, name) in [
        (200, "200_models.json"),
        (429, "429_rate_limit_exceeded.json"),
        (503, "503_overloaded.json"),
    ] {
        let server = RawServer::start(Behaviour::Reply(RawServer::response(
            status,
            "application/json",
            fixture(name).as_bytes(),
        )));
        let (run, _) = against(&server, &[]);
        assert!(run.code == 0 || run.code == 3, "{status}: {}", run.code);
        assert_eq!((server.connections(), server.requests()), (1, 1), "{status}");
    }
    let server = RawServer::start(Behaviour::Reply(Vec::new()));
    let (_, _) = against(&server, &["--offline"]);
    assert_eq!(server.connections(), 0, "--offline opens no connection");
}

/// The proxy the report names is the one the request goes through: resolve
/// decides it, and the HTTP client is given exactly that (it does not read
/// the environment again).
#[test]
fn the_proxy_in_the_report_is_the_one_used() {
    let models = || {
        RawServer::start(Behaviour::Reply(RawServer::response(
            200,
            "application/json",
            fixture("200_models.json").as_bytes(),
        )))
    };
    // Nothing listens at the base URL: only the proxy can answer.
    let target = format!("http://127.0.0.1:{}/v1", common::closed_port());
    let proxy = models();
    let run = Doctor::new()
        .key(KEY)
        .secret("hunter2")
        .env(
            "HTTP_PROXY",
            &format!("http://ada:hunter2@127.0.0.1:{}", proxy.port),
        )
        .args(&["--base-url", &target])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.json()["settings"]["proxy"]["variable"], "HTTP_PROXY");
    assert_eq!(
        run.json()["settings"]["proxy"]["url"],
        format!("http://127.0.0.1:{}/", proxy.port)
    );
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with(&format!("GET {target}/models ")),
        "{}",
        heads[0]
    );
    // base64 of ada:hunter2
    assert!(
        heads[0]
            .to_lowercase()
            .contains("proxy-authorization: basic ywrhomh1bnrlcji="),
        "{}",
        heads[0]
    );

    // NO_PROXY names the host: the report shows no proxy, and none is used.
    let proxy = models();
    let run = Doctor::new()
        .key(KEY)
        .env("HTTP_PROXY", &format!("http://127.0.0.1:{}", proxy.port))
        .env("NO_PROXY", "127.0.0.1")
        .args(&["--base-url", &target])
        .json()
        .run();
    assert!(run.json()["settings"]["proxy"].is_null(), "{}", run.stdout);
    assert_eq!(run.diagnosis(), "network_error");
    assert_eq!(proxy.connections(), 0);
}

/// HTTPS through a CONNECT proxy with credentials still works now that the
/// proxy is handed to the client explicitly; the password is never shown.
#[test]
fn https_through_a_connect_proxy_with_credentials() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let proxy = common::raw::ConnectProxy::start();
    let run = Doctor::new()
        .key(KEY)
        .secret("proxy-pass-42")
        .file("ca.pem", &server.ca_pem)
        .env(
            "HTTPS_PROXY",
            &format!("http://ada:proxy-pass-42@127.0.0.1:{}", proxy.port),
        )
        .args(&["--base-url", &server.base_url(), "--ca-cert", "ca.pem"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests(), 1);
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with(&format!("CONNECT 127.0.0.1:{} ", server.port)),
        "{}",
        heads[0]
    );
    // base64 of ada:proxy-pass-42
    assert!(
        heads[0]
            .to_lowercase()
            .contains("proxy-authorization: basic ywrhonbyb3h5lxbhc3mtndi="),
        "{}",
        heads[0]
    );
    assert_eq!(run.json()["settings"]["proxy"]["variable"], "HTTPS_PROXY");
}

/// `--proxy` is the proxy a program's own agent uses (openai-node's
/// `dispatcher: new ProxyAgent(…)`): the request goes there whatever the
/// client's rules make of the variables, its password is never shown, and a
/// value that is no proxy is a usage error.
#[test]
fn the_proxy_flag_is_the_programs_own_agent() {
    let proxy = RawServer::start(Behaviour::Reply(RawServer::response(
        200,
        "application/json",
        fixture("200_models.json").as_bytes(),
    )));
    let target = format!("http://127.0.0.1:{}/v1", common::closed_port());
    let run = Doctor::new()
        .key(KEY)
        .secret("agent-pass-77")
        .env("HTTP_PROXY", "http://127.0.0.1:1")
        .args(&["--client", "node", "--base-url", &target])
        .args(&[
            "--proxy",
            &format!("http://ada:agent-pass-77@127.0.0.1:{}", proxy.port),
        ])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(run.json()["settings"]["proxy"]["variable"], "--proxy");
    assert!(!run.finding_ids().contains(&"proxy_bypassed".to_string()));
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with(&format!("GET {target}/models ")),
        "{}",
        heads[0]
    );
    assert!(
        heads[0].to_lowercase().contains("proxy-authorization: basic "),
        "{}",
        heads[0]
    );

    let refused = Doctor::new()
        .key(KEY)
        .secret("s3cr3t@word99")
        .args(&["--proxy", "http://ada:s3cr3t@word99@proxy.example:3128"])
        .run();
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("--proxy"), "{}", refused.stderr);
}

/// Under Node a proxy variable is not used: when the direct request then
/// fails, the checklist leads with the proxy agent and `--proxy`.
#[test]
fn a_node_failure_past_a_proxy_it_ignores_leads_with_the_agent() {
    let target = format!("http://127.0.0.1:{}/v1", common::closed_port());
    let run = Doctor::new()
        .key(KEY)
        .env("HTTP_PROXY", "http://127.0.0.1:3128")
        .args(&["--client", "node", "--base-url", &target])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);
    assert!(run.finding_ids().contains(&"proxy_bypassed".to_string()));
    let first = run.checklist().lines().next().unwrap().to_string();
    assert!(first.contains("--client node --proxy URL"), "{first}");
    // Python's client uses the variable: nothing about an agent there.
    let python = Doctor::new()
        .key(KEY)
        .env(
            "HTTP_PROXY",
            &format!("http://127.0.0.1:{}", common::closed_port()),
        )
        .args(&["--base-url", &target])
        .json()
        .run();
    assert_eq!(python.diagnosis(), "network_error");
    assert!(
        !python.checklist().contains("--proxy URL"),
        "{}",
        python.checklist()
    );
}

/// Node keeps its bundled roots: SSL_CERT_FILE alone does not make it trust
/// a CA (observed: openai-node on Node 20 fails with
/// UNABLE_TO_VERIFY_LEAF_SIGNATURE), NODE_EXTRA_CA_CERTS does; the check
/// verifies as Node does, and its advice names Node's variable.
#[test]
fn node_ignores_ssl_cert_file_and_reads_node_extra_ca_certs() {
    let server = TlsServer::start(200, &fixture("200_models.json"));
    let doctor = || Doctor::new().file("ca.pem", &server.ca_pem);
    let ca = |d: &Doctor| d.home().join("ca.pem").to_str().unwrap().to_string();

    let d = doctor();
    let pem = ca(&d);
    let node = d
        .key(KEY)
        .env("SSL_CERT_FILE", &pem)
        .args(&["--client", "node", "--base-url", &server.base_url()])
        .json()
        .run();
    assert_eq!(node.diagnosis(), "network_error", "{}", node.stdout);
    assert_eq!(node.json()["probe"]["network_error"], "tls");
    assert!(
        node.checklist().contains("NODE_EXTRA_CA_CERTS="),
        "{}",
        node.checklist()
    );
    assert!(
        !node.checklist().contains("SSL_CERT_FILE at"),
        "{}",
        node.checklist()
    );

    let d = doctor();
    let pem = ca(&d);
    let node = d
        .key(KEY)
        .env("NODE_EXTRA_CA_CERTS", &pem)
        .args(&["--client", "node", "--base-url", &server.base_url()])
        .json()
        .run();
    assert_eq!(node.diagnosis(), "ok", "{}", node.stdout);

    let d = doctor();
    let pem = ca(&d);
    let told = d
        .key(KEY)
        .env("SSL_CERT_FILE", &pem)
        .env("NODE_OPTIONS", "--use-openssl-ca")
        .args(&["--client", "node", "--base-url", &server.base_url()])
        .json()
        .run();
    assert_eq!(
        told.diagnosis(),
        "ok",
        "--use-openssl-ca reads it: {}",
        told.stdout
    );
}
