//! The differential matrix: in each world a tiny program with the real
//! client (openai-python `OpenAI` and `AzureOpenAI`, openai-node `OpenAI`
//! and `AzureOpenAI`, langchain-openai `ChatOpenAI`) makes the one call it
//! would really make, and `doctor --client <matching> --format json` runs
//! in the same folder, with the same variables and `.env`, against the same
//! local servers. The verdict must answer "will this program succeed?":
//!
//! - doctor exit 0 ⇔ the program's call succeeded;
//! - unless success depends on something the doctor cannot see (a
//!   deployment it was not told, a key or token provider in code, whether
//!   the program loads its `.env`): then the report must say so — when it
//!   exits 0, in a JSON field of its own ([`UNSEEN_FIELDS`]) and in the
//!   human report; when it fails, in the checklist.
//!
//! Where the program's code holds the deciding fact (whether it loads its
//! `.env`, the deployment it calls, which client it makes, a key or token
//! provider in code), the world also runs `doctor app.py` — the program's
//! own file, with no `--client` and no `--model` — and there the agreement
//! must be exact: exit 0 exactly when the program succeeded, and nothing
//! left unseen ([`PROGRAM_DECIDES`]).
//!
//! Worlds where the doctor disagrees with the real client today are listed
//! in [`EXPECTED_TO_DISAGREE_TODAY`]: each entry is a known bug. A listed
//! world that starts agreeing fails the test too, so the list only shrinks.
//!
//! Everything stays on 127.0.0.1. OpenAI's own base URL is a local stand-in:
//! the doctor and Python reach it through a local CONNECT proxy
//! (`HTTPS_PROXY`) that tunnels to a local HTTPS front with a certificate for
//! api.openai.com from a CA made for the test (`SSL_CERT_FILE`); Node 20's
//! fetch reads no proxy variable, so the Node programs run with a guard that
//! sends a request for api.openai.com to the stand-in (and records that it
//! was meant for api.openai.com) and refuses any other host. The Python
//! programs run with a guard that refuses to resolve any name but
//! 127.0.0.1 and localhost. The guards are the harness's, not the world's.
//!
//! Run it with `--nocapture` to see the agreement table.

use crate::common::{self, Doctor, Server, fixture, json_response};
use crate::sdk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::raw::ConnectProxy;
use common::tls::TlsFront;
use serde_json::Value;
use wiremock::{Request, ResponseTemplate};

/// Worlds where the doctor's verdict disagrees with the real client on
/// current main. Each entry is a known bug to fix (issue 21); when it is
/// fixed, the world agrees, the test fails, and the entry is removed here.
const EXPECTED_TO_DISAGREE_TODAY: &[&str] = &[];

// The credentials of the worlds. The services accept the first of each pair.
const KEY: &str = common::KEY;
const REVOKED_KEY: &str =
    "sk-proj-Rv0kd1Key2That3The4Server5Refuses6T3BlbkFJLeftInTheShell7From8LastYear9Zz00";
const AZURE_KEY: &str = common::AZURE_KEY;
const OTHER_AZURE_KEY: &str = "9c2e0f4a6b8d1c3e5f7a9b0d2e4f6a8c";
/// An Entra ID token for the resource (expires in 2100).
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJl";
/// The same audience, expired in November 2023.
const EXPIRED_TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl";
/// Together's keys: 64 hexadecimal characters.
const TOGETHER_KEY: &str = "6a1f3c5e7b9d0f2a4c6e8b0d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a";
/// The organization the OpenAI key belongs to, and one it does not.
const ORG: &str = "org-Abc4Def5Ghi6Jkl7Mno8Pqr9";
const OTHER_ORG: &str = "org-Stu0Vwx1Yza2Bcd3Efg4Hij5";
/// The resource's one deployment, and the model name a program may use instead.
const DEPLOYMENT: &str = "gpt4o-prod";
const API_VERSION: &str = "2024-10-21";
const TOGETHER_MODEL: &str = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

const SECRETS: &[&str] = &[
    KEY,
    REVOKED_KEY,
    AZURE_KEY,
    OTHER_AZURE_KEY,
    TOKEN,
    EXPIRED_TOKEN,
    TOGETHER_KEY,
];

// ---------------------------------------------------------------------------
// The clients

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Client {
    Python,
    AzurePython,
    Node,
    AzureNode,
    LangChain,
}

impl Client {
    const ALL: [Client; 5] = [
        Client::Python,
        Client::AzurePython,
        Client::Node,
        Client::AzureNode,
        Client::LangChain,
    ];

    fn name(self) -> &'static str {
        match self {
            Client::Python => "python",
            Client::AzurePython => "azure-python",
            Client::Node => "node",
            Client::AzureNode => "azure-node",
            Client::LangChain => "langchain",
        }
    }

    /// The doctor's `--client` for it: both Azure clients are `azure`.
    fn doctor(self) -> &'static str {
        match self {
            Client::Python => "python",
            Client::AzurePython | Client::AzureNode => "azure",
            Client::Node => "node",
            Client::LangChain => "langchain",
        }
    }

    fn azure(self) -> bool {
        matches!(self, Client::AzurePython | Client::AzureNode)
    }

    fn node(self) -> bool {
        matches!(self, Client::Node | Client::AzureNode)
    }
}

/// The one call the program makes.
#[derive(Clone, Copy)]
enum Call {
    /// `models.list()` (LangChain: through `ChatOpenAI().root_client`).
    List,
    /// A chat completion to this model (Azure: this deployment; LangChain:
    /// `ChatOpenAI(model=…).invoke(…)`).
    Chat(&'static str),
}

// ---------------------------------------------------------------------------
// The services, each a function of the request

#[derive(Clone, Copy)]
enum Service {
    /// OpenAI's API: `KEY` of `ORG` authenticates; `quota: true` answers
    /// every authenticated request with 429 insufficient_quota. Outside
    /// `/v1` it is nginx's 404 page.
    OpenAi { quota: bool },
    /// An Azure OpenAI resource with the deployment `DEPLOYMENT`: `AZURE_KEY`
    /// in `api-key`, or `TOKEN` as a bearer token.
    Azure { rate_limited: bool },
    /// Together AI: `GET /v1/models` is a bare JSON array.
    Together,
    /// Ollama's OpenAI-compatible API: any key, or none.
    Ollama,
    /// vLLM's server (FastAPI): any key; a 404 is `{"detail":"Not Found"}`.
    Vllm,
    /// Nothing listens on the port.
    Refused,
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn bearer(request: &Request) -> Option<String> {
    header(request, "authorization").map(|a| a.strip_prefix("Bearer ").unwrap_or(&a).to_string())
}

fn body_model(request: &Request) -> String {
    request
        .body_json::<Value>()
        .ok()
        .and_then(|b| b["model"].as_str().map(String::from))
        .unwrap_or_default()
}

/// A chat completion in the shape of the API reference's example.
fn chat_completion(model: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1741570283,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "Hi!", "refusal": null, "annotations": []},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12},
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306"
    })
    .to_string()
}

/// What OpenAI echoes of a key it refused: the first 8 and last 4 characters.
fn refused(key: &str) -> ResponseTemplate {
    let shown = if key.len() > 12 {
        format!(
            "{}{}{}",
            &key[..8],
            "*".repeat(key.len() - 12),
            &key[key.len() - 4..]
        )
    } else {
        key.to_string()
    };
    let body = fixture("401_invalid_api_key.json").replace("sk-proj-****6789", &shown);
    json_response(401, &body)
}

const KNOWN_MODELS: &[&str] = &["gpt-4o-mini", "text-embedding-3-small"];

