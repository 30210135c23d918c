use std::path::{Path, PathBuf};

use super::ignores;
use super::rules::{At, File, Project, RULES, Spot};
use crate::program::facts::{FileFacts, Kind, Runs};
use crate::program::{javascript, python};
use crate::vocab::LintRuleId;

/// The facts the rules read, without what only the doctor reads (a
/// client's arguments, the `.env` loaded, names assigned, models).
fn kinds(facts: &FileFacts) -> Vec<Kind> {
    facts
        .facts
        .iter()
        .filter(|f| {
            !matches!(
                f.kind,
                Kind::Literal { .. }
                    | Kind::Imported { .. }
                    | Kind::Assigned { .. }
                    | Kind::ModelNamed { .. }
            )
        })
        .map(|f| match &f.kind {
            Kind::ClientMade {
                class,
                key_given,
                langchain,
                ..
            } => Kind::ClientMade {
                class: class.clone(),
                key_given: *key_given,
                langchain: *langchain,
                arguments: vec![],
            },
            Kind::DotenvLoaded { .. } => loaded(),
            kind => kind.clone(),
        })
        .collect()
}

fn loaded() -> Kind {
    Kind::DotenvLoaded {
        path: None,
        overrides: false,
    }
}

fn fired(id: LintRuleId, facts: FileFacts, project: &Project) -> Vec<Spot> {
    let rule = RULES.iter().find(|r| r.id == id).unwrap();
    (rule.check)(
        &File {
            path: "app.py".into(),
            text: String::new(),
            facts,
            legacy_sdk: false,
        },
        project,
    )
}

fn client(class: &str, key_given: bool) -> Kind {
    Kind::ClientMade {
        class: class.into(),
        key_given,
        langchain: crate::program::facts::LANGCHAIN_CLASSES.contains(&class),
        arguments: vec![],
    }
}

fn read(name: &str, empty_default: bool) -> Kind {
    Kind::EnvRead {
        name: name.into(),
        empty_default,
    }
}

#[test]
fn python_facts_in_order() {
    let source = r#"
import os
from dotenv import load_dotenv
import openai
client = openai.OpenAI()
load_dotenv(override=True)
os.environ["OPENAI_API_KEY"] = "x"
os.environ.setdefault("OPENAI_BASE_URL", "http://x")
a = os.getenv("OPENAI_API_KEY", "")
b = os.environ.get("OPENAI_API_KEY") or ""
c = os.environ["OPENAI_ORG_ID"]
chat = ChatOpenAI(model="gpt-4o", api_key=os.getenv("OPENAI_KEY"))
"#;
    assert_eq!(
        kinds(&python::facts(source)),
        vec![
            client("OpenAI", false),
            loaded(),
            Kind::EnvSet {
                name: "OPENAI_API_KEY".into()
            },
            Kind::EnvSet {
                name: "OPENAI_BASE_URL".into()
            },
            read("OPENAI_API_KEY", true),
            read("OPENAI_API_KEY", true),
            read("OPENAI_API_KEY", false),
            read("OPENAI_ORG_ID", false),
            client("ChatOpenAI", true),
            Kind::KeyArgumentMayFallBack {
                name: "OPENAI_KEY".into()
            },
            read("OPENAI_KEY", false),
        ]
    );
}

#[test]
fn javascript_facts_in_order() {
    let source = r#"
import 'dotenv/config';
import OpenAI from "openai";
const a = new OpenAI();
const b = new OpenAI({ apiKey: process.env.OPENAI_KEY });
process.env["OPENAI_API_KEY"] = "x";
const c = process.env.OPENAI_API_KEY ?? "";
require('dotenv').config();
"#;
    assert_eq!(
        kinds(&javascript::facts(source, Path::new("a.mjs"))),
        vec![
            loaded(),
            client("OpenAI", false),
            client("OpenAI", true),
            Kind::KeyArgumentMayFallBack {
                name: "OPENAI_KEY".into()
            },
            read("OPENAI_KEY", false),
            Kind::EnvSet {
                name: "OPENAI_API_KEY".into()
            },
            read("OPENAI_API_KEY", true),
            read("OPENAI_API_KEY", false),
            loaded(),
        ]
    );
}

