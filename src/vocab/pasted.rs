//! Masking a text nobody vouched for — a pasted log, a traceback — where the
//! secrets are not known in advance: by context (the value after `api-key:`,
//! `Authorization: Bearer`, `?sig=`) and by shape (a key's prefix or marker,
//! a long high-entropy token). Escapes are read as what they stand for and
//! invisible characters as nothing, so a key written `\163\153-…`, `%2D`,
//! `'sk-admin-Zq9X' 'w8Vu…'`, with a soft hyphen or a `\r` inside, or glued
//! after a `\n`, is still one key. `explain` runs it on every line it reads
//! and once more at its output edge, after all decoding.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::keys::{self, KEY_MARKER};
use super::secret;
use super::text::is_invisible;

/// Shortest key worth masking by its prefix.
const MIN_KEY_CHARS: usize = 20;
/// Shortest hexadecimal token masked by its shape alone (an Azure key is 32).
const MIN_TOKEN_CHARS: usize = 32;
/// Shortest token of letters of both cases and digits masked by its shape
/// alone: random text that long is no word (a key's tail, cut from its
/// prefix, is often this short).
const MIN_MIXED_TOKEN_CHARS: usize = 24;
/// Shortest run, after a key and one space, that is taken for the rest of
/// that key (a key split by a space when it was copied).
const MIN_CONTINUATION_CHARS: usize = 8;

/// Ids that look random and are no secret: quoting them to support is the
/// point (`req_…`, `chatcmpl-…`, `org-…`).
const PUBLIC_ID_PREFIXES: &[&str] = &[
    "req_",
    "chatcmpl-",
    "cmpl-",
    "org-",
    "proj_",
    "file-",
    "asst_",
    "thread_",
    "run_",
    "step_",
    "msg_",
    "call_",
    "resp_",
    "batch_",
    "ftjob-",
    "ft-",
    "user-",
    "vs_",
    "modr-",
    "evt_",
];

/// Every secret in `text` masked as the doctor masks a key.
pub fn mask(text: &str) -> String {
    mask_shapes(&mask_random_runs(&mask_spaced_keys(&mask_hex_groups(
        &mask_base64(&mask_contexts(text)),
    ))))
}

/// The keys in source code, known by their prefixes (`sk-…`, a gateway's
/// token) wherever they stand — a comment, an f-string. The other masks
/// read `NAME = value` and lists of short strings as secrets, which in
/// code they are not.
pub fn mask_key_shapes(text: &str) -> String {
    mask_shapes(text)
}

/// A key written in small pieces with separators between them — a space
/// between every character or every few, a list of strings — which no
/// run of key characters is long enough to show.
static SPACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[A-Za-z0-9_-]{1,8}(?:(?:, |', '|", "| |	)[A-Za-z0-9_-]{1,8}){4,}"#)
        .expect("the spaced pattern compiles")
});