fn openai(quota: bool) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    move |request: &Request| {
        let path = request.url.path().to_string();
        let method = request.method.as_str().to_string();
        if !path.starts_with("/v1/") {
            return ResponseTemplate::new(404)
                .insert_header("content-type", "text/html")
                .set_body_string(fixture("404_not_found.html"));
        }
        match bearer(request).filter(|k| !k.is_empty()) {
            None => return json_response(401, &fixture("401_no_api_key.json")),
            Some(key) if key != KEY => return refused(&key),
            Some(_) => {}
        }
        if header(request, "openai-organization").is_some_and(|o| !o.is_empty() && o != ORG) {
            return json_response(401, &fixture("401_mismatched_organization.json"));
        }
        if quota {
            return json_response(429, &fixture("429_insufficient_quota.json"));
        }
        let not_found =
            |model: &str| json_response(404, &fixture("404_model_not_found.json").replace("gpt-x", model));
        match (method.as_str(), path.as_str()) {
            ("GET", "/v1/models") => json_response(200, &fixture("200_models.json")),
            ("GET", p) if p.starts_with("/v1/models/") => {
                let id = &p["/v1/models/".len()..];
                if KNOWN_MODELS.contains(&id) {
                    json_response(200, &fixture("200_model.json").replace("gpt-4o-mini", id))
                } else {
                    not_found(id)
                }
            }
            ("POST", "/v1/chat/completions") => {
                let model = body_model(request);
                if KNOWN_MODELS.contains(&model.as_str()) {
                    json_response(200, &chat_completion(&model))
                } else {
                    not_found(&model)
                }
            }
            _ => json_response(
                404,
                &serde_json::json!({"error": {
                    "message": format!("Invalid URL ({method} {path})"),
                    "type": "invalid_request_error", "param": null, "code": null
                }})
                .to_string(),
            ),
        }
    }
}

fn azure(rate_limited: bool) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    move |request: &Request| {
        let path = request.url.path().to_string();
        let resource_not_found = || json_response(404, &fixture("azure_404_resource_not_found.json"));
        let has_version = request.url.query_pairs().any(|(k, _)| k == "api-version");
        if !path.starts_with("/openai/") || !has_version {
            return resource_not_found();
        }
        match (header(request, "api-key"), bearer(request)) {
            (Some(key), _) if key == AZURE_KEY => {}
            (None, Some(token)) if token == TOKEN => {}
            (None, Some(_)) => return json_response(401, &fixture("azure_401_token.json")),
            (None, None) => {
                return json_response(
                    401,
                    r#"{"error":{"code":"401","message":"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."}}"#,
                );
            }
            (Some(_), _) => return json_response(401, &fixture("azure_401_invalid_key.json")),
        }
        let deployment = path
            .strip_prefix("/openai/deployments/")
            .and_then(|rest| rest.strip_suffix("/chat/completions"));
        match (request.method.as_str(), path.as_str(), deployment) {
            ("GET", "/openai/models", _) => json_response(200, &fixture("azure_200_models.json")),
            ("POST", _, Some(name)) if name != DEPLOYMENT => {
                json_response(404, &fixture("azure_404_deployment_not_found.json"))
            }
            ("POST", _, Some(_)) if rate_limited => json_response(
                429,
                &format!(
                    r#"{{"error":{{"code":"429","message": "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version {API_VERSION} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}}}"#
                ),
            )
            .insert_header("retry-after", "6"),
            ("POST", _, Some(_)) => {
                let empty = request
                    .body_json::<Value>()
                    .is_ok_and(|b| b["messages"].as_array().is_some_and(|m| m.is_empty()));
                if empty {
                    json_response(400, &fixture("azure_400_empty_messages.json"))
                } else {
                    json_response(200, &chat_completion("gpt-4o-2024-08-06"))
                }
            }
            _ => resource_not_found(),
        }
    }
}

fn together() -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    |request: &Request| {
        if bearer(request).as_deref() != Some(TOGETHER_KEY) {
            return json_response(
                401,
                r#"{"error":{"message":"Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
            );
        }
        match (request.method.as_str(), request.url.path()) {
            // Together's list: an array, not {"object":"list","data":[…]}.
            ("GET", "/v1/models") => json_response(
                200,
                &serde_json::json!([
                    {"id": TOGETHER_MODEL, "object": "model", "created": 1733443200, "type": "chat",
                     "display_name": "Meta Llama 3.3 70B Instruct Turbo", "organization": "Meta",
                     "link": "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct", "context_length": 131072,
                     "config": {"chat_template": null, "stop": ["<|eot_id|>"], "bos_token": null, "eos_token": null},
                     "pricing": {"hourly": 0, "input": 0.88, "output": 0.88, "base": 0, "finetune": 0}},
                    {"id": "BAAI/bge-large-en-v1.5", "object": "model", "created": 1705622400, "type": "embedding",
                     "display_name": "BAAI-Bge-Large-1p5", "organization": "BAAI", "context_length": 512,
                     "pricing": {"hourly": 0, "input": 0.02, "output": 0.02, "base": 0, "finetune": 0}}
                ])
                .to_string(),
            ),
            ("POST", "/v1/chat/completions") => json_response(200, &chat_completion(&body_model(request))),
            _ => json_response(404, r#"{"error":{"message":"Not Found","type":"invalid_request_error"}}"#),
        }
    }
}

fn ollama() -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    |request: &Request| match (request.method.as_str(), request.url.path()) {
        ("GET", "/v1/models") => json_response(
            200,
            r#"{"object":"list","data":[{"id":"llama3.2:latest","object":"model","created":1730000000,"owned_by":"library"}]}"#,
        ),
        ("POST", "/v1/chat/completions") => json_response(200, &chat_completion(&body_model(request))),
        _ => ResponseTemplate::new(404)
            .insert_header("content-type", "text/plain")
            .set_body_string("404 page not found"),
    }
}

fn vllm() -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    |request: &Request| match (request.method.as_str(), request.url.path()) {
        ("GET", "/v1/models") => json_response(
            200,
            r#"{"object":"list","data":[{"id":"Qwen/Qwen2.5-7B-Instruct","object":"model","created":1730000000,"owned_by":"vllm","root":"Qwen/Qwen2.5-7B-Instruct","parent":null,"max_model_len":32768}]}"#,
        ),
        ("POST", "/v1/chat/completions") => json_response(200, &chat_completion(&body_model(request))),
        _ => json_response(404, r#"{"detail":"Not Found"}"#),
    }
}

// ---------------------------------------------------------------------------
// The worlds

/// Something success depends on that the doctor cannot see, and the words
/// that name it: every group must be there, by one of its words
/// (case-insensitive).
#[derive(Clone, Copy)]
struct Unseen {
    what: &'static str,
    words: &'static [&'static [&'static str]],
}

const DEPLOYMENT_NOT_GIVEN: Unseen = Unseen {
    what: "the deployment the program calls (no --model)",
    words: &[&["deployment"], &["--model"]],
};
const TOKEN_PROVIDER_IN_CODE: Unseen = Unseen {
    what: "a token provider in the program's code",
    words: &[
        &[
            "token provider",
            "azure_ad_token_provider",
            "azureADTokenProvider",
        ],
        &["--azure-ad-token-stdin"],
    ],
};
const NODE_AZURE: Unseen = Unseen {
    what: "whether the program's AzureOpenAI is openai-node's, which reads its settings otherwise",
    words: &[&["openai-node"], &["OPENAI_BASE_URL", "AZURE_OPENAI_AD_TOKEN"]],
};
const WHICH_CLIENT: Unseen = Unseen {
    what: "which client the program makes, OpenAI() or AzureOpenAI()",
    words: &[&["--client azure"]],
};
const KEY_IN_CODE: Unseen = Unseen {
    what: "a key passed in the program's code",
    words: &[&["api_key="], &["--api-key-stdin"]],
};
const LOADS_DOTENV: Unseen = Unseen {
    what: "whether the program loads its .env (load_dotenv())",
    words: &[&["load_dotenv("]],
};
const LOADS_DOTENV_NODE: Unseen = Unseen {
    what: "whether the program loads its .env (require('dotenv').config())",
    words: &[&["dotenv.config(", "dotenv').config(", "--env-file", "loadEnvFile("]],
};

/// The unseen conditions the program's code decides, so that a world with
/// one of them also runs `doctor app.py` (`app.js`: there openai-node's
/// `AzureOpenAI` is told from openai-python's by the language).
const PROGRAM_DECIDES: &[&str] = &[
    NODE_AZURE.what,
    DEPLOYMENT_NOT_GIVEN.what,
    TOKEN_PROVIDER_IN_CODE.what,
    WHICH_CLIENT.what,
    KEY_IN_CODE.what,
    LOADS_DOTENV.what,
    LOADS_DOTENV_NODE.what,
];

/// What the program must do in the world: the harness's own check that
/// the world is what it says (a world whose valid key fails is broken).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Works,
    Fails,
}