#[test]
fn typescript_and_jsx_parse() {
    let ts = "import OpenAI from 'openai';\nconst c: OpenAI = new OpenAI();\n";
    assert_eq!(
        kinds(&javascript::facts(ts, Path::new("a.ts"))),
        vec![client("OpenAI", false)]
    );
    let tsx = "const C = () => <div>{new OpenAI().baseURL}</div>;\n";
    let facts = javascript::facts(tsx, Path::new("a.tsx"));
    assert!(facts.parse_error.is_none(), "{:?}", facts.parse_error);
    assert_eq!(kinds(&facts), vec![client("OpenAI", false)]);
}

#[test]
fn order_counts_only_within_one_scope() {
    // The client in a function is made when it is called, after the load.
    let later = "def make():\n    return OpenAI()\nload_dotenv()\n";
    assert!(
        fired(
            LintRuleId::ClientBeforeDotenv,
            python::facts(later),
            &Project::default()
        )
        .is_empty()
    );
    let first = "client = OpenAI()\nload_dotenv()\n";
    assert_eq!(
        fired(
            LintRuleId::ClientBeforeDotenv,
            python::facts(first),
            &Project::default()
        )
        .len(),
        1
    );
    let fixed = "load_dotenv()\nclient = OpenAI()\n";
    assert!(
        fired(
            LintRuleId::ClientBeforeDotenv,
            python::facts(fixed),
            &Project::default()
        )
        .is_empty()
    );
    // A key passed in code needs no environment.
    let given = "client = OpenAI(api_key=k)\nload_dotenv()\n";
    assert!(
        fired(
            LintRuleId::ClientBeforeDotenv,
            python::facts(given),
            &Project::default()
        )
        .is_empty()
    );
}

#[test]
fn a_variable_set_after_the_client() {
    let after = "client = OpenAI()\nos.environ['OPENAI_API_KEY'] = k\n";
    assert_eq!(
        fired(
            LintRuleId::EnvSetAfterClient,
            python::facts(after),
            &Project::default()
        )
        .len(),
        1
    );
    let before = "os.environ['OPENAI_API_KEY'] = k\nclient = OpenAI()\n";
    assert!(
        fired(
            LintRuleId::EnvSetAfterClient,
            python::facts(before),
            &Project::default()
        )
        .is_empty()
    );
    // The key variable does not matter to a client given its key; the base URL does.
    let given =
        "c = OpenAI(api_key=k)\nos.environ['OPENAI_API_KEY'] = k\nos.environ['OPENAI_BASE_URL'] = u\n";
    let spots = fired(
        LintRuleId::EnvSetAfterClient,
        python::facts(given),
        &Project::default(),
    );
    assert_eq!(spots.len(), 1);
    assert!(spots[0].message.starts_with("OPENAI_BASE_URL"));
}

#[test]
fn near_misses_of_the_key_variable() {
    // Which names are near misses: `vocab::near_miss`'s tests.
    let mut project = Project::default();
    project
        .dotenv
        .insert("OPENAI_API_KEY".into(), vec![(".env".into(), 1)]);
    let bad = "k = os.environ['OPENAI_KEY']\n";
    assert_eq!(
        fired(LintRuleId::WrongVariableName, python::facts(bad), &project).len(),
        1
    );
    // None falls back to the client's own OPENAI_API_KEY: that works.
    let falls_back = "c = OpenAI(api_key=os.getenv('OPENAI_KEY'))\n";
    assert!(fired(LintRuleId::WrongVariableName, python::facts(falls_back), &project).is_empty());
}

#[test]
fn keys_in_code_but_not_placeholders() {
    let real = "k = 'sk-proj-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrStaaaa'\n";
    let spots = fired(LintRuleId::HardcodedKey, python::facts(real), &Project::default());
    assert_eq!(spots.len(), 1);
    assert!(!spots[0].message.contains("AbCdEfGh"), "{}", spots[0].message);
    for fake in [
        "sk-your-key-here",
        "sk-proj-...",
        "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ] {
        let source = format!("k = '{fake}'\n");
        assert!(
            fired(
                LintRuleId::HardcodedKey,
                python::facts(&source),
                &Project::default()
            )
            .is_empty(),
            "{fake}"
        );
    }
}

