//! What a person reads, pinned: the human output of every diagnosis and of
//! `explain` for every fixture, as committed snapshots (tests/snapshots/).
//! A wording change shows up in review. The README's sample is one of them.
//!
//! To accept new or changed output: `INSTA_UPDATE=always cargo test --test
//! tests snapshots::`, then review the diff (or use `cargo insta review`).

use crate::common;

use std::path::Path;

use common::scenarios::scenario;
use common::{Doctor, KEY, Run, fixture};
use openai_keycheck::vocab::DiagnosisId;
use strum::IntoEnumIterator;

/// What changes from run to run, replaced by a stable word.
pub(crate) fn stable(text: &str, home: &Path) -> String {
    let mut text = text.replace(&home.display().to_string(), "[HOME]");
    for (pattern, stable) in [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"in \d+ ms", "in [MS] ms"),
        // `--pid` of another user's process: its number, command and user.
        (r"(?i)(process |/proc/|--pid )\d+", "${1}[PID]"),
        (
            r"\(`[^`\n]*`\) runs as (user `[^`\n]*`|uid \d+)",
            "(`[COMMAND]`) runs as [USER]",
        ),
        (r"sudo -u \S+", "sudo -u [USER]"),
    ] {
        text = regex::Regex::new(pattern)
            .unwrap()
            .replace_all(&text, stable)
            .into_owned();
    }
    // A table padded to a pid's width: its columns, not their padding.
    if text.contains("[PID]") {
        text = regex::Regex::new(" {2,}")
            .unwrap()
            .replace_all(&text, "  ")
            .into_owned();
    }
    text.replace(
        &format!("openai-keycheck {}", env!("CARGO_PKG_VERSION")),
        "openai-keycheck [VERSION]",
    )
}

fn human(run: &Run) -> String {
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    stable(&run.stdout, run.home.path())
}

#[test]
fn every_diagnosis_in_human_form() {
    for id in DiagnosisId::iter() {
        let run = scenario(id, &|d| d.args(&["--color", "never"]));
        let text = human(&run);
        assert!(
            text.contains(&format!("Diagnosis: {id} — ")),
            "the scenario for {id} ended elsewhere:\n{text}"
        );
        insta::assert_snapshot!(format!("doctor_{id}"), text);
    }
}

#[test]
fn explain_for_every_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain");
    let mut names = common::names_in(&dir);
    names.retain(|n| n.ends_with(".txt"));
    assert!(names.len() >= 25, "{names:?}");
    for name in names {
        let out = assert_cmd::Command::cargo_bin("openai-keycheck")
            .unwrap()
            .env_clear()
            .args(["explain", "--color", "never"])
            .arg(dir.join(&name))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let stem = name.trim_end_matches(".txt");
        insta::assert_snapshot!(format!("explain_{stem}"), stable(&text, &dir));
    }
}

/// The checklists that speak a client's or a service's own words, pinned
/// as a person reads them: one real run each, against local servers.
#[test]
fn client_and_service_checklists_in_human_form() {
    use common::{AZURE_KEY, Server, azure, json_response};
    let plain = |status: u16, name: &str| {
        // An answer no OpenAI front tagged: no request id, no organization.
        let server = Server::start();
        server.respond(
            "/v1/models",
            wiremock::ResponseTemplate::new(status)
                .set_body_raw(fixture(name).into_bytes(), "application/json"),
        );
        server
    };
    let azure_at = |path: &str, status: u16, name: &str| {
        let server = Server::start();
        server.respond_any(path, json_response(status, &fixture(name)));
        server
    };
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.c2lnbmF0dXJl";
    let closed = format!("http://127.0.0.1:{}/v1", common::closed_port());
    type World<'a> = (&'a str, Box<dyn Fn() -> Run + 'a>);
    let worlds: Vec<World> = vec![
        (
            "node_dotenv_out_of_reach",
            Box::new(|| {
                Doctor::new()
                    .secret(KEY)
                    .file("app/.env", &format!("OPENAI_API_KEY={KEY}\n"))
                    .in_dir("app/src")
                    .args(&["--client", "node"])
                    .run()
            }),
        ),
        (
            "node_network_error_past_a_proxy",
            Box::new(|| {
                Doctor::new()
                    .key(KEY)
                    .env("HTTP_PROXY", "http://127.0.0.1:3128")
                    .args(&["--client", "node", "--base-url", &closed])
                    .run()
            }),
        ),
        (
            "azure_key_missing",
            Box::new(|| {
                Doctor::new()
                    .env(
                        "AZURE_OPENAI_ENDPOINT",
                        "https://example-resource.openai.azure.com/",
                    )
                    .env("OPENAI_API_VERSION", "2024-10-21")
                    .run()
            }),
        ),
        (
            "azure_endpoint_on_openai",
            Box::new(|| {
                Doctor::new()
                    .secret(AZURE_KEY)
                    .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
                    .env("AZURE_OPENAI_ENDPOINT", "https://api.openai.com")
                    .env("OPENAI_API_VERSION", "2024-10-21")
                    .run()
            }),
        ),
        (
            "azure_token_refused",
            Box::new(|| {
                let server = azure_at("/openai/models", 401, "azure_401_token_apim.json");
                azure(&server)
                    .secret(token)
                    .env("AZURE_OPENAI_AD_TOKEN", token)
                    .run()
            }),
        ),
        (
            "azure_ok_without_a_deployment",
            Box::new(|| {
                let server = azure_at("/openai/models", 200, "azure_200_models.json");
                azure(&server).run()
            }),
        ),
        (
            "langchain_organization_mismatch",
            Box::new(|| {
                let server = Server::start();
                server.answer(401, "401_mismatched_organization.json");
                Doctor::new()
                    .key(KEY)
                    .env("OPENAI_API_BASE", &server.base_url())
                    .env("OPENAI_ORGANIZATION", "org-AbCdEf0123456789")
                    .args(&["--client", "langchain"])
                    .run()
            }),
        ),
        (
            "python_empty_base_url",
            Box::new(|| Doctor::new().key(KEY).env("OPENAI_BASE_URL", "").run()),
        ),
        (
            "local_server_ok",
            Box::new(|| {
                Doctor::new()
                    .key(KEY)
                    .server(&plain(200, "200_models.json"))
                    .run()
            }),
        ),
        (
            "gateway_quota_exceeded",
            Box::new(|| {
                Doctor::new()
                    .key("sk-litellm-Zq9Xw8Vu7Ts6Rp5")
                    .server(&plain(429, "429_insufficient_quota.json"))
                    .run()
            }),
        ),
    ];
    for (name, run) in worlds {
        let run = run();
        insta::assert_snapshot!(format!("client_{name}"), human(&run));
    }
}