/// One world. Variable values and the `.env` may hold placeholders filled
/// in when the world runs: `{base}` (the service, `http://127.0.0.1:P/v1`),
/// `{root}` (`http://127.0.0.1:P`), `{endpoint}` (`http://127.0.0.1:P/`),
/// `{tls}` (the service behind HTTPS, `https://127.0.0.1:F/v1`), `{closed}`
/// (a refused port, `/v1`), `{refused}` (the same, bare), `{standin}` (the api.openai.com stand-in over
/// plain HTTP, `/v1`), `{proxy}` (the CONNECT proxy to the stand-in) and
/// `{ca}` (the test CA's PEM file).
struct World {
    name: String,
    client: Client,
    service: Service,
    env: Vec<(&'static str, String)>,
    /// The `.env` (in the home folder) and whether the program loads it
    /// (`load_dotenv()`, `require('dotenv').config()`).
    dotenv: Option<(String, bool)>,
    /// The folder the program and the doctor run in, under the home folder.
    dir: Option<&'static str>,
    /// Arguments the program's code passes to the client's constructor.
    code: String,
    call: Call,
    /// The doctor is given `--model` for a chat call, as a user who knows
    /// it would; false where the program names it only in code.
    model_flag: bool,
    /// `--client` is given (false: the doctor infers it).
    client_flag: bool,
    unseen: Option<Unseen>,
    expect: Expect,
    /// A text the line of the program's request must hold (where it went).
    sent_to: Option<&'static str>,
    /// The program's code holds the deciding fact: `doctor app.py` runs too.
    program_decides: bool,
}

fn world(client: Client, name: &str, service: Service, expect: Expect) -> World {
    World {
        name: format!("{}: {name}", client.name()),
        client,
        service,
        env: vec![],
        dotenv: None,
        dir: None,
        code: String::new(),
        call: if client.azure() {
            Call::Chat(DEPLOYMENT)
        } else {
            Call::List
        },
        model_flag: true,
        client_flag: true,
        unseen: None,
        expect,
        sent_to: None,
        program_decides: false,
    }
}

impl World {
    fn env(mut self, name: &'static str, value: &str) -> Self {
        self.env.push((name, value.to_string()));
        self
    }

    fn dotenv(mut self, text: &str, loads: bool) -> Self {
        self.dotenv = Some((text.to_string(), loads));
        self
    }

    fn in_dir(mut self, dir: &'static str) -> Self {
        self.dir = Some(dir);
        self
    }

    fn code(mut self, code: &str) -> Self {
        self.code = code.to_string();
        self
    }

    fn call(mut self, call: Call) -> Self {
        self.call = call;
        self
    }

    fn no_model_flag(mut self) -> Self {
        self.model_flag = false;
        self
    }

    fn no_client_flag(mut self) -> Self {
        self.client_flag = false;
        self
    }

    fn unseen(mut self, unseen: Unseen) -> Self {
        self.program_decides |= PROGRAM_DECIDES.contains(&unseen.what);
        self.unseen = Some(unseen);
        self
    }

    /// What decides is in the program's code, though the doctor without it
    /// is told the same by a flag (`--model`).
    fn program_decides(mut self) -> Self {
        self.program_decides = true;
        self
    }

    fn sent_to(mut self, text: &'static str) -> Self {
        self.sent_to = Some(text);
        self
    }

    /// The variables an OpenAI program is set up with: the key and the base URL.
    fn openai_env(self, key: &str) -> Self {
        self.env("OPENAI_API_KEY", key).env("OPENAI_BASE_URL", "{base}")
    }

    /// The variables an Azure program is set up with.
    fn azure_env(self, key: &str) -> Self {
        self.env("AZURE_OPENAI_API_KEY", key)
            .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
            .env("OPENAI_API_VERSION", API_VERSION)
    }

