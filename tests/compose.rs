//! `doctor --compose [SERVICE]`: the environment a Compose service's
//! container gets, from the fixtures in `tests/fixtures/compose/` (a key in
//! the project's `.env` never passed, one passed by interpolation with an
//! override file and a YAML merge key, quotes kept in the list form, a
//! variable interpolated while unset, `env_file:` with `required: false`
//! and a service whose profile is off), each pinned in human form.

use crate::common::{self, Doctor, KEY, Server};

use std::path::Path;

struct Case {
    name: &'static str,
    exit: i32,
    diagnosis: &'static str,
    finding: &'static str,
    service: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "not-passed",
        exit: 1,
        diagnosis: "key_missing",
        finding: "compose_variable_not_passed",
        service: "app",
    },
    Case {
        name: "passed",
        exit: 0,
        diagnosis: "ok",
        finding: "compose_environment",
        service: "app",
    },
    Case {
        name: "quotes-kept",
        exit: 1,
        diagnosis: "key_malformed",
        finding: "compose_quotes_kept",
        service: "app",
    },
    Case {
        name: "unset",
        exit: 1,
        diagnosis: "key_empty",
        finding: "compose_unset_interpolated",
        service: "app",
    },
    Case {
        name: "env-file-short",
        exit: 0,
        diagnosis: "ok",
        finding: "compose_environment",
        service: "app",
    },
    Case {
        name: "env-file",
        exit: 0,
        diagnosis: "ok",
        finding: "compose_environment",
        service: "app",
    },
];

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/compose"))
}

/// The case's files in the doctor's folder, filled in for this service.
fn with_files(case: &Case, server: &Server) -> Doctor {
    let mut doctor = Doctor::new().secret(KEY);
    for entry in std::fs::read_dir(fixtures().join(case.name)).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .replace("{base}", &server.base_url())
            .replace("{KEY}", KEY);
        doctor = doctor.file(entry.file_name().to_str().unwrap(), &text);
    }
    doctor
}

fn doctor(case: &Case, server: &Server) -> Doctor {
    // The hosts are the project's choice: vouched for, as a user would.
    with_files(case, server).args(&["--compose", "--trust-env-file"])
}

#[test]
fn each_compose_fixture_gives_its_service_the_environment_compose_would() {
    let names = common::names_in(fixtures());
    for name in &names {
        assert!(CASES.iter().any(|c| c.name == name), "{name} has no case");
    }
    for case in CASES {
        let server = Server::start();
        server.answer(200, "200_models.json");
        let run = doctor(case, &server).json().run();
        assert_eq!(
            (run.code, run.diagnosis().as_str()),
            (case.exit, case.diagnosis),
            "{}:\n{}{}",
            case.name,
            run.stdout,
            run.stderr
        );
        run.finding(case.finding);
        assert!(
            run.finding("compose_environment")["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{}`", case.service)),
            "{}",
            case.name
        );
        let human = doctor(case, &server).args(&["--color", "never"]).run();
        insta::assert_snapshot!(
            format!("compose_{}", case.name),
            crate::snapshots::stable(&human.stdout, human.home.path())
        );
    }
}

