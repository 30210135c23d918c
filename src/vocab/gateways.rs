//! The OpenAI-compatible services people point the SDKs at, spelt once: a
//! part of the host, the service's name, where its keys are made, and the
//! request that proves a key there when the model list does not.

pub(crate) struct Gateway {
    /// A part of the host that names the service.
    pub host: &'static str,
    pub name: &'static str,
    /// Where its keys are made.
    pub keys: &'static str,
    /// Where its credit and spend limits are kept.
    pub billing: &'static str,
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
        billing: "https://openrouter.ai/settings/credits",
        key_check: Some("key"),
    },
    Gateway {
        host: "api.groq.com",
        name: "Groq",
        keys: "https://console.groq.com/keys",
        billing: "https://console.groq.com/settings/billing",
        key_check: None,
    },
    Gateway {
        host: "api.together.",
        name: "Together AI",
        keys: "https://api.together.ai/settings/api-keys",
        billing: "https://api.together.ai/settings/billing",
        key_check: None,
    },
    Gateway {
        host: "api.deepseek.com",
        name: "DeepSeek",
        keys: "https://platform.deepseek.com/api_keys",
        billing: "https://platform.deepseek.com/top_up",
        key_check: None,
    },
    Gateway {
        host: "api.mistral.ai",
        name: "Mistral",
        keys: "https://console.mistral.ai/api-keys",
        billing: "https://console.mistral.ai/billing",
        key_check: None,
    },
    Gateway {
        host: "api.x.ai",
        name: "xAI",
        keys: "https://console.x.ai",
        billing: "https://console.x.ai",
        key_check: None,
    },
    Gateway {
        host: "generativelanguage.googleapis.com",
        name: "Google Gemini",
        keys: "https://aistudio.google.com/app/apikey",
        billing: "the Google Cloud billing account of the AI Studio project (https://console.cloud.google.com/billing)",
        key_check: None,
    },
    Gateway {
        host: ".openai.azure.com",
        name: "Azure OpenAI",
        keys: "the resource's Keys and Endpoint page in the Azure portal",
        billing: "the Azure portal: the subscription's Cost Management + Billing, and the deployment's tokens-per-minute quota in Azure AI Foundry",
        key_check: None,
    },
];

/// The service a host belongs to, when the table knows it.
pub(crate) fn for_host(host: &str) -> Option<&'static Gateway> {
    GATEWAYS.iter().find(|g| host.contains(g.host))
}