fn mask_spaced_keys(text: &str) -> String {
    if !text.contains(['-', '_']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in SPACED.find_iter(text) {
        let joined: String = found.as_str().chars().filter(|c| is_key_char(*c)).collect();
        // Only what then starts like a key: prose joined is no key.
        let key = keys::prefix_of(&joined).is_some_and(|(prefix, issuer)| {
            issuer != keys::Issuer::Token && joined.len() >= prefix.len() + MIN_CONTINUATION_CHARS
        });
        if key {
            out.push_str(&text[copied..found.start()]);
            out.push_str(&secret::mask(&joined));
            copied = found.end();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Long random runs of one case and digits, or with `/` (an AWS secret):
/// the shape pass asks for both cases.
static RANDOM_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9/]{32,}").expect("the random-run pattern compiles"));

fn mask_random_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in RANDOM_RUN.find_iter(text) {
        let token = found.as_str();
        let digits = token.chars().filter(char::is_ascii_digit).count();
        let letters = token.chars().filter(char::is_ascii_alphabetic).count();
        let one_case =
            token.chars().all(|c| !c.is_ascii_uppercase()) || token.chars().all(|c| !c.is_ascii_lowercase());
        let slashes = token.matches('/').count();
        // Not a path: no leading `/`, few separators, no empty segment.
        let path_like = token.starts_with('/') || slashes > 3 || token.contains("//");
        let random = if slashes > 0 {
            !path_like && digits >= 1 && letters >= 20 && !one_case
        } else {
            one_case && digits >= 6 && letters >= 6 && !token.chars().all(|c| c.is_ascii_hexdigit())
        };
        if random {
            out.push_str(&text[copied..found.start()]);
            out.push_str(&secret::mask(token));
            copied = found.end();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Hexadecimal written in groups (`726f6a2d 526b3751 …`, a hex dump of a
/// key): each group is too short to mask alone.
static HEX_GROUPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[0-9a-fA-F]{4,}(?: [0-9a-fA-F]{4,}){3,}(?-u:\b)").expect("the hex pattern compiles")
});

fn mask_hex_groups(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in HEX_GROUPS.find_iter(text) {
        let token = found.as_str();
        let digits = token.chars().filter(char::is_ascii_hexdigit).count();
        let mixed =
            token.chars().any(|c| c.is_ascii_digit()) && token.chars().any(|c| c.is_ascii_alphabetic());
        if digits >= MIN_TOKEN_CHARS && mixed {
            out.push_str(&text[copied..found.start()]);
            out.push('…');
            copied = found.end();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Standard base64 (with `+` and `/`): a storage account's key, a signing
/// secret. The shape pass reads only key characters, and would leave the
/// pieces between `+` and `/` whole.
static BASE64: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/]{40,}={0,2}").expect("the base64 pattern compiles"));

fn mask_base64(text: &str) -> String {
    if !text.contains(['+', '/']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in BASE64.find_iter(text) {
        let token = found.as_str();
        let has = |f: fn(&char) -> bool| token.chars().any(|c| f(&c));
        // Random text of both cases and digits, with base64's own marks:
        // a `+`, or padding; no path (`//`, or a word between slashes).
        let base64 = has(char::is_ascii_uppercase)
            && has(char::is_ascii_lowercase)
            && has(char::is_ascii_digit)
            && (token.contains('+') || token.ends_with('='))
            && !token.contains("//");
        if base64 {
            out.push_str(&text[copied..found.start()]);
            out.push_str(&secret::mask(token));
            copied = found.end();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Names whose value is a credential: as a header, a variable, a
/// dictionary key or a query parameter.
/// ASCII classes only: the regex crate is built without its Unicode tables
/// (the names are ASCII; the value runs to an ASCII delimiter).
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i-u:",
        // A header, variable, dictionary key or parameter whose name ends
        // like a credential's: `api-key: …`, `OPENAI_API_KEY=…`, `token=…`,
        // `'Ocp-Apim-Subscription-Key': '…'`, `"password": "…"`,
        // `AccountKey=…`, `Cookie: …`. (Not `code`, nor `tokens`: error
        // codes and token counts are read after this.)
        r"[A-Za-z0-9_-]*(?:key|keys|token|secret|secrets|password|passwd|pwd|pass|signature|sig|credential|credentials|cookie|session|sid)",
        r#"\\?["']?[ \t]*(?:[:=]|\x{FF1A})[ \t]*\\?["']?[ \t]*(?:(?:bearer|basic|token)[ \t]+)?"#,
        r"|",
        // `Authorization: <any scheme> …` (Bearer, Basic, Token, …).
        r#"\bauthorization\\?["']?[ \t]*(?:[:=]|\x{FF1A})[ \t]*\\?["']?[ \t]*(?:[A-Za-z][A-Za-z0-9_-]*[ \t]+)?"#,
        r"|",
        // `Bearer …`, `Bearer%20…`, `Basic …` anywhere.
        r"\b(?:bearer|basic)(?:[ \t]+|%20|\+)",
        r"|",
        // A command line's flag: `--api-key …`, `--token=…`; `-u user:…`.
        r"(?:^|[ \t])--?[A-Za-z0-9_-]*(?:key|token|secret|password|passwd|pwd)(?:[ \t]+|=)",
        r"|",
        r"(?:^|[ \t])(?:-u|--user)[ \t]+[A-Za-z0-9._@+-]+:",
        r"|",
        // What the API says it received: shown whole, it is the key itself
        // (OpenAI's own echo is masked with `*`, which no secret holds).
        r"\bprovided:[ \t]*",
        r"|",
        // A query parameter (here `code` is an OAuth code).
        r"[?&;](?:[A-Za-z0-9_-]*(?:key|token|sig|signature|secret|password|auth)|code)=",
        r")",
        r#"([^\t\n\x0B\x0C\r "'&,;)}\]<>`]+)"#,
    ))
    .expect("the context pattern compiles")
});

/// Words one of which every context holds: one pass rules out most lines.
static CONTEXT_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "key",
            "token",
            "bearer",
            "basic",
            "sig",
            "code",
            "secret",
            "password",
            "passwd",
            "credential",
            "authorization",
            "pwd",
            "pass",
            "cookie",
            "session",
            "sid",
            "provided",
            "--",
            "-u",
        ])
        .expect("the words compile")
});

fn mask_contexts(text: &str) -> String {
    if !CONTEXT_WORDS.is_match(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in CONTEXT.captures_iter(text) {
        let group = found.get(1).expect("the value group");
        let start = group.start();
        // A sentence's full stop is no part of the value.
        let value = &text[start..start + group.as_str().trim_end_matches('.').len()];
        if !secret_like(value) {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(&mask_value(value));
        copied = start + value.len();
    }
    out.push_str(&text[copied..]);
    out
}

/// The mask of a value found by its context: a key keeps its prefix, also
/// when written-out escapes stand before it (`\nsk-admin-…`), which stay.
fn mask_value(value: &str) -> String {
    let mut rest = value;
    while let Some(after) = ["\\n", "\\r", "\\t"].iter().find_map(|e| rest.strip_prefix(e)) {
        rest = after;
    }
    let lead = &value[..value.len() - rest.len()];
    let masked = secret::mask(rest);
    format!("{lead}{}", if masked.is_empty() { "…" } else { &masked })
}

/// A value that may be a credential, not a placeholder (`YOUR_KEY`,
/// `<token>`, `${VAR}`, `undefined`) or something already masked.
fn secret_like(value: &str) -> bool {
    let chars = value.chars().count();
    let placeholder = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        || value.contains(['…', '*', '<', '{', '$', '%'])
        || value.chars().all(|c| c == value.chars().next().unwrap_or(' '));
    chars >= 8 && !placeholder && (value.chars().any(|c| c.is_ascii_digit()) || chars >= 16)
}

/// One unit of a run of key characters, where it stands in the text.
#[derive(Clone, Copy)]
struct Piece {
    /// The key character it stands for; `None` for glue (an invisible
    /// character, an escaped `\r`, a line continuation, the quotes of
    /// concatenated literals), which joins the characters around it.
    char: Option<char>,
    start: usize,
    end: usize,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn mask_shapes(text: &str) -> String {
    if !may_hold_a_token(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    // Where the last key masked in this text ended.
    let mut last_key_end = None;
    while at < text.len() {
        let (pieces, end) = run(text, at);
        // Right after a mask (`sk-admin-…AbCd`): what follows was glued on
        // later (a line continuation decoded after the line was masked).
        let after_mask = pieces.first().is_some_and(|p| {
            let before = text[..p.start].strip_suffix('…');
            before
                .and_then(|b| b.chars().next_back())
                .is_some_and(is_key_char)
        });
        // One separator after a key: the rest of it, split when it was
        // copied (or echoed) in pieces.
        let continues = pieces
            .first()
            .is_some_and(|p| piece_follows_a_key(text, p.start, last_key_end))
            && is_random(&pieces, MIN_CONTINUATION_CHARS);
        let spans = if continues {
            let (first, last) = (pieces[0].start, pieces[pieces.len() - 1].end);
            vec![(first, last, "…".to_string())]
        } else {
            masked_spans(&pieces, after_mask)
        };
        for (start, end, masked) in spans {
            out.push_str(&text[copied..start]);
            out.push_str(&masked);
            copied = end;
            last_key_end = Some(end);
        }
        at = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether any masking by shape could apply: a run of key characters as long
/// as the shortest key, or something that may join shorter runs (an escape,
/// a quote, an entity, a character past ASCII).
fn may_hold_a_token(text: &str) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            run += 1;
            if run >= MIN_KEY_CHARS {
                return true;
            }
        } else if matches!(b, b'\\' | b'%' | b'&' | b'\'' | b'"' | b'\r') || !b.is_ascii() {
            return true;
        } else {
            run = 0;
        }
    }
    false
}

/// The run of key characters and glue that starts at `at` (glue before its
/// first character is passed over: a key may start right after it), without
/// glue at its end; and where to look next.
fn run(text: &str, at: usize) -> (Vec<Piece>, usize) {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut i = at;
    while i < text.len() {
        let after_char = pieces.last().is_some_and(|p| p.char.is_some());
        let Some(p) = piece(text, i, after_char) else {
            break;
        };
        i = p.end;
        if !pieces.is_empty() || p.char.is_some() {
            pieces.push(p);
        }
    }
    while pieces.last().is_some_and(|p| p.char.is_none()) {
        pieces.pop();
    }
    let next = match pieces.last() {
        Some(last) => last.end,
        None if i > at => i,
        None => at + text[at..].chars().next().map_or(1, char::len_utf8),
    };
    (pieces, next)
}

/// The piece at `i`, if one starts there.
fn piece(text: &str, i: usize, after_char: bool) -> Option<Piece> {
    let rest = &text[i..];
    let c = rest.chars().next()?;
    let one = |char: Option<char>, len: usize| {
        Some(Piece {
            char,
            start: i,
            end: i + len,
        })
    };
    if is_key_char(c) {
        return one(Some(c), 1);
    }
    // Invisible, or a control that erases or moves (a backspace, a bare CR).
    if is_invisible(c) || matches!(c, '\r' | '\u{8}' | '\u{7f}') {
        return one(None, c.len_utf8());
    }
    // Markup inside a run: Markdown's emphasis (`**`), a short HTML tag.
    if after_char && rest.starts_with("**") {
        return one(None, 2);
    }
    if after_char && let Some(len) = short_tag(rest) {
        return one(None, len);
    }
    match c {
        '\\' => escape(rest).and_then(|(decoded, len)| match decoded {
            Decoded::Char(c) => one(Some(c), len),
            Decoded::Glue => one(None, len),
        }),
        '%' => percent(rest).and_then(|(decoded, len)| match decoded {
            Decoded::Char(c) => one(Some(c), len),
            Decoded::Glue => one(None, len),
        }),
        '&' => entity(rest).and_then(|(decoded, len)| match decoded {
            Decoded::Char(c) => one(Some(c), len),
            Decoded::Glue => one(None, len),
        }),
        // Literals written side by side are one string: `'ab' 'cd'`,
        // `"ab" + "cd"`, `\"ab\" \"cd\"`, `'ab' f"cd"`.
        '\'' | '"' if after_char => concatenation(rest).and_then(|len| one(None, len)),
        _ => None,
    }
}

enum Decoded {
    Char(char),
    Glue,
}

/// What a backslash escape stands for, when it is a key character or
/// something invisible, and how long it is.
fn escape(rest: &str) -> Option<(Decoded, usize)> {
    let bytes = rest.as_bytes();
    let hex = |from: usize, len: usize| -> Option<u32> {
        let digits = rest.get(from..from + len)?;
        digits
            .chars()
            .all(|c| c.is_ascii_hexdigit())
            .then(|| u32::from_str_radix(digits, 16).ok())
            .flatten()
    };
    let char_of = |value: Option<u32>| value.and_then(char::from_u32);
    let (c, len) = match *bytes.get(1)? {
        // Written out escapes of a newline, a carriage return or a tab.
        b'n' | b'r' | b't' => return Some((Decoded::Glue, 2)),
        // A line continuation (JSON5, shell, C).
        b'\n' => return Some((Decoded::Glue, 2)),
        b'\r' if bytes.get(2) == Some(&b'\n') => return Some((Decoded::Glue, 3)),
        // A terminal's colour written out: `\e[0m`.
        b'e' => return csi(&rest[2..]).map(|len| (Decoded::Glue, len + 2)),
        b'u' if bytes.get(2) == Some(&b'{') => {
            let close = rest[3..].find('}').filter(|&n| (1..=6).contains(&n))?;
            (char_of(hex(3, close))?, close + 4)
        }
        b'u' => (char_of(hex(2, 4))?, 6),
        b'U' => (char_of(hex(2, 8))?, 10),
        // `\xc2\xad`: the bytes of one UTF-8 character, as a bytes repr shows them.
        b'x' => utf8_of(|at| {
            rest.get(at..)?.starts_with("\\x").then_some(())?;
            Some((hex(at + 2, 2)? as u8, 4))
        })?,
        // `\N{SOFT HYPHEN}`: Python's escape by name.
        b'N' if bytes.get(2) == Some(&b'{') => {
            let close = rest[3..].find('}').filter(|&n| n <= 64)?;
            (by_name(&rest[3..3 + close])?, close + 4)
        }
        b'0'..=b'7' => {
            let digits = rest.get(1..4)?;
            if !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            (char::from_u32(u32::from_str_radix(digits, 8).ok()?)?, 4)
        }
        _ => return None,
    };
    classify(c, len)
}

/// A key character stands for itself; an invisible one, or a line end,
/// joins what is around it; anything else ends the run.
fn classify(c: char, len: usize) -> Option<(Decoded, usize)> {
    if is_key_char(c) {
        Some((Decoded::Char(c), len))
    } else if is_invisible(c) || c == '\r' || c == '\n' {
        Some((Decoded::Glue, len))
    } else {
        None
    }
}

/// One character written as the bytes of its UTF-8 form, each read by
/// `byte_at(offset)` as (byte, length written); with its total length.
fn utf8_of(byte_at: impl Fn(usize) -> Option<(u8, usize)>) -> Option<(char, usize)> {
    let (first, mut len) = byte_at(0)?;
    let count = match first {
        0x00..=0x7f => return Some((first as char, len)),
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let mut bytes = vec![first];
    for _ in 1..count {
        let (byte, more) = byte_at(len)?;
        bytes.push(byte);
        len += more;
    }
    let c = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    Some((c, len))
}

/// The length of a short HTML tag (`<b>`, `</em>`, `<span>`) that starts
/// `rest`.
fn short_tag(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('<')?;
    let name = inner.strip_prefix('/').unwrap_or(inner);
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    ((1..=8).contains(&letters) && name[letters..].starts_with('>'))
        .then(|| 1 + (inner.len() - name.len()) + letters + 1)
}

/// `%2D`, `%C2%AD`: percent-encoded, one character (of one or more bytes).
fn percent(rest: &str) -> Option<(Decoded, usize)> {
    let (c, len) = utf8_of(|at| {
        let digits = rest.get(at..at + 3).filter(|t| t.starts_with('%'))?;
        Some((u8::from_str_radix(&digits[1..], 16).ok()?, 3))
    })?;
    classify(c, len)
}

/// The length of a terminal control sequence after its `ESC` (`[0m`,
/// `[1;31m`), when one starts here.
fn csi(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('[')?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    body.as_bytes()
        .get(params)
        .filter(|b| b.is_ascii_alphabetic())
        .map(|_| params + 2)
}

/// A character Python's `\N{…}` names: the invisible ones, and the key
/// characters a key is written with.
fn by_name(name: &str) -> Option<char> {
    let name = name.to_ascii_uppercase();
    let invisible = [
        "ZERO WIDTH",
        "JOINER",
        "SOFT HYPHEN",
        "VARIATION SELECTOR",
        "INVISIBLE",
        "FILLER",
    ];
    if invisible.iter().any(|w| name.contains(w)) {
        return Some('\u{200b}');
    }
    const DIGITS: [&str; 10] = [
        "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
    ];
    let single = |letter: &str| {
        let mut chars = letter.chars();
        chars
            .next()
            .filter(|c| c.is_ascii_alphabetic() && chars.next().is_none())
    };
    match name.as_str() {
        "HYPHEN-MINUS" => Some('-'),
        "LOW LINE" => Some('_'),
        _ => {
            if let Some(digit) = name.strip_prefix("DIGIT ") {
                let at = DIGITS.iter().position(|d| *d == digit)?;
                return char::from_digit(at as u32, 10);
            }
            if let Some(letter) = name.strip_prefix("LATIN SMALL LETTER ") {
                return single(letter).map(|c| c.to_ascii_lowercase());
            }
            single(name.strip_prefix("LATIN CAPITAL LETTER ")?)
        }
    }
}

/// `&#8203;`, `&#x2D;`, `&#x200b` (no `;`), `&shy;`, `&ZeroWidthSpace;`: an
/// HTML character reference.
fn entity(rest: &str) -> Option<(Decoded, usize)> {
    let body = &rest[1..];
    if let Some(number) = body.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (number, 10, 2),
        };
        let count = digits
            .bytes()
            .take_while(|b| {
                if radix == 16 {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .take(8)
            .count();
        if digits[count..].starts_with(';') {
            let value = u32::from_str_radix(&digits[..count], radix).ok()?;
            return classify(char::from_u32(value)?, skip + count + 1);
        }
        // Without its `;` a reference ends where its digits do, and a key's
        // own hex digits may follow: any reading that hides a break counts.
        return (1..=count).rev().find_map(|n| {
            let value = u32::from_str_radix(&digits[..n], radix).ok()?;
            classify(char::from_u32(value)?, skip + n)
        });
    }
    let count = body
        .bytes()
        .take_while(u8::is_ascii_alphanumeric)
        .take(32)
        .count();
    if !body[count..].starts_with(';') {
        return None;
    }
    let c = match &body[..count] {
        "shy" => '\u{ad}',
        "ZeroWidthSpace"
        | "NegativeThinSpace"
        | "NegativeMediumSpace"
        | "NegativeThickSpace"
        | "NegativeVeryThinSpace" => '\u{200b}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "NoBreak" => '\u{2060}',
        "hyphen" | "dash" | "minus" => '-',
        "lowbar" | "UnderBar" => '_',
        _ => return None,
    };
    classify(c, count + 2)
}

/// The length of `' '`, `" + "`, `\" \"`, `' f'` between two literals, when
/// a key character follows. Python joins literals side by side whatever
/// their quotes and prefixes.
fn concatenation(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = 1;
    let blank = |i: &mut usize| {
        while matches!(bytes.get(*i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            *i += 1;
        }
    };
    blank(&mut i);
    if bytes.get(i) == Some(&b'+') {
        i += 1;
        blank(&mut i);
    }
    // A string prefix: r, b, u, f and their pairs.
    let prefix = bytes[i..]
        .iter()
        .take_while(|b| matches!(b, b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F'))
        .count();
    if prefix > 2 {
        return None;
    }
    i += prefix;
    if bytes.get(i) == Some(&b'\\') {
        i += 1;
    }
    matches!(bytes.get(i), Some(b'\'' | b'"')).then_some(())?;
    // The next literal starts with a key character, or with an escape of one.
    let next = rest[i + 1..].chars().next()?;
    (is_key_char(next) || matches!(next, '\\' | '%' | '&')).then_some(i + 1)
}

/// The spans of a run to mask, as (start, end, mask) in the text.
fn masked_spans(pieces: &[Piece], after_mask: bool) -> Vec<(usize, usize, String)> {
    // Shorter than any key: nothing to look for (but the rest of a mask).
    let chars = pieces.iter().filter(|p| p.char.is_some()).count();
    if chars < MIN_KEY_CHARS && !(after_mask && chars > 4) {
        return Vec::new();
    }
    // The characters the run stands for, where each came from, and where a
    // key may start: at the run's start, after glue, after a non-letter.
    let mut decoded = String::new();
    let mut from: Vec<usize> = Vec::new();
    let mut may_start: Vec<bool> = Vec::new();
    let mut after_glue = true;
    for (index, p) in pieces.iter().enumerate() {
        match p.char {
            Some(c) => {
                let previous = decoded.chars().next_back();
                may_start.push(after_glue || previous.is_none_or(|p| !p.is_ascii_alphabetic()));
                decoded.push(c);
                from.push(index);
                after_glue = false;
            }
            None => after_glue = true,
        }
    }
    let span =
        |a: usize, b: usize, text: &str| (pieces[from[a]].start, pieces[from[b - 1]].end, secret::mask(text));
    let len = decoded.len();
    // A key by its prefix, from there to the end of the run.
    let prefixed = keys::prefixes().find_map(|prefix| {
        decoded
            .match_indices(prefix)
            .map(|(at, _)| at)
            .find(|&at| may_start[at] && len - at >= MIN_KEY_CHARS)
    });
    if let Some(at) = prefixed {
        return vec![span(at, len, &decoded[at..])];
    }
    if decoded.contains(KEY_MARKER) && len >= MIN_KEY_CHARS {
        return vec![span(0, len, &decoded)];
    }
    // A mask shows at most the last four characters: more after it is the
    // rest of a key, of which the last four may show.
    if after_mask && len > 4 {
        let (start, end, _) = span(0, len, "");
        return vec![(start, end, decoded[len - 4..].to_string())];
    }
    if len < MIN_MIXED_TOKEN_CHARS
        || PUBLIC_ID_PREFIXES.iter().any(|p| decoded.starts_with(p))
        || is_uuid(&decoded)
    {
        return Vec::new();
    }
    // Random letters of both cases and digits: base64url of a token.
    let has = |f: fn(&char) -> bool| decoded.chars().any(|c| f(&c));
    if has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && has(char::is_ascii_digit) {
        return vec![span(0, len, &decoded)];
    }
    if len < MIN_TOKEN_CHARS {
        return Vec::new();
    }
    // Long hexadecimal (an Azure key is 32), between `-` or `_`.
    let mut spans = Vec::new();
    let mut start = 0;
    for part in decoded.split(['-', '_']) {
        let hex = part.chars().all(|c| c.is_ascii_hexdigit());
        let mixed = part.chars().any(|c| c.is_ascii_digit()) && part.chars().any(|c| c.is_ascii_alphabetic());
        if part.len() >= MIN_TOKEN_CHARS && hex && mixed {
            spans.push(span(start, start + part.len(), part));
        }
        start += part.len() + 1;
    }
    // Hexadecimal cut into groups (`01234567-89abcdef-…`) that are no UUID.
    let parts: Vec<&str> = decoded.split('-').collect();
    let hex_digits: usize = parts.iter().map(|p| p.len()).sum();
    let all_hex = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_hexdigit()));
    if spans.is_empty()
        && parts.len() > 1
        && all_hex
        && hex_digits >= MIN_TOKEN_CHARS
        && has(char::is_ascii_digit)
    {
        return vec![span(0, len, &decoded)];
    }
    spans
}

/// What stands between the pieces of a key split when it was copied: a
/// space, a line, the seams of a list of strings.
const PIECE_SEPARATORS: &[&str] = &["', '", "\", \"", ", ", "\r\n", " ", "\t", "\n"];

/// Whether `start` follows a key (masked in this pass, ending at
/// `last_key_end`, or masked before: `…` and at most four characters) and
/// one separator.
fn piece_follows_a_key(text: &str, start: usize, last_key_end: Option<usize>) -> bool {
    PIECE_SEPARATORS.iter().any(|separator| {
        let Some(before) = text[..start].strip_suffix(separator) else {
            return false;
        };
        let tail = before
            .chars()
            .rev()
            .take_while(|c| is_key_char(*c))
            .take(5)
            .count();
        last_key_end == Some(before.len()) || (tail <= 4 && before[..before.len() - tail].ends_with('…'))
    })
}

/// Whether a run reads as random: at least `min` key characters, with
/// letters of both cases and digits.
fn is_random(pieces: &[Piece], min: usize) -> bool {
    let chars: Vec<char> = pieces.iter().filter_map(|p| p.char).collect();
    chars.len() >= min
        && chars.iter().any(char::is_ascii_uppercase)
        && chars.iter().any(char::is_ascii_lowercase)
        && chars.iter().any(char::is_ascii_digit)
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    const ADMIN: &str = "sk-admin-Zq9Xw8VuT7sR6qP5oN4mL3kJ2hG1fE0dC9bA8zY7xW6vU5tS4rQ3pO2nM1lK0jwxyz";

    #[test]
    fn a_key_however_it_was_written_is_masked() {
        let octal: String = ADMIN.chars().map(|c| format!("\\{:03o}", c as u32)).collect();
        let long_u: String = ADMIN.chars().map(|c| format!("\\U{:08x}", c as u32)).collect();
        let percent = ADMIN.replace('-', "%2D");
        for text in [
            ADMIN.to_string(),
            octal,
            long_u,
            percent,
            format!("provided: \\n{ADMIN}."),
            format!("key '{}' '{}'", &ADMIN[..13], &ADMIN[13..]),
            format!("key \"{}\" + \"{}\"", &ADMIN[..13], &ADMIN[13..]),
            format!("\"{}\\\n{}\"", &ADMIN[..20], &ADMIN[20..]),
            format!("{}\u{ad}{}", &ADMIN[..13], &ADMIN[13..]),
            format!("{}\r{}", &ADMIN[..13], &ADMIN[13..]),
            format!("{}\\r{}", &ADMIN[..13], &ADMIN[13..]),
            format!("{}&#8203;{}", &ADMIN[..13], &ADMIN[13..]),
            format!("{}\\u{{200b}}{}", &ADMIN[..13], &ADMIN[13..]),
            format!("{}\u{200b}{}", &ADMIN[..13], &ADMIN[13..]),
        ] {
            let out = super::mask(&text);
            for part in [&ADMIN[13..30], &ADMIN[40..60]] {
                assert!(!out.contains(part), "{text:?} -> {out:?}");
            }
            assert!(out.contains("sk-admin-…wxyz"), "{text:?} -> {out:?}");
        }
    }

    #[test]
    fn secrets_are_masked_by_their_context() {
        let azure = "3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c";
        for text in [
            format!("GET /openai/models?api-version=2024-10-21&api-key={azure}"),
            format!("'Ocp-Apim-Subscription-Key': 'abc{}'", &azure[..12]),
            "Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==".to_string(),
            "authorization: Bearer my.custom.token.12345".to_string(),
            format!("AZURE_OPENAI_API_KEY={azure}"),
            format!("x-request-id: {azure}"),
            format!("key_{azure}"),
            "echoed: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_string(),
            "token=Abc123Def456Ghi789Jkl012Mno345Pqr".to_string(),
            "?sig=Zm9vYmFyYmF6cXV4MTIz&sv=2024".to_string(),
        ] {
            let out = super::mask(&text);
            assert!(
                !out.contains(&azure[4..20])
                    && !out.contains("cjpwYXNzd29y")
                    && !out.contains("custom.token")
                    && !out.contains("89abcdef0123456789")
                    && !out.contains("Def456Ghi789")
                    && !out.contains("YmFyYmF6"),
                "{text} -> {out}"
            );
        }
    }

    #[test]
    fn what_is_no_secret_is_left_alone() {
        for text in [
            "request id req_0123456789abcdef0123456789abcdef",
            "x-request-id: req_0123456789abcdef0123456789abcdef",
            "id 123e4567-e89b-12d3-a456-426614174000",
            "(i.e. Authorization: Bearer YOUR_KEY), or as the password field",
            "Incorrect API key provided: sk-proj-****6789. You can find your API key at https://platform.openai.com/account/api-keys.",
            "the task-management-component-of-the-system and \\n escapes \\u00e9",
            "OPENAI_API_KEY=undefined",
            "api_key: ${OPENAI_API_KEY}",
            "\"code\": \"invalid_api_key\", \"prompt_tokens\": 12345678",
            "File \"/usr/lib/python3.11/site-packages/openai/_base_client.py\", line 1027",
            "chatcmpl-AbCdEf0123456789GhIjKl0123456789",
            "key sk-proj-…wxyz was masked",
        ] {
            assert_eq!(super::mask(text), text);
        }
    }

    #[test]
    fn an_entity_before_text_past_ascii_is_read_without_a_panic() {
        // Once sliced at a fixed byte count, inside the `é`.
        let text = "provided: sk-admin-abcdefghijklmnopqrstu&éééééééé; x";
        assert!(super::mask(text).contains("éééé"));
    }

    proptest::proptest! {
        /// Whatever a paste holds, masking it ends, without a panic.
        #[test]
        fn any_text_is_masked_without_a_panic(text in "\\PC{0,80}", glue in "[&%\\\\'\"#x0-9a-fA-F;{}N]{0,12}") {
            let _ = super::mask(&format!("{text}{glue}{text}"));
        }
    }
}
