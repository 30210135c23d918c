//! Reading a log of any size in bounded memory: a fast search finds the
//! lines that may belong to an error; those are cleaned, masked and grouped
//! into blocks — one error report each (a traceback, a Node error and its
//! dump, a curl answer) — which are handed on one at a time. Everything else
//! is only counted.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::clean::{clean_line, repeated_prefix, unescape_json_string};
use super::extract::{self, mask_secrets};
use super::phrases;

/// Bytes read at a time.
const CHUNK: usize = 1024 * 1024;
/// A longer line is read up to here; the rest of it is skipped and counted.
pub(crate) const MAX_LINE: usize = 64 * 1024;
/// The most a block keeps; a dump longer than this is cut.
const MAX_BLOCK: usize = 256 * 1024;
/// A block ends this many lines after the last line that spoke of an error
/// or was indented under it.
const TAIL_LINES: u64 = 40;
/// Lines before a block that may tell whose error it is (a Traceback header).
const LEAD_LINES: usize = 4;
const MAX_LEAD_LINE: usize = 2048;
/// How much of the line before is kept to compare its prefix with.
const MAX_PREFIX_SEEN: usize = 160;
/// Inputs up to this size are also read whole, for texts with no line that
/// looks like an error report (`429` alone, an odd layout).
pub(crate) const WHOLE: usize = 64 * 1024;

/// Words one of which every line of an error report holds: exception names
/// (`…Error`, `…Exception`), status lines, the servers' sentences, network
/// failures, and the paths of the clients' own files.
const WORDS: &[&str] = &[
    "rror",
    "xception",
    "HTTP/",
    "Traceback",
    "API key",
    "api key",
    "api_key",
    "apiKey",
    "quota",
    "ate limit",
    "ECONN",
    "ENOTFOUND",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "timed out",
    "context length",
    "Invalid URL",
    "subscription key",
    "Access denied",
    "does not exist",
    "Illegal header",
    "in header",
    "status code",
    "Status: ",
    "status: ",
    "\"status\"",
    "'status'",
    "cause",
    "Caused by",
    "ertificate",
    "onnection",
    "rganization",
    "openai",
    "OpenAI",
    "azure",
    "Azure",
    "x-request-id",
    "retry-after",
    "Unauthorized",
    "Forbidden",
    "Too Many Requests",
    "deployment",
    "api-version",
    "code:",
    "message:",
    "resulted in",
    "getaddrinfo",
    "Missing credentials",
];

/// A DFA with leftmost-first matching: it lets the search skip ahead with
/// its prefilter, several times faster than the standard semantics here.
static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(WORDS)
        .expect("the words compile")
});

/// One error report as it appeared: cleaned, masked lines.
#[derive(Debug)]
pub(crate) struct Block {
    pub text: String,
    /// 1-based numbers of the block's first line and of its last line that
    /// spoke of the error.
    pub first_line: u64,
    pub last_line: u64,
}

/// How much was read, and what was not.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InputSummary {
    pub lines: u64,
    pub bytes: u64,
    /// Lines longer than [`MAX_LINE`], read only up to it.
    pub cut_lines: u64,
    /// Bytes not read: the ends of those lines, and what did not fit in a block.
    pub skipped_bytes: u64,
}

/// What the scan leaves besides its blocks.
pub(crate) struct Scanned {
    pub input: InputSummary,
    /// The whole text, cleaned and masked, when it is at most [`WHOLE`] bytes.
    pub whole: Option<String>,
}

