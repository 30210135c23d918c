//! Other services' errors. A pasted text is often not OpenAI's at all — a
//! Hugging Face 401, an Anthropic key error, a Stripe token — and advice
//! about OpenAI keys would then be confident and wrong. A text that names
//! another service (its host, SDK, exception, variable or key prefix) and
//! holds nothing that ties it to an OpenAI or OpenAI-compatible call is that
//! service's; one that does — a gateway that forwarded to OpenAI, LiteLLM's
//! OpenAI provider — stays OpenAI's.

use crate::vocab::EnvVars;
use crate::vocab::keys::{self, Issuer};

/// A service whose errors are not OpenAI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub name: &'static str,
    /// Words only this service's errors hold.
    words: &'static [&'static str],
    /// Where its credentials are made or checked.
    pub keys: &'static str,
}

const SERVICES: &[Service] = &[
    Service {
        name: "Anthropic",
        words: &[
            "api.anthropic.com",
            "anthropic.",
            "AnthropicError",
            "ANTHROPIC_API_KEY",
            "Anthropic API Key",
            "overloaded_error",
            "x-api-key header is required",
            "invalid x-api-key",
            // The TypeScript SDK, made without a key.
            "Expected either apiKey or authToken to be set",
            "status.claude.com",
            "claude.ai",
            "Claude API",
            "529 Overloaded",
            // Its 529, "Overloaded" (OpenAI's overload sentence is another).
            "\"message\":\"Overloaded\"",
        ],
        keys: "https://console.anthropic.com/settings/keys",
    },
    Service {
        name: "Hugging Face",
        words: &[
            "huggingface.co",
            "huggingface_hub",
            "HfHubHTTPError",
            "HUGGINGFACEHUB_API_TOKEN",
            "HF_TOKEN",
            "hf_hub",
        ],
        keys: "https://huggingface.co/settings/tokens",
    },
    Service {
        name: "Google (Gemini)",
        words: &[
            "generativelanguage.googleapis.com",
            "google.api_core",
            "google.generativeai",
            "GOOGLE_API_KEY",
            "GEMINI_API_KEY",
            "API_KEY_INVALID",
            "API key not valid. Please pass a valid API key",
            // Vertex AI.
            "google.auth.exceptions",
            "aiplatform.googleapis.com",
            "vertex_ai",
        ],
        keys: "https://aistudio.google.com/app/apikey",
    },
    Service {
        name: "Stripe",
        words: &[
            "api.stripe.com",
            "stripe.error",
            "StripeError",
            "StripeAuthenticationError",
            "Stripe API",
            "from Stripe",
            // Its keys: sk_test_…, sk_live_… (underscores, unlike OpenAI's sk-).
            "sk_test_",
            "sk_live_",
            "sk_test*",
            "sk_live*",
        ],
        keys: "the Stripe dashboard's API keys page",
    },
    Service {
        name: "Apple Music",
        words: &["api.music.apple.com", "MusicKit", "apple-music"],
        keys: "your Apple developer account's MusicKit keys",
    },
    Service {
        name: "Cohere",
        words: &[
            "api.cohere.ai",
            "api.cohere.com",
            "cohere.error",
            "CO_API_KEY",
            "COHERE_API_KEY",
        ],
        keys: "https://dashboard.cohere.com/api-keys",
    },
    Service {
        name: "Replicate",
        words: &["api.replicate.com", "REPLICATE_API_TOKEN", "replicate.exceptions"],
        keys: "https://replicate.com/account/api-tokens",
    },
    Service {
        name: "AWS",
        words: &[
            "botocore.exceptions",
            "botocore.errorfactory",
            "bedrock-runtime",
            "UnrecognizedClientException",
            "amazonaws.com",
        ],
        keys: "your AWS credentials (`aws sts get-caller-identity`)",
    },
    Service {
        name: "xAI",
        words: &["api.x.ai", "console.x.ai", "XAI_API_KEY", "Provider: xAI"],
        keys: "https://console.x.ai",
    },
    Service {
        name: "Mistral",
        words: &[
            "api.mistral.ai",
            "@ai-sdk/mistral",
            "MistralChatLanguageModel",
            "MISTRAL_API_KEY",
            "mistralai.",
        ],
        keys: "https://console.mistral.ai/api-keys",
    },
    Service {
        name: "Pinecone",
        words: &[
            "pinecone.core",
            "pinecone.exceptions",
            "PINECONE_API_KEY",
            "pinecone.io",
        ],
        keys: "https://app.pinecone.io (API Keys)",
    },
    Service {
        name: "SendGrid",
        words: &["api.sendgrid.com", "SENDGRID_API_KEY", "sendgrid."],
        keys: "https://app.sendgrid.com/settings/api_keys",
    },
    Service {
        name: "D-Wave",
        words: &["dwave", "DWAVE_API_TOKEN", "D-Wave"],
        keys: "your D-Wave Leap dashboard's API token",
    },
    Service {
        name: "Helicone",
        words: &["Invalid Helicone API key", "HELICONE_API_KEY", "Helicone-Auth"],
        keys: "https://us.helicone.ai/settings/api-keys",
    },
    Service {
        name: "GitHub",
        words: &["api.github.com", "Bad credentials", "GITHUB_TOKEN"],
        keys: "https://github.com/settings/tokens",
    },
];