#[test]
fn a_broken_file_is_a_finding_not_a_crash() {
    let broken = "client = OpenAI(\nload_dotenv()\ndef (:\n";
    let spots = fired(LintRuleId::ParseError, python::facts(broken), &Project::default());
    assert_eq!(spots.len(), 1);
    assert!(matches!(spots[0].at, At::Offset(_)));
    let js = javascript::facts("const = ;", Path::new("a.js"));
    assert!(js.parse_error.is_some());
}

#[test]
fn suppression_names_the_rule() {
    assert!(ignores(
        "client = OpenAI()  # keycheck: ignore[client_before_dotenv]",
        LintRuleId::ClientBeforeDotenv
    ));
    assert!(ignores(
        "// keycheck: ignore[hardcoded_key, empty_key_default]",
        LintRuleId::EmptyKeyDefault
    ));
    assert!(!ignores(
        "# keycheck: ignore[hardcoded_key]",
        LintRuleId::ClientBeforeDotenv
    ));
    assert!(!ignores("# keycheck: ignore", LintRuleId::ClientBeforeDotenv));
}

#[test]
fn lint_rule_ids_are_spelt_alike_everywhere() {
    crate::vocab::ids::tests::names_agree::<LintRuleId>();
    let schema: serde_json::Value = serde_json::from_str(include_str!("../../schema/lint-v1.json")).unwrap();
    let mut published: Vec<&str> = schema["$defs"]["lint_rule_id"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    published.sort_unstable();
    assert_eq!(published, crate::vocab::ids::tests::ours::<LintRuleId>());
    for id in <LintRuleId as strum::IntoEnumIterator>::iter() {
        assert!(RULES.iter().any(|r| r.id == id), "{id} has no rule");
    }
}

#[test]
fn aliases_updates_and_keywords_are_followed() {
    let source = r#"
from openai import AsyncAzureOpenAI as Client
from dotenv import load_dotenv as ld
c = Client()
ld()
os.environ.update({"OPENAI_API_KEY": k}, OPENAI_BASE_URL=u)
v = os.getenv(key="OPENAI_API_KEY", default="")
"#;
    assert_eq!(
        kinds(&python::facts(source)),
        vec![
            client("AsyncAzureOpenAI", false),
            loaded(),
            Kind::EnvSet {
                name: "OPENAI_API_KEY".into()
            },
            Kind::EnvSet {
                name: "OPENAI_BASE_URL".into()
            },
            read("OPENAI_API_KEY", true),
        ]
    );
    let js = "const c = new OpenAI();\nObject.assign(process.env, { OPENAI_API_KEY: k });\n";
    assert_eq!(
        kinds(&javascript::facts(js, Path::new("a.js"))),
        vec![
            client("OpenAI", false),
            Kind::EnvSet {
                name: "OPENAI_API_KEY".into()
            }
        ]
    );
}

#[test]
fn an_esm_import_runs_before_the_module_body() {
    let hoisted = "import OpenAI from 'openai';\nconst client = new OpenAI();\nimport 'dotenv/config';\n";
    let facts = javascript::facts(hoisted, Path::new("a.mjs"));
    assert!(fired(LintRuleId::ClientBeforeDotenv, facts, &Project::default()).is_empty());
}

#[test]
fn a_variable_only_azure_reads_does_not_concern_openai() {
    let plain = "c = OpenAI()\nos.environ['AZURE_OPENAI_API_KEY'] = k\n";
    assert!(
        fired(
            LintRuleId::EnvSetAfterClient,
            python::facts(plain),
            &Project::default()
        )
        .is_empty()
    );
    let azure = "c = AzureOpenAI()\nos.environ['AZURE_OPENAI_API_KEY'] = k\n";
    assert_eq!(
        fired(
            LintRuleId::EnvSetAfterClient,
            python::facts(azure),
            &Project::default()
        )
        .len(),
        1
    );
}

#[test]
fn the_0x_api_unless_the_project_pins_it() {
    let legacy =
        "import openai\nopenai.api_key = k\nclient = OpenAI()\nopenai.ChatCompletion.create(model='gpt-4')\n";
    assert_eq!(
        fired(
            LintRuleId::LegacyModuleApi,
            python::facts(legacy),
            &Project::default()
        )
        .len(),
        2
    );
    // Written for openai<1, as the nearest manifest says.
    let pinned = File {
        path: "app.py".into(),
        text: legacy.to_string(),
        facts: python::facts(legacy),
        legacy_sdk: true,
    };
    assert!((super::rules::legacy_module_api::RULE.check)(&pinned, &Project::default()).is_empty());
    // The module client alone, without OpenAI(): openai.api_key is what it reads.
    let module_only = "import openai\nopenai.api_key = k\nopenai.models.list()\n";
    assert!(
        fired(
            LintRuleId::LegacyModuleApi,
            python::facts(module_only),
            &Project::default()
        )
        .is_empty()
    );
}

#[test]
fn public_variables_and_browser_clients() {
    use super::rules::browser_exposed_key::is_public_key_variable;
    for name in [
        "NEXT_PUBLIC_OPENAI_API_KEY",
        "VITE_OPENAI_KEY",
        "REACT_APP_OPENAI_API_KEY",
        "EXPO_PUBLIC_OPENAI_API_KEY",
    ] {
        assert!(is_public_key_variable(name), "{name}");
    }
    for name in ["OPENAI_API_KEY", "NEXT_PUBLIC_SITE_URL", "VITE_OPENAI_MODEL"] {
        assert!(!is_public_key_variable(name), "{name}");
    }
    let js = "const c = new OpenAI({ apiKey: k, dangerouslyAllowBrowser: true });\nconst v = import.meta.env.VITE_OPENAI_API_KEY;\n";
    assert_eq!(
        fired(
            LintRuleId::BrowserExposedKey,
            javascript::facts(js, Path::new("a.ts")),
            &Project::default()
        )
        .len(),
        2
    );
}

#[test]
fn deep_nesting_is_parsed_on_the_parsers_stack() {
    // As deep as a file under the size limit can nest: run as lint runs it.
    let depth = 100_000;
    let python = format!("import openai\nx = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
    let chained = format!("import openai\nx = 1{}\n", "+1".repeat(depth));
    let js = format!(
        "import OpenAI from 'openai';\nconst x = {}1{};\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.py"), python).unwrap();
    std::fs::write(dir.path().join("chain.py"), chained).unwrap();
    std::fs::write(dir.path().join("deep.js"), js).unwrap();
    let linted = super::lint(&super::Options {
        paths: vec![dir.path().to_path_buf()],
        ..super::Options::default()
    })
    .unwrap();
    assert_eq!(linted.files_parsed, 3);
}

#[test]
fn retries_that_include_a_rejected_key() {
    let every = "@retry(stop=stop_after_attempt(6))\ndef ask(q):\n    return client.chat.completions.create(model='m', messages=q)\n";
    assert_eq!(
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(every),
            &Project::default()
        )
        .len(),
        1
    );
    let parent = "@retry(retry=retry_if_exception_type(openai.APIError))\ndef ask(q):\n    return client.responses.create(input=q)\n";
    assert_eq!(
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(parent),
            &Project::default()
        )
        .len(),
        1
    );
    let backoff = "@backoff.on_exception(backoff.expo, (openai.RateLimitError, Exception))\ndef ask(q):\n    return llm.invoke(q)\n";
    assert_eq!(
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(backoff),
            &Project::default()
        )
        .len(),
        1
    );
    // Only what can pass, or a function that calls no API: nothing to say.
    let narrow = "@retry(retry=retry_if_exception_type((openai.RateLimitError, openai.APIConnectionError)))\ndef ask(q):\n    return client.chat.completions.create(messages=q)\n";
    assert!(
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(narrow),
            &Project::default()
        )
        .is_empty()
    );
    let unrelated = "@retry\ndef fetch(url):\n    return requests.get(url)\n";
    assert!(
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(unrelated),
            &Project::default()
        )
        .is_empty()
    );
    let js =
        "await pRetry(() => client.chat.completions.create({ model: 'm', messages }), { retries: 5 });\n";
    assert_eq!(
        fired(
            LintRuleId::RetryOnAuthError,
            javascript::facts(js, Path::new("a.mjs")),
            &Project::default()
        )
        .len(),
        1
    );
    let decided = "await pRetry(() => client.chat.completions.create({}), { retries: 5, shouldRetry: ({ error }) => error.status !== 401 });\n";
    assert!(
        fired(
            LintRuleId::RetryOnAuthError,
            javascript::facts(decided, Path::new("a.mjs")),
            &Project::default()
        )
        .is_empty()
    );
}

