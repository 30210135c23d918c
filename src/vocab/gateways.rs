//! The OpenAI-compatible services people point the SDKs at, spelt once: a
//! part of the host, the service's name, where its keys are made, and the
//! request that proves a key there when the model list does not.

pub(crate) struct Gateway {
    /// A part of the host that names the service.
    pub host: &'static str,
    pub name: &'static str,
    /// Where its keys are made.
    pub keys: &'static str,
    /// The path under the base URL to ask instead of `models`, when the
    /// model list answers without a key (OpenRouter's is public; its
    /// documented `GET /api/v1/key` needs one).
    pub key_check: Option<&'static str>,
}

pub(crate) const GATEWAYS: &[Gateway] = &[
    Gateway {
        host: "openrouter.ai",
        name: "OpenRouter",
        keys: "https://openrouter.ai/settings/keys",
        key_check: Some("key"),
    },
    Gateway {
        host: "api.groq.com",
        name: "Groq",
        keys: "https://console.groq.com/keys",
        key_check: None,
    },
    Gateway {
        host: "api.together.",
        name: "Together AI",
        keys: "https://api.together.ai/settings/api-keys",
        key_check: None,
    },
    Gateway {
        host: "api.deepseek.com",
        name: "DeepSeek",
        keys: "https://platform.deepseek.com/api_keys",
        key_check: None,
    },
    Gateway {
        host: "api.mistral.ai",
        name: "Mistral",
        keys: "https://console.mistral.ai/api-keys",
        key_check: None,
    },
    Gateway {
        host: "api.x.ai",
        name: "xAI",
        keys: "https://console.x.ai",
        key_check: None,
    },
    Gateway {
        host: "generativelanguage.googleapis.com",
        name: "Google Gemini",
        keys: "https://aistudio.google.com/app/apikey",
        key_check: None,
    },
    Gateway {
        host: ".openai.azure.com",
        name: "Azure OpenAI",
        keys: "the resource's Keys and Endpoint page in the Azure portal",
        key_check: None,
    },
];

/// The service a host belongs to, when the table knows it.
pub(crate) fn for_host(host: &str) -> Option<&'static Gateway> {
    GATEWAYS.iter().find(|g| host.contains(g.host))
}
