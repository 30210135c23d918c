//! What a key's first characters say, in one table: the mask keeps the
//! prefix, inspect tells the kind and the provider by it, and explain finds
//! keys in a pasted text by it.

use serde::Serialize;

/// The `T3BlbkFJ` ("OpenAI" in base64) that OpenAI's user, project and
/// service-account keys carry.
pub const KEY_MARKER: &str = "T3BlbkFJ";

/// What every OpenAI key starts with (and DeepSeek's, and Anthropic's…).
pub(crate) const OPENAI_PREFIX: &str = "sk-";

/// `sk-None-…` keys exist, rarely, in a shape nobody has described: never
/// judged on their form alone.
pub(crate) const UNDESCRIBED_PREFIX: &str = "sk-None-";

/// What a key is, by its form (`key.kind` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    Legacy,
    Project,
    ServiceAccount,
    Admin,
    Session,
    ChatgptToken,
    OtherProvider,
    Unknown,
    /// `--client azure`: a resource's key (32 hexadecimal characters).
    AzureKey,
    /// `--client azure`: a Microsoft Entra ID access token (a JWT).
    EntraToken,
}

impl KeyKind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            KeyKind::Legacy => "user key (sk-)",
            KeyKind::Project => "project key (sk-proj-)",
            KeyKind::ServiceAccount => "service account key (sk-svcacct-)",
            KeyKind::Admin => "admin key (sk-admin-)",
            KeyKind::Session => "browser session token (sess-)",
            KeyKind::ChatgptToken => "ChatGPT sign-in token (JWT)",
            KeyKind::OtherProvider => "another provider's key",
            KeyKind::Unknown => "unknown form",
            KeyKind::AzureKey => "Azure OpenAI resource key",
            KeyKind::EntraToken => "Microsoft Entra ID token (JWT)",
        }
    }
}

/// The services whose keys end up in `OPENAI_API_KEY` (`key.provider` in the
/// JSON, by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Anthropic,
    OpenRouter,
    Groq,
    Google,
    HuggingFace,
    Xai,
    Perplexity,
    DeepSeek,
    AzureOpenAi,
}

impl Provider {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Provider::Anthropic => "Anthropic",
            Provider::OpenRouter => "OpenRouter",
            Provider::Groq => "Groq",
            Provider::Google => "Google (Gemini)",
            Provider::HuggingFace => "Hugging Face",
            Provider::Xai => "xAI",
            Provider::Perplexity => "Perplexity",
            Provider::DeepSeek => "DeepSeek",
            Provider::AzureOpenAi => "Azure OpenAI",
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Who issues keys that start with a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Issuer {
    /// OpenAI, and the kind of key the prefix makes it.
    OpenAi(KeyKind),
    Other(Provider),
    /// A token that is no API key: a JWT (`eyJ…`), whose kind depends on
    /// more than its prefix.
    Token,
}

/// Every prefix that says what a key is without saying anything secret,
/// longest first so that `sk-proj-` wins over `sk-`.
pub(crate) const PREFIXES: &[(&str, Issuer)] = &[
    ("sk-ant-api03-", Issuer::Other(Provider::Anthropic)),
    ("sk-svcacct-", Issuer::OpenAi(KeyKind::ServiceAccount)),
    ("sk-service-", Issuer::OpenAi(KeyKind::ServiceAccount)),
    ("sk-or-v1-", Issuer::Other(Provider::OpenRouter)),
    ("sk-admin-", Issuer::OpenAi(KeyKind::Admin)),
    ("sk-proj-", Issuer::OpenAi(KeyKind::Project)),
    (UNDESCRIBED_PREFIX, Issuer::OpenAi(KeyKind::Legacy)),
    ("sk-ant-", Issuer::Other(Provider::Anthropic)),
    ("sk-or-", Issuer::Other(Provider::OpenRouter)),
    (OPENAI_PREFIX, Issuer::OpenAi(KeyKind::Legacy)),
    ("sess-", Issuer::OpenAi(KeyKind::Session)),
    ("pplx-", Issuer::Other(Provider::Perplexity)),
    ("gsk_", Issuer::Other(Provider::Groq)),
    ("AIza", Issuer::Other(Provider::Google)),
    ("xai-", Issuer::Other(Provider::Xai)),
    ("hf_", Issuer::Other(Provider::HuggingFace)),
    ("eyJ", Issuer::Token),
];

/// The prefix `text` starts with, and who issues it.
pub(crate) fn prefix_of(text: &str) -> Option<(&'static str, Issuer)> {
    PREFIXES.iter().find(|(p, _)| text.starts_with(p)).copied()
}

/// The provider whose keys start like `text`, when it is not OpenAI.
pub(crate) fn other_provider(text: &str) -> Option<Provider> {
    match prefix_of(text)?.1 {
        Issuer::Other(provider) => Some(provider),
        _ => None,
    }
}

/// Every prefix, for a search that looks for them all.
pub fn prefixes() -> impl Iterator<Item = &'static str> {
    PREFIXES.iter().map(|(p, _)| *p)
}

/// Whole values that tutorials, templates and unset variables leave behind.
const PLACEHOLDER_VALUES: &[&str] = &[
    "undefined",
    "null",
    "none",
    "nil",
    "changeme",
    "change-me",
    "todo",
    "secret",
    "key",
    "apikey",
    "api_key",
    "api-key",
    "openai_api_key",
    "test",
    "xxx",
];

/// Words that give a template away. Checked only on short keys without the
/// marker, where a random real key cannot hit them.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "xxxx",
    "placeholder",
    "example",
    "demo",
    "insert",
    "replace",
    "here",
    "dummy",
    "fake",
    "invalid",
];
const PLACEHOLDER_MAX_LEN: usize = 80;

/// Whether a value is a template's or tutorial's stand-in for a key.
pub(crate) fn looks_like_placeholder(key: &str) -> bool {
    if key.contains(KEY_MARKER) {
        return false;
    }
    let lower = key.to_ascii_lowercase();
    PLACEHOLDER_VALUES.contains(&lower.as_str())
        || ["<", ">", "${", "{{", "$"].iter().any(|s| key.contains(s))
        || (key.len() <= PLACEHOLDER_MAX_LEN && PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_prefix_is_listed_before_every_prefix_of_it() {
        for (i, (prefix, _)) in PREFIXES.iter().enumerate() {
            for (shorter, _) in &PREFIXES[..i] {
                assert!(
                    !prefix.starts_with(shorter),
                    "{prefix} comes after {shorter}, which would win over it"
                );
            }
        }
    }

    #[test]
    fn providers_are_found_by_their_prefix() {
        assert_eq!(other_provider("sk-ant-api03-x"), Some(Provider::Anthropic));
        assert_eq!(other_provider("sk-proj-x"), None);
        assert_eq!(other_provider("gsk_x"), Some(Provider::Groq));
        assert_eq!(prefix_of("sk-proj-x").map(|(p, _)| p), Some("sk-proj-"));
    }
}
