use std::fs;

use super::*;
use crate::vocab::{EnvVars, FindingId, Severity};

const KEY_A: &str = "sk-proj-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrStaaaa";
const KEY_B: &str = "sk-proj-ZyXwVuTsRqPoNmLkJiHgT3BlbkFJZyXwVuTsRqPoNmLkJiHgbbbb";

struct World {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
    flag: Option<(FlagVia, &'static str)>,
    source: Option<KeySource>,
    client: Option<Client>,
    env_file: EnvFileChoice,
}

impl World {
    fn new() -> Self {
        World {
            home: tempfile::tempdir().unwrap(),
            env: vec![],
            flag: None,
            source: None,
            client: None,
            env_file: EnvFileChoice::Search,
        }
    }

    fn var(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// A file kept as a careful user keeps a secret: readable by its owner only.
    fn file(self, relative: &str, content: &str) -> Self {
        self.file_mode(relative, content, 0o600)
    }

    fn file_mode(self, relative: &str, content: &str, mode: u32) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let path = self.home.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        self
    }

    fn git(&self, args: &[&str]) -> bool {
        std::process::Command::new("git")
            .arg("-C")
            .arg(self.home.path())
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn resolve(&self) -> Resolution {
        let mut env: Env = self.env.iter().cloned().collect();
        env.0.insert(EnvVars::HOME.into(), self.home.path().into());
        resolve(&Inputs {
            env,
            cwd: self.home.path().join("project"),
            flag_key: self.flag.map(|(via, value)| FlagKey {
                via,
                value: Ok(value.to_string()),
            }),
            env_file: self.env_file.clone(),
            settings: SettingFlags::default(),
            source: self.source,
            client: self.client,
            ca_cert: None,
            program: None,
            elsewhere: None,
        })
    }
}

fn state(r: &Resolution, source: KeySource) -> SourceState {
    r.sources.iter().find(|s| s.source == source).unwrap().state()
}

fn finding_ids(r: &Resolution) -> Vec<FindingId> {
    r.findings.iter().map(|f| f.id).collect()
}

#[test]
fn nothing_anywhere() {
    let r = World::new().resolve();
    assert!(r.used().is_none());
    assert!(r.sources.iter().all(|s| s.state() == SourceState::Unset));
    assert_eq!(r.settings.base_url.value, DEFAULT_BASE_URL);
    assert_eq!(r.settings.base_url.origin, Origin::Default);
}

#[test]
fn the_flag_wins_and_warns_about_argv() {
    let mut w = World::new().var(EnvVars::OPENAI_API_KEY, KEY_A);
    w.flag = Some((FlagVia::Argv, KEY_B));
    let r = w.resolve();
    assert_eq!(r.used().unwrap().source, KeySource::Flag);
    assert!(finding_ids(&r).contains(&FindingId::KeyInArgv));
    assert!(finding_ids(&r).contains(&FindingId::ConflictingSources));
}

#[test]
fn stdin_key_does_not_warn_about_argv() {
    let mut w = World::new();
    w.flag = Some((FlagVia::Stdin, KEY_B));
    assert!(!finding_ids(&w.resolve()).contains(&FindingId::KeyInArgv));
}

#[test]
fn an_empty_variable_wins_and_hides_the_dotenv_key() {
    let r = World::new()
        .var(EnvVars::OPENAI_API_KEY, "")
        .file("project/.env", &format!("OPENAI_API_KEY={KEY_A}\n"))
        .resolve();
    let used = r.used().unwrap();
    assert_eq!((used.source, used.state()), (KeySource::Env, SourceState::Empty));
    assert_eq!(state(&r, KeySource::Dotenv), SourceState::Set);
    assert!(finding_ids(&r).contains(&FindingId::EmptyVariableShadowsKey));
}

#[test]
fn dotenv_is_found_upward_with_its_line() {
    let r = World::new()
        .file(
            ".env",
            &format!("# comment\nOTHER=1\nexport OPENAI_API_KEY=\"{KEY_A}\"\n"),
        )
        .resolve();
    let used = r.used().unwrap();
    assert_eq!(used.source, KeySource::Dotenv);
    assert!(used.location.ends_with(".env:3"), "{}", used.location);
    assert_eq!(used.value().unwrap().expose(), KEY_A);
    assert_eq!(finding_ids(&r), vec![FindingId::DotenvNotLoaded]);
}

#[test]
fn dotenv_with_bom_crlf_and_a_bad_line() {
    let r = World::new()
        .file(
            "project/.env",
            &format!("\u{feff}BROKEN LINE\r\nOPENAI_API_KEY={KEY_A}\r\n"),
        )
        .resolve();
    assert_eq!(r.used().unwrap().value().unwrap().expose(), KEY_A);
}

#[test]
fn dotenv_parse_errors_name_the_line_not_the_content() {
    let r = World::new()
        .file("project/.env", "A=1\nOPENAI_API_KEY='sk-unterminated\n")
        .resolve();
    let dotenv = r.sources.iter().find(|s| s.source == KeySource::Dotenv).unwrap();
    assert_eq!(dotenv.state(), SourceState::Invalid);
    let detail = dotenv.detail().unwrap();
    assert!(detail.contains('2'), "{detail}");
    assert!(!detail.contains("sk-unterminated"), "{detail}");
}

#[test]
fn explicit_env_file_that_is_missing_is_unreadable() {
    let mut w = World::new();
    w.env_file = EnvFileChoice::Path("nope.env".into());
    let r = w.resolve();
    assert_eq!(state(&r, KeySource::Dotenv), SourceState::Unreadable);
    assert!(finding_ids(&r).contains(&FindingId::SourceUnreadable));
}

#[test]
fn no_env_file_means_not_read() {
    let mut w = World::new().file("project/.env", &format!("OPENAI_API_KEY={KEY_A}\n"));
    w.env_file = EnvFileChoice::Disabled;
    assert!(w.resolve().used().is_none());
}

#[test]
fn auth_json_files_are_read_but_flagged() {
    let r = World::new()
        .file(
            ".openai/auth.json",
            &format!("{{\"api_key\": \"{KEY_A}\", \"organization\": \"org-x\"}}"),
        )
        .resolve();
    // A program has no key; the file's is the one tested.
    assert!(r.used().is_none());
    assert_eq!(r.tested().unwrap().source, KeySource::OpenaiAuthJson);
    assert_eq!(finding_ids(&r), vec![FindingId::KeyFileNotReadBySdk]);

    let r = World::new()
        .file(
            ".codex/auth.json",
            &format!("{{\"OPENAI_API_KEY\": \"{KEY_B}\", \"tokens\": null}}"),
        )
        .resolve();
    assert_eq!(r.tested().unwrap().source, KeySource::CodexAuthJson);
}

#[test]
fn codex_signed_in_with_chatgpt_has_no_key() {
    let r = World::new()
        .file(
            ".codex/auth.json",
            "{\"OPENAI_API_KEY\": null, \"tokens\": {\"access_token\": \"eyJ\"}}",
        )
        .resolve();
    assert_eq!(state(&r, KeySource::CodexAuthJson), SourceState::Unset);
}

#[test]
fn broken_auth_json_files_say_why() {
    for (content, expect) in [
        ("", "not JSON"),
        ("{nope", "not JSON"),
        ("[1]", "object"),
        ("{\"api_key\": 5}", "not a string"),
    ] {
        let r = World::new().file(".openai/auth.json", content).resolve();
        let s = r
            .sources
            .iter()
            .find(|s| s.source == KeySource::OpenaiAuthJson)
            .unwrap();
        assert_eq!(s.state(), SourceState::Invalid, "{content}");
        assert!(
            s.detail().unwrap().contains(expect),
            "{content}: {:?}",
            s.detail()
        );
    }
}

#[test]
fn a_directory_is_unreadable() {
    let w = World::new();
    fs::create_dir_all(w.home.path().join(".openai/auth.json")).unwrap();
    assert_eq!(
        state(&w.resolve(), KeySource::OpenaiAuthJson),
        SourceState::Unreadable
    );
}

#[test]
fn the_same_key_twice_is_no_conflict() {
    let r = World::new()
        .var(EnvVars::OPENAI_API_KEY, KEY_A)
        .file(".openai/auth.json", &format!("{{\"api_key\": \"{KEY_A}\"}}"))
        .resolve();
    assert!(finding_ids(&r).is_empty(), "{:?}", r.findings);
}

#[test]
fn without_home_the_files_are_skipped() {
    let r = resolve(&Inputs {
        env: Env::default(),
        cwd: "/nonexistent-dir".into(),
        flag_key: None,
        env_file: EnvFileChoice::Disabled,
        settings: SettingFlags::default(),
        source: None,
        client: None,
        ca_cert: None,
        program: None,
        elsewhere: None,
    });
    let s = r
        .sources
        .iter()
        .find(|s| s.source == KeySource::OpenaiAuthJson)
        .unwrap();
    assert_eq!(s.detail(), Some("HOME is not set"));
}

#[test]
fn settings_come_from_flag_then_env_then_dotenv() {
    let r = World::new()
        .var(EnvVars::OPENAI_ORG_ID, "org-env")
        .file(
            "project/.env",
            "OPENAI_ORG_ID=org-dotenv\nOPENAI_PROJECT_ID=proj_dotenv\n",
        )
        .resolve();
    assert_eq!(
        r.settings.org,
        Some(Valued {
            value: "org-env".into(),
            origin: Origin::Env,
            variable: EnvVars::OPENAI_ORG_ID
        })
    );
    assert_eq!(
        r.settings.project,
        Some(Valued {
            value: "proj_dotenv".into(),
            origin: Origin::Dotenv,
            variable: EnvVars::OPENAI_PROJECT_ID
        })
    );
}

#[test]
fn setting_findings() {
    let r = World::new()
        .var(EnvVars::OPENAI_BASE_URL, "")
        .var(EnvVars::OPENAI_API_BASE, "https://old")
        .var(EnvVars::OPENAI_CUSTOM_HEADERS, "X-A: 1\nAuthorization: Bearer x")
        .var(EnvVars::OPENAI_ADMIN_KEY, "sk-admin-x")
        .resolve();
    let ids = finding_ids(&r);
    for id in [
        FindingId::EmptyBaseUrl,
        FindingId::LegacyVariable,
        FindingId::CustomHeadersAuthorization,
        FindingId::AdminKeyVariable,
    ] {
        assert!(ids.contains(&id), "{id:?} in {ids:?}");
    }
    assert_eq!(r.settings.base_url.value, DEFAULT_BASE_URL);
}

#[test]
fn a_key_file_readable_by_others_is_a_warning_where_it_matters() {
    use std::os::unix::fs::PermissionsExt;
    let permissions = |r: &Resolution| {
        r.findings
            .iter()
            .find(|f| f.id == FindingId::KeyFilePermissions)
            .cloned()
            .expect("key_file_permissions")
    };
    // The default 644 under your own home: worth knowing, not failing --strict.
    let r = World::new()
        .file_mode(
            ".openai/auth.json",
            &format!("{{\"api_key\": \"{KEY_A}\"}}"),
            0o644,
        )
        .resolve();
    let f = permissions(&r);
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message.contains("mode 644") && f.message.contains("chmod 600"),
        "{}",
        f.message
    );
    // In a folder anyone may write: a warning.
    let w = World::new().file_mode("project/.env", &format!("OPENAI_API_KEY={KEY_A}\n"), 0o644);
    fs::set_permissions(w.home.path().join("project"), fs::Permissions::from_mode(0o777)).unwrap();
    let f = permissions(&w.resolve());
    assert_eq!(f.severity, Severity::Warning, "{}", f.message);
}

#[test]
fn a_dotenv_tracked_or_not_ignored_by_git() {
    let w = World::new().file("project/.env", &format!("OPENAI_API_KEY={KEY_A}\n"));
    assert!(
        w.git(&["init", "-q"]),
        "git is needed (it is on every CI machine)"
    );
    let message = |r: &Resolution| {
        r.findings
            .iter()
            .find(|f| f.id == FindingId::DotenvTrackedByGit)
            .map(|f| f.message.clone())
    };
    assert!(
        message(&w.resolve())
            .expect("not ignored")
            .contains("not ignored by git")
    );

    assert!(w.git(&["add", "project/.env"]) && w.git(&["commit", "-qm", "oops"]));
    assert!(message(&w.resolve()).expect("tracked").contains("tracked by git"));

    assert!(w.git(&["rm", "-q", "--cached", "project/.env"]));
    let w = w.file(".gitignore", ".env\n");
    assert_eq!(message(&w.resolve()), None);
}

/// A template committed with its placeholder is no leak: nothing to rotate.
#[test]
fn a_tracked_dotenv_holding_a_placeholder_is_no_leak() {
    let w = World::new().file("project/.env", "OPENAI_API_KEY=sk-your-key-here\n");
    assert!(w.git(&["init", "-q"]));
    assert!(w.git(&["add", "project/.env"]) && w.git(&["commit", "-qm", "template"]));
    let r = w.resolve();
    let finding = r
        .findings
        .iter()
        .find(|f| f.id == FindingId::DotenvTrackedByGit)
        .expect("tracked");
    assert_eq!(finding.severity, Severity::Info, "{}", finding.message);
    assert!(finding.message.contains("placeholder"), "{}", finding.message);
    assert!(!finding.message.contains("Rotate"), "{}", finding.message);
}

#[test]
fn outside_git_nothing_is_said() {
    let r = World::new()
        .file("project/.env", &format!("OPENAI_API_KEY={KEY_A}\n"))
        .resolve();
    assert!(!finding_ids(&r).contains(&FindingId::DotenvTrackedByGit));
}

#[test]
fn duplicate_keys_and_bad_lines_in_dotenv_are_named() {
    let r = World::new()
        .file(
            "project/.env",
            &format!("OPENAI_API_KEY={KEY_B}\nNOT A LINE\nOPENAI_API_KEY={KEY_A}\n"),
        )
        .resolve();
    assert_eq!(
        r.used().unwrap().value().unwrap().expose(),
        KEY_A,
        "the last one wins"
    );
    assert!(r.used().unwrap().location.ends_with(".env:3"));
    let dup = r
        .findings
        .iter()
        .find(|f| f.id == FindingId::DotenvDuplicateKey)
        .expect("duplicate");
    assert!(dup.message.contains("lines 1, 3"), "{}", dup.message);
    let bad = r
        .findings
        .iter()
        .find(|f| f.id == FindingId::DotenvInvalidLine)
        .expect("invalid line");
    assert!(bad.message.contains(".env:2"), "{}", bad.message);
}

#[test]
fn sources_and_states_are_spelt_alike_everywhere() {
    crate::vocab::ids::tests::names_agree::<KeySource>();
    crate::vocab::ids::tests::names_agree::<SourceState>();
}

impl World {
    fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }
}