/// The README's sample: the most common real 401 — an exported key the
/// server refuses, with another key left in the project's `.env`. OpenAI's
/// own base URL, reached through a local proxy that tunnels to a local TLS
/// server with a certificate for api.openai.com: nothing leaves the machine.
fn readme_run() -> Run {
    // Keys of the real shape whose last four are those the README shows.
    let stale = format!("{}6789", &KEY[..KEY.len() - 4]);
    let fresh = format!("{}f0Ee", &KEY[..KEY.len() - 4].replace('Q', "R"));
    // The server echoes the first 8 and last 4 characters of what it got.
    let echo = format!("{}{}6789", &stale[..8], "*".repeat(stale.len() - 12));
    let body = fixture("401_invalid_api_key.json").replace("sk-proj-****6789", &echo);
    let server = common::tls::TlsServer::start_as(&["api.openai.com"], 401, &body);
    let proxy = common::raw::ConnectProxy::tunnelling_to(server.port);
    let doctor = Doctor::new()
        .key(&stale)
        .secret(&fresh)
        .in_dir("app")
        .file("app/.env", &format!("OPENAI_API_KEY={fresh}\n"))
        .file("ca.pem", &server.ca_pem);
    // Kept as a careful user keeps it: readable by its owner only.
    let dotenv = doctor.home().join("app/.env");
    std::fs::set_permissions(dotenv, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let ca = doctor.home().join("ca.pem");
    doctor
        .env("HTTPS_PROXY", &format!("http://127.0.0.1:{}", proxy.port))
        .args(&["--ca-cert", ca.to_str().unwrap(), "--color", "never"])
        .run()
}

#[test]
fn the_readme_sample_is_real_output() {
    insta::assert_snapshot!("readme_sample", human(&readme_run()));
}

/// Each ```text block after a `<!-- sample: tests/snapshots/….snap -->` line
/// in README.md and the pages under docs/ is that snapshot, with a port and
/// a time a reader can picture.
#[test]
fn the_readme_samples_are_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.path());
        }
    }
    let mut in_readme = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (_, after) in text
            .match_indices("<!-- sample: ")
            .map(|(at, _)| text.split_at(at))
        {
            check_sample(root, &page, after);
            if page.ends_with("README.md") {
                in_readme += 1;
            }
        }
    }
    assert!(in_readme >= 2, "README.md shows the doctor and explain samples");
}

fn check_sample(root: &Path, page: &Path, after: &str) {
    let file = after["<!-- sample: ".len()..].split(" -->").next().unwrap();
    let snapshot = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    // The snapshot's text follows its second `---` line.
    let text = snapshot.splitn(3, "---\n").nth(2).expect("an insta snapshot");
    let shown = text
        .replace("[PORT]", "8080")
        .replace("[MS]", "3")
        .replace("[VERSION]", env!("CARGO_PKG_VERSION"));
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("a ```text block after the marker");
    assert!(
        block == shown,
        "{}'s sample of {file} differs from it; put this there:\n```text\n{shown}```",
        page.display()
    );
}