#[test]
fn keys_written_out() {
    let python = "api_key = os.getenv('OPENAI_API_KEY')\nprint(f'key: {api_key}')\nlogging.info(os.environ['OPENAI_API_KEY'])\nprint(f'{api_key[-4:]}', len(api_key), bool(api_key))\n";
    assert_eq!(
        fired(LintRuleId::KeyInLogs, python::facts(python), &Project::default()).len(),
        2
    );
    let js = "const apiKey = process.env.OPENAI_API_KEY;\nconsole.log(`key ${apiKey}`);\nconsole.log(process.env.OPENAI_API_KEY?.length, apiKey === undefined);\n";
    // `.length` of the key is no key: only the first line writes it.
    let spots = fired(
        LintRuleId::KeyInLogs,
        javascript::facts(js, Path::new("a.js")),
        &Project::default(),
    );
    assert_eq!(
        spots.len(),
        1,
        "{:?}",
        spots.iter().map(|s| &s.message).collect::<Vec<_>>()
    );
}

fn imports(facts: &FileFacts) -> Vec<(String, Runs)> {
    facts
        .facts
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Imported { module } => Some((module.clone(), f.runs)),
            _ => None,
        })
        .collect()
}

#[test]
fn imports_are_facts_that_run_in_their_place() {
    let python =
        "import os, app.llm\nfrom . import llm\nfrom ..config import settings, KEY\nfrom pkg import *\n";
    let names: Vec<String> = imports(&python::facts(python))
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(
        names,
        [
            "os",
            "app.llm",
            ".llm",
            "..config.settings",
            "..config.KEY",
            "pkg"
        ]
    );
    // ES imports and re-exports run first; require() and import() where written.
    let js = "const a = require('./a');\nexport * from './b.js';\nimport type { T } from './t';\nimport c from './c';\nconst d = await import('./d.mjs');\n";
    assert_eq!(
        imports(&javascript::facts(js, Path::new("m.mts"))),
        [
            ("./a".to_string(), Runs::InOrder),
            ("./b.js".to_string(), Runs::First),
            ("./c".to_string(), Runs::First),
            ("./d.mjs".to_string(), Runs::InOrder),
        ]
    );
    // Under `if __name__ == "__main__":` code runs only as the program.
    let guarded = python::facts("if __name__ == '__main__':\n    c = OpenAI()\nc = OpenAI()\n");
    let runs: Vec<Runs> = guarded
        .facts
        .iter()
        .filter(|f| matches!(f.kind, Kind::ClientMade { .. }))
        .map(|f| f.runs)
        .collect();
    assert_eq!(runs, [Runs::AsProgramOnly, Runs::InOrder]);
    // Its else runs on import; `if TYPE_CHECKING:` never runs.
    let branches = python::facts(
        "if __name__ == '__main__':\n    c = OpenAI()\nelse:\n    c = OpenAI()\nif TYPE_CHECKING:\n    import llm\n",
    );
    let runs: Vec<Runs> = branches
        .facts
        .iter()
        .filter(|f| matches!(f.kind, Kind::ClientMade { .. }))
        .map(|f| f.runs)
        .collect();
    assert_eq!(runs, [Runs::AsProgramOnly, Runs::InOrder]);
    assert!(imports(&branches).is_empty());
}

