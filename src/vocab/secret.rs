//! The API key as a type: it cannot be printed by accident.
//!
//! `Display` shows the masked form, `Debug` shows nothing, and the memory is
//! wiped on drop. The only way to the full value is [`ApiKey::expose`], which
//! the probe calls to build the Authorization header.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::text;

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

/// Shortest secret that [`Secrets::redact`] hunts for inside other text; a
/// shorter one is hunted only as a whole word, so it cannot mangle text.
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

    /// `None` for a key too short to hide: with its length known, 48 bits of
    /// its hash would let it be found by trying.
    pub fn fingerprint(&self) -> Option<String> {
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
/// showing them (`printf %s "$KEY" | sha256sum | cut -c1-12`). Only for a
/// value with enough hidden characters that the hash cannot be searched.
pub fn fingerprint(value: &str) -> Option<String> {
    let prefix = PUBLIC_PREFIXES
        .iter()
        .find(|p| value.starts_with(**p))
        .map_or(0, |p| p.len());
    if value.len().saturating_sub(prefix) < MIN_HIDDEN_FOR_TAIL {
        return None;
    }
    let digest = Sha256::digest(value.as_bytes());
    Some(digest.iter().take(6).map(|b| format!("{b:02x}")).collect())
}

/// Every secret a run knows — the key as found and as sent, the admin key,
/// the values of custom headers, users and passwords in URLs — with the forms
/// each takes once escaped for JSON, a workflow command or Markdown. Every
/// string kept from outside, and everything printed, passes through
/// [`Secrets::redact`]; `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct Secrets {
    /// (a form of a secret, its mask), longest first.
    forms: Vec<(Zeroizing<String>, String)>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} forms)", self.forms.len())
    }
}

impl Secrets {
    /// Secrets known from the start, e.g. `Secrets::of(&[key])`.
    pub fn of(secrets: &[&str]) -> Self {
        let mut all = Secrets::default();
        for s in secrets {
            all.add(s);
        }
        all
    }

    /// A secret, as given and with its wrapping (white space, quotes,
    /// `Bearer `) taken off, in every escaped form.
    pub fn add(&mut self, secret: &str) {
        for core in [secret, secret.trim(), unwrap_key(secret).key] {
            if core.is_empty() {
                continue;
            }
            let masked = mask(core);
            let json = serde_json::to_string(core).unwrap_or_default();
            let forms = [
                core.to_string(),
                json.trim_matches('"').to_string(),
                text::workflow_data(core),
                text::workflow_property(core),
                text::markdown_text(core),
                text::escape_controls(core, false),
            ];
            for form in forms {
                if !form.is_empty() && !self.forms.iter().any(|(f, _)| **f == form) {
                    self.forms.push((Zeroizing::new(form), masked.clone()));
                }
            }
        }
        self.forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
    }

    pub fn extend(&mut self, other: &Secrets) {
        for (form, masked) in &other.forms {
            if !self.forms.iter().any(|(f, _)| f == form) {
                self.forms.push((form.clone(), masked.clone()));
            }
        }
        self.forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
    }

    /// Every form of every secret in `text`, replaced by the secret's mask.
    /// A secret of 8 characters or more is found anywhere; a shorter one
    /// only as a whole word, so that it cannot mangle ordinary text.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (form, masked) in &self.forms {
            if !out.contains(form.as_str()) {
                continue;
            }
            out = if form.chars().count() >= MIN_REDACT_LEN {
                out.replace(form.as_str(), masked)
            } else {
                replace_words(&out, form, masked)
            };
        }
        out
    }

    /// [`Secrets::redact`], and control characters escaped: how a string
    /// from a server or a pasted text is kept. `keep_lines` for a body.
    pub fn clean(&self, text: &str, keep_lines: bool) -> String {
        text::escape_controls(&self.redact(text), keep_lines)
    }
}

/// `text` with each whole-word `word` (bounded by characters keys never
/// hold) replaced.
fn replace_words(text: &str, word: &str, with: &str) -> String {
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_key_char) || after.is_some_and(is_key_char) {
            out.push_str(word);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// A URL fit to print: what stands between `scheme://` and the host — a
/// user and a password — is replaced by `***`. Done on the text, parsed or
/// not: a password may hold `/`, `?`, `#` or `@`, which end a parsed
/// authority early, so everything up to the **last** `@` goes.
pub fn redact_url(url: &str) -> String {
    let Some(start) = url.find("//").map(|at| at + 2) else {
        return url.to_string();
    };
    match url[start..].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]),
        None => url.to_string(),
    }
}

