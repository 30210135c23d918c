//! One regression test per finding of the second security review (F1–F16).
//! Each is a variant, not the only input that must hold: the rules behind
//! them (one redaction of every secret at the output edge, URLs redacted as
//! text, control characters escaped, workflow commands defused) are also
//! checked on every run of the suite by `common::assert_safe_output`.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Doctor, FORMATS, KEY, Server, in_actions, json_response};
use wiremock::ResponseTemplate;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin!("openai-keycheck").to_path_buf()
}

#[test]
fn f1_credentials_in_urls_are_never_printed() {
    // (a) The key as a URL's password, against a 404 and a redirect: the
    // checklist names the URL, never its password.
    for response in [
        json_response(404, r#"{"detail": "Not Found"}"#),
        ResponseTemplate::new(302).insert_header("location", "https://elsewhere.example/v1/models"),
    ] {
        let server = Server::start();
        server.respond("/v1/models", response);
        let base = server
            .base_url()
            .replace("http://", &format!("http://user:{KEY}@"));
        for format in FORMATS {
            let run = in_actions(Doctor::new().key(KEY).args(&["--base-url", &base]), format).run();
            assert_eq!(run.code, 1, "{format:?}");
        }
        let run = Doctor::new().key(KEY).args(&["--base-url", &base]).json().run();
        assert!(run.stdout.contains("http://***@127.0.0.1:"), "{}", run.stdout);
    }

    // (b) Text that is no URL, passwords with `/`, `#`, `?`, an unusable proxy.
    let cases: [(&str, String, &str); 4] = [
        ("BASE", format!("https://u:{KEY}@127.0.0.1:99999/v1"), KEY),
        (
            "OPENAI_BASE_URL",
            "https://user:S3CRETpa/ss@gw.corp/v1".into(),
            "S3CRETpa/ss",
        ),
        (
            "HTTPS_PROXY",
            "http://u:pass/word#9?@proxy:3128".into(),
            "pass/word#9?",
        ),
        (
            "HTTPS_PROXY",
            "ftp://u:ftp-pass-123@host:99999".into(),
            "ftp-pass-123",
        ),
    ];
    for (variable, value, secret) in cases {
        for format in FORMATS {
            let doctor = Doctor::new().key(KEY).secret(secret).args(&["--offline"]);
            let doctor = match variable {
                "BASE" => doctor.args(&["--base-url", &value]),
                name => doctor.env(name, &value),
            };
            in_actions(doctor, format).run();
        }
    }
}

/// A resolve-level check of the F2 rule; the namespace test below shows it
/// on the wire.
#[test]
fn f2_no_clear_text_request_goes_through_a_proxy_elsewhere() {
    if !namespaces_available() {
        return;
    }
    // Inside an empty network namespace only loopback exists: if the request
    // went to the proxy, it would fail as unreachable, and no packet could
    // leave this machine either way.
    let port = common::closed_port();
    let out = in_namespace(
        "ip link set lo up && exec \"$0\" \"$@\"",
        &[
            ("HTTP_PROXY", "http://10.255.255.1:3128"),
            ("OPENAI_API_KEY", KEY),
        ],
        &[
            "doctor",
            "--format",
            "json",
            "--no-env-file",
            "--base-url",
            &format!("http://127.0.0.1:{port}/v1"),
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(json["settings"]["proxy"].is_null(), "{json:#}");
    let ids: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"proxy_bypassed"), "{ids:?}");
    // Direct to the closed port on loopback: refused, not unreachable.
    assert_eq!(json["probe"]["network_error"], "connect", "{json:#}");
}

#[test]
fn f3_a_planted_dotenv_decides_nothing() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let planted = format!(
        "OPENAI_API_KEY=sk-planted-0123456789abcdefghij\nOPENAI_BASE_URL={}\nOPENAI_PROJECT_ID=proj_planted\n",
        server.base_url()
    );

    // (a) Another user's .env, and one that anybody may write.
    for (owner, mode) in [(Some(65534), 0o644), (None, 0o666)] {
        if owner.is_some() && !is_root() {
            continue; // only root can give a file away; CI runs as root
        }
        let doctor = Doctor::new().key(KEY).file(".env", &planted);
        let dotenv = doctor.home().join(".env");
        std::fs::set_permissions(&dotenv, std::fs::Permissions::from_mode(mode)).unwrap();
        if let Some(uid) = owner {
            std::os::unix::fs::chown(&dotenv, Some(uid), Some(uid)).unwrap();
        }
        let run = doctor.args(&["--offline"]).json().run();
        let json = run.json();
        assert_eq!(json["sources"][2]["state"], "untrusted", "{json:#}");
        assert!(run.finding_ids().contains(&"dotenv_untrusted".to_string()));
        assert_eq!(json["settings"]["base_url"]["origin"], "default");
        assert!(json["settings"]["project"].is_null());
        assert_eq!(json["key"]["source"], "env");
    }

    // (b) The search stops at the repository root and at HOME.
    let doctor = Doctor::new().key(KEY).in_dir("repo/src").file(".env", &planted);
    std::fs::create_dir_all(doctor.home().join("repo/.git")).unwrap();
    let json = doctor.args(&["--offline"]).json().run().json();
    assert_eq!(json["sources"][2]["state"], "unset", "{json:#}");
    let above = tempfile::tempdir().unwrap();
    std::fs::write(above.path().join(".env"), &planted).unwrap();
    std::fs::create_dir_all(above.path().join("home/project")).unwrap();
    let out = Command::new(binary())
        .env_clear()
        .env("HOME", above.path().join("home"))
        .env("OPENAI_API_KEY", KEY)
        .current_dir(above.path().join("home/project"))
        .args(["doctor", "--offline", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sources"][2]["state"], "unset", "{json:#}");

    // (c) The user's own .env names the host, the key is the environment's:
    // nothing is sent there until the user says so.
    let own = format!("OPENAI_BASE_URL={}\n", server.base_url());
    let run = Doctor::new().key(KEY).file(".env", &own).json().run();
    assert_eq!(run.diagnosis(), "untrusted_base_url");
    assert_eq!(server.requests().len(), 0);
    let run = Doctor::new()
        .key(KEY)
        .file(".env", &own)
        .args(&["--trust-env-file"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn f4_verbose_never_shows_part_of_an_echoed_key() {
    // The key straddles where the excerpt is cut (2,000 characters).
    let body = format!("{}{KEY}", "x".repeat(2000 - KEY.len() + 1));
    let server = Server::start();
    server.respond("/v1/models", json_response(401, &body));
    let run = Doctor::new().key(KEY).server(&server).args(&["--verbose"]).run();
    for part in [&KEY[..KEY.len() - 1], &KEY[8..KEY.len() - 1], &KEY[..40]] {
        assert!(!run.stdout.contains(part), "{}", run.stdout);
    }
}

#[test]
fn f5_the_key_inside_another_setting_is_hidden() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    for format in FORMATS {
        let doctor = Doctor::new()
            .key(KEY)
            .env("OPENAI_ORG_ID", KEY)
            .env("OPENAI_CUSTOM_HEADERS", &format!("{KEY}: x"))
            .file(".env", "OPENAI_PROJECT_ID=${OPENAI_API_KEY}\n")
            .args(&["--base-url", &format!("{}/{KEY}", server.base_url())]);
        in_actions(doctor, format).run();
    }
}

#[test]
fn f6_a_server_cannot_give_workflow_commands() {
    let body = r#"{"error": {"message": "bad\n::error title=pwned::owned\n  ::stop-commands::tok\n##[set-output name=a;]b", "type": "x", "param": null, "code": "::warning::c"}}"#;
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(403, body)
            .insert_header("x-request-id", "r ##[set-output name=a;]b")
            .insert_header("openai-organization", "::notice::o"),
    );
    for format in FORMATS {
        // The harness fails the run on any foreign command under Actions.
        let run = in_actions(Doctor::new().key(KEY).server(&server), format).run();
        if format.contains(&"json") {
            let json = run.json();
            assert_eq!(
                json["probe"]["request_id"], "r ##[set-output name=a;]b",
                "JSON keeps the value"
            );
        }
    }
}

#[test]
fn f7_git_runs_nothing_the_repository_configures() {
    let doctor = Doctor::new()
        .file(".env", &format!("OPENAI_API_KEY={KEY}\n"))
        .secret(KEY);
    let home = doctor.home();
    let marker = home.join("fsmonitor-ran");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .arg("-C")
            .arg(&home)
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "core.fsmonitor", &format!("touch {}", marker.display())]);
    let run = doctor.args(&["--offline"]).json().run();
    assert!(!marker.exists(), "git ran the repository's fsmonitor command");
    // git did run: the untracked, unignored .env is named.
    assert!(run.finding_ids().contains(&"dotenv_tracked_by_git".to_string()));
}

#[test]
fn f8_terminal_escapes_are_shown_escaped() {
    let body = "{\"error\": {\"message\": \"a\\u001b]0;title\\u0007 b\\u001b[2J c\\u001b]8;;https://e.x\\u001b\\\\link\\u001b]8;;\\u001b\\\\ d\\r✓ ok\", \"code\": \"x\"}}";
    let server = Server::start();
    server.respond("/v1/models", json_response(401, body));
    // Header values may carry bytes past ASCII: a C1 control in UTF-8.
    let raw = common::raw::RawServer::start(common::raw::Behaviour::Reply(
        [
            &b"HTTP/1.1 401 X\r\ncontent-type: application/json\r\nx-request-id: req\xc2\x9b2J1\r\nconnection: close\r\n"[..],
            format!("content-length: {}\r\n\r\n{body}", body.len()).as_bytes(),
        ]
        .concat(),
    ));
    let run = Doctor::new()
        .key(KEY)
        .args(&["--base-url", &raw.base_url(), "--color", "never"])
        .run();
    assert!(run.stdout.contains("req\\u{9b}2J1"), "{}", run.stdout);
    for format in FORMATS {
        // The harness fails the run on any control character it prints.
        let run = in_actions(Doctor::new().key(KEY).server(&server), format).run();
        if format.is_empty() {
            assert!(run.stdout.contains("\\u{1b}]0;title"), "{}", run.stdout);
        }
    }
    let pasted = "openai.AuthenticationError: Error code: 401 - Incorrect API key \u{1b}[2J\rprovided\u{9b}";
    let out = Command::new(binary())
        .env_clear()
        .args(["explain", "--color", "never", pasted])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    // explain reads logs: their colour and cursor sequences are noise, removed before reading.
    assert!(
        text.contains("error: no code: Incorrect API key provided\n"),
        "{text}"
    );
}

#[test]
fn f9_a_slow_dns_server_does_not_break_the_timeout() {
    if !namespaces_available() {
        return;
    }
    // A name server on loopback that reads queries and never answers; the
    // resolver would wait 5 s per try.
    let script = r#"
ip link set lo up &&
printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:2\n' > "$RESOLV" &&
mount --bind "$RESOLV" /etc/resolv.conf &&
timeout 20 python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",53)); [s.recv(512) for _ in iter(int, 1)]' </dev/null >/dev/null 2>&1 &
sleep 0.3
exec "$0" "$@""#;
    let dir = tempfile::tempdir().unwrap();
    let resolv = dir.path().join("resolv.conf");
    let started = Instant::now();
    let out = in_namespace(
        script,
        &[("RESOLV", resolv.to_str().unwrap()), ("OPENAI_API_KEY", KEY)],
        &[
            "doctor",
            "--format",
            "json",
            "--no-env-file",
            "--timeout",
            "1",
            "--base-url",
            "https://api.slow-dns.test/v1",
        ],
    );
    let took = started.elapsed();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(json["diagnosis"]["id"], "network_error", "{json:#}");
    // Within --timeout and its slack, not the resolver's 10 s; the report's
    // own clock agrees with the wall clock.
    assert!(took < Duration::from_secs(4), "verdict after {took:?}");
    assert!(json["probe"]["elapsed_ms"].as_u64().unwrap() < 2500, "{json:#}");
}

#[test]
fn f10_a_fifo_is_refused_or_bounded_never_waited_on() {
    let doctor = Doctor::new().key(KEY);
    let home = doctor.home();
    for fifo in [".openai/auth.json", ".codex/auth.json", "ssl.pem"] {
        let path = home.join(fifo);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        assert!(Command::new("mkfifo").arg(&path).status().unwrap().success());
    }
    let port = common::closed_port();
    let started = Instant::now();
    let run = doctor
        .env("SSL_CERT_FILE", home.join("ssl.pem").to_str().unwrap())
        .args(&[
            "--timeout",
            "1",
            "--base-url",
            &format!("https://127.0.0.1:{port}/v1"),
        ])
        .json()
        .run();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let json = run.json();
    for source in [3, 4] {
        assert_eq!(json["sources"][source]["state"], "unreadable", "{json:#}");
    }
    assert_eq!(json["diagnosis"]["id"], "network_error", "{json:#}");
    let trust = run.finding("custom_trust_store");
    assert_eq!(trust["severity"], "warning");
}

#[test]
fn f11_explain_masks_keys_however_they_are_written() {
    let key = "sk-admin-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhwxyz";
    let json_escaped: String = key.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    let python_escaped: String = key.chars().map(|c| format!("\\x{:02x}", c as u32)).collect();
    for text in [
        format!(
            r#"{{"error": {{"message": "Incorrect API key provided: {json_escaped}.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}}}"#
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {python_escaped}', 'code': 'invalid_api_key'}}}}"
        ),
        format!("Error code: 401 - Incorrect API key provided: key_{key}"),
        format!(
            "HTTP/1.1 401\nauthorization: Bearer%20{key}\n\n{{\"error\": {{\"message\": \"no\", \"code\": \"invalid_api_key\"}}}}"
        ),
    ] {
        for format in ["human", "json", "github"] {
            let out = Command::new(binary())
                .env_clear()
                .args(["explain", "--format", format, &text])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(!stdout.contains(&key[9..]), "{format}: {stdout}");
        }
    }
}

#[test]
fn f12_a_short_key_is_neither_echoed_nor_fingerprinted() {
    let short = "Ab3x9Q";
    let body = r#"{"error": {"message": "Incorrect API key provided: Ab3x9Q. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#;
    let server = Server::start();
    server.respond("/v1/models", json_response(401, body));
    let word = regex::Regex::new(r"\bAb3x9Q\b").unwrap();
    for format in FORMATS {
        let run = in_actions(Doctor::new().key(short).server(&server), format).run();
        assert!(!word.is_match(&run.stdout), "{format:?}: {}", run.stdout);
        assert!(!word.is_match(run.summary.as_deref().unwrap_or("")));
    }
    let json = Doctor::new().key(short).args(&["--offline"]).json().run().json();
    assert!(json["key"]["fingerprint"].is_null(), "{json:#}");
    assert!(json["sources"][1]["fingerprint"].is_null(), "{json:#}");
}

#[test]
fn f13_the_step_summary_renders_server_text_as_text() {
    let body = r#"{"error": {"message": "![x](https://evil.example/p.png) <img src=x onerror=alert(1)> [log in](https://evil.example/login)", "type": "x", "param": null, "code": null}}"#;
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(403, body).insert_header("x-request-id", "req_`abc`"),
    );
    let run = in_actions(Doctor::new().key(KEY).server(&server), &[]).run();
    let summary = run.summary.unwrap();
    let rendered = outside_code_spans(&summary);
    for markup in ["![x](", "<img", "[log in](", "https://", "request id `req_`"] {
        assert!(!rendered.contains(markup), "{markup}: {summary}");
    }
    assert!(summary.contains("request id `` req_`abc` ``"), "{summary}");
}

#[test]
fn f14_a_huge_dotenv_costs_little_and_says_little() {
    let mut text = format!("OPENAI_API_KEY={KEY}\n");
    for i in 0..90_000 {
        text.push_str(&format!("b {i}\n"));
    }
    let run = in_actions(Doctor::new().key(KEY).file(".env", &text), &["--offline"]).run();
    let invalid = run.stdout.matches("dotenv_invalid_line").count();
    // Ten lines named, one line for the rest, each in the report and as an annotation.
    assert!(invalid <= 22, "{invalid} mentions");
    assert!(run.stdout.contains("and 89990 more lines"), "{}", run.stdout);
    assert!(run.stdout.len() < 64 * 1024, "{} bytes", run.stdout.len());
}

#[test]
fn f15_git_refusing_the_repository_is_said() {
    if !is_root() {
        return; // only root can give a repository away; CI runs as root
    }
    let doctor = Doctor::new()
        .key(KEY)
        .in_dir("repo")
        .file("repo/.env", "OPENAI_ORG_ID=org-x\n");
    let repo = doctor.home().join("repo");
    let status = Command::new("git")
        .arg("-C")
        .arg(&repo)
        .args(["init", "-q"])
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(repo.join(".env"), format!("OPENAI_API_KEY={KEY}\n")).unwrap();
    std::fs::set_permissions(repo.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    // The repository belongs to someone else; the .env stays ours.
    chown_tree(&repo.join(".git"), 65534);
    std::os::unix::fs::chown(&repo, Some(65534), Some(65534)).unwrap();
    let run = doctor.args(&["--offline"]).json().run();
    let finding = run.finding("git_check_failed");
    assert!(finding["message"].as_str().unwrap().contains("dubious ownership"));
}

#[test]
fn f16_a_closed_stderr_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    // A summary that cannot be written: the error goes to the closed stderr.
    let out = Command::new(binary())
        .env_clear()
        .env("HOME", dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", dir.path())
        .current_dir(dir.path())
        .args(["doctor", "--no-env-file"])
        .stderr(writer)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Markdown with its code spans taken out: what GitHub renders as markup.
fn outside_code_spans(markdown: &str) -> String {
    let mut out = String::new();
    let mut rest = markdown;
    while let Some(open) = rest.find('`') {
        out.push_str(&rest[..open]);
        let fence = rest[open..].len() - rest[open..].trim_start_matches('`').len();
        let body = &rest[open + fence..];
        let closing = "`".repeat(fence);
        // A span ends at the same number of backticks, not more.
        let close = body.match_indices(&closing).find(|(at, _)| {
            !body[at + fence..].starts_with('`') && (*at == 0 || !body[..*at].ends_with('`'))
        });
        match close {
            Some((at, _)) => rest = &body[at + fence..],
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn chown_tree(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            chown_tree(&entry.path(), uid);
        }
    }
}

/// Whether a test may run in its own network (and mount) namespace: as
/// root (CI) it must; elsewhere it needs unprivileged user namespaces, or
/// OPENAI_KEYCHECK_SKIP_NAMESPACES=1 to skip such tests knowingly.
fn namespaces_available() -> bool {
    let probe = Command::new("unshare")
        .args(namespace_flags())
        .arg("true")
        .status();
    if probe.is_ok_and(|s| s.success()) {
        return true;
    }
    assert!(
        !is_root() && std::env::var_os("OPENAI_KEYCHECK_SKIP_NAMESPACES").is_some(),
        "unshare could not make a network namespace: install util-linux, or set OPENAI_KEYCHECK_SKIP_NAMESPACES=1 to skip these tests knowingly"
    );
    false
}

fn namespace_flags() -> Vec<&'static str> {
    let mut flags = vec!["--net", "--mount"];
    if !is_root() {
        flags.extend(["--user", "--map-root-user"]);
    }
    flags
}

/// Runs the binary with `args` through `sh -c script` inside new network
/// and mount namespaces (the script ends with `exec "$0" "$@"`).
fn in_namespace(script: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("unshare");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .current_dir(home.path())
        .args(namespace_flags())
        .args(["sh", "-c", script])
        .arg(binary())
        .args(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output().unwrap()
}