#[test]
fn each_client_reads_its_own_variables() {
    let world = || {
        World::new()
            .var(EnvVars::OPENAI_BASE_URL, "")
            .var(EnvVars::OPENAI_API_BASE, "https://gateway.example/v1")
            .var(EnvVars::OPENAI_ORG_ID, "")
            .var(EnvVars::OPENAI_ORGANIZATION, "org-Old")
            .var(EnvVars::OPENAI_PROJECT_ID, " proj_Abc\n")
    };
    let python = world().resolve();
    assert_eq!(python.settings.base_url.value, DEFAULT_BASE_URL);
    assert_eq!(python.settings.org.as_ref().map(|o| o.value.as_str()), Some(""));
    assert_eq!(
        python.settings.project.as_ref().map(|p| p.value.as_str()),
        Some(" proj_Abc\n")
    );
    assert_eq!(
        finding_ids(&python)
            .iter()
            .filter(|id| **id == FindingId::LegacyVariable)
            .count(),
        2
    );

    // Node: trimmed, the empty ones left out, the 0.x names ignored.
    let node = world().client(Client::Node).resolve();
    assert_eq!(node.settings.base_url.value, DEFAULT_BASE_URL);
    assert_eq!(node.settings.org, None);
    assert_eq!(
        node.settings.project.as_ref().map(|p| p.value.as_str()),
        Some("proj_Abc")
    );
    assert!(!finding_ids(&node).contains(&FindingId::EmptyBaseUrl));

    // LangChain: OPENAI_API_BASE first, the organization from OPENAI_ORGANIZATION.
    let langchain = world().client(Client::Langchain).resolve();
    assert_eq!(langchain.settings.base_url.value, "https://gateway.example/v1");
    assert_eq!(langchain.settings.base_url.variable, EnvVars::OPENAI_API_BASE);
    let org = langchain.settings.org.as_ref().unwrap();
    assert_eq!(
        (org.value.as_str(), org.variable),
        ("org-Old", EnvVars::OPENAI_ORGANIZATION)
    );
    assert!(!finding_ids(&langchain).contains(&FindingId::LegacyVariable));
}

