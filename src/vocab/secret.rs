//! The API key as a type: it cannot be printed by accident.
//!
//! `Display` shows the masked form, `Debug` shows nothing, and the memory is
//! wiped on drop. The only way to the full value is [`ApiKey::expose`], which
//! the probe calls to build the Authorization header.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Prefixes that say what a key is without saying anything secret; the mask
/// keeps them. Longest first so `sk-proj-` wins over `sk-`.
const PUBLIC_PREFIXES: &[&str] = &[
    "sk-ant-api03-",
    "sk-svcacct-",
    "sk-service-",
    "sk-or-v1-",
    "sk-admin-",
    "sk-proj-",
    "sk-None-",
    "sk-ant-",
    "sk-or-",
    "sk-",
    "sess-",
    "pplx-",
    "gsk_",
    "AIza",
    "xai-",
    "hf_",
    "eyJ",
];

/// How many characters after the prefix a key must have before its last four
/// are shown: short or odd keys show less.
const MIN_HIDDEN_FOR_TAIL: usize = 16;

/// Shortest value that [`redact`] hunts for: anything shorter is not a key
/// worth hiding and would mangle ordinary text.
const MIN_REDACT_LEN: usize = 8;

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Zeroizing<String>);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> Self {
        ApiKey(Zeroizing::new(value.into()))
    }

    /// The full key. Only for the Authorization header and for comparing keys.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    /// In characters, as a person would count them.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(redacted)")
    }
}

/// `sk-proj-…wxyz`: the public prefix, an ellipsis, and the last four
/// characters when enough stays hidden. Whitespace, quotes and `Bearer ` around
/// the value are dropped first so they never decide what is shown.
pub fn mask(value: &str) -> String {
    let core = unwrap_key(value).key;
    if core.is_empty() {
        return String::new();
    }
    let prefix = PUBLIC_PREFIXES
        .iter()
        .find(|p| core.starts_with(**p))
        .copied()
        .unwrap_or("");
    let rest: Vec<char> = core[prefix.len()..].chars().collect();
    let tail = &rest[rest.len().saturating_sub(4)..];
    let tail_is_plain = tail
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_');
    if rest.len() >= MIN_HIDDEN_FOR_TAIL && tail_is_plain {
        format!("{prefix}…{}", tail.iter().collect::<String>())
    } else {
        format!("{prefix}…")
    }
}

/// First 12 hex digits of SHA-256: lets two machines compare keys without
/// showing them (`printf %s "$KEY" | sha256sum | cut -c1-12`).
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Replaces every occurrence of each secret in `text` by its mask. Used on
/// everything a server sends back: a lying or careless server may echo the key.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        let secret = secret.trim();
        if secret.len() >= MIN_REDACT_LEN && out.contains(secret) {
            out = out.replace(secret, &mask(secret));
        }
    }
    out
}

/// A URL fit to print: a user or password in it is replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_password(None);
            let _ = u.set_username("***");
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// A key with what has an obvious fix taken off — surrounding whitespace,
/// quotes, and a `Bearer ` prefix — and which of those were there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unwrapped<'a> {
    pub key: &'a str,
    pub whitespace: bool,
    pub quotes: bool,
    pub bearer: bool,
}

