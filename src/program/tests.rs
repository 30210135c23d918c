use std::path::Path;

use super::facts::{Argument, FileFacts, Kind, Value};
use super::{javascript, python};

fn text(t: &str) -> Value {
    Value::Text(t.into())
}

fn env(name: &str, default: Option<&str>, env_file: Option<&str>) -> Value {
    Value::Env {
        name: name.into(),
        default: default.map(String::from),
        env_file: env_file.map(String::from),
        required: false,
    }
}

fn required(name: &str, env_file: Option<&str>) -> Value {
    Value::Env {
        name: name.into(),
        default: None,
        env_file: env_file.map(String::from),
        required: true,
    }
}

fn arguments(facts: &FileFacts) -> Vec<(String, Value)> {
    facts
        .facts
        .iter()
        .find_map(|f| match &f.kind {
            Kind::ClientMade { arguments, .. } => Some(arguments.clone()),
            _ => None,
        })
        .unwrap_or_default()
        .into_iter()
        .map(|Argument { name, value, .. }| (name, value))
        .collect()
}

fn of(facts: &FileFacts, pick: impl Fn(&Kind) -> bool) -> Vec<&Kind> {
    facts.facts.iter().map(|f| &f.kind).filter(|k| pick(k)).collect()
}

#[test]
fn a_python_clients_arguments_are_read_as_values() {
    let facts = python::facts(
        r#"
import os
client = AzureOpenAI(
    api_key=os.getenv("AZURE_KEY", "none"),
    azure_endpoint="https://r.openai.azure.com/",
    api_version=API_VERSION,
    azure_ad_token_provider=lambda: "tok",
    organization=settings.org,
    http_client=httpx.Client(),
    **extra,
)
"#,
    );
    assert_eq!(
        arguments(&facts),
        vec![
            ("api_key".into(), env("AZURE_KEY", Some("none"), None)),
            ("azure_endpoint".into(), text("https://r.openai.azure.com/")),
            ("api_version".into(), Value::Name("API_VERSION".into())),
            (
                "azure_ad_token_provider".into(),
                Value::Returns(Box::new(text("tok")))
            ),
            ("organization".into(), Value::Name("org".into())),
            ("http_client".into(), Value::Other),
            ("**".into(), Value::Name("extra".into())),
        ]
    );
}

#[test]
fn python_dotenv_loading_models_and_names() {
    let facts = python::facts(
        r#"
from dotenv import load_dotenv, find_dotenv
load_dotenv("config/.env", override=True)
load_dotenv(find_dotenv())
MODEL = os.environ.get("OPENAI_MODEL") or "gpt-4o-mini"
client = OpenAI()
client.chat.completions.create(model=MODEL, messages=[])
llm = AzureChatOpenAI(azure_deployment="prod")
"#,
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::DotenvLoaded { .. })),
        vec![
            &Kind::DotenvLoaded {
                path: Some(text("config/.env")),
                overrides: true
            },
            &Kind::DotenvLoaded {
                path: None,
                overrides: false
            },
        ]
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::Assigned { .. })),
        vec![&Kind::Assigned {
            name: "MODEL".into(),
            value: env("OPENAI_MODEL", Some("gpt-4o-mini"), None),
        }]
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::ModelNamed { .. })),
        vec![
            &Kind::ModelNamed {
                value: Value::Name("MODEL".into()),
                deployment: false
            },
            &Kind::ModelNamed {
                value: text("prod"),
                deployment: true
            },
        ]
    );
}

#[test]
fn a_pydantic_settings_class_reads_each_field_from_the_environment() {
    let facts = python::facts(
        r#"
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")
    openai_api_key: SecretStr
    openai_model: str = "gpt-4o"
    base: str = Field("https://x/v1", alias="LLM_BASE_URL")

class Old(BaseSettings):
    key: str
    class Config:
        env_prefix = "app_"
"#,
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::Assigned { .. })),
        vec![
            &Kind::Assigned {
                name: "openai_api_key".into(),
                value: required("OPENAI_API_KEY", Some(".env")),
            },
            &Kind::Assigned {
                name: "openai_model".into(),
                value: env("OPENAI_MODEL", Some("gpt-4o"), Some(".env")),
            },
            &Kind::Assigned {
                name: "base".into(),
                value: env("LLM_BASE_URL", Some("https://x/v1"), Some(".env")),
            },
            &Kind::Assigned {
                name: "key".into(),
                value: required("APP_KEY", None),
            },
        ]
    );
}

