//! One regression test per finding of the second security review (F1–F16).
//! Each is a variant, not the only input that must hold: the rules behind
//! them (one redaction of every secret at the output edge, URLs redacted as
//! text, control characters escaped, workflow commands defused) are also
//! checked on every run of the suite by `common::assert_safe_output`.

use crate::common;
mod dotenv_budget;
mod pinning;
mod release;
mod variants;

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
    common::binary()
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
#[cfg_attr(
    not(has_netns),
    ignore = "needs a network namespace: unshare, as root or with user namespaces"
)]
fn f2_no_clear_text_request_goes_through_a_proxy_elsewhere() {
    assert_namespaces_work();
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
#[cfg_attr(
    not(has_netns),
    ignore = "needs a network namespace: unshare, as root or with user namespaces"
)]
fn f9_a_slow_dns_server_does_not_break_the_timeout() {
    assert_namespaces_work();
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
    // Within --timeout and its slack, not the resolver's 10 s (5 s a try);
    // the report's own clock agrees with the wall clock.
    common::assert_bounded(took, common::probe_bound(1), "a slow name server");
    let reported = Duration::from_millis(json["probe"]["elapsed_ms"].as_u64().unwrap());
    common::assert_bounded(reported, common::probe_bound(1), "the report's own clock");
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
    common::assert_bounded(
        started.elapsed(),
        common::probe_bound(1),
        "FIFOs for key files and SSL_CERT_FILE",
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

/// The tests that run in their own network (and mount) namespace are
/// compiled in only where `unshare` can make one (`build.rs`); here it must.
pub(crate) fn assert_namespaces_work() {
    let probe = Command::new("unshare")
        .args(namespace_flags())
        .arg("true")
        .status();
    assert!(
        probe.is_ok_and(|s| s.success()),
        "unshare could not make a network namespace (util-linux's unshare, as root or with user namespaces)"
    );
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
pub(crate) fn in_namespace(script: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
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

// The third review (R1–R15): each rule with several variants of its own.

/// A key of the real shape that is not the user's: what a planted `.env`
/// would hold.
const DUMMY: &str = "sk-proj-PLANTEDdummy0123456789abcdefghijT3BlbkFJPLANTEDdummy0123456789abcdefghij";

/// A world of R1: its name, the .env, what the environment adds, the flags.
type World<'a> = (&'a str, String, Vec<(&'a str, String)>, Vec<&'a str>);

#[test]
fn r1_a_host_named_by_a_dotenv_gets_only_what_that_dotenv_holds() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    server.respond(
        "/v1/openai/v1/models",
        json_response(200, &common::fixture("200_models.json")),
    );
    let planted = format!("OPENAI_API_KEY={DUMMY}\nOPENAI_BASE_URL={}\n", server.base_url());
    let gateway = format!("LANGSMITH_GATEWAY={}\n", server.base_url());
    let azure = format!(
        "AZURE_OPENAI_ENDPOINT={}\nOPENAI_API_VERSION=2024-10-21\n",
        server.mock.uri()
    );
    let corp = "corp-gw-0123456789abcdefghijklmnop";
    let portkey = "pk-live-0123456789abcdefghijkl";
    let worlds: Vec<World> = vec![
        (
            "an Authorization override from the environment",
            planted.clone(),
            vec![("OPENAI_CUSTOM_HEADERS", format!("Authorization: Bearer {corp}"))],
            vec![],
        ),
        (
            "custom header values from the environment",
            planted.clone(),
            vec![(
                "OPENAI_CUSTOM_HEADERS",
                format!("X-Api-Key: {corp}\nX-Portkey-Api-Key: {portkey}"),
            )],
            vec![],
        ),
        (
            "custom headers, with --source dotenv",
            planted.clone(),
            vec![("OPENAI_CUSTOM_HEADERS", format!("X-Portkey-Api-Key: {portkey}"))],
            vec!["--source", "dotenv"],
        ),
        (
            "LangSmith's key under --client langchain",
            format!("OPENAI_API_KEY={DUMMY}\n{gateway}"),
            vec![(
                "LANGSMITH_API_KEY",
                "lsv2_pt_0123456789abcdef0123456789".to_string(),
            )],
            vec!["--client", "langchain"],
        ),
        (
            "the environment's key",
            planted.clone(),
            vec![("OPENAI_API_KEY", KEY.to_string())],
            vec![],
        ),
        (
            "the key on the command line",
            planted.clone(),
            vec![],
            vec!["--api-key", KEY],
        ),
        (
            "an Azure key from the environment",
            azure.clone(),
            vec![("AZURE_OPENAI_API_KEY", common::AZURE_KEY.to_string())],
            vec!["--client", "azure"],
        ),
    ];
    for (world, dotenv, env, flags) in worlds {
        for format in FORMATS {
            let mut doctor = Doctor::new()
                .file(".env", &dotenv)
                .secret(DUMMY)
                .secret(corp)
                .secret(portkey);
            for (name, value) in &env {
                doctor = doctor.env(name, value).secret(value);
            }
            in_actions(doctor.args(&flags), format).run();
        }
        let mut doctor = Doctor::new().file(".env", &dotenv);
        for (name, value) in &env {
            doctor = doctor.env(name, value).secret(value);
        }
        let run = doctor.args(&flags).json().run();
        assert_eq!(run.diagnosis(), "untrusted_base_url", "{world}: {}", run.stdout);
        assert_eq!(
            server.requests().len(),
            0,
            "{world}: something reached the .env's host"
        );
        assert!(
            run.checklist().contains("the request would carry"),
            "{world}: {}",
            run.checklist()
        );
    }

    // What the .env holds itself may go where it says, and with
    // --trust-env-file anything may.
    let own = format!("{planted}OPENAI_CUSTOM_HEADERS=\"X-Api-Key: {corp}\"\n");
    let run = Doctor::new()
        .file(".env", &own)
        .secret(DUMMY)
        .secret(corp)
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers.get("x-api-key").unwrap(), corp);
    let run = Doctor::new()
        .file(".env", &planted)
        .env("OPENAI_CUSTOM_HEADERS", &format!("X-Api-Key: {corp}"))
        .secret(DUMMY)
        .secret(corp)
        .args(&["--trust-env-file"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn r2_the_host_shown_is_the_host_the_request_goes_to() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let port = server.mock.address().port();
    for spoof in [
        format!("http://127.0.0.1:{port}/v1@api.openai.com/v1"),
        format!("http://127.0.0.1:{port}\\@api.openai.com/v1"),
        format!("http://127.0.0.1:{port}/v1?@api.openai.com/v1"),
        format!("http://127.0.0.1:{port}/v1#@api.openai.com/v1"),
        format!("http://user:pw@127.0.0.1:{port}/x@api.openai.com/v1"),
    ] {
        for (how, doctor) in [
            ("--base-url", Doctor::new().key(KEY).args(&["--base-url", &spoof])),
            (
                "OPENAI_BASE_URL",
                Doctor::new().key(KEY).env("OPENAI_BASE_URL", &spoof),
            ),
            (
                "AZURE_OPENAI_ENDPOINT",
                common::azure(&server).env("AZURE_OPENAI_ENDPOINT", &spoof),
            ),
        ] {
            let run = doctor.json().run();
            // Nothing is sent to a URL whose text names another host than
            // its parse, and no line names the host it does not go to.
            assert_eq!(server.requests().len(), 0, "{how} {spoof}");
            assert!(
                !run.stdout.contains("api.openai.com/v1/models"),
                "{how} {spoof}: {}",
                run.stdout
            );
            assert!(
                !run.json()["base_url"]
                    .as_str()
                    .unwrap_or("")
                    .contains("api.openai.com"),
                "{how} {spoof}: {}",
                run.stdout
            );
            assert!(
                run.checklist().contains(&format!("would go to 127.0.0.1:{port}")),
                "{how} {spoof}: {}",
                run.checklist()
            );
        }
    }
    // A tab inside the host is dropped by the parser: the report shows the
    // host it makes.
    let run = Doctor::new()
        .key(KEY)
        .args(&[
            "--offline",
            "--base-url",
            "https://api.openai.com\t.evil.example/v1",
        ])
        .json()
        .run();
    assert_eq!(run.json()["base_url"], "https://api.openai.com.evil.example/v1");
    // A Location header shows where it really points.
    let redirect = Server::start();
    redirect.respond(
        "/v1/models",
        ResponseTemplate::new(302).insert_header("location", "http://127.0.0.1:1/x@api.openai.com/v1/models"),
    );
    let run = Doctor::new()
        .key(KEY)
        .server(&redirect)
        .args(&["--verbose"])
        .run();
    assert!(
        run.stdout.contains("location: http://127.0.0.1:1/…"),
        "{}",
        run.stdout
    );
}

#[test]
fn r3_a_proxy_is_parsed_once_and_a_raw_password_is_refused() {
    let password = "S3cr3tPassw0rd";
    let server = Server::start();
    server.answer(200, "200_models.json");
    for (variable, value, client) in [
        (
            "HTTPS_PROXY",
            format!("http://u:{password}/x@127.0.0.1:9"),
            "python",
        ),
        (
            "HTTP_PROXY",
            format!("http://u:{password}/x@127.0.0.1:9"),
            "python",
        ),
        (
            "ALL_PROXY",
            format!("socks5://u:{password}/x@127.0.0.1:9"),
            "python",
        ),
        ("https_proxy", format!("http://u:{password}#x@[::1]:9"), "python"),
        ("HTTPS_PROXY", format!("u:{password}?x@proxy.corp:3128"), "python"),
        (
            "HTTPS_PROXY",
            format!("http://u:{password}@x@proxy.corp:3128"),
            "python",
        ),
        (
            "OPENAI_PROXY",
            format!("http://u:{password}/x@127.0.0.1:9"),
            "langchain",
        ),
    ] {
        for format in FORMATS {
            let doctor = Doctor::new()
                .key(KEY)
                .secret(password)
                .env(variable, &value)
                .args(&["--client", client, "--offline"]);
            in_actions(doctor, format).run();
        }
        // Online, the request goes direct (the proxy is refused, its user
        // is never looked up as a host) and reaches the server.
        let before = server.requests().len();
        let run = Doctor::new()
            .key(KEY)
            .secret(password)
            .env(variable, &value)
            .server(&server)
            .args(&["--client", client])
            .json()
            .run();
        let unusable = run.finding("proxy_unusable");
        assert!(
            unusable["message"].as_str().unwrap().contains("percent-encode") || value.starts_with("socks5"),
            "{value}: {unusable}"
        );
        assert!(
            run.json()["settings"]["proxy"].is_null(),
            "{value}: {}",
            run.stdout
        );
        assert_eq!(server.requests().len(), before + 1, "{value}");
    }
}

#[test]
fn r3_a_percent_encoded_password_reaches_the_proxy_decoded() {
    let proxy =
        common::raw::RawServer::start(common::raw::Behaviour::Reply(common::raw::RawServer::response(
            200,
            "application/json",
            common::fixture("200_models.json").as_bytes(),
        )));
    let target = format!("http://127.0.0.1:{}/v1", common::closed_port());
    let run = Doctor::new()
        .key(KEY)
        .secret("S3cr3t/Pass#w0rd")
        .secret("S3cr3t%2FPass%23w0rd")
        .env(
            "HTTP_PROXY",
            &format!("http://ada:S3cr3t%2FPass%23w0rd@127.0.0.1:{}", proxy.port),
        )
        .args(&["--base-url", &target])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    let heads = proxy.heads();
    // base64 of ada:S3cr3t/Pass#w0rd
    assert!(
        heads[0]
            .to_lowercase()
            .contains("proxy-authorization: basic ywrholmzy3izdc9qyxnzi3cwcmq="),
        "{}",
        heads[0]
    );
}

/// `explain` on a text, as the harness runs every command: nothing of
/// `secrets` may show in any format.
fn explain_hides(text: &str, secrets: &[&str]) -> Vec<common::Run> {
    let mut runs = Vec::new();
    for format in [
        &["--format", "json"][..],
        &[],
        &["--quiet"],
        &["--format", "github"],
    ] {
        let mut doctor = Doctor::new().args(&[text]).args(format);
        for secret in secrets {
            doctor = doctor.secret(secret);
        }
        runs.push(in_actions(doctor, &[]).run_command("explain"));
    }
    runs
}

#[test]
fn r4_explain_masks_by_context_and_shape() {
    let azure = common::AZURE_KEY;
    let hex64 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let basic = "YWRhOmh1bnRlcjItcGFzc3dvcmQ=";
    let cases = [
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'statusCode': 401, 'message': 'Access denied due to invalid subscription key.'}} for https://r.openai.azure.com/openai/models?api-version=2024-10-21&api-key={azure}"
        ),
        format!(
            "HTTP/1.1 401 Unauthorized\nRequest: GET /x?subscription-key={azure}\n\n{{\"error\": {{\"code\": \"401\", \"message\": \"Access denied due to invalid subscription key\"}}}}"
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: Bearer {hex64}.', 'code': 'invalid_api_key'}}}}"
        ),
        format!("Error code: 401 - Incorrect API key provided\nx-request-id: {azure}"),
        format!(
            "HTTP/1.1 401\nauthorization: Basic {basic}\n\n{{\"error\": {{\"message\": \"no\", \"code\": \"invalid_api_key\"}}}}"
        ),
        format!(
            "Error code: 401 - {{'error': {{'message': 'Unauthorized', 'code': 'invalid_api_key'}}}} headers={{'Ocp-Apim-Subscription-Key': '{azure}'}}"
        ),
        format!("openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {azure}."),
    ];
    for text in &cases {
        explain_hides(text, &[azure, hex64, basic, &azure[..20], &hex64[10..40]]);
    }
    // A request id and an organization stay readable.
    let runs = explain_hides(
        "openai.RateLimitError: Error code: 429 - rate limited\nx-request-id: req_0123456789abcdef0123456789abcdef",
        &[],
    );
    assert!(
        runs[0].stdout.contains("req_0123456789abcdef0123456789abcdef"),
        "{}",
        runs[0].stdout
    );
}

const ADMIN: &str = "sk-admin-Zq9Xw8VuT7sR6qP5oN4mL3kJ2hG1fE0dC9bA8zY7xW6vU5tS4rQ3pO2nM1lK0jIhwxyz";

#[test]
fn r5_explain_masks_what_it_shows_after_all_decoding() {
    let (head, tail) = ADMIN.split_at(13);
    let octal: String = ADMIN.chars().map(|c| format!("\\{:03o}", c as u32)).collect();
    let wide: String = ADMIN.chars().map(|c| format!("\\U{:08x}", c as u32)).collect();
    let texts = [
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {octal}', 'code': 'invalid_api_key'}}}}"
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {wide}', 'code': 'invalid_api_key'}}}}"
        ),
        format!(
            "Error: 401 {{error: {{message: 'Incorrect API key provided: {head}\\\n{tail}', code: 'invalid_api_key'}}}}"
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided:\\n{ADMIN}', 'code': 'invalid_api_key'}}}}"
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {}",
            ADMIN.replace('-', "%2D")
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: ' '{head}' '{tail}', 'code': 'invalid_api_key'}}}}"
        ),
        format!(
            "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {head}\u{ad}{tail}"
        ),
        format!("openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {head}\r{tail}"),
        format!(
            "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {head}&#8203;{tail}"
        ),
        format!(
            "{{\"error\": {{\"message\": \"Incorrect API key provided: {head}\\u00ad{tail}\", \"code\": \"invalid_api_key\"}}}}"
        ),
    ];
    for text in &texts {
        for run in explain_hides(text, &[tail, &tail[10..30]]) {
            assert!(!run.stdout.contains(&tail[..20]), "{text:?}: {}", run.stdout);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]
    /// A key with any of the escapes a paste can hold, at any position,
    /// never shows whole or in a long part.
    #[test]
    fn r5_any_escaped_key_stays_hidden(
        body in "[A-Za-z0-9]{40,60}",
        cut in 10usize..30,
        glue in proptest::sample::select(vec!["\u{ad}", "\u{200b}", "\\r", "\r", "&#8203;", "' '", "\\\n", "\\u{200b}", "\\u00ad"]),
        written in proptest::sample::select(vec!["plain", "octal", "x", "u", "percent"]),
    ) {
        let key = format!("sk-admin-{body}");
        let encode = |s: &str| -> String {
            match written {
                "octal" => s.chars().map(|c| format!("\\{:03o}", c as u32)).collect(),
                "x" => s.chars().map(|c| format!("\\x{:02x}", c as u32)).collect(),
                "u" => s.chars().map(|c| format!("\\u{:04x}", c as u32)).collect(),
                "percent" => s.replace('-', "%2D"),
                _ => s.to_string(),
            }
        };
        let (a, b) = key.split_at(9 + cut);
        let text = format!("openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {}{glue}{}', 'code': 'invalid_api_key'}}}}", encode(a), encode(b));
        let out = std::process::Command::new(binary()).env_clear().args(["explain", "--format", "json", &text]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        for part in [&body[..16], &body[body.len() - 16..]] {
            proptest::prop_assert!(!stdout.contains(part), "{:?}: {}", text, stdout);
        }
    }
}

#[test]
fn r6_no_runner_command_survives_in_any_format_or_environment() {
    let commands = "##vso[task.setvariable variable=PATH;]/tmp/evil ##teamcity[setParameter name='env.PATH' value='/tmp/evil'] ##[group]x\n--- :boom:\n+++ y\ntravis_fold:start:z section_start:1:s ##VSO[task.complete result=Succeeded]";
    let body = serde_json::json!({"error": {"message": commands, "type": "x", "param": null, "code": "##vso[task.logissue]"}});
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(401, &body.to_string())
            .insert_header("x-request-id", "##teamcity[buildStatus text='x']"),
    );
    for environment in [
        &[("TF_BUILD", "True")][..],
        &[("TEAMCITY_VERSION", "2024.1")],
        &[("BUILDKITE", "true")],
        &[],
    ] {
        for format in FORMATS {
            let mut doctor = Doctor::new().key(KEY).server(&server).args(format);
            for (name, value) in environment {
                doctor = doctor.env(name, value);
            }
            // The harness fails on any runner's command it prints.
            let run = doctor.run();
            if format.contains(&"json") {
                // JSON keeps the value (its line breaks shown escaped, as
                // every string from a server is kept).
                assert_eq!(
                    run.json()["probe"]["error"]["message"],
                    commands.replace('\n', "\\n")
                );
            }
        }
    }
    let pasted = format!(
        "openai.AuthenticationError: Error code: 401 - {}",
        commands.replace('\n', " ")
    );
    explain_hides(&pasted, &[]);
    Doctor::new()
        .env("TF_BUILD", "True")
        .args(&[&pasted, "--format", "json"])
        .run_command("explain");
}

#[test]
fn r8_the_reports_subject_is_what_was_sent() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let attacker = "sk-proj-ATTACKER0123456789abcdefghijT3BlbkFJATTACKER0123456789abcdatck";
    let dotenv = format!("OPENAI_CUSTOM_HEADERS=\"Authorization: Bearer {attacker}\"\n");
    let doctor = || {
        Doctor::new()
            .key(KEY)
            .secret(attacker)
            .file(".env", &dotenv)
            .server(&server)
    };
    let run = doctor().args(&["-q"]).run();
    assert_eq!(
        run.stdout.trim(),
        "ok: Authorization from OPENAI_CUSTOM_HEADERS (dotenv, sk-proj-…atck) accepted; the key from env (sk-proj-…cB1a) was not sent",
    );
    let json = doctor().json().run().json();
    assert_eq!(json["credential"]["role"], "authorization_override", "{json:#}");
    assert_eq!(json["credential"]["origin"], "dotenv");
    assert_eq!(json["credential"]["masked"], "sk-proj-…atck");
    let human = doctor().run();
    assert!(
        human.stdout.contains(
            "sent authorization: sk-proj-…atck from OPENAI_CUSTOM_HEADERS (dotenv), instead of the key"
        ),
        "{}",
        human.stdout
    );
    // The step outputs, and --strict: an override from a .env fails it.
    let run = in_actions(doctor().env("GITHUB_OUTPUT", "outputs"), &["--strict"]).run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    let outputs = std::fs::read_to_string(run.home.path().join("outputs")).unwrap();
    assert!(
        outputs.contains(
            "credential=sk-proj-…atck\ncredential-role=authorization_override\ncredential-origin=dotenv\n"
        ),
        "{outputs}"
    );
    // From the environment, and LangSmith's gateway key: named as sent.
    let run = Doctor::new()
        .key(KEY)
        .secret(attacker)
        .env(
            "OPENAI_CUSTOM_HEADERS",
            &format!("Authorization: Bearer {attacker}"),
        )
        .server(&server)
        .json()
        .run();
    assert_eq!(run.json()["credential"]["origin"], "env");
    let gateway = Server::start();
    gateway.respond(
        "/v1/openai/v1/models",
        json_response(200, &common::fixture("200_models.json")),
    );
    let run = Doctor::new()
        .key(KEY)
        .env("LANGSMITH_GATEWAY", &gateway.base_url())
        .env("LANGSMITH_API_KEY", "lsv2_pt_0123456789abcdef0123456789ab")
        .secret("lsv2_pt_0123456789abcdef0123456789ab")
        .args(&["--client", "langchain", "-q"])
        .run();
    assert!(
        run.stdout
            .starts_with("ok: LangSmith key from LANGSMITH_API_KEY (env, "),
        "{}",
        run.stdout
    );
    // Without an override, the key is the subject, as always.
    let json = Doctor::new().key(KEY).server(&server).json().run().json();
    assert_eq!(json["credential"]["role"], "key");
    assert_eq!(json["credential"]["origin"], "env");
}

