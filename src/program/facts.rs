//! What a file does, in the order it does it, whatever its language: the
//! parsers (`python.rs`, `javascript.rs`) turn syntax into these facts, and
//! the rules read only facts. A rule is then one file for every language.

/// The client classes whose constructor reads the environment.
pub(crate) const CLIENT_CLASSES: &[&str] = &[
    // openai-python, openai-node
    "OpenAI",
    "AsyncOpenAI",
    "AzureOpenAI",
    "AsyncAzureOpenAI",
    // langchain-openai, @langchain/openai
    "ChatOpenAI",
    "AzureChatOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
];

/// The classes only LangChain has (its `OpenAI` and `AzureOpenAI` share the
/// SDK's names: where they come from decides).
pub(crate) const LANGCHAIN_CLASSES: &[&str] = &[
    "ChatOpenAI",
    "AzureChatOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
];

/// The exceptions that catch a rejected key: `AuthenticationError` (401),
/// `PermissionDeniedError` (403) and their parents (openai-python's
/// hierarchy: AuthenticationError < APIStatusError < APIError < OpenAIError).
pub(crate) const AUTH_ERROR_AND_PARENTS: &[&str] = &[
    "Exception",
    "BaseException",
    "OpenAIError",
    "APIError",
    "APIStatusError",
    "AuthenticationError",
    "PermissionDeniedError",
];

/// The constructor arguments that give the client its credential, so that
/// it reads none from the environment.
pub(crate) const KEY_ARGUMENTS: &[&str] = &[
    // Python
    "api_key",
    "openai_api_key",
    "azure_ad_token",
    "azure_ad_token_provider",
    // JavaScript
    "apiKey",
    "openAIApiKey",
    "azureADTokenProvider",
    "azureOpenAIApiKey",
];

/// The arguments that name the model a call uses, and whether it is an
/// Azure deployment's name.
pub(crate) const MODEL_ARGUMENTS: &[(&str, bool)] = &[
    ("model", false),
    ("model_name", false),
    ("azure_deployment", true),
    ("deployment_name", true),
    ("deployment", true),
];

/// The OpenAI resources whose `create`/`parse`/`stream` take a model
/// (`client.chat.completions.create`, `client.responses.create`, …): a call
/// of another library's (`anthropic.messages.create`) names no OpenAI model.
pub(crate) const MODEL_RESOURCES: &[&str] = &[
    "completions",
    "responses",
    "embeddings",
    "images",
    "speech",
    "transcriptions",
    "translations",
    "moderations",
];

/// The variables that hold a key.
pub(crate) const KEY_VARIABLES: &[&str] = &[
    crate::vocab::EnvVars::OPENAI_API_KEY,
    crate::vocab::EnvVars::AZURE_OPENAI_API_KEY,
];

/// One thing a file does, where it does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact {
    /// Byte offset in the file.
    pub at: u32,
    /// The function (or module, 0) whose body it runs in: order means
    /// something only within one.
    pub scope: u32,
    pub kind: Kind,
    /// When it runs, where that is not where it is written.
    pub runs: Runs,
}

/// When a fact runs, against the order of the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Runs {
    /// Where it is written.
    #[default]
    InOrder,
    /// An ES module's `import`: before the module's own code, wherever it
    /// is written.
    First,
    /// Under `if __name__ == "__main__":`: when the file is the program,
    /// never when it is imported.
    AsProgramOnly,
}