#[test]
fn a_javascript_clients_options_are_read_as_values() {
    let facts = javascript::facts(
        r#"
import 'dotenv/config';
import { config } from 'dotenv';
config({ path: '.env.local', override: true });
const settings = { apiKey: process.env.OPENAI_KEY ?? '', model: 'gpt-4o' };
const client = new AzureOpenAI({
  apiKey: settings.apiKey,
  endpoint: `https://r.openai.azure.com/`,
  apiVersion: API_VERSION,
  azureADTokenProvider: async () => 'tok',
  ...rest,
});
await client.chat.completions.create({ model: settings.model, messages: [] });
"#,
        Path::new("a.mjs"),
    );
    assert_eq!(
        arguments(&facts),
        vec![
            ("apiKey".into(), Value::Name("apiKey".into())),
            ("endpoint".into(), text("https://r.openai.azure.com/")),
            ("apiVersion".into(), Value::Name("API_VERSION".into())),
            (
                "azureADTokenProvider".into(),
                Value::Returns(Box::new(text("tok")))
            ),
            ("...".into(), Value::Other),
        ]
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::DotenvLoaded { .. })),
        vec![
            &Kind::DotenvLoaded {
                path: None,
                overrides: false
            },
            &Kind::DotenvLoaded {
                path: Some(text(".env.local")),
                overrides: true
            },
        ]
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::Assigned { .. })),
        vec![
            &Kind::Assigned {
                name: "apiKey".into(),
                value: env("OPENAI_KEY", Some(""), None),
            },
            &Kind::Assigned {
                name: "model".into(),
                value: text("gpt-4o"),
            },
        ]
    );
    assert_eq!(
        of(&facts, |k| matches!(k, Kind::ModelNamed { .. })),
        vec![&Kind::ModelNamed {
            value: Value::Name("model".into()),
            deployment: false
        }]
    );
}

/// Reading `source` as `app.py` in a folder of its own.
fn read_one(source: &str) -> crate::vocab::program::Program {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.py");
    std::fs::write(&app, source).unwrap();
    super::read::read(&[app]).unwrap()
}

#[test]
fn a_load_is_before_the_client_by_the_order_that_runs() {
    // The seed's trap: made first, loaded after.
    let late = read_one(
        "from openai import OpenAI\nclient = OpenAI()\nfrom dotenv import load_dotenv\nload_dotenv()\n",
    );
    assert!(late.dotenv.is_none() && late.dotenv_too_late.is_some());
    // In one function, in its order.
    let inside = read_one("def main():\n    load_dotenv()\n    client = OpenAI()\n");
    assert!(inside.dotenv.is_some(), "{inside:?}");
    let inside_late = read_one("def main():\n    client = OpenAI()\n    load_dotenv()\n");
    assert!(inside_late.dotenv_too_late.is_some(), "{inside_late:?}");
    // A load at the top, a client in a function called later.
    let top = read_one("load_dotenv()\ndef make():\n    return OpenAI()\n");
    assert!(top.dotenv.is_some() && top.not_followed.is_empty(), "{top:?}");
    // Two functions: their order of calls decides, and that is said.
    let two = read_one("def setup():\n    load_dotenv()\ndef make():\n    return OpenAI()\n");
    assert!(two.dotenv.is_some(), "{two:?}");
    assert_eq!(two.not_followed.len(), 1, "{two:?}");
    // A client at the top, a load in a function: the client is made first.
    let main_late = read_one("client = OpenAI()\ndef main():\n    load_dotenv()\n");
    assert!(main_late.dotenv_too_late.is_some(), "{main_late:?}");
}

#[test]
fn the_models_read_are_the_openai_clients_own() {
    // Another library's call names its own model; an OpenAI resource's the client's.
    let program = read_one(
        "import anthropic, os\nfrom openai import OpenAI\nclient = OpenAI()\nclaude = anthropic.Anthropic()\nclaude.messages.create(model=\"claude-3-5-sonnet-latest\", messages=[])\nclient.chat.completions.create(model=os.getenv(\"OPENAI_MODEL\", \"gpt-4o\"), messages=[])\nclient.embeddings.create(model=\"text-embedding-3-small\", input=\"x\")\n",
    );
    let models: Vec<(&str, Option<&str>)> = program
        .models
        .iter()
        .map(|m| (m.id.as_str(), m.variable.as_deref()))
        .collect();
    assert_eq!(
        models,
        vec![("gpt-4o", Some("OPENAI_MODEL")), ("text-embedding-3-small", None)]
    );
    // A file that makes only another kind of client: its models are not the
    // followed client's.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "from openai import OpenAI\nclient = OpenAI()\nclient.responses.create(model=\"gpt-4.1\", input=\"x\")\n").unwrap();
    std::fs::write(dir.path().join("b.py"), "from openai import AzureOpenAI\naz = AzureOpenAI()\naz.chat.completions.create(model=\"my-deployment\", messages=[])\n").unwrap();
    let program = super::read::read(&[dir.path().join("a.py"), dir.path().join("b.py")]).unwrap();
    let ids: Vec<&str> = program.models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, vec!["gpt-4.1"], "{program:?}");
}
