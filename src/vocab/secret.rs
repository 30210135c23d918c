//! The API key as a type: it cannot be printed by accident.
//!
//! `Display` shows the masked form, `Debug` shows nothing, and the memory is
//! wiped on drop. The only way to the full value is [`ApiKey::expose`], which
//! the probe calls to build the Authorization header.

use std::fmt;

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{keys, text};

/// A secret this long is also looked for in pieces of [`CHUNK_LEN`].
const MIN_CHUNKED_LEN: usize = 12;
/// Keys are a few hundred characters, Entra ID tokens a few thousand; a
/// longer value is looked for whole.
const MAX_CHUNKED_LEN: usize = 8192;
/// The shortest piece of a secret looked for on its own: shorter pieces of a
/// random key show too little to be worth hiding, and could match words.
const CHUNK_LEN: usize = 10;

/// What the URL parser percent-encodes in a path, a query and a fragment
/// (WHATWG's sets), so that a secret a URL holds is found as it is shown.
const URL_FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
const URL_QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'\'');
const URL_PATH: &AsciiSet = &URL_QUERY.remove(b'\'').add(b'?').add(b'`').add(b'{').add(b'}');

/// How many characters after the prefix a key must have before its last four
/// are shown: short or odd keys show less.
const MIN_HIDDEN_FOR_TAIL: usize = 16;

/// Shortest secret that [`Secrets::redact`] hunts for inside other text; a
/// shorter one is hunted only as a whole word, so it cannot mangle text.
const MIN_REDACT_LEN: usize = 8;

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Zeroizing<String>);

impl ApiKey {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        ApiKey(Zeroizing::new(value.into()))
    }

    /// The full key. Only for the Authorization header and for comparing keys.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn masked(&self) -> String {
        mask(&self.0)
    }

    /// `None` for a key too short to hide: with its length known, 48 bits of
    /// its hash would let it be found by trying.
    pub(crate) fn fingerprint(&self) -> Option<String> {
        fingerprint(&self.0)
    }

    /// In characters, as a person would count them.
    pub(crate) fn len(&self) -> usize {
        self.0.chars().count()
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
    let prefix = keys::prefix_of(core).map_or("", |(p, _)| p);
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
pub(crate) fn fingerprint(value: &str) -> Option<String> {
    let prefix = keys::prefix_of(value).map_or(0, |(p, _)| p.len());
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
    /// (a form of a secret, its mask), in the order added; repeats are
    /// dropped once, when the matcher is built.
    forms: Vec<(Zeroizing<String>, String)>,
    /// Built at the first redaction after the last addition: one set, one
    /// sort, one automaton, so the cost is linear in what the secrets hold.
    matcher: OnceLock<Matcher>,
}

#[derive(Clone)]
struct Matcher {
    automaton: Option<AhoCorasick>,
    /// Per pattern: its mask, and whether it is short (found as a word only).
    masks: Vec<(String, bool)>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} forms)", self.forms.len())
    }
}

impl Secrets {
    /// Secrets known from the start, e.g. `Secrets::of(&[key])`.
    #[cfg(test)]
    pub(crate) fn of(secrets: &[&str]) -> Self {
        let mut all = Secrets::default();
        for s in secrets {
            all.add(s);
        }
        all
    }