/// Reads everything, handing each block to `on_block` as soon as it ends.
pub(crate) fn scan(mut reader: impl Read, mut on_block: impl FnMut(Block)) -> io::Result<Scanned> {
    let mut grouper = Grouper::default();
    let mut buf = vec![0u8; CHUNK + MAX_LINE];
    let mut filled = 0;
    let mut head: Vec<u8> = Vec::new();
    let mut input = InputSummary::default();
    // Skipping the rest of an overlong line.
    let mut skipping = false;
    let mut at_eof = false;
    while !at_eof {
        let n = read_some(&mut reader, &mut buf[filled..])?;
        at_eof = n == 0;
        let room = (WHOLE + 1).saturating_sub(head.len());
        head.extend_from_slice(&buf[filled..filled + n.min(room)]);
        input.bytes += n as u64;
        filled += n;
        let mut data = &buf[..filled];
        if skipping {
            match memchr::memchr(b'\n', data) {
                Some(end) => {
                    input.skipped_bytes += end as u64;
                    data = &data[end + 1..];
                    skipping = false;
                }
                None => {
                    input.skipped_bytes += data.len() as u64;
                    filled = 0;
                    continue;
                }
            }
        }
        // Whole lines only; at the end, whatever is left is the last line.
        let complete = match memchr::memrchr(b'\n', data) {
            _ if at_eof => data.len(),
            Some(end) => end + 1,
            None => 0,
        };
        let (lines, rest) = data.split_at(complete);
        grouper.feed(lines, &mut on_block);
        let rest_len = rest.len();
        let rest_start = filled - rest_len;
        if rest_len >= MAX_LINE && !at_eof {
            // An overlong line: read its start, skip the rest.
            let mut line = buf[rest_start..rest_start + MAX_LINE].to_vec();
            line.push(b'\n');
            grouper.feed(&line, &mut on_block);
            grouper.cut_lines += 1;
            input.skipped_bytes += (rest_len - MAX_LINE) as u64;
            skipping = true;
            filled = 0;
        } else {
            buf.copy_within(rest_start..filled, 0);
            filled = rest_len;
        }
    }
    grouper.finish(&mut on_block);
    input.lines = grouper.line_number;
    input.cut_lines = grouper.cut_lines;
    input.skipped_bytes += grouper.dropped;
    let whole = (head.len() <= WHOLE).then(|| {
        let text = String::from_utf8_lossy(&head);
        let mut previous = "";
        let cleaned: Vec<String> = text
            .lines()
            .filter_map(|line| {
                let logged = &line[repeated_prefix(line, previous)..];
                previous = line;
                clean_line(logged)
            })
            .map(|l| unescape_json_string(&l).into_owned())
            .collect();
        mask_secrets(&cleaned.join("\n"))
    });
    Ok(Scanned { input, whole })
}

fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// What a line does to the block it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `Traceback (most recent call last):` — a new report starts.
    Opener,
    /// The line that says what failed: an exception, `Error code: 401`, a
    /// status line. A second one in a block starts a new report.
    Head,
    /// A chained exception follows ("During handling of the above
    /// exception…", `Caused by:`, `[cause]:`): the next head is the same report.
    Chain,
    /// Speaks of an error without starting one (a dump's `status: 401,`).
    Signal,
    /// Anything else.
    Other,
}

#[derive(Default)]
struct Grouper {
    line_number: u64,
    cut_lines: u64,
    open: Option<Open>,
    /// The last few lines with an error's words before any report, as read
    /// (their buffers are reused: a noisy log has millions of them).
    lead: VecDeque<Vec<u8>>,
    dropped: u64,
    /// The start of the line before, for [`repeated_prefix`].
    previous: Vec<u8>,
}

struct Open {
    text: String,
    first_line: u64,
    last_signal: u64,
    /// The last line that belonged to the report (a signal, or indented).
    last_seen: u64,
    has_head: bool,
    joinable: bool,
}

impl Grouper {
    /// Whole lines, each ending in `\n` but the input's last.
    fn feed(&mut self, mut data: &[u8], on_block: &mut impl FnMut(Block)) {
        while !data.is_empty() {
            if self.open.is_none() {
                // Only lines with one of the words can start a block.
                let Some(m) = SEARCH.find(data) else {
                    self.line_number += memchr::memchr_iter(b'\n', data).count() as u64;
                    if !data.ends_with(b"\n") {
                        self.line_number += 1;
                    }
                    return;
                };
                let start = memchr::memrchr(b'\n', &data[..m.start()]).map_or(0, |i| i + 1);
                self.line_number += memchr::memchr_iter(b'\n', &data[..start]).count() as u64;
                if start > 0 {
                    let before = &data[..start - 1];
                    let from = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
                    self.remember(&before[from..]);
                }
                data = &data[start..];
            }
            let end = memchr::memchr(b'\n', data).map_or(data.len(), |i| i + 1);
            let (line, rest) = data.split_at(end);
            data = rest;
            self.line_number += 1;
            // Where no block is open, the search just found a word in it.
            let has_word = self.open.is_none() || SEARCH.is_match(line);
            self.line(line, has_word, on_block);
            self.remember(line);
        }
    }