#[test]
fn r10_a_setting_costs_what_its_size_says() {
    // A megabyte of custom headers in a .env (an environment variable
    // cannot hold that much), and a setting just under the cap.
    let mut huge = String::from("OPENAI_CUSTOM_HEADERS=\"");
    for i in 0..60_000 {
        huge.push_str(&format!("X-H{i}: v{i}\n"));
    }
    huge.push_str("\"\n");
    let started = Instant::now();
    let run = Doctor::new()
        .key(KEY)
        .file(".env", &huge)
        .args(&["--offline"])
        .json()
        .run();
    common::assert_bounded(
        started.elapsed(),
        common::OFFLINE_BOUND,
        "a megabyte of custom headers",
    );
    assert!(
        run.finding("setting_too_large")["message"]
            .as_str()
            .unwrap()
            .contains("16 KiB")
    );
    let mut many = String::new();
    for i in 0..600 {
        many.push_str(&format!("X-K{i}: secret-value-{i:05}\n"));
    }
    for format in FORMATS {
        let started = Instant::now();
        in_actions(
            Doctor::new()
                .key(KEY)
                .env("OPENAI_CUSTOM_HEADERS", &many)
                .args(&["--offline"]),
            format,
        )
        .run();
        common::assert_bounded(started.elapsed(), common::OFFLINE_BOUND, "600 custom headers");
    }
}