#[test]
fn under_node_only_the_current_folders_dotenv_counts() {
    let world = || World::new().file(".env", "OPENAI_API_KEY=sk-proj-abc\n");
    let state = |r: &Resolution| {
        r.sources
            .iter()
            .find(|s| s.source == KeySource::Dotenv)
            .unwrap()
            .state()
    };
    assert_eq!(state(&world().resolve()), SourceState::Set);
    assert_eq!(state(&world().client(Client::Node).resolve()), SourceState::Unset);
    let here = World::new()
        .file("project/.env", "OPENAI_API_KEY=sk-proj-abc\n")
        .client(Client::Node)
        .resolve();
    assert_eq!(state(&here), SourceState::Set);
}

#[test]
fn a_langsmith_gateway_redirects_langchain_only() {
    let world = |gateway: &str| {
        World::new()
            .var(EnvVars::OPENAI_BASE_URL, "https://proxy.example/v1")
            .var(EnvVars::LANGSMITH_GATEWAY, gateway)
            .var(EnvVars::LANGSMITH_API_KEY, "lsv2_pt_0123456789abcdef")
    };
    let r = world("true").client(Client::Langchain).resolve();
    assert_eq!(
        r.settings.base_url.value,
        "https://gateway.smith.langchain.com/openai/v1"
    );
    assert!(r.settings.gateway_authorization.is_some());
    assert!(
        r.secrets
            .redact("lsv2_pt_0123456789abcdef")
            .find("0123456789")
            .is_none()
    );
    let r = world("https://gw.example/").client(Client::Langchain).resolve();
    assert_eq!(r.settings.base_url.value, "https://gw.example/openai/v1");
    for (gateway, client) in [("no", Client::Langchain), ("true", Client::Python)] {
        let r = world(gateway).client(client).resolve();
        assert_eq!(
            r.settings.base_url.value, "https://proxy.example/v1",
            "{gateway} {client:?}"
        );
        assert!(!finding_ids(&r).contains(&FindingId::LangsmithGateway));
    }
}