#[test]
fn imports_resolve_to_the_walked_files_python_and_node_would_run() {
    use super::imports::resolve_for_test as resolve;
    use crate::program::facts::Language::{JavaScript, Python};
    let tree = [
        "./app/main.py",
        "./app/llm.py",
        "./app/config/__init__.py",
        "./tools/util.py",
        "./web/server.ts",
        "./web/lib/openai.ts",
        "./web/lib/index.mjs",
        "./web/db.cjs",
    ];
    let at = |from: &str, language, name: &str| resolve(Path::new(from), language, name, &tree);
    let walked = |p: &str| Some(PathBuf::from(p));
    assert_eq!(at("./app/main.py", Python, "llm"), walked("./app/llm.py"));
    assert_eq!(at("./app/main.py", Python, ".llm"), walked("./app/llm.py"));
    assert_eq!(
        at("./app/main.py", Python, "app.llm.client"),
        walked("./app/llm.py")
    );
    assert_eq!(
        at("./app/main.py", Python, ".config.settings"),
        walked("./app/config/__init__.py")
    );
    assert_eq!(
        at("./app/llm.py", Python, "..tools.util"),
        walked("./tools/util.py")
    );
    assert_eq!(at("./app/main.py", Python, "openai"), None);
    // TypeScript's './lib/openai.js' is the .ts file; a folder is its index.
    assert_eq!(
        at("./web/server.ts", JavaScript, "./lib/openai.js"),
        walked("./web/lib/openai.ts")
    );
    assert_eq!(
        at("./web/server.ts", JavaScript, "./lib"),
        walked("./web/lib/index.mjs")
    );
    assert_eq!(
        at("./web/lib/openai.ts", JavaScript, "../db"),
        walked("./web/db.cjs")
    );
    // A package is never local, even where a folder has its name.
    assert_eq!(at("./web/server.ts", JavaScript, "lib"), None);
    // Absolute paths, and a walk given `./` or `..`, compare as the same file.
    let absolute = [
        "/srv/app/main.py",
        "/srv/app/llm.py",
        "/srv/web/a.mjs",
        "/srv/web/b.mjs",
    ];
    let at = |from: &str, language, name: &str| resolve(Path::new(from), language, name, &absolute);
    assert_eq!(
        at("/srv/web/a.mjs", JavaScript, "./b.mjs"),
        walked("/srv/web/b.mjs")
    );
    assert_eq!(
        at("/srv/web//a.mjs", JavaScript, "../web/./b.mjs"),
        walked("/srv/web/b.mjs")
    );
    assert_eq!(at("/srv/app/./main.py", Python, "llm"), walked("/srv/app/llm.py"));
}