#[test]
#[cfg_attr(
    not(has_netns),
    ignore = "needs a network namespace: unshare, as root or with user namespaces"
)]
fn r11_localhost_is_this_machine_without_dns() {
    assert_namespaces_work();
    // No hosts file line and a name server that is not there: only the
    // rule that localhost is loopback can find the server.
    let script = r#"
ip link set lo up &&
printf '' > "$HOSTS" && mount --bind "$HOSTS" /etc/hosts &&
printf 'nameserver 127.0.0.1\n' > "$RESOLV" && mount --bind "$RESOLV" /etc/resolv.conf &&
timeout 20 python3 -m http.server --bind 127.0.0.1 "$PORT" </dev/null >/dev/null 2>&1 &
sleep 0.5
exec "$0" "$@""#;
    let dir = tempfile::tempdir().unwrap();
    let (hosts, resolv) = (dir.path().join("hosts"), dir.path().join("resolv.conf"));
    let port = common::closed_port().to_string();
    let out = in_namespace(
        script,
        &[
            ("HOSTS", hosts.to_str().unwrap()),
            ("RESOLV", resolv.to_str().unwrap()),
            ("PORT", &port),
            ("OPENAI_API_KEY", KEY),
        ],
        &[
            "doctor",
            "--format",
            "json",
            "--no-env-file",
            "--timeout",
            "3",
            "--base-url",
            &format!("http://localhost:{port}/v1"),
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    // http.server answers 404 for /v1/models: it was reached.
    assert_eq!(json["probe"]["status"], 404, "{json:#}");
}

#[test]
fn r12_credentials_in_a_query_are_masked_everywhere() {
    let secret = "q5ecret0123456789abcdef";
    let redirect = Server::start();
    redirect.respond(
        "/v1/models",
        ResponseTemplate::new(302).insert_header(
            "location",
            format!("https://elsewhere.example/v1?sig={secret}&sv=1").as_str(),
        ),
    );
    for (variable, value) in [
        ("BASE", format!("https://gw.example/v1?api-key={secret}")),
        (
            "OPENAI_BASE_URL",
            format!("https://gw.example/v1?x=1&subscription-key={secret}"),
        ),
        (
            "OPENAI_BASE_URL",
            format!("https://gw.example/v1?token={secret}#access_token={secret}"),
        ),
        (
            "BASE",
            format!("https://gw.example/v1?Api_Key={}", secret.replace('5', "%35")),
        ),
    ] {
        for format in FORMATS {
            let doctor = Doctor::new().key(KEY).secret(secret).args(&["--offline"]);
            let doctor = match variable {
                "BASE" => doctor.args(&["--base-url", &value]),
                name => doctor.env(name, &value),
            };
            in_actions(doctor, format).run();
        }
    }
    let run = Doctor::new()
        .key(KEY)
        .secret(secret)
        .server(&redirect)
        .args(&["--verbose"])
        .run();
    assert!(
        run.stdout
            .contains("location: https://elsewhere.example/v1?sig=***&sv=1"),
        "{}",
        run.stdout
    );
    let run = common::azure(&redirect)
        .env(
            "AZURE_OPENAI_ENDPOINT",
            &format!("{}?subscription-key={secret}", redirect.mock.uri()),
        )
        .secret(secret)
        .args(&["--offline"])
        .json()
        .run();
    assert!(run.stdout.contains("subscription-key=***"), "{}", run.stdout);
}

#[test]
fn r13_files_written_are_regular_files_opened_without_blocking() {
    for kind in ["fifo", "directory", "device"] {
        for variable in ["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"] {
            let doctor = Doctor::new().key(KEY);
            let path = match kind {
                "fifo" => {
                    let path = doctor.home().join("target.fifo");
                    assert!(Command::new("mkfifo").arg(&path).status().unwrap().success());
                    path
                }
                "directory" => doctor.home(),
                _ => "/dev/zero".into(),
            };
            let started = Instant::now();
            let run = doctor
                .env("GITHUB_ACTIONS", "true")
                .env(variable, path.to_str().unwrap())
                .args(&["--offline", "--format", "json"])
                .run();
            common::assert_bounded(
                started.elapsed(),
                common::OFFLINE_BOUND,
                &format!("{kind} {variable}"),
            );
            let finding = run.finding("ci_file_unusable");
            assert!(
                finding["message"].as_str().unwrap().contains(variable),
                "{finding}"
            );
            assert!(
                run.stderr.contains("could not write"),
                "{kind} {variable}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn r14_format_characters_from_outside_are_shown_escaped() {
    let message = "key \u{202e}desrever\u{202c} \u{2066}iso\u{2069} line\u{2028}sep\u{2029} soft\u{ad}hyphen \u{feff}bom \u{200f}rlm";
    let body = serde_json::json!({"error": {"message": message, "type": "x", "param": null, "code": "invalid_api_key"}});
    let server = Server::start();
    server.respond("/v1/models", json_response(401, &body.to_string()));
    for format in FORMATS {
        // The harness fails on any format character but its own break.
        in_actions(
            Doctor::new().key(KEY).server(&server).args(&["--verbose"]),
            format,
        )
        .run();
    }
    let run = Doctor::new().key(KEY).server(&server).run();
    assert!(run.stdout.contains("\\u{202e}desrever"), "{}", run.stdout);
    explain_hides(
        &format!("openai.AuthenticationError: Error code: 401 - {message}"),
        &[],
    );
}

#[test]
fn r15_nothing_from_outside_autolinks_in_the_step_summary() {
    let body = r#"{"error": {"message": "Visit https://evil.example/login or www.evil.example, mail ops@evil.example, HTTPS://EVIL.EXAMPLE/x", "type": "x", "param": null, "code": null}}"#;
    let server = Server::start();
    server.respond(
        "/v1/models",
        json_response(403, body).insert_header("x-request-id", "www.evil.example"),
    );
    let run = in_actions(Doctor::new().key(KEY).server(&server), &[]).run();
    let summary = run.summary.unwrap();
    let rendered = outside_code_spans(&summary).to_ascii_lowercase();
    for link in ["://", "www.", "@evil"] {
        assert!(!rendered.contains(link), "{link}: {summary}");
    }
    let run = in_actions(
        Doctor::new().args(&["openai.PermissionDeniedError: Error code: 403 - Visit https://evil.example/login or www.evil.example"]),
        &[],
    )
    .run_command("explain");
    let rendered = outside_code_spans(&run.summary.unwrap()).to_ascii_lowercase();
    assert!(
        !rendered.contains("://") && !rendered.contains("www."),
        "{rendered}"
    );
}