#[test]
fn proxies_as_each_client_uses_them() {
    let world = || {
        World::new()
            .var(EnvVars::HTTPS_PROXY, "http://10.0.0.1:3128")
            .var(EnvVars::OPENAI_PROXY, "http://10.0.0.2:3128")
    };
    let proxy = |r: &Resolution| r.settings.network.proxy.as_ref().map(|p| (p.shown(), p.variable));
    assert_eq!(
        proxy(&world().resolve()),
        Some(("http://10.0.0.1:3128/".to_string(), EnvVars::HTTPS_PROXY))
    );
    // httpx's per-scheme mount for HTTPS_PROXY outranks langchain-openai's
    // all:// one for OPENAI_PROXY (observed with langchain-openai 1.7.4,
    // tests/agreement.rs); OPENAI_PROXY alone is used.
    assert_eq!(
        proxy(&world().client(Client::Langchain).resolve()),
        Some(("http://10.0.0.1:3128/".to_string(), EnvVars::HTTPS_PROXY))
    );
    let alone = World::new()
        .var(EnvVars::OPENAI_PROXY, "http://10.0.0.2:3128")
        .client(Client::Langchain)
        .resolve();
    assert_eq!(
        proxy(&alone),
        Some(("http://10.0.0.2:3128/".to_string(), EnvVars::OPENAI_PROXY))
    );
    let node = world().client(Client::Node).resolve();
    assert_eq!(proxy(&node), None);
    assert!(finding_ids(&node).contains(&FindingId::ProxyBypassed));
    let node = world()
        .var(EnvVars::NODE_USE_ENV_PROXY, "1")
        .client(Client::Node)
        .resolve();
    assert!(proxy(&node).is_some());
}