    /// A secret, as given and with its wrapping (white space, quotes,
    /// `Bearer `) taken off, in every escaped form.
    pub(crate) fn add(&mut self, secret: &str) {
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
                // As a URL shows it once parsed: a host lower-cased, a path,
                // query or fragment percent-encoded.
                core.to_ascii_lowercase(),
                utf8_percent_encode(core, URL_PATH).to_string(),
                utf8_percent_encode(core, URL_QUERY).to_string(),
                utf8_percent_encode(core, URL_FRAGMENT).to_string(),
            ];
            for form in forms.into_iter().filter(|f| !f.is_empty()) {
                self.forms.push((Zeroizing::new(form), masked.clone()));
            }
            // A server may echo a key cut into pieces (a line or a space
            // every so many characters, or between every character, which
            // `redact` reads through): every piece of it is found too, but
            // for those of its public prefix alone.
            let chars: Vec<char> = core.chars().collect();
            let prefix = keys::prefix_of(core).map_or(0, |(p, _)| p.chars().count());
            if (MIN_CHUNKED_LEN..=MAX_CHUNKED_LEN).contains(&chars.len()) {
                for (at, window) in chars.windows(CHUNK_LEN).enumerate() {
                    if at + CHUNK_LEN > prefix {
                        self.forms
                            .push((Zeroizing::new(window.iter().collect()), masked.clone()));
                    }
                }
            }
        }
        self.matcher = OnceLock::new();
    }

    fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| {
            let mut seen = HashSet::new();
            let mut patterns = Vec::new();
            let mut masks = Vec::new();
            for (form, masked) in &self.forms {
                if seen.insert(form.as_str()) {
                    patterns.push(form.as_str());
                    masks.push((masked.clone(), form.chars().count() < MIN_REDACT_LEN));
                }
            }
            let automaton = (!patterns.is_empty()).then(|| {
                // An NFA, never a DFA: building a DFA follows failure links
                // for every state and byte, which is quadratic in a
                // repetitive secret (16 KiB of one letter took 19 s).
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .expect("literal patterns always build")
            });
            Matcher { automaton, masks }
        })
    }

    /// Every form of every secret in `text`, replaced by the secret's mask.
    /// A secret of 8 characters or more is found anywhere; a shorter one
    /// only as a whole word, so that it cannot mangle ordinary text. Then
    /// once more with the text's separators read through — white space,
    /// control characters, quotes, commas, brackets, `*`, short HTML tags —
    /// so that a secret echoed in pieces (`sk-p roj- ENVK …`, `['s', 'k', …]`,
    /// `Zq9X**w8Vu`) is found too.
    pub fn redact(&self, text: &str) -> String {
        let direct = self.redact_as_written(text);
        self.redact_through_separators(&direct)
    }

    fn redact_as_written(&self, text: &str) -> String {
        let matcher = self.matcher();
        let Some(automaton) = &matcher.automaton else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut from = 0;
        while let Some(found) = automaton.find(Input::new(text).span(from..text.len())) {
            let (masked, short) = &matcher.masks[found.pattern().as_usize()];
            if *short && !is_word(text, found.start(), found.end()) {
                // Not this one; a secret may still start inside it.
                from = next_char(text, found.start());
                continue;
            }
            out.push_str(&text[copied..found.start()]);
            out.push_str(masked);
            copied = found.end();
            from = found.end();
        }
        out.push_str(&text[copied..]);
        out
    }

    fn redact_through_separators(&self, text: &str) -> String {
        let matcher = self.matcher();
        let Some(automaton) = &matcher.automaton else {
            return text.to_string();
        };
        let (squeezed, origin) = squeeze(text);
        if squeezed.len() == text.len() {
            // No separator: the first pass saw it all.
            return text.to_string();
        }
        let mut spans: Vec<(usize, usize, &str)> = Vec::new();
        for found in automaton.find_iter(squeezed.as_str()) {
            let (masked, short) = &matcher.masks[found.pattern().as_usize()];
            if *short {
                continue;
            }
            let (start, end) = (origin[found.start()].0, origin[found.end() - 1].1);
            match spans.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => spans.push((start, end, masked)),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (start, end, masked) in spans {
            out.push_str(&text[copied..start]);
            out.push_str(masked);
            copied = end;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// How a string from a server is kept: every known secret redacted,
    /// then whatever still looks like one masked as a pasted text's is (a
    /// server may echo a key changed — percent-encoded, cut, split by a
    /// soft hyphen — so that it no longer matches), and control characters
    /// escaped. `keep_lines` for a body.
    pub(crate) fn clean(&self, text: &str, keep_lines: bool) -> String {
        text::escape_controls(&super::pasted::mask(&self.redact(text)), keep_lines)
    }
}

/// `text` without its separators, and for each byte kept the span of the
/// character it came from in `text`.
fn squeeze(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut squeezed = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '<' {
            // A short HTML tag: `<b>`, `</em>`, `<span>`.
            let rest = &text[at + 1..];
            let name = rest.strip_prefix('/').unwrap_or(rest);
            let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
            if (1..=8).contains(&letters) && name[letters..].starts_with('>') {
                let skip = rest.len() - name.len() + letters + 1;
                for _ in 0..skip {
                    chars.next();
                }
                continue;
            }
        }
        if is_separator(c) {
            continue;
        }
        let end = at + c.len_utf8();
        squeezed.push(c);
        origin.extend(std::iter::repeat_n((at, end), c.len_utf8()));
    }
    (squeezed, origin)
}

/// What may stand between the pieces of a secret echoed cut up.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || text::is_invisible(c)
        || matches!(
            c,
            '\'' | '"' | '`' | ',' | '[' | ']' | '(' | ')' | '{' | '}' | '*' | '|'
        )
}

/// Whether `text[start..end]` stands alone: bounded by characters keys
/// never hold.
fn is_word(text: &str, start: usize, end: usize) -> bool {
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_key_char) && !after.is_some_and(is_key_char)
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// A key with what has an obvious fix taken off — surrounding whitespace,
/// quotes, and a `Bearer ` prefix — and which of those were there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unwrapped<'a> {
    pub key: &'a str,
    pub whitespace: bool,
    pub quotes: bool,
    pub bearer: bool,
}

pub(crate) fn unwrap_key(raw: &str) -> Unwrapped<'_> {
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
                    prop_assert!(super::keys::prefixes().any(|p| p == prefix) || prefix.is_empty());
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