#[test]
fn a_client_made_on_import_before_the_dotenv_is_loaded() {
    let lint_tree = |files: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let linted = super::lint(&super::Options {
            paths: vec![dir.path().to_path_buf()],
            ..super::Options::default()
        })
        .unwrap();
        linted
            .hits
            .iter()
            .map(|h| (h.path.file_name().unwrap().to_string_lossy().into_owned(), h.line))
            .collect::<Vec<_>>()
    };
    let llm = ("llm.py", "from openai import OpenAI\nclient = OpenAI()\n");
    // Imported first: the client read the environment before the load.
    let trap = (
        "main.py",
        "from llm import client\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    );
    assert_eq!(lint_tree(&[llm, trap]), [("main.py".to_string(), 1)]);
    // Through a module with no word of the screen in it.
    let middle = ("service.py", "from llm import client\n");
    let via = (
        "main.py",
        "import service\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    );
    assert_eq!(lint_tree(&[llm, middle, via]), [("main.py".to_string(), 1)]);
    // Loaded first, or by a module imported first, or by the module itself.
    let loaded = (
        "main.py",
        "from dotenv import load_dotenv\nload_dotenv()\nfrom llm import client\n",
    );
    assert!(lint_tree(&[llm, loaded]).is_empty());
    let config = ("config.py", "from dotenv import load_dotenv\nload_dotenv()\n");
    let after_config = (
        "main.py",
        "import config\nfrom llm import client\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    );
    assert!(lint_tree(&[llm, config, after_config]).is_empty());
    let own = (
        "llm.py",
        "from dotenv import load_dotenv\nload_dotenv()\nfrom openai import OpenAI\nclient = OpenAI()\n",
    );
    assert!(lint_tree(&[own, trap]).is_empty());
    // A client made only when the module is the program, or in a function.
    let guarded = (
        "llm.py",
        "from openai import OpenAI\nif __name__ == '__main__':\n    client = OpenAI()\ndef make():\n    return OpenAI()\n",
    );
    assert!(lint_tree(&[guarded, trap]).is_empty());
    // Modules that import each other: importing one being imported runs
    // nothing, and the program is not the module of its name, so b.py as
    // the program runs a, whose `import b` runs b's load_dotenv() before
    // a's client: no trap, whichever file is linted first.
    let a = ("a.py", "import b\nfrom openai import OpenAI\nclient = OpenAI()\n");
    let b = (
        "b.py",
        "import a\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    );
    assert!(lint_tree(&[a, b]).is_empty());
    // In an ES module the imports run first; import() after config() is the way.
    let js_llm = (
        "llm.mjs",
        "import OpenAI from 'openai';\nexport const client = new OpenAI();\n",
    );
    let late = (
        "app.mjs",
        "import dotenv from 'dotenv';\ndotenv.config();\nimport { client } from './llm.mjs';\n",
    );
    assert_eq!(lint_tree(&[js_llm, late]), [("app.mjs".to_string(), 3)]);
    let dynamic = (
        "app.mjs",
        "import dotenv from 'dotenv';\ndotenv.config();\nconst { client } = await import('./llm.mjs');\n",
    );
    assert!(lint_tree(&[js_llm, dynamic]).is_empty());
}

#[test]
fn openai_node_3_unless_the_project_installs_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.cjs");
    std::fs::write(
        &app,
        "const { Configuration: C, OpenAIApi } = require('openai');\nconst api = new OpenAIApi(new C({}));\n",
    )
    .unwrap();
    let rules = |dir: &Path| -> Vec<LintRuleId> {
        let options = super::Options {
            paths: vec![dir.to_path_buf()],
            ..super::Options::default()
        };
        super::lint(&options)
            .unwrap()
            .hits
            .iter()
            .map(|h| h.rule)
            .collect()
    };
    assert_eq!(
        rules(dir.path()),
        [LintRuleId::LegacyModuleApi, LintRuleId::LegacyModuleApi]
    );
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"dependencies": {"openai": "^3.3.0"}}"#,
    )
    .unwrap();
    assert!(rules(dir.path()).is_empty());
    // The lock says what is installed, whatever package.json asked for.
    std::fs::write(
        dir.path().join("package-lock.json"),
        r#"{"packages": {"node_modules/openai": {"version": "4.104.0"}}}"#,
    )
    .unwrap();
    assert_eq!(rules(dir.path()).len(), 2);
    // A class of that name from elsewhere is not the SDK's.
    let other = "const { Configuration } = require('./config');\nnew Configuration();\n";
    assert!(kinds(&javascript::facts(other, Path::new("a.js"))).is_empty());
}