    fn remember(&mut self, line: &[u8]) {
        self.previous.clear();
        self.previous
            .extend_from_slice(&line[..line.len().min(MAX_PREFIX_SEEN)]);
    }

    fn keep_lead(&mut self, line: &[u8]) {
        let mut kept = match self.lead.len() {
            LEAD_LINES => self.lead.pop_front().unwrap_or_default(),
            _ => Vec::new(),
        };
        kept.clear();
        kept.extend_from_slice(&line[..line.len().min(MAX_LEAD_LINE)]);
        self.lead.push_back(kept);
    }

    fn line(&mut self, raw: &[u8], has_word: bool, on_block: &mut impl FnMut(Block)) {
        let mut raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        if raw.len() > MAX_LINE {
            self.cut_lines += 1;
            self.dropped += (raw.len() - MAX_LINE) as u64;
            raw = &raw[..MAX_LINE];
        }
        // Where no report is open, most lines with an error's words are
        // noise ("retries=0 last_error=none"): they are kept as they are,
        // and cleaned only if a report starts after them.
        if self.open.is_none() && !MAY_START.is_match(raw) {
            if has_word {
                self.keep_lead(raw);
            }
            return;
        }
        let text = String::from_utf8_lossy(raw);
        let text = &text[repeated_prefix(&text, &String::from_utf8_lossy(&self.previous))..];
        let Some(cleaned) = clean_line(text) else { return };
        let unescaped = unescape_json_string(&cleaned);
        let line = mask_secrets(&unescaped);
        let role = if has_word { role(&line) } else { Role::Other };
        let number = self.line_number;
        match (&mut self.open, role) {
            (None, Role::Other) => {}
            (None, Role::Signal | Role::Chain) if !starts_report(&line) => self.keep_lead(line.as_bytes()),
            (None, _) => self.start(line, number, role),
            (Some(open), Role::Opener) if !open.joinable => {
                self.close(on_block);
                self.start(line, number, role);
            }
            (Some(open), Role::Head) if open.has_head && !open.joinable => {
                self.close(on_block);
                self.start(line, number, role);
            }
            (Some(open), _) => {
                // Indented lines and closing brackets belong to the report
                // above them: a stack trace, a dump of the error object. A
                // log line that merely mentions an error ("last_error=none")
                // does not keep the report open.
                let indented = line.starts_with([' ', '\t', '}', ']', ')']);
                if matches!(role, Role::Head | Role::Opener | Role::Chain) || indented {
                    open.last_seen = number;
                    if role != Role::Other {
                        open.last_signal = number;
                    }
                }
                match role {
                    Role::Head => {
                        open.has_head = true;
                        open.joinable = message_follows(&line);
                    }
                    // "During handling…", then the next traceback: still one report.
                    Role::Opener => {}
                    Role::Chain => open.joinable = true,
                    _ => {}
                }
                if open.text.len() + line.len() < MAX_BLOCK {
                    open.text.push('\n');
                    open.text.push_str(&line);
                } else {
                    self.dropped += line.len() as u64;
                }
                if number - open.last_seen > TAIL_LINES {
                    self.close(on_block);
                }
            }
        }
    }

    fn start(&mut self, line: String, number: u64, role: Role) {
        let mut text: String = self
            .lead
            .drain(..)
            .filter_map(|l| {
                let text = String::from_utf8_lossy(&l);
                clean_line(&text).map(|c| mask_secrets(&unescape_json_string(&c)) + "\n")
            })
            .collect();
        text.push_str(&line);
        let joinable = role == Role::Head && message_follows(&line);
        self.open = Some(Open {
            text,
            first_line: number,
            last_signal: number,
            last_seen: number,
            has_head: role == Role::Head,
            joinable,
        });
    }

    fn close(&mut self, on_block: &mut impl FnMut(Block)) {
        if let Some(open) = self.open.take() {
            on_block(Block {
                text: open.text,
                first_line: open.first_line,
                last_line: open.last_signal,
            });
        }
        self.lead.clear();
    }