impl Fact {
    /// This runs before `other` (both in one scope).
    pub(crate) fn runs_before(&self, other: &Fact) -> bool {
        let first = |f: &Fact| f.runs != Runs::First;
        (first(self), self.at) < (first(other), other.at)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `OpenAI(…)`, `new OpenAI({…})`: the environment is read here.
    /// `langchain`: a LangChain class (`ChatOpenAI`, or `OpenAI` imported
    /// from `langchain_openai`), which treats an empty key as none.
    ClientMade {
        class: String,
        key_given: bool,
        langchain: bool,
        /// What it is given (`api_key=`, `base_url=`; `{ apiKey, baseURL }`),
        /// in the order written.
        arguments: Vec<Argument>,
    },
    /// `load_dotenv()`, `dotenv.config()`, `import 'dotenv/config'`: the
    /// file it names (none: the loader's own search), and whether its
    /// values replace the environment's (`override=True`).
    DotenvLoaded { path: Option<Value>, overrides: bool },
    /// `os.environ["X"] = …`, `process.env.X = …`.
    EnvSet { name: String },
    /// `os.getenv("X")`, `os.environ["X"]`, `process.env.X`; with an empty
    /// string as its default (`os.getenv("X", "")`, `process.env.X ?? ""`).
    EnvRead { name: String, empty_default: bool },
    /// A client's key argument is this read, which gives `None`/`undefined`
    /// when the variable is unset, and the client then reads its own
    /// variable (`api_key=os.getenv("X")`, `apiKey: process.env.X`).
    KeyArgumentMayFallBack { name: String },
    /// `openai.api_key = …` (0.x's module settings: `api_key`, `api_base`,
    /// `organization`, `api_type`, `api_version`).
    ModuleSetting { name: String },
    /// `openai.ChatCompletion.create(…)` and the other 0.x resources.
    LegacyCall { resource: String },
    /// `dangerouslyAllowBrowser: true` in a client's options.
    AllowsBrowser,
    /// A key variable, or a name holding one, is written to a log or the
    /// output (`print`, `logging.…`, `console.log`).
    Logged { what: String },
    /// A retry wrapper around an API call (tenacity's `@retry`,
    /// `backoff.on_exception`, `pRetry`): the exceptions it retries on, by
    /// their last name, or `None` where it retries on every one.
    Retry {
        library: String,
        on: Option<Vec<String>>,
    },
    /// A string literal, as written (for the key rules).
    Literal { value: String },
    /// `model="gpt-4o"` in a call (`model: "gpt-4o"` in its options), or
    /// the Azure deployment (`azure_deployment=`, `deployment:`).
    ModelNamed { value: Value, deployment: bool },
    /// `NAME = value` (`const NAME = value`; an object literal's
    /// properties; a pydantic-settings field, read from the environment):
    /// where a name given to a client gets its value.
    Assigned { name: String, value: Value },
    /// A module imported: Python's dotted name (with its leading dots when
    /// relative: `.llm`), or JavaScript's specifier (`./llm.js`). Importing
    /// a local one runs its code.
    Imported { module: String },
}

/// One argument given to a client: its name as written (`**` or `...`
/// for a spread), where its value starts, and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Argument {
    pub name: String,
    pub at: u32,
    pub value: Value,
}

/// What an argument, a setting or a name holds, as far as the code shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// Text written in the code.
    Text(String),
    /// A variable of the environment, with the default the code gives
    /// (`os.getenv("X", "d")`, `process.env.X ?? "d"`); for a settings
    /// class, the `.env` it reads itself (pydantic-settings' `env_file`,
    /// which fills the field, not the environment).
    Env {
        name: String,
        default: Option<String>,
        env_file: Option<String>,
        /// Unset, the program stops (`os.environ["X"]`, a settings field
        /// without a default) rather than getting `None`/`undefined`.
        required: bool,
    },
    /// A name, or an attribute's last name (`settings.openai_api_key`):
    /// defined elsewhere, by an `Assigned`.
    Name(String),
    /// A function that returns this (`lambda: "…"`, `() => '…'`): a token
    /// provider.
    Returns(Box<Value>),
    /// Anything else: known only when the program runs.
    Other,
}

impl Value {
    /// `os.getenv("X") or "d"`, `process.env.X ?? "d"`: a variable read with
    /// a fallback the code writes after it; anything else is not followed.
    pub(crate) fn or_default(self, default: Option<&str>) -> Value {
        match (self, default) {
            (Value::Env { name, env_file, .. }, Some(default)) => Value::Env {
                name,
                default: Some(default.to_string()),
                env_file,
                required: false,
            },
            _ => Value::Other,
        }
    }
}

/// The languages lint reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Language {
    #[default]
    Python,
    /// A Jupyter notebook's code cells, as IPython reads them (`%magic`
    /// and `!shell` lines included).
    Notebook,
    /// JavaScript and TypeScript.
    JavaScript,
}

/// A file's facts, and where its parse stopped short.
#[derive(Debug, Default)]
pub(crate) struct FileFacts {
    pub language: Language,
    pub facts: Vec<Fact>,
    /// Why the file was not read whole, with the offset where it stopped
    /// (the first syntax error), as the end of a sentence about the file.
    pub parse_error: Option<(u32, String)>,
    /// A notebook: where each code cell starts in the text parsed (the
    /// cells joined in order).
    pub cells: Vec<u32>,
}

impl FileFacts {
    pub(crate) fn push(&mut self, at: u32, scope: u32, kind: Kind) {
        self.push_running(at, scope, kind, Runs::InOrder);
    }

    pub(crate) fn push_running(&mut self, at: u32, scope: u32, kind: Kind, runs: Runs) {
        self.facts.push(Fact {
            at,
            scope,
            kind,
            runs,
        });
    }
}