#[test]
fn a_retry_around_a_call_whose_errors_are_caught() {
    let count = |source: &str| {
        fired(
            LintRuleId::RetryOnAuthError,
            python::facts(source),
            &Project::default(),
        )
        .len()
    };
    // The cookbook's pattern: every error is returned, none reaches tenacity.
    let swallowed = "@retry(stop=stop_after_attempt(3))\ndef ask(q):\n    try:\n        return client.chat.completions.create(messages=q)\n    except Exception as e:\n        print(e)\n        return e\n";
    assert_eq!(count(swallowed), 0);
    // Raised again, or caught too narrowly: tenacity sees the 401.
    let raised = swallowed.replace("        return e\n", "        raise\n");
    assert_eq!(count(&raised), 1);
    let narrow = swallowed.replace("except Exception", "except openai.RateLimitError");
    assert_eq!(count(&narrow), 1);
    // A call outside the try still escapes.
    let outside = format!("{swallowed}    return client.chat.completions.create(messages=q)\n");
    assert_eq!(count(&outside), 1);
}

#[test]
fn langchain_takes_an_empty_key_as_none() {
    let count = |source: &str| {
        fired(
            LintRuleId::EmptyKeyDefault,
            python::facts(source),
            &Project::default(),
        )
        .len()
    };
    let langchain = "from langchain_openai import AzureOpenAI, ChatOpenAI\nk = os.environ.get('AZURE_OPENAI_API_KEY', '')\nllm = AzureOpenAI(api_key=k)\nchat = ChatOpenAI(api_key=k)\n";
    assert_eq!(count(langchain), 0);
    // openai-python's own client sends the empty key as none.
    let sdk = "from openai import AzureOpenAI\nk = os.environ.get('AZURE_OPENAI_API_KEY', '')\nllm = AzureOpenAI(api_key=k)\n";
    assert_eq!(count(sdk), 1);
    // No client in the file: where the key goes is not seen.
    assert_eq!(count("k = os.getenv('OPENAI_API_KEY', '')\n"), 1);
}