/// Every URL in a free text (a pasted log) redacted as [`redact_url`]
/// does; a URL runs from its scheme to the next space or quote.
pub fn redact_urls_in(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return std::borrow::Cow::Borrowed(text);
    }
    let bounds = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let start = rest[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| bounds(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = rest[at..].find(bounds).map_or(rest.len(), |e| at + e);
        out.push_str(&rest[..start]);
        out.push_str(&redact_url(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The user and password in a URL, as [`redact_url`] finds them, so that
/// they can be hunted elsewhere too.
pub fn url_credentials(url: &str) -> Vec<String> {
    let Some(start) = url.find("//").map(|at| at + 2) else {
        return Vec::new();
    };
    let Some(at) = url[start..].rfind('@') else {
        return Vec::new();
    };
    let userinfo = &url[start..start + at];
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let mut found = vec![userinfo.to_string()];
    for part in [user, password].into_iter().filter(|s| !s.is_empty()) {
        found.push(part.to_string());
        // `%2F` in a URL is the `/` of the password itself.
        found.push(
            percent_encoding::percent_decode_str(part)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    found.dedup();
    found
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

    #[test]
    fn urls_in_a_text_lose_their_credentials_and_nothing_else() {
        let text = "ProxyError: http://bob:hunter2@proxy.corp:3128 (407), see https://platform.openai.com, mail a@b.c";
        assert_eq!(
            redact_urls_in(text),
            "ProxyError: http://***@proxy.corp:3128 (407), see https://platform.openai.com, mail a@b.c"
        );
        assert_eq!(redact_urls_in("é https://u:p@h/x'"), "é https://***@h/x'");
        assert_eq!(redact_urls_in("no url @ here"), "no url @ here");
    }

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
        // printf %s abcdefghijklmnopqrstuvwxyz | sha256sum
        assert_eq!(
            fingerprint("abcdefghijklmnopqrstuvwxyz").as_deref(),
            Some("71c480df93d6")
        );
    }

    #[test]
    fn a_key_too_short_to_hide_has_no_fingerprint() {
        for short in ["abc", "sk-0123456789abcde", "sk-proj-0123456789abcde"] {
            assert_eq!(fingerprint(short), None, "{short}");
        }
        assert!(fingerprint("sk-0123456789abcdef").is_some());
    }

    #[test]
    fn redact_url_hides_credentials_parsed_or_not() {
        for (url, shown) in [
            ("http://user:pw@proxy:8080/v1", "http://***@proxy:8080/v1"),
            ("https://api.openai.com/v1", "https://api.openai.com/v1"),
            // Not a URL (port out of range), and passwords with `/`, `#`, `?`, `@`.
            (
                "https://u:KEY@127.0.0.1:99999/v1",
                "https://***@127.0.0.1:99999/v1",
            ),
            ("https://user:S3CRETpa/ss@gw.corp/v1", "https://***@gw.corp/v1"),
            ("http://u:pa#ss@proxy:3128", "http://***@proxy:3128"),
            ("http://u:p?a@ss@proxy:3128", "http://***@proxy:3128"),
            ("ftp://u:pw@host:99999", "ftp://***@host:99999"),
            ("https://user:123/ss@gw.corp/v1", "https://***@gw.corp/v1"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        assert!(url_credentials("https://user:S3CRETpa%2Fss@gw.corp").contains(&"S3CRETpa/ss".to_string()));
    }

    #[test]
    fn redact_replaces_every_echo_in_every_escape() {
        let secrets = Secrets::of(&[PROJECT]);
        let text = format!("bad key {PROJECT} (again: {PROJECT})");
        assert_eq!(
            secrets.redact(&text),
            "bad key sk-proj-…wxyz (again: sk-proj-…wxyz)"
        );
        let password = Secrets::of(&["pa%ss:w\"o|rd_1"]);
        for escaped in [
            "pa%ss:w\\\"o|rd_1".to_string(),
            text::workflow_property("pa%ss:w\"o|rd_1"),
            text::markdown_text("pa%ss:w\"o|rd_1"),
        ] {
            assert!(
                !password.redact(&format!("x {escaped} y")).contains(&escaped),
                "{escaped}"
            );
        }
    }

    #[test]
    fn a_short_secret_is_hidden_as_a_word_only() {
        let secrets = Secrets::of(&["abc12"]);
        assert_eq!(secrets.redact("provided: abc12."), "provided: ….");
        assert_eq!(secrets.redact("xabc12 abc123"), "xabc12 abc123");
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
                prop_assert!(!Secrets::of(&[&secret]).redact(&text).contains(&secret));
            }

            /// A user or password in a URL never survives redaction, whatever
            /// characters it holds and whether or not the URL parses.
            #[test]
            fn redact_url_leaves_no_credentials(
                scheme in "(https?|ftp|socks5)",
                user in "[A-Za-z0-9._~-]{1,12}",
                password in "[A-Za-z0-9/#?@:%!$&'()*+,;=._~-]{8,30}",
                host in "[a-z0-9.-]{1,20}(:[0-9]{1,6})?",
                path in "(/[A-Za-z0-9._-]{0,10}){0,3}",
            ) {
                let url = format!("{scheme}://{user}:{password}@{host}{path}");
                let shown = redact_url(&url);
                prop_assert!(!shown.contains(&password), "{}", shown);
                prop_assert!(shown.starts_with(&format!("{scheme}://***@")), "{}", shown);
            }

            /// However a secret is escaped for an output format, the
            /// redaction still finds it.
            #[test]
            fn redact_finds_every_escaped_form(secret in "[ -~]{8,40}", before in "[a-z ]{0,10}") {
                let secrets = Secrets::of(&[&secret]);
                let core = unwrap_key(&secret).key.to_string();
                prop_assume!(core.chars().count() >= 8);
                let json = serde_json::to_string(&core).unwrap();
                for form in [
                    core.clone(),
                    json.trim_matches('"').to_string(),
                    text::workflow_property(&core),
                    text::markdown_text(&core),
                ] {
                    let out = secrets.redact(&format!("{before}{form}"));
                    prop_assert!(!out.contains(&form), "{:?} in {:?}", form, out);
                }
            }

            #[test]
            fn unwrap_key_takes_off_only_the_wrapping(key in "[A-Za-z0-9_-]{1,60}", pad in "[ \t\n\"']{0,4}") {
                let wrapped = format!("{pad}Bearer {key}{pad}");
                prop_assert_eq!(unwrap_key(&wrapped).key, key.as_str());
            }
        }
    }
}
