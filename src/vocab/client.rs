//! Whose rules a run follows: the client library the user's program uses.
//! The clients differ exactly where people get stuck — which variables they
//! read, what an empty or padded value means, which `.env` they can see.

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Client {
    /// openai-python's `OpenAI()` (observed with 3.57).
    #[default]
    Python,
    /// openai-node's `new OpenAI()` (observed with 6.49): values are trimmed,
    /// a blank one is unset, `.env` only from the current folder.
    Node,
    /// langchain-openai's `ChatOpenAI()` (observed with 1.7.4):
    /// `OPENAI_API_BASE` first, `OPENAI_ORGANIZATION` as a fallback.
    Langchain,
    /// openai-python's `AzureOpenAI()` (observed with 3.57): its own
    /// variables, an `api-key` header, an API version on every request.
    Azure,
}

impl Client {
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// "openai-node", for sentences.
    pub fn library(self) -> &'static str {
        match self {
            Client::Python => "openai-python",
            Client::Node => "openai-node",
            Client::Langchain => "langchain-openai",
            Client::Azure => "openai-python's AzureOpenAI()",
        }
    }

    /// How a program of this client loads a `.env`.
    pub fn dotenv_loading(self) -> &'static str {
        match self {
            Client::Node => "`node --env-file=.env`, or `import 'dotenv/config'` before the client is made",
            _ => "`load_dotenv()` from python-dotenv, called before the client is created",
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clients_are_spelt_alike_everywhere() {
        crate::vocab::ids::tests::names_agree::<super::Client>();
    }
}