    fn finish(&mut self, on_block: &mut impl FnMut(Block)) {
        self.close(on_block);
    }
}

/// Words that start a report where none is open: the server's sentences, a
/// body pasted alone, the clients' missing-key errors, a refused header.
fn starts_words() -> impl Iterator<Item = &'static str> {
    phrases::words()
        .chain(["{\"error\"", "{'error'"])
        .chain(extract::client_failure_words())
        .chain(extract::REFUSED_HEADER.iter().copied())
}

static STARTS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(starts_words()).expect("the words compile"));

/// What a line must hold, as it was read, to start a report: an exception's
/// name before a colon, a status marker, a traceback, one of [`STARTS`], or
/// colours or escapes that may hide one of these until the line is cleaned.
static MAY_START: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let words = [
        "rror:",
        "xception:",
        "Error [",
        "rror)",
        "rror[<",
        "Error code: ",
        "status code",
        "resulted in a",
        "HTTP/",
        "Traceback",
        "\x1b[",
        "←[",
        "^[[",
        "\\u001b",
        "\\x1b",
        "&quot;",
        "&#",
        "\\\"",
    ];
    AhoCorasick::new(words.into_iter().chain(starts_words())).expect("the words compile")
});

fn starts_report(line: &str) -> bool {
    STARTS.is_match(line)
}

/// `AuthenticationError: ` and nothing more: the message is on the next
/// line, and a head there is the same report.
fn message_follows(line: &str) -> bool {
    line.trim_end().ends_with(':')
}

fn role(line: &str) -> Role {
    let trimmed = line.trim_start();
    if trimmed.starts_with("Traceback (most recent call last)") {
        return Role::Opener;
    }
    if line.contains("During handling of the above exception")
        || line.contains("The above exception was the direct cause")
        || trimmed.starts_with("Caused by:")
        || trimmed.starts_with("[cause]:")
        || trimmed.starts_with("cause:")
    {
        return Role::Chain;
    }
    if is_head(line) {
        return Role::Head;
    }
    Role::Signal
}

/// The line that says what failed, in the forms the clients print.
fn is_head(line: &str) -> bool {
    let status_after = |marker: &str| {
        line.match_indices(marker).any(|(at, _)| {
            let rest = &line.as_bytes()[at + marker.len()..];
            rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit)
        })
    };
    let trimmed = line.trim_start_matches(['<', ' ']);
    status_after("Error code: ")
        || status_after("error, status code: ")
        || status_after("resulted in a `")
        || (trimmed.starts_with("HTTP/") && trimmed.split_whitespace().nth(1).is_some_and(|s| s.len() == 3))
        || exception_at_start(line)
}

