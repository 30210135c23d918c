//! What a program's code says about its credential, as `doctor PROGRAM`
//! read it: the client it makes, where that client's key and settings come
//! from, whether and when it loads a `.env`, and the models it calls — each
//! with the `path:line` that says so, and what could not be followed. The
//! program stage writes it; resolve and the report read it.

use serde::Serialize;

use super::{ApiKey, Client};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Program {
    /// The files read, as given or walked (the local modules they import
    /// included).
    pub files: Vec<String>,
    /// Every client the code makes, in the order found.
    pub clients: Vec<ClientInCode>,
    /// The client this run follows (an index into `clients`).
    #[serde(skip)]
    pub followed: Option<usize>,
    /// How the followed client gets its credential.
    pub key: KeyInCode,
    /// The settings it is given in code.
    pub settings: Vec<SettingInCode>,
    /// The `.env` the program loads before it makes the client, if any.
    pub dotenv: Option<DotenvInCode>,
    /// A `.env` loaded only after the client is made (the key is not there
    /// yet when the client reads it).
    pub dotenv_too_late: Option<DotenvInCode>,
    /// For openai-python's `load_dotenv()`: the folder its search starts
    /// from (the file that calls it), not the current one.
    #[serde(skip)]
    pub dotenv_search_from: Option<std::path::PathBuf>,
    /// What may load the `.env` before the program runs, outside its code
    /// (`node --env-file` in a `package.json` script, a framework that loads
    /// `.env` itself): said, since how the program is started is not known.
    #[serde(skip)]
    pub dotenv_by_launcher: Option<String>,
    /// The models (Azure: deployments) the code names.
    pub models: Vec<ModelInCode>,
    /// What the code decides that this run could not follow, in words.
    pub not_followed: Vec<String>,
    /// A file read imports `streamlit`: the app runs under Streamlit, which
    /// puts its secrets' root-level values into the environment.
    pub streamlit: bool,
}

impl Program {
    /// The client this run follows, as the code makes it.
    pub fn followed(&self) -> Option<&ClientInCode> {
        self.clients.get(self.followed?)
    }

    /// The deployment or model the program calls first, where the code names one.
    pub fn first_model(&self) -> Option<&ModelInCode> {
        self.models.iter().find(|m| m.deployment).or(self.models.first())
    }
}

/// One client made in the code.
#[derive(Debug, Clone, Serialize)]
pub struct ClientInCode {
    /// The class as written (`AzureOpenAI`, `ChatOpenAI`).
    pub class: String,
    /// Whose rules it follows.
    pub client: Client,
    /// `path:line`.
    pub at: String,
    /// `python` or `javascript` (TypeScript included).
    pub language: &'static str,
}

/// How the client gets its credential.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum KeyInCode {
    /// No key argument: the client reads its own variables.
    #[default]
    Environment,
    /// From this variable (`api_key=os.getenv("OPENAI_KEY")`, a settings
    /// field fed from `OPENAI_API_KEY`); when it is unset, the client
    /// reads its own (`falls_back`), or the settings class reads `env_file`.
    Variable {
        variable: String,
        at: String,
        falls_back: bool,
        env_file: Option<String>,
    },
    /// Written in the code (a hardcoded key, or a token provider that
    /// returns a literal token): never shown.
    Literal {
        at: String,
        token: bool,
        #[serde(skip)]
        value: ApiKey,
    },
    /// From something the code computes when it runs (a function, a
    /// secret store, a token provider that calls Azure): `argument` as
    /// written.
    NotFollowed {
        at: String,
        argument: String,
        token: bool,
    },
}

/// A setting given in code.
#[derive(Debug, Clone, Serialize)]
pub struct SettingInCode {
    /// The argument as written (`base_url`, `baseURL`, `azure_endpoint`).
    pub argument: String,
    pub role: SettingRole,
    pub at: String,
    /// Its text, where the code writes it.
    pub value: Option<String>,
    /// The variable it reads, where it reads one.
    pub variable: Option<String>,
}

/// What a setting given in code decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingRole {
    BaseUrl,
    AzureEndpoint,
    ApiVersion,
    Organization,
    Project,
    /// Headers, an HTTP client or a proxy agent: named, not followed.
    Transport,
}

/// A `.env` loaded by the program.
#[derive(Debug, Clone, Serialize)]
pub struct DotenvInCode {
    pub at: String,
    /// The file it names; none: the loader's own search.
    pub path: Option<String>,
    /// `override=True`: its values replace the environment's.
    pub overrides: bool,
}

/// A model or deployment named in code.
#[derive(Debug, Clone, Serialize)]
pub struct ModelInCode {
    pub id: String,
    pub at: String,
    /// An Azure deployment's name (`azure_deployment=`).
    pub deployment: bool,
    /// The variable the code reads it from (`os.getenv("MODEL", "gpt-4o")`):
    /// `id` is the code's default until resolve finds the variable set.
    #[serde(skip)]
    pub variable: Option<String>,
}