/// What ties a text to an OpenAI (or OpenAI-compatible) call: OpenAI's
/// hosts, SDK, exceptions, variables, its own sentences; Azure OpenAI's.
const OPENAI: &[&str] = &[
    "openai.com",
    "openai.azure.com",
    "openai.error.",
    "openai.AuthenticationError",
    "openai.RateLimitError",
    "openai.APIError",
    "openai.APIConnectionError",
    "openai.APIStatusError",
    "openai.BadRequestError",
    "openai.NotFoundError",
    "openai.PermissionDeniedError",
    "openai.InternalServerError",
    "OpenAIError",
    "OpenAIException",
    EnvVars::OPENAI_API_KEY,
    EnvVars::OPENAI_BASE_URL,
    "AZURE_OPENAI",
    "node_modules/openai",
    "site-packages/openai/",
];

/// OpenAI's sentences and codes: they tie a text to an OpenAI-compatible
/// call, unless the text names another service's host, since gateways copy
/// them word for word (xAI answers "Incorrect API key provided").
const OPENAI_WORDING: &[&str] = &[
    "Incorrect API key provided",
    "You exceeded your current quota",
    "insufficient_quota",
    "invalid_api_key",
    "Rate limit reached for",
];

/// The other service a text is about, when it names one and nothing in it
/// ties it to OpenAI.
pub(crate) fn other_service(text: &str) -> Option<&'static Service> {
    if OPENAI.iter().any(|w| text.contains(w)) {
        return None;
    }
    let named = |by_host: bool| {
        SERVICES.iter().find(|s| {
            s.words
                .iter()
                .any(|w| text.contains(w) && (!by_host || is_host(w)))
        })
    };
    if OPENAI_WORDING.iter().any(|w| text.contains(w)) {
        return named(true);
    }
    named(false).or_else(|| by_key_prefix(text))
}

/// `api.x.ai`, `status.claude.com`: a word that is a host name.
fn is_host(word: &str) -> bool {
    word.contains('.')
        && !word.ends_with('.')
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-'))
}

/// A service named by a key of its own in the text (`sk-ant-…`): from the
/// one table of key prefixes.
fn by_key_prefix(text: &str) -> Option<&'static Service> {
    let provider = keys::PREFIXES.iter().find_map(|(prefix, issuer)| match issuer {
        Issuer::Other(provider) if text.contains(prefix) => Some(provider.name()),
        _ => None,
    })?;
    SERVICES.iter().find(|s| provider.starts_with(s.name))
}

#[cfg(test)]
mod tests {
    use super::other_service;

    #[test]
    fn another_services_error_is_named_and_an_openai_one_is_not() {
        let name = |text: &str| other_service(text).map(|s| s.name);
        assert_eq!(
            name(
                "huggingface_hub.utils._errors.HfHubHTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/api/models"
            ),
            Some("Hugging Face")
        );
        assert_eq!(
            name(
                "anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}}"
            ),
            Some("Anthropic")
        );
        // LiteLLM's OpenAI provider, or a gateway in front of OpenAI: OpenAI's.
        assert_eq!(
            name("litellm.AuthenticationError: OpenAIException - Incorrect API key provided: sk-…wxyz"),
            None
        );
        assert_eq!(
            name("openai.AuthenticationError: Error code: 401 - Incorrect API key provided"),
            None
        );
    }
}