    /// OpenAI's own base URL, reached as the stand-in (see the module).
    fn through_standin(self) -> Self {
        self.env("HTTPS_PROXY", "{proxy}").env("SSL_CERT_FILE", "{ca}")
    }
}

/// The same eight worlds for every client: a valid key, a revoked key, no
/// credit, a model (deployment) that does not exist, another organization,
/// an empty key, no key, a base URL without its path.
fn baselines(client: Client) -> Vec<World> {
    use Expect::*;
    if client.azure() {
        let ok = Service::Azure { rate_limited: false };
        return vec![
            world(client, "a valid key", ok, Works).azure_env(AZURE_KEY),
            world(client, "another resource's key (401)", ok, Fails).azure_env(OTHER_AZURE_KEY),
            world(
                client,
                "rate limited (429)",
                Service::Azure { rate_limited: true },
                Fails,
            )
            .azure_env(AZURE_KEY),
            world(
                client,
                "a deployment that does not exist, given to --model (404)",
                ok,
                Fails,
            )
            .azure_env(AZURE_KEY)
            .call(Call::Chat("gpt-4o")),
            // Azure ignores OpenAI-Organization.
            world(client, "an OpenAI organization left set", ok, Works)
                .azure_env(AZURE_KEY)
                .env("OPENAI_ORG_ID", OTHER_ORG),
            world(client, "an empty AZURE_OPENAI_API_KEY", ok, Fails).azure_env(""),
            world(client, "no key", ok, Fails)
                .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
                .env("OPENAI_API_VERSION", API_VERSION),
            world(
                client,
                "an endpoint that already holds /openai/v1 (404)",
                ok,
                Fails,
            )
            .env("AZURE_OPENAI_API_KEY", AZURE_KEY)
            .env("AZURE_OPENAI_ENDPOINT", "{root}/openai/v1/")
            .env("OPENAI_API_VERSION", API_VERSION),
        ];
    }
    let ok = Service::OpenAi { quota: false };
    vec![
        world(client, "a valid key", ok, Works).openai_env(KEY),
        world(client, "a revoked key (401)", ok, Fails).openai_env(REVOKED_KEY),
        world(
            client,
            "no credit (429 insufficient_quota)",
            Service::OpenAi { quota: true },
            Fails,
        )
        .openai_env(KEY),
        world(
            client,
            "a model that does not exist, given to --model (404)",
            ok,
            Fails,
        )
        .openai_env(KEY)
        .call(Call::Chat("gpt-x")),
        world(client, "an organization the key is not in (401)", ok, Fails)
            .openai_env(KEY)
            .env("OPENAI_ORG_ID", OTHER_ORG),
        world(client, "an empty OPENAI_API_KEY", ok, Fails).openai_env(""),
        world(client, "no key", ok, Fails).env("OPENAI_BASE_URL", "{base}"),
        world(client, "a base URL without /v1 (nginx 404)", ok, Fails)
            .env("OPENAI_API_KEY", KEY)
            .env("OPENAI_BASE_URL", "{root}"),
    ]
}

fn worlds() -> Vec<World> {
    use Client::*;
    use Expect::*;
    let openai = Service::OpenAi { quota: false };
    let resource = Service::Azure { rate_limited: false };
    let key_line = format!("OPENAI_API_KEY={KEY}\n");
    let azure_dotenv = format!(
        "AZURE_OPENAI_API_KEY={AZURE_KEY}\nAZURE_OPENAI_ENDPOINT={{endpoint}}\nOPENAI_API_VERSION={API_VERSION}\n"
    );
    let mut all: Vec<World> = Client::ALL.into_iter().flat_map(baselines).collect();
    all.extend([
        // 1. Green while the program fails.
        world(Python, "OPENAI_BASE_URL is empty", openai, Fails)
            .env("OPENAI_API_KEY", KEY)
            .env("OPENAI_BASE_URL", "")
            .through_standin(),
        world(
            Node,
            "the key only in .env, a program that loads no dotenv",
            openai,
            Fails,
        )
        .env("OPENAI_BASE_URL", "{base}")
        .dotenv(&key_line, false)
        .unseen(LOADS_DOTENV_NODE),
        world(
            AzurePython,
            "a deployment named in code that does not exist, no --model",
            resource,
            Fails,
        )
        .azure_env(AZURE_KEY)
        .call(Call::Chat("gpt-4o"))
        .no_model_flag()
        .unseen(DEPLOYMENT_NOT_GIVEN),
        world(
            AzureNode,
            "a deployment named in code that does not exist, no --model",
            resource,
            Fails,
        )
        .azure_env(AZURE_KEY)
        .call(Call::Chat("gpt-4o"))
        .no_model_flag()
        .unseen(DEPLOYMENT_NOT_GIVEN),
        // openai-node's AzureOpenAI reads OPENAI_BASE_URL before the endpoint.
        world(
            AzureNode,
            "a leftover OPENAI_BASE_URL=https://api.openai.com/v1",
            resource,
            Fails,
        )
        .azure_env(AZURE_KEY)
        .env("OPENAI_BASE_URL", "https://api.openai.com/v1")
        .through_standin()
        .sent_to("api.openai.com")
        .unseen(NODE_AZURE),
        world(
            AzurePython,
            "a leftover OPENAI_BASE_URL=https://api.openai.com/v1",
            resource,
            Works,
        )
        .azure_env(AZURE_KEY)
        .env("OPENAI_BASE_URL", "https://api.openai.com/v1")
        .through_standin()
        .sent_to("local POST /openai/deployments/"),
        // The OpenAI key is valid at api.openai.com (its stand-in).
        world(
            AzurePython,
            "a valid OPENAI_API_KEY in the shell, a wrong AZURE_OPENAI_API_KEY",
            resource,
            Fails,
        )
        .azure_env(OTHER_AZURE_KEY)
        .env("OPENAI_API_KEY", KEY)
        .through_standin(),
        world(
            AzurePython,
            "a valid OPENAI_API_KEY in the shell, a wrong AZURE_OPENAI_API_KEY, no --client",
            resource,
            Fails,
        )
        .azure_env(OTHER_AZURE_KEY)
        .env("OPENAI_API_KEY", KEY)
        .no_client_flag()
        .no_model_flag()
        .through_standin()
        .unseen(WHICH_CLIENT),
        world(
            AzureNode,
            "a valid OPENAI_API_KEY in the shell, a wrong AZURE_OPENAI_API_KEY",
            resource,
            Fails,
        )
        .azure_env(OTHER_AZURE_KEY)
        .env("OPENAI_API_KEY", KEY)
        .through_standin(),
        // The pairs that show what the doctor cannot know.
        world(AzurePython, "the deployment exists, no --model", resource, Works)
            .azure_env(AZURE_KEY)
            .no_model_flag()
            .unseen(DEPLOYMENT_NOT_GIVEN),
        world(
            Node,
            "the key only in .env, require('dotenv').config()",
            openai,
            Works,
        )
        .env("OPENAI_BASE_URL", "{base}")
        .dotenv(&key_line, true)
        .unseen(LOADS_DOTENV_NODE),
        world(Python, "the key only in .env, load_dotenv()", openai, Works)
            .env("OPENAI_BASE_URL", "{base}")
            .dotenv(&key_line, true)
            .unseen(LOADS_DOTENV),
        world(Python, "the key only in .env, no load_dotenv()", openai, Fails)
            .env("OPENAI_BASE_URL", "{base}")
            .dotenv(&key_line, false)
            .unseen(LOADS_DOTENV),
        world(
            Python,
            "the key in a parent folder's .env, load_dotenv()",
            openai,
            Works,
        )
        .env("OPENAI_BASE_URL", "{base}")
        .dotenv(&key_line, true)
        .in_dir("app")
        .unseen(LOADS_DOTENV),
        // 2. Azure credentials.
        world(
            AzurePython,
            "the three Azure variables only in .env, load_dotenv()",
            resource,
            Works,
        )
        .dotenv(&azure_dotenv, true)
        .unseen(LOADS_DOTENV),
        world(
            AzurePython,
            "the three Azure variables only in .env, load_dotenv(), no --client",
            resource,
            Works,
        )
        .dotenv(&azure_dotenv, true)
        .no_client_flag()
        .through_standin()
        .unseen(LOADS_DOTENV),
        world(
            AzureNode,
            "the three Azure variables only in .env, require('dotenv').config()",
            resource,
            Works,
        )
        .dotenv(&azure_dotenv, true)
        .unseen(LOADS_DOTENV_NODE),
        world(
            AzurePython,
            "an Entra ID token in AZURE_OPENAI_AD_TOKEN",
            resource,
            Works,
        )
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION),
        // openai-node's AzureOpenAI reads no AZURE_OPENAI_AD_TOKEN.
        world(
            AzureNode,
            "an Entra ID token in AZURE_OPENAI_AD_TOKEN",
            resource,
            Fails,
        )
        .env("AZURE_OPENAI_AD_TOKEN", TOKEN)
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION)
        .unseen(NODE_AZURE),
        world(
            AzurePython,
            "an expired Entra ID token in AZURE_OPENAI_AD_TOKEN",
            resource,
            Fails,
        )
        .env("AZURE_OPENAI_AD_TOKEN", EXPIRED_TOKEN)
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION),
        world(
            AzurePython,
            "a token provider in code (azure_ad_token_provider=)",
            resource,
            Works,
        )
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION)
        .code(&format!("azure_ad_token_provider=lambda: \"{TOKEN}\""))
        .unseen(TOKEN_PROVIDER_IN_CODE),
        world(
            AzureNode,
            "a token provider in code (azureADTokenProvider)",
            resource,
            Works,
        )
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION)
        .code(&format!("azureADTokenProvider: async () => '{TOKEN}'"))
        .unseen(TOKEN_PROVIDER_IN_CODE),
        // 3. Node.
        world(
            Node,
            "the key in a parent folder's .env, require('dotenv').config()",
            openai,
            Fails,
        )
        .env("OPENAI_BASE_URL", "{base}")
        .dotenv(&key_line, true)
        .in_dir("app"),
        // Not here: Node with an empty OPENAI_BASE_URL, which falls back to
        // api.openai.com — under --client node the doctor goes there
        // directly, as Node does (no proxy), and so would leave the machine.
        world(
            Node,
            "NODE_EXTRA_CA_CERTS names the HTTPS server's CA",
            openai,
            Works,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_BASE_URL", "{tls}")
        .env("NODE_EXTRA_CA_CERTS", "{ca}"),
        world(Python, "SSL_CERT_FILE names the HTTPS server's CA", openai, Works)
            .env("OPENAI_API_KEY", KEY)
            .env("OPENAI_BASE_URL", "{tls}")
            .env("SSL_CERT_FILE", "{ca}"),
        // Node keeps its bundled roots: SSL_CERT_FILE is not for it.
        world(
            Node,
            "SSL_CERT_FILE alone names the HTTPS server's CA",
            openai,
            Fails,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_BASE_URL", "{tls}")
        .env("SSL_CERT_FILE", "{ca}"),
        world(
            AzurePython,
            "AZURE_OPENAI_API_KEY only in .env, no load_dotenv()",
            resource,
            Fails,
        )
        .env("AZURE_OPENAI_ENDPOINT", "{endpoint}")
        .env("OPENAI_API_VERSION", API_VERSION)
        .dotenv(&format!("AZURE_OPENAI_API_KEY={AZURE_KEY}\n"), false)
        .unseen(LOADS_DOTENV),
        // openai-node's AzureOpenAI reads no token variable.
        world(
            AzureNode,
            "an empty AZURE_OPENAI_AD_TOKEN beside a good key",
            resource,
            Works,
        )
        .azure_env(AZURE_KEY)
        .env("AZURE_OPENAI_AD_TOKEN", "")
        .unseen(NODE_AZURE),
        // 4. LangChain.
        world(
            LangChain,
            "OPENAI_API_BASE wins over a refused OPENAI_BASE_URL",
            openai,
            Works,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_API_BASE", "{base}")
        .env("OPENAI_BASE_URL", "{closed}"),
        world(
            LangChain,
            "a refused OPENAI_API_BASE over a good OPENAI_BASE_URL",
            openai,
            Fails,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_API_BASE", "{closed}")
        .env("OPENAI_BASE_URL", "{base}"),
        world(
            LangChain,
            "OPENAI_ORGANIZATION names another organization",
            openai,
            Fails,
        )
        .openai_env(KEY)
        .env("OPENAI_ORGANIZATION", OTHER_ORG),
        world(
            LangChain,
            "OPENAI_ORG_ID wins over a stale OPENAI_ORGANIZATION",
            openai,
            Works,
        )
        .openai_env(KEY)
        .env("OPENAI_ORG_ID", ORG)
        .env("OPENAI_ORGANIZATION", OTHER_ORG),
        world(
            LangChain,
            "a key in code (api_key=), a revoked key in the environment",
            openai,
            Works,
        )
        .openai_env(REVOKED_KEY)
        .code(&format!("api_key=\"{KEY}\""))
        .unseen(KEY_IN_CODE),
        // langchain-openai builds its own TLS context for OPENAI_PROXY.
        // Unless HTTPS_PROXY is set too: httpx's mount for it (https://)
        // outranks langchain-openai's (all://), and honours SSL_CERT_FILE.
        world(
            LangChain,
            "OPENAI_PROXY and HTTPS_PROXY, SSL_CERT_FILE naming the CA",
            openai,
            Works,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_PROXY", "{proxy}")
        .through_standin(),
        world(
            LangChain,
            "HTTPS_PROXY outranks a refused OPENAI_PROXY",
            openai,
            Works,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_PROXY", "{refused}")
        .through_standin(),
        world(
            LangChain,
            "OPENAI_PROXY alone, SSL_CERT_FILE naming the CA",
            openai,
            Fails,
        )
        .env("OPENAI_API_KEY", KEY)
        .env("OPENAI_PROXY", "{proxy}")
        .env("SSL_CERT_FILE", "{ca}"),
        world(LangChain, "OPENAI_PROXY alone, the CA nowhere", openai, Fails)
            .env("OPENAI_API_KEY", KEY)
            .env("OPENAI_PROXY", "{proxy}"),
        // The model the code calls, on OpenAI's own API (its stand-in):
        // `doctor app.py` tries it without being told.
        world(
            Python,
            "a model named in code that does not exist (OpenAI's API)",
            openai,
            Fails,
        )
        .env("OPENAI_API_KEY", KEY)
        .through_standin()
        .call(Call::Chat("gpt-5-turbo"))
        .program_decides(),
        world(
            Python,
            "a model named in code that exists (OpenAI's API)",
            openai,
            Works,
        )
        .env("OPENAI_API_KEY", KEY)
        .through_standin()
        .call(Call::Chat("gpt-4o-mini"))
        .program_decides(),
        world(
            LangChain,
            "a model named in code that does not exist (OpenAI's API)",
            openai,
            Fails,
        )
        .env("OPENAI_API_KEY", KEY)
        .through_standin()
        .call(Call::Chat("gpt-5-turbo"))
        .program_decides(),
        // 5. Gateways and local servers.
        // A program calls the model; openai-python's models.list() cannot
        // read Together's bare array ('list' object has no attribute
        // '_set_private_attributes'), openai-node's can.
        world(
            Node,
            "Together's bare JSON array, models.list()",
            Service::Together,
            Works,
        )
        .openai_env(TOGETHER_KEY),
        world(LangChain, "Together, a chat completion", Service::Together, Works)
            .openai_env(TOGETHER_KEY)
            .call(Call::Chat(TOGETHER_MODEL))
            .no_model_flag(),
        world(Python, "Together, a chat completion", Service::Together, Works)
            .openai_env(TOGETHER_KEY)
            .call(Call::Chat(TOGETHER_MODEL))
            .no_model_flag(),
        world(
            Python,
            "a local server that takes any key (Ollama)",
            Service::Ollama,
            Works,
        )
        .openai_env("ollama"),
        world(
            Node,
            "a local server that takes any key (Ollama)",
            Service::Ollama,
            Works,
        )
        .openai_env("ollama"),
        world(
            LangChain,
            "a local server that takes any key (Ollama)",
            Service::Ollama,
            Works,
        )
        .openai_env("ollama"),
        world(
            Python,
            "a local server that takes any key, no key set (Ollama)",
            Service::Ollama,
            Fails,
        )
        .env("OPENAI_BASE_URL", "{base}"),
        world(
            Python,
            "a local server's base URL without /v1 (vLLM)",
            Service::Vllm,
            Fails,
        )
        .env("OPENAI_API_KEY", "EMPTY")
        .env("OPENAI_BASE_URL", "{root}"),
        world(
            Node,
            "a local server's base URL without /v1 (vLLM)",
            Service::Vllm,
            Fails,
        )
        .env("OPENAI_API_KEY", "EMPTY")
        .env("OPENAI_BASE_URL", "{root}"),
        world(Python, "a refused local port", Service::Refused, Fails).openai_env(KEY),
        world(Node, "a refused local port", Service::Refused, Fails).openai_env(KEY),
        world(LangChain, "a refused local port", Service::Refused, Fails).openai_env(KEY),
        world(AzurePython, "a refused local port", Service::Refused, Fails).azure_env(AZURE_KEY),
    ]);
    all
}

// ---------------------------------------------------------------------------
// Running a world

/// The servers of one world.
struct Place {
    /// The world's service; None when its port is refused.
    service: Option<Server>,
    /// The stand-in for api.openai.com.
    standin: Server,
    front: TlsFront,
    proxy: ConnectProxy,
    closed: u16,
}

impl Place {
    fn start(service: Service) -> Place {
        let server = match service {
            Service::Refused => None,
            service => {
                let server = Server::start();
                match service {
                    Service::OpenAi { quota } => server.serve(openai(quota)),
                    Service::Azure { rate_limited } => server.serve(azure(rate_limited)),
                    Service::Together => server.serve(together()),
                    Service::Ollama => server.serve(ollama()),
                    Service::Vllm => server.serve(vllm()),
                    Service::Refused => unreachable!(),
                }
                Some(server)
            }
        };
        let closed = common::closed_port();
        let standin = Server::start();
        standin.serve(openai(false));
        let port = server.as_ref().map_or(closed, Server::port);
        let front = TlsFront::start(
            &["api.openai.com", "127.0.0.1", "localhost"],
            vec![("api.openai.com".into(), standin.port())],
            port,
        );
        let proxy = ConnectProxy::tunnelling_to(front.port);
        Place {
            service: server,
            standin,
            front,
            proxy,
            closed,
        }
    }

    fn port(&self) -> u16 {
        self.service.as_ref().map_or(self.closed, Server::port)
    }

    /// A world's text with its placeholders filled in, for a run whose home is `home`.
    fn fill(&self, text: &str, home: &Path) -> String {
        let port = self.port();
        text.replace("{base}", &format!("http://127.0.0.1:{port}/v1"))
            .replace("{root}", &format!("http://127.0.0.1:{port}"))
            .replace("{endpoint}", &format!("http://127.0.0.1:{port}/"))
            .replace("{tls}", &format!("https://127.0.0.1:{}/v1", self.front.port))
            .replace("{closed}", &format!("http://127.0.0.1:{}/v1", self.closed))
            .replace("{refused}", &format!("http://127.0.0.1:{}", self.closed))
            .replace(
                "{standin}",
                &format!("http://127.0.0.1:{}/v1", self.standin.port()),
            )
            .replace("{proxy}", &format!("http://127.0.0.1:{}", self.proxy.port))
            .replace("{ca}", home.join("ca.pem").to_str().unwrap())
    }

    /// Every request so far, as `local METHOD /path` or `api.openai.com METHOD /path`.
    fn requests(&self) -> (Vec<String>, Vec<String>) {
        let line = |r: &Request| format!("{} {}", r.method, r.url.path());
        (
            self.service
                .as_ref()
                .map(|s| s.requests().iter().map(line).collect())
                .unwrap_or_default(),
            self.standin.requests().iter().map(line).collect(),
        )
    }
}

/// The world's variables must keep every run on this machine: each base
/// URL they name is on 127.0.0.1, or HTTPS goes through the local proxy.
fn assert_stays_local(world: &World) {
    let through_proxy = world.env.iter().any(|(k, v)| {
        v == "{proxy}" && (*k == "HTTPS_PROXY" || (*k == "OPENAI_PROXY" && world.client == Client::LangChain))
    });
    let is_base = |name: &str| {
        matches!(
            name,
            "OPENAI_BASE_URL" | "OPENAI_API_BASE" | "AZURE_OPENAI_ENDPOINT"
        )
    };
    let from_dotenv = world.dotenv.iter().flat_map(|(text, _)| {
        text.lines()
            .filter_map(|line| line.split_once('='))
            .filter(|(name, _)| is_base(name))
            .map(|(_, value)| value.to_string())
    });
    let bases: Vec<String> = world
        .env
        .iter()
        .filter(|(name, _)| is_base(name))
        .map(|(_, value)| value.clone())
        .chain(from_dotenv)
        .collect();
    // A placeholder is always a port on 127.0.0.1.
    // Without --client, the doctor may follow openai-python's rules and
    // OpenAI's base URL: only through the proxy.
    let local = world.client_flag && !bases.is_empty() && bases.iter().all(|v| v.starts_with('{'));
    assert!(
        through_proxy || local,
        "harness: the world {:?} could send a request off this machine",
        world.name
    );
}

/// The Node guard (see the module): loaded with `node -r` before the program.
fn node_guard() -> &'static Path {
    static GUARD: OnceLock<PathBuf> = OnceLock::new();
    GUARD.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("agreement");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("guard.js");
        std::fs::write(
            &path,
            r#"// The harness's guard: nothing leaves 127.0.0.1. A request for
// api.openai.com goes to its local stand-in, and says so on stderr.
const real = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
  if (url.hostname === '127.0.0.1') return real.call(this, input, init);
  console.error('guard: a request for ' + url.href);
  const standin = process.env.AGREEMENT_STANDIN;
  if (url.hostname === 'api.openai.com' && standin) {
    return real.call(this, standin + url.pathname + url.search, init);
  }
  return Promise.reject(new TypeError('fetch failed (guard: ' + url.host + ' is not on this machine)'));
};
"#,
        )
        .unwrap();
        path
    })
}