#[test]
fn imports_that_wrap_chain_or_tangle() {
    let lint_tree = |files: &[(&str, String)]| {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let options = super::Options {
            paths: vec![dir.path().to_path_buf()],
            ..super::Options::default()
        };
        let linted = super::lint(&options).unwrap();
        let found: Vec<String> = linted
            .hits
            .iter()
            .map(|h| h.path.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        found
    };
    let entry = "from dotenv import load_dotenv\nimport x\nload_dotenv()\n".to_string();
    // A wrapper named after the package it wraps: `import openai` in it is
    // the package, not itself.
    let wrapper = "from openai import OpenAI\nclient = OpenAI()\n".to_string();
    let main =
        "from providers.openai import client\nfrom dotenv import load_dotenv\nload_dotenv()\n".to_string();
    assert_eq!(
        lint_tree(&[("providers/openai.py", wrapper), ("main.py", main)]),
        ["main.py"]
    );
    // The same answer whatever the files are called, with a cycle on the way.
    let llm = "import utils\nfrom openai import OpenAI\nclient = OpenAI()\n".to_string();
    let utils = "import helpers\n".to_string();
    let helpers = "import utils\n".to_string();
    for name in ["app.py", "main.py", "zz.py"] {
        let program = entry.replace("import x", "import llm");
        let tree = [
            (name, program),
            ("llm.py", llm.clone()),
            ("utils.py", utils.clone()),
            ("helpers.py", helpers.clone()),
        ];
        assert_eq!(lint_tree(&tree), [name], "{name}");
    }
    // A chain of 3,000 modules, none with a word of the screen, to the client.
    let mut chain: Vec<(String, String)> = (1..3000)
        .map(|i| (format!("m{i}.py"), format!("import m{}\n", i + 1)))
        .collect();
    chain.push((
        "m3000.py".into(),
        "from openai import OpenAI\nclient = OpenAI()\n".into(),
    ));
    chain.push(("main.py".into(), entry.replace("import x", "import m1")));
    let tree: Vec<(&str, String)> = chain.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    assert_eq!(lint_tree(&tree), ["main.py"]);
}

#[test]
fn the_load_moves_only_where_nothing_else_changes() {
    let fix_of = |name: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let options = super::Options {
            paths: vec![dir.path().to_path_buf()],
            ..super::Options::default()
        };
        let linted = super::lint(&options).unwrap();
        assert_eq!(linted.hits.len(), 1, "{text}");
        let fixed = linted.fixed(true);
        (
            linted.hits[0].fix.as_ref().map(|f| f.safe),
            fixed.first().map(|f| f.after.clone()),
        )
    };
    // Plain arguments, the import above: safe, and the file's line endings kept.
    let (safe, after) = fix_of(
        "a.py",
        "from dotenv import load_dotenv\r\nfrom openai import OpenAI\r\nclient = OpenAI()\r\nload_dotenv(override=True)",
    );
    assert_eq!(safe, Some(true));
    assert_eq!(
        after.as_deref(),
        Some(
            "from dotenv import load_dotenv\r\nfrom openai import OpenAI\r\nload_dotenv(override=True)\r\nclient = OpenAI()\r\n"
        )
    );
    let (safe, _) = fix_of(
        "a.cjs",
        "const dotenv = require(\"dotenv\");\nconst OpenAI = require(\"openai\");\nconst client = new OpenAI();\ndotenv.config({ path: \".env.local\" });\n",
    );
    assert_eq!(safe, Some(true));
    // No fix: a name set in between, another block crossed, two statements
    // on the line, the loader imported below the client (a comment is no import).
    for text in [
        "from dotenv import load_dotenv\nfrom openai import OpenAI\nclient = OpenAI()\nenv_path = '.env'\nload_dotenv(env_path)\n",
        "import os\nfrom dotenv import load_dotenv\nfrom openai import OpenAI\nif os.getenv('CI'):\n    client = OpenAI()\nif not os.getenv('CI'):\n    load_dotenv()\n",
        "from dotenv import load_dotenv\nfrom openai import OpenAI\nx = 1\nclient = OpenAI()\nload_dotenv(); print(x)\n",
        "# from dotenv import load_dotenv\nfrom openai import OpenAI\nclient = OpenAI()\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    ] {
        assert_eq!(fix_of("a.py", text), (None, None), "{text}");
    }
}
