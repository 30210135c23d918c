//! The names people give the key instead of `OPENAI_API_KEY`, which no SDK
//! reads: a near miss (`OPENAI_KEY`, `OPEN_AI_API_KEY`, one or two letters
//! off), or the key under a prefix that puts it into a browser bundle
//! (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`). `lint` and the doctor's sources
//! ask here, so both know the same names.

use super::EnvVars;

/// How a name misses `OPENAI_API_KEY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NearMiss {
    /// Another spelling: the SDK never reads it.
    Misspelt,
    /// The key (or a near miss of it) under a bundler's public prefix: in
    /// the browser's code, and still not what the SDK reads on a server.
    Browser { prefix: &'static str },
}

/// Names people give the key instead, compared without case or separators.
const NEAR_MISSES: &[&str] = &[
    "OPENAIAPIKEY",
    "OPENAIKEY",
    "OPENAPIKEY",
    "OPENAPIAPIKEY",
    "OPENAISECRETKEY",
    "OPENAIAPISECRET",
    "OPENAISECRET",
    "OPENAIAPITOKEN",
    "OPENAITOKEN",
    "OPENAIAPIKEYS",
];

/// The prefixes that put a variable in the bundle (Next.js, Vite, Create
/// React App, Expo, SvelteKit and Astro).
const PUBLIC_PREFIXES: &[&str] = &["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "PUBLIC_"];

pub(crate) fn near_miss(name: &str) -> Option<NearMiss> {
    if name == EnvVars::OPENAI_API_KEY {
        return None;
    }
    if is_public_key_variable(name) {
        let upper = name.to_ascii_uppercase();
        let prefix = PUBLIC_PREFIXES.iter().find(|p| upper.starts_with(*p))?;
        return Some(NearMiss::Browser { prefix });
    }
    is_misspelt(name).then_some(NearMiss::Misspelt)
}

/// A public variable that holds an OpenAI key by its name.
pub(crate) fn is_public_key_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    PUBLIC_PREFIXES.iter().any(|p| upper.starts_with(p)) && upper.contains("OPENAI") && upper.contains("KEY")
}

/// Another spelling of `OPENAI_API_KEY`: a known one, or one or two
/// letters off (in any case).
pub(crate) fn is_misspelt(name: &str) -> bool {
    if name == EnvVars::OPENAI_API_KEY {
        return false;
    }
    let plain: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    NEAR_MISSES.contains(&plain.as_str())
        || strsim::levenshtein(&name.to_ascii_uppercase(), EnvVars::OPENAI_API_KEY) <= 2
}

#[cfg(test)]
mod tests {
    use super::{NearMiss, near_miss};

    #[test]
    fn near_misses_and_browser_prefixes() {
        for name in [
            "OPENAI_KEY",
            "OPEN_AI_API_KEY",
            "OPENAI_APIKEY",
            "openai_api_key",
            "OPENAI_SECRET_KEY",
            "OPENAI_API_TOKEN",
            "OPENAI_API_KYE",
            "OPENIA_API_KEY",
        ] {
            assert_eq!(near_miss(name), Some(NearMiss::Misspelt), "{name}");
        }
        assert_eq!(
            near_miss("NEXT_PUBLIC_OPENAI_API_KEY"),
            Some(NearMiss::Browser {
                prefix: "NEXT_PUBLIC_"
            })
        );
        assert_eq!(
            near_miss("VITE_OPENAI_KEY"),
            Some(NearMiss::Browser { prefix: "VITE_" })
        );
        for name in [
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
            "OPENAI_API_BASE",
            "OPENAI_API_TYPE",
            "OPENAI_ADMIN_KEY",
            "OPENAI_ORG_ID",
            "OPENAI_API_KEY_PATH",
            "AZURE_OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "NEXT_PUBLIC_SITE_URL",
        ] {
            assert_eq!(near_miss(name), None, "{name}");
        }
    }
}