const PYTHON_GUARD: &str = r#"import socket as _socket
_resolve = _socket.getaddrinfo
def _guard(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in ("127.0.0.1", "localhost"):
        raise _socket.gaierror(_socket.EAI_NONAME, "guard: %s is not on this machine" % name)
    return _resolve(host, *args, **kwargs)
_socket.getaddrinfo = _guard
"#;

/// The program's file name in the world's folder.
fn program_file(world: &World) -> &'static str {
    if world.client.node() { "app.js" } else { "app.py" }
}

/// The program's source, and the interpreter that runs it (and the
/// arguments before the file).
fn program(world: &World) -> (String, PathBuf, Vec<String>) {
    let loads = world.dotenv.as_ref().is_some_and(|(_, loads)| *loads);
    let sep = if world.code.is_empty() { "" } else { ", " };
    let code = &world.code;
    match world.client {
        Client::Python | Client::AzurePython | Client::LangChain => {
            let load = if loads {
                "from dotenv import load_dotenv\nload_dotenv()\n"
            } else {
                ""
            };
            let messages = r#"[{"role": "user", "content": "Say hi"}]"#;
            let (make, call) = match (world.client, world.call) {
                (Client::LangChain, Call::List) => (
                    format!(
                        "from langchain_openai import ChatOpenAI\n    c = ChatOpenAI(max_retries=0{sep}{code})"
                    ),
                    "c.root_client.models.list()".to_string(),
                ),
                (Client::LangChain, Call::Chat(model)) => (
                    format!(
                        "from langchain_openai import ChatOpenAI\n    c = ChatOpenAI(model={model:?}, max_retries=0{sep}{code})"
                    ),
                    "c.invoke(\"Say hi\")".to_string(),
                ),
                (client, call) => {
                    let class = if client == Client::AzurePython {
                        "AzureOpenAI"
                    } else {
                        "OpenAI"
                    };
                    let call = match call {
                        Call::List => "c.models.list()".to_string(),
                        Call::Chat(model) => {
                            format!("c.chat.completions.create(model={model:?}, messages={messages})")
                        }
                    };
                    (
                        format!("import openai\n    c = openai.{class}(max_retries=0{sep}{code})"),
                        call,
                    )
                }
            };
            let python = if world.client == Client::LangChain {
                sdk::langchain()
            } else {
                sdk::python()
            };
            (
                format!(
                    "{PYTHON_GUARD}{load}try:\n    {make}\n    {call}\n    print(\"OK\")\nexcept Exception as e:\n    cause = f\" [cause: {{e.__cause__!r}}]\" if e.__cause__ else \"\"\n    print(\"ERR\", type(e).__name__, str(e).replace(\"\\n\", \" \") + cause)\n"
                ),
                python.to_path_buf(),
                vec![],
            )
        }
        Client::Node | Client::AzureNode => {
            let load = if loads {
                "require('dotenv').config({ quiet: true });\n"
            } else {
                ""
            };
            let class = if world.client == Client::AzureNode {
                "AzureOpenAI"
            } else {
                "OpenAI"
            };
            let call = match world.call {
                Call::List => "c.models.list()".to_string(),
                Call::Chat(model) => format!(
                    "c.chat.completions.create({{ model: {model:?}, messages: [{{ role: 'user', content: 'Say hi' }}] }})"
                ),
            };
            (
                format!(
                    "{load}const {{ OpenAI, AzureOpenAI }} = require('openai');\n(async () => {{\n  try {{\n    const c = new {class}({{ maxRetries: 0{sep}{code} }});\n    await {call};\n    console.log('OK');\n  }} catch (e) {{\n    const cause = e.cause ? ` [cause: ${{e.cause.code || ''}} ${{e.cause.message}}]` : '';\n    console.log('ERR', e.constructor.name, String(e.message).replace(/\\n/g, ' ') + cause);\n  }}\n}})();\n"
                ),
                PathBuf::from("node"),
                vec!["-r".into(), node_guard().to_str().unwrap().into()],
            )
        }
    }
}