pub fn unwrap_key(raw: &str) -> Unwrapped<'_> {
    let is_quote = |c: char| matches!(c, '"' | '\'' | '`');
    let mut out = Unwrapped {
        key: raw,
        whitespace: false,
        quotes: false,
        bearer: false,
    };
    loop {
        let before = out.key;
        let trimmed = out.key.trim();
        out.whitespace |= trimmed.len() != out.key.len();
        let unquoted = trimmed.trim_matches(is_quote);
        out.quotes |= unquoted.len() != trimmed.len();
        out.key = unquoted;
        if out.key.len() > 7 && out.key.is_char_boundary(7) && out.key[..7].eq_ignore_ascii_case("bearer ") {
            out.bearer = true;
            out.key = &out.key[7..];
        }
        if out.key == before {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "sk-proj-AbCdEfGhIjKlMnOpQrStT3BlbkFJuvwxyzABCDEFGHIJKLMNwxyz";

    #[test]
    fn mask_keeps_prefix_and_last_four() {
        assert_eq!(mask(PROJECT), "sk-proj-…wxyz");
        assert_eq!(mask("sk-abcdefghijklmnopqrstuvwxyz0123"), "sk-…0123");
    }

    #[test]
    fn short_or_odd_keys_show_less() {
        assert_eq!(mask("sk-abc"), "sk-…");
        assert_eq!(mask("hello"), "…");
        assert_eq!(mask(""), "");
        assert_eq!(mask("sk-abcdefghijklmnopqrstuv\u{200b}"), "sk-…");
    }

    #[test]
    fn mask_ignores_wrapping() {
        assert_eq!(mask(&format!("  \"Bearer {PROJECT}\"\n")), "sk-proj-…wxyz");
    }

    #[test]
    fn debug_and_display_never_show_the_key() {
        let key = ApiKey::new(PROJECT);
        assert_eq!(format!("{key:?}"), "ApiKey(redacted)");
        assert_eq!(format!("{key}"), "sk-proj-…wxyz");
    }

    #[test]
    fn fingerprint_is_twelve_hex_of_sha256() {
        // printf %s abc | sha256sum
        assert_eq!(fingerprint("abc"), "ba7816bf8f01");
    }

    #[test]
    fn redact_url_hides_credentials() {
        assert_eq!(
            redact_url("http://user:pw@proxy:8080/v1"),
            "http://***@proxy:8080/v1"
        );
        assert_eq!(
            redact_url("https://api.openai.com/v1"),
            "https://api.openai.com/v1"
        );
    }

    #[test]
    fn redact_replaces_every_echo() {
        let text = format!("bad key {PROJECT} (again: {PROJECT})");
        let out = redact(&text, &[PROJECT]);
        assert!(!out.contains(PROJECT));
        assert_eq!(out, "bad key sk-proj-…wxyz (again: sk-proj-…wxyz)");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Keys of the known kinds, and anything else.
        fn keys() -> impl Strategy<Value = String> {
            prop_oneof![
                "(sk-proj-|sk-svcacct-|sk-admin-|sk-|sess-|)[A-Za-z0-9_-]{0,200}",
                "\\PC{0,80}",
                "[ \"'\t\n]{0,3}(Bearer )?[A-Za-z0-9_-]{0,60}[ \"'\n]{0,3}",
            ]
        }

        proptest! {
            /// The mask shows a public prefix, `…`, and at most the last four
            /// characters of the key: never more.
            #[test]
            fn mask_reveals_at_most_the_prefix_and_four(key in keys()) {
                let masked = mask(&key);
                let core = unwrap_key(&key).key;
                if core.is_empty() {
                    prop_assert_eq!(masked, "");
                } else {
                    let (prefix, shown) = masked.split_once('…').expect("an ellipsis");
                    prop_assert!(PUBLIC_PREFIXES.contains(&prefix) || prefix.is_empty());
                    prop_assert!(core.starts_with(prefix));
                    prop_assert!(shown.chars().count() <= 4);
                    prop_assert!(core.ends_with(shown));
                    let hidden = core.chars().count() - prefix.chars().count() - shown.chars().count();
                    prop_assert!(shown.is_empty() || hidden >= 12, "{} hidden", hidden);
                }
            }

            #[test]
            fn redact_leaves_no_copy_of_the_secret(
                secret in "(sk-proj-|sk-)[A-Za-z0-9_-]{12,120}",
                before in "\\PC{0,40}",
                after in "\\PC{0,40}",
            ) {
                let text = format!("{before}{secret}{after}{secret}");
                prop_assert!(!redact(&text, &[&secret]).contains(&secret));
            }

            #[test]
            fn unwrap_key_takes_off_only_the_wrapping(key in "[A-Za-z0-9_-]{1,60}", pad in "[ \t\n\"']{0,4}") {
                let wrapped = format!("{pad}Bearer {key}{pad}");
                prop_assert_eq!(unwrap_key(&wrapped).key, key.as_str());
            }
        }
    }
}