/// An exception's name at the start of the line, followed by `:` — as
/// Python, Node, Java (`Exception in thread "main" …`), .NET (`Unhandled
/// exception. …`), PHP and Ruby print the error that stopped the program.
fn exception_at_start(line: &str) -> bool {
    let line = line
        .strip_prefix("Unhandled exception. ")
        .or_else(|| line.strip_prefix("Uncaught "))
        .or_else(|| {
            line.strip_prefix("Exception in thread \"")
                .and_then(|r| r.split_once("\" ").map(|(_, r)| r))
        })
        .unwrap_or(line);
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '\\' | ':')))
        .unwrap_or(line.len());
    let name = line[..name_end].trim_end_matches(':');
    let rest = &line[name.len()..];
    let named = name.ends_with("Error") || name.ends_with("Exception") || name.contains("Error::");
    // `Name: …`, Node's `Name [CODE]: …`, tenacity's `RetryError[<Future … raised …>]`.
    let colon =
        rest.starts_with(':') || rest.starts_with(" [") && rest.contains("]:") || rest.starts_with("[<");
    named && colon && name.starts_with(|c: char| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(u64, u64, String)> {
        let mut out = Vec::new();
        scan(text.as_bytes(), |b| out.push((b.first_line, b.last_line, b.text))).unwrap();
        out
    }

    #[test]
    fn each_report_is_a_block_and_chained_exceptions_stay_together() {
        let log = "\
INFO start
openai.RateLimitError: Error code: 429 - {'error': {'code': 'rate_limit_exceeded'}}
INFO Retrying request to /chat/completions in 0.4 seconds
openai.RateLimitError: Error code: 429 - {'error': {'code': 'rate_limit_exceeded'}}
Traceback (most recent call last):
  File \"/app/.venv/lib/python3.11/site-packages/httpx/_client.py\", line 1, in send
h11._util.LocalProtocolError: Illegal header value b'Bearer '

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File \"/app/main.py\", line 5, in <module>
openai.APIConnectionError: Connection error.
";
        let found = blocks(log);
        let lines: Vec<(u64, u64)> = found.iter().map(|(f, l, _)| (*f, *l)).collect();
        assert_eq!(lines, [(2, 2), (4, 4), (5, 13)], "{found:#?}");
        assert!(found[2].2.contains("Illegal header") && found[2].2.ends_with("Connection error."));
    }

    #[test]
    fn a_dump_and_a_curl_answer_are_one_block_each() {
        let log = "AuthenticationError: 401 Incorrect API key provided\n    at x (/app/node_modules/openai/error.js:1:1) {\n  status: 401,\n  error: {\n    code: 'invalid_api_key'\n  }\n}\nHTTP/2 429\ncontent-type: application/json\n\n{\n  \"error\": {\n    \"code\": \"rate_limit_exceeded\"\n  }\n}\n";
        let found = blocks(log);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].2.contains("'invalid_api_key'"));
        assert!(found[1].2.contains("\"rate_limit_exceeded\"") && found[1].2.ends_with('}'));
    }

    #[test]
    fn overlong_lines_are_cut_and_counted() {
        // A line with an error's words, three times too long.
        let mut log = format!("error {}", "x".repeat(3 * MAX_LINE));
        // A line longer than what is read at a time: its start is read, the rest skipped.
        log.push_str(&format!("\nerror {}", "y".repeat(3 * CHUNK)));
        log.push_str("\nopenai.AuthenticationError: Error code: 401 - Incorrect API key provided\n");
        let mut found = Vec::new();
        let scanned = scan(log.as_bytes(), |b| found.push(b.first_line)).unwrap();
        assert_eq!(found, [3]);
        assert_eq!(scanned.input.lines, 3);
        assert_eq!(scanned.input.cut_lines, 2);
        let (first, second) = (6 + 3 * MAX_LINE, 6 + 3 * CHUNK);
        assert_eq!(
            scanned.input.skipped_bytes,
            (first - MAX_LINE + second - MAX_LINE) as u64
        );
        assert!(scanned.whole.is_none());
    }

    /// The fast test that lets noise lines pass uncleaned must never let
    /// pass a line that would start a report: checked on every line of the
    /// explain fixtures.
    #[test]
    fn no_line_that_starts_a_report_is_passed_over() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain");
        let mut checked = 0;
        for sub in ["", "sdk", "other", "public", "other-services"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                for raw in text.lines() {
                    let Some(cleaned) = clean_line(raw) else { continue };
                    let line = mask_secrets(&unescape_json_string(&cleaned));
                    let starts = matches!(role(&line), Role::Head | Role::Opener) || starts_report(&line);
                    if starts && SEARCH.is_match(raw) {
                        checked += 1;
                        assert!(MAY_START.is_match(raw), "{}: {raw}", entry.path().display());
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn exceptions_are_told_from_words() {
        for line in [
            "openai.error.RateLimitError: You exceeded",
            "AuthenticationError: 401 Incorrect",
            "TypeError [ERR_INVALID_CHAR]: Invalid character in header content [\"Authorization\"]",
            "Exception in thread \"main\" com.openai.errors.UnauthorizedException: 401: Incorrect",
            "Unhandled exception. System.ClientModel.ClientResultException: HTTP 401",
            "OpenAI\\Exceptions\\ErrorException: Incorrect API key",
            "Faraday::UnauthorizedError: the server responded with status 401",
            "tenacity.RetryError: RetryError[<Future at 0x7f3a state=finished raised APIConnectionError>]",
            "RetryError[<Future at 0x7f3a state=finished raised APIConnectionError>]",
        ] {
            assert!(exception_at_start(line), "{line}");
        }
        for line in [
            "ERROR: bad",
            "  at Error.x",
            "the Error: word",
            "[cause]: Error: x",
        ] {
            assert!(!exception_at_start(line), "{line}");
        }
    }
}