/// What the program did: None when its call succeeded, else the exception
/// (class and message).
struct Ran {
    error: Option<String>,
    stderr: String,
}

fn run_program(world: &World, place: &Place, home: &Path, dir: &Path) -> Ran {
    let (source, interpreter, args) = program(world);
    // The program is a file in its folder, as `doctor app.py` reads it.
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(program_file(world)), &source).unwrap();
    let mut command = Command::new(&interpreter);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .current_dir(dir)
        .args(&args)
        .arg(program_file(world));
    if world.client.node() {
        command.env("NODE_PATH", sdk::node().join("node_modules")).env(
            "AGREEMENT_STANDIN",
            format!("http://127.0.0.1:{}", place.standin.port()),
        );
    }
    for (name, value) in &world.env {
        command.env(name, place.fill(value, home));
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("OK") || l.starts_with("ERR "));
    let error = match last {
        Some("OK") if out.status.success() => None,
        Some(line) if out.status.success() && line.starts_with("ERR ") => Some(line[4..].to_string()),
        _ => panic!(
            "harness: the program of {:?} did not run to its end ({}):\n{source}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            world.name, out.status
        ),
    };
    Ran { error, stderr }
}

/// The doctor in the world: its files, folder and variables.
fn doctor_in(world: &World, place: &Place) -> Doctor {
    let mut doctor = Doctor::new();
    for secret in SECRETS {
        doctor = doctor.secret(secret);
    }
    let home = doctor.home();
    doctor = doctor.file("ca.pem", &place.front.ca_pem);
    if let Some((text, _)) = &world.dotenv {
        doctor = doctor.file(".env", &place.fill(text, &home));
    }
    if let Some(dir) = world.dir {
        doctor = doctor.in_dir(dir);
    }
    for (name, value) in &world.env {
        doctor = doctor.env(name, &place.fill(value, &home));
    }
    doctor
}