#[test]
fn a_host_the_compose_files_name_gets_the_key_only_when_vouched_for() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let case = CASES.iter().find(|c| c.name == "passed").unwrap();
    // The container's key is the shell's (`${OPENAI_API_KEY}`, which the
    // shell sets): the compose file's host may not have it.
    let run = with_files(case, &server)
        .key(KEY)
        .args(&["--compose"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(server.requests().is_empty());
    // The key is the project's own (its .env, interpolated into the file):
    // the project's host may have what the project holds.
    let run = with_files(case, &server).args(&["--compose"]).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(
        run.json()["credential"]["origin"],
        "service_file",
        "{}",
        run.stdout
    );
    assert_eq!(server.requests().len(), 1);
}

/// A proxy or certificate authority the compose file sets can read the
/// request whatever its host: the shell's key does not go that way unless
/// vouched for. A value with the shell's variable inside other text is the
/// file's choice, not the shell's.
#[test]
fn a_way_or_a_host_the_compose_file_chooses_gets_no_key_of_the_shell() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let proxy = format!("http://127.0.0.1:{}", common::closed_port());
    let compose = format!(
        "services:\n  app:\n    image: python\n    environment:\n      - OPENAI_API_KEY\n      - HTTPS_PROXY={proxy}\n"
    );
    let doctor = || {
        Doctor::new()
            .key(KEY)
            .file("compose.yaml", &compose)
            .args(&["--compose"])
    };
    let run = doctor().json().run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(
        run.checklist()
            .contains("HTTPS_PROXY in the compose service `app`'s environment"),
        "{}",
        run.checklist()
    );
    assert!(run.json()["probe"].is_null(), "{}", run.stdout);
    // Vouched for, the request goes that way (the proxy here is a closed port).
    let run = doctor().args(&["--trust-env-file"]).json().run();
    assert_eq!(run.diagnosis(), "network_error", "{}", run.stdout);

    let compose = format!(
        "services:\n  app:\n    image: python\n    environment:\n      - OPENAI_API_KEY\n      - OPENAI_BASE_URL={}${{HOME:+}}\n",
        server.base_url()
    );
    let run = Doctor::new()
        .key(KEY)
        .file("compose.yaml", &compose)
        .args(&["--compose"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(server.requests().is_empty());
}

#[test]
fn hostile_compose_files_are_refused_plainly() {
    // Aliases that expand a billion-fold.
    let laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nservices:\n  app:\n    environment: [*g]\n";
    let run = Doctor::new()
        .file("compose.yaml", laughs)
        .args(&["--compose"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("expand past"), "{}", run.stderr);
    let run = Doctor::new()
        .file("compose.yaml", "services: [unclosed\n")
        .args(&["--compose"])
        .run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not YAML"), "{}", run.stderr);
    let run = Doctor::new()
        .file(
            "compose.yaml",
            "services:\n  a:\n    image: x\n  b:\n    image: y\n",
        )
        .args(&["--compose"])
        .run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("name one"), "{}", run.stderr);
    let run = Doctor::new().args(&["--compose"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no compose file"), "{}", run.stderr);
    // Service names that are runner commands or escapes, listed in the
    // message: shown defused (`Doctor::run` fails on any that is not).
    let run = Doctor::new()
        .file(
            "compose.yaml",
            "services:\n  \"a ##[error]pwned\":\n    image: x\n  \"b\\e[2J\\n::error::x\":\n    image: y\n",
        )
        .args(&["--compose", "nope"])
        .run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("pwned"), "{}", run.stderr);
}

/// Where Debian's `docker-compose` (1.29.2, the Python implementation) and
/// the Compose specification this follows (as Compose v2 implements it)
/// differ, for a fixture: 1.29 refuses it, and that refusal is checked.
const V1_REFUSES: &[(&str, &str)] = &[(
    "env-file",
    "env_file's long form (`path:`, `required:`) came with Compose v2.24; 1.29 calls it an invalid type",
)];

/// The environment computed for each fixture's service is the one Debian's
/// `docker-compose` (1.29.2) prints with `config`, variable for variable,
/// with the same shell — but for the fixtures in [`V1_REFUSES`].
#[test]
#[cfg_attr(
    not(has_docker_compose),
    ignore = "docker-compose is not installed (Debian's package; .ci/run installs it)"
)]
fn the_environment_is_the_one_docker_compose_computes() {
    use yaml_rust2::{Yaml, YamlLoader};
    let base = "http://127.0.0.1:9/v1";
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(fixtures().join(case.name)).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path())
                .unwrap()
                .replace("{base}", base)
                .replace("{KEY}", KEY);
            std::fs::write(dir.path().join(entry.file_name()), text).unwrap();
        }
        let shell: openai_keycheck::resolve::Env = [("PATH", std::env::var("PATH").unwrap_or_default())]
            .into_iter()
            .collect();
        let ours = openai_keycheck::resolve::compose::read(dir.path(), &shell, None).unwrap();
        let mut command = std::process::Command::new("docker-compose");
        for file in ours
            .files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        {
            command.arg("-f").arg(file);
        }
        let out = command
            .args(["config"])
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("COMPOSE_PROFILES", "")
            .output()
            .unwrap();
        if let Some((_, why)) = V1_REFUSES.iter().find(|(name, _)| *name == case.name) {
            assert!(
                !out.status.success(),
                "{}: 1.29 now reads it ({why}): compare it",
                case.name
            );
            continue;
        }
        assert!(
            out.status.success(),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = YamlLoader::load_from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
        let environment = &printed[0]["services"][ours.service.as_str()]["environment"];
        let mut theirs: Vec<(String, String)> = match environment {
            Yaml::Hash(map) => map
                .iter()
                .map(|(k, v)| {
                    let value = match v {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Null => String::new(),
                        other => format!("{other:?}"),
                    };
                    (k.as_str().unwrap().to_string(), value)
                })
                .collect(),
            _ => vec![],
        };
        theirs.sort();
        let mut mine: Vec<(String, String)> = ours
            .env
            .names()
            .into_iter()
            .map(|n| (n.to_string(), ours.env.text(n).unwrap_or_default().to_string()))
            .collect();
        mine.sort();
        assert_eq!(mine, theirs, "{}", case.name);
    }
}