/// The doctor set up as the world is: its files, folder, variables and flags.
fn doctor_for(world: &World, place: &Place, format: &[&str]) -> Doctor {
    let mut doctor = doctor_in(world, place);
    if world.client_flag {
        doctor = doctor.args(&["--client", world.client.doctor()]);
    }
    if let (Call::Chat(model), true) = (world.call, world.model_flag) {
        doctor = doctor.args(&["--model", model]);
    }
    doctor.args(format)
}

/// `doctor app.py`: the world's doctor, given the program instead of
/// `--client` and `--model`.
fn doctor_for_program(world: &World, place: &Place, format: &[&str]) -> Doctor {
    let mut doctor = doctor_in(world, place);
    let (source, _, _) = program(world);
    let file = match world.dir {
        Some(dir) => format!("{dir}/{}", program_file(world)),
        None => program_file(world).to_string(),
    };
    doctor = doctor.file(&file, &source);
    doctor.args(&[program_file(world)]).args(format)
}

/// What `doctor app.py` said in a world whose code holds the deciding fact.
struct ProgramRun {
    code: i32,
    diagnosis: String,
    client: String,
    /// What it still could not see (must be nothing).
    unseen: Vec<String>,
    agrees: bool,
}

/// One row of the table.
struct Row {
    world: String,
    client: Client,
    program: Option<String>,
    program_sent: Vec<String>,
    doctor_sent: Vec<String>,
    code: i32,
    diagnosis: String,
    findings: Vec<String>,
    checklist: Vec<String>,
    unseen: Option<(Unseen, bool)>,
    /// The `--quiet` line, for a world that depends on what the doctor cannot see.
    quiet: Option<String>,
    agrees: bool,
    /// What is wrong with the world itself (a harness bug, not a disagreement).
    harness: Vec<String>,
    /// `doctor app.py`, where the program's code decides.
    with_program: Option<ProgramRun>,
}

fn unseen_named(json: &Value, human: &str, code: i32, unseen: &Unseen) -> bool {
    let holds = |text: &str| {
        let text = text.to_lowercase();
        unseen
            .words
            .iter()
            .all(|group| group.iter().any(|w| text.contains(&w.to_lowercase())))
    };
    // A pass says it in `diagnosis.unseen`; a failure in its checklist.
    let in_json = if code == 0 {
        json["diagnosis"]["unseen"]
            .as_array()
            .is_some_and(|list| !list.is_empty() && holds(&Value::Array(list.clone()).to_string()))
    } else {
        json["diagnosis"]["checklist"]
            .as_array()
            .is_some_and(|lines| holds(&lines.iter().map(Value::to_string).collect::<Vec<_>>().join("\n")))
    };
    in_json && holds(human)
}

fn run_world(world: &World) -> Row {
    assert_stays_local(world);
    let place = Place::start(world.service);
    let doctor = doctor_for(world, &place, &["--format", "json"]);
    let home = doctor.home();
    let dir = home.join(world.dir.unwrap_or(""));

    let ran = run_program(world, &place, &home, &dir);
    let (program_local, program_standin) = place.requests();
    let mut program_sent: Vec<String> = program_local.iter().map(|r| format!("local {r}")).collect();
    program_sent.extend(program_standin.iter().map(|r| format!("api.openai.com {r}")));

    let proxied = place.proxy.heads().len();
    let run = doctor.run();
    let (local, standin) = place.requests();
    let mut doctor_sent: Vec<String> = local[program_local.len()..]
        .iter()
        .map(|r| format!("local {r}"))
        .collect();
    doctor_sent.extend(
        standin[program_standin.len()..]
            .iter()
            .map(|r| format!("api.openai.com {r}")),
    );

    let json = run.json();
    // The harness's own checks: the world is what it says.
    let mut harness = vec![];
    let outcome = if ran.error.is_none() {
        Expect::Works
    } else {
        Expect::Fails
    };
    if outcome != world.expect {
        harness.push(format!(
            "the program was to be {:?}, and said {:?} (stderr: {})",
            world.expect, ran.error, ran.stderr
        ));
    }
    if let Some(text) = world.sent_to
        && !program_sent.iter().any(|line| line.contains(text))
    {
        harness.push(format!("the program sent {program_sent:?}, nothing to {text:?}"));
    }
    assert!(
        [0, 1, 3, 4].contains(&run.code),
        "{}: the doctor exited {}:\n{}{}",
        world.name,
        run.code,
        run.stdout,
        run.stderr
    );
    if world.client_flag {
        assert_eq!(json["client"], world.client.doctor(), "{}", world.name);
    }
    if let Some(base) = json["base_url"].as_str() {
        // A request for api.openai.com must have reached the stand-in.
        let local = base.starts_with("http://127.0.0.1") || base.starts_with("https://127.0.0.1");
        let probed = json["probe"].is_object();
        let to_standin = doctor_sent.iter().any(|l| l.starts_with("api.openai.com"));
        let through_proxy = place.proxy.heads().len() > proxied;
        // Or a proxy on this machine refused the connection.
        let proxy_refused = json["probe"]["network_error"] == "proxy";
        if !local && probed && !to_standin && !through_proxy && !proxy_refused {
            harness.push(format!(
                "the doctor tried {base} without the stand-in: {}",
                json["probe"]
            ));
        }
    }

    let program_ok = ran.error.is_none();
    let mut quiet = None;
    let unseen = world.unseen.map(|unseen| {
        let human = doctor_for(world, &place, &["--color", "never"]).run();
        quiet = Some(
            doctor_for(world, &place, &["--quiet", "--color", "never"])
                .run()
                .stdout,
        );
        (unseen, unseen_named(&json, &human.stdout, run.code, &unseen))
    });
    let agrees = match unseen {
        Some((_, named)) => named,
        None => (run.code == 0) == program_ok,
    };
    let with_program = world.program_decides.then(|| {
        let run = doctor_for_program(world, &place, &["--format", "json"]).run();
        let json = run.json();
        assert!(
            [0, 1, 3, 4].contains(&run.code),
            "{}: doctor app.py exited {}:\n{}{}",
            world.name,
            run.code,
            run.stdout,
            run.stderr
        );
        let unseen: Vec<String> = json["diagnosis"]["unseen"]
            .as_array()
            .map(|list| list.iter().map(|u| u["id"].to_string()).collect())
            .unwrap_or_default();
        ProgramRun {
            code: run.code,
            diagnosis: run.diagnosis(),
            client: json["client"].as_str().unwrap_or_default().to_string(),
            agrees: (run.code == 0) == program_ok && unseen.is_empty(),
            unseen,
        }
    });
    Row {
        world: world.name.clone(),
        client: world.client,
        program: ran.error,
        program_sent,
        doctor_sent,
        code: run.code,
        diagnosis: run.diagnosis(),
        findings: run.finding_ids(),
        checklist: json["diagnosis"]["checklist"]
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|l| l.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        unseen,
        quiet,
        agrees,
        harness,
        with_program,
    }
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        format!("{text:width$}")
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "{:<4} {:<82} {:<13} {:<10} {:<6} {:<24} agree",
        "#", "world", "client", "program", "exit", "diagnosis"
    );
    for (i, row) in rows.iter().enumerate() {
        let listed = EXPECTED_TO_DISAGREE_TODAY.contains(&row.world.as_str());
        let agree = match (row.agrees, listed) {
            (true, false) => "yes",
            (false, true) => "NO (known)",
            (false, false) => "NO (new)",
            (true, true) => "yes (listed!)",
        };
        let agree = match &row.unseen {
            Some((_, named)) => format!("{agree} [unseen {}named]", if *named { "" } else { "not " }),
            None => agree.to_string(),
        };
        println!(
            "{:<4} {} {:<13} {:<10} {:<6} {:<24} {}",
            i + 1,
            clip(&row.world, 82),
            row.client.name(),
            if row.program.is_none() { "ok" } else { "fails" },
            row.code,
            row.diagnosis,
            agree
        );
    }
    println!();
    let mut by_client: BTreeMap<Client, (usize, usize, usize)> = BTreeMap::new();
    for row in rows {
        let entry = by_client.entry(row.client).or_default();
        entry.0 += 1;
        if row.agrees {
            entry.1 += 1;
        } else {
            entry.2 += 1;
        }
    }
    for (client, (worlds, agree, disagree)) in &by_client {
        println!(
            "{:<13} {worlds:>3} worlds: {agree:>3} agree, {disagree:>3} disagree",
            client.name()
        );
    }
    let agree = rows.iter().filter(|r| r.agrees).count();
    println!(
        "{:<13} {:>3} worlds: {agree:>3} agree, {:>3} disagree",
        "all",
        rows.len(),
        rows.len() - agree
    );
    println!();
    for row in rows {
        println!(
            "{}: {}",
            if row.agrees { "agrees" } else { "DISAGREES" },
            row.world
        );
        println!(
            "  program: {}",
            row.program.as_deref().unwrap_or("ok (no exception)")
        );
        println!("  program sent: {:?}", row.program_sent);
        println!("  doctor: exit {} {} {:?}", row.code, row.diagnosis, row.findings);
        println!("  doctor sent: {:?}", row.doctor_sent);
        for line in &row.checklist {
            println!("    | {line}");
        }
        if let Some((unseen, _)) = &row.unseen {
            println!("  depends on: {} (looked for {:?})", unseen.what, unseen.words);
            println!(
                "  --quiet: {}",
                row.quiet.as_deref().unwrap_or_default().trim_end()
            );
        }
        if let Some(p) = &row.with_program {
            println!(
                "  doctor {}: exit {} {} (client {}), unseen {:?}: {}",
                if row.client.node() { "app.js" } else { "app.py" },
                p.code,
                p.diagnosis,
                p.client,
                p.unseen,
                if p.agrees { "agrees" } else { "DISAGREES" }
            );
        }
        for problem in &row.harness {
            println!("  HARNESS: {problem}");
        }
    }
}

#[test]
#[cfg_attr(
    not(has_registries),
    ignore = "OPENAI_KEYCHECK_SKIP_SDK is set: the real clients are not installed"
)]
fn the_doctor_agrees_with_the_real_clients() {
    let worlds = worlds();
    let mut names: Vec<&str> = worlds.iter().map(|w| w.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), worlds.len(), "two worlds share a name");
    assert!(worlds.len() >= 40);
    for listed in EXPECTED_TO_DISAGREE_TODAY {
        assert!(
            names.contains(listed),
            "EXPECTED_TO_DISAGREE_TODAY names no world: {listed}"
        );
    }
    for client in Client::ALL {
        assert!(worlds.iter().any(|w| w.client == client), "{client:?}");
    }

    // AGREEMENT_ONLY=TEXT runs only the worlds whose name holds TEXT (to
    // look at a few); the assertions then cover only those.
    let only = std::env::var("AGREEMENT_ONLY").unwrap_or_default();
    let rows: Vec<Row> = worlds
        .iter()
        .filter(|w| w.name.contains(&only))
        .map(run_world)
        .collect();
    print_table(&rows);

    let broken: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.harness
                .iter()
                .map(move |p| format!("harness, {}: {p}", r.world))
        })
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let mut wrong = vec![];
    for row in &rows {
        let listed = EXPECTED_TO_DISAGREE_TODAY.contains(&row.world.as_str());
        if row.agrees && listed {
            wrong.push(format!(
                "{}: agrees now — remove it from EXPECTED_TO_DISAGREE_TODAY",
                row.world
            ));
        }
        if !row.agrees && !listed {
            wrong.push(format!(
                "{}: the program {}, the doctor exited {} ({}){}",
                row.world,
                row.program
                    .as_ref()
                    .map_or("succeeded".to_string(), |e| format!("failed: {e}")),
                row.code,
                row.diagnosis,
                row.unseen
                    .as_ref()
                    .map_or(String::new(), |(u, _)| format!(" without naming {}", u.what))
            ));
        }
    }
    // Where the code decides, reading it leaves nothing to name.
    for row in &rows {
        if let Some(p) = row.with_program.as_ref().filter(|p| !p.agrees) {
            wrong.push(format!(
                "{}: with the program read, the program {}, the doctor exited {} ({}), still unseen {:?}",
                row.world,
                row.program
                    .as_ref()
                    .map_or("succeeded".to_string(), |e| format!("failed: {e}")),
                p.code,
                p.diagnosis,
                p.unseen
            ));
        }
    }
    let programs = rows.iter().filter(|r| r.with_program.is_some()).count();
    println!("doctor PROGRAM: {programs} worlds where the code decides");
    let decided = rows
        .iter()
        .filter(|r| r.unseen.is_some_and(|(u, _)| PROGRAM_DECIDES.contains(&u.what)))
        .count();
    assert!(
        programs >= decided,
        "harness: a world the code decides ran no doctor app.py"
    );
    assert!(
        !only.is_empty() || programs >= 22,
        "harness: {programs} program worlds"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
