//! One line of a log, as the error in it was written: without the
//! timestamps, CI and container prefixes, colours, gutters and escapes that
//! logs and chat pastes wrap around it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What a log line may start with before the text that was logged, in the
/// order they nest: `gh run view --log`'s job and step, a GitHub Actions or
/// ISO timestamp, a docker compose service (`litellm-1  | `), a markdown
/// quote, an editor's line-number gutter, then a logging timestamp and level.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII classes only: the regex crate is built without its Unicode tables.
    Regex::new(concat!(
        r"^(?:[^\t]*\t[^\t]*\t)?",
        r"(?:\[?[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?\]?[ \t]+)?",
        r"(?:[A-Za-z0-9][A-Za-z0-9_.-]*[ \t]+\|[ \t]?)?",
        // Kubernetes: `kubectl logs --prefix`'s `[pod/name/container] `, stern's `pod/name container `.
        r"(?:\[pod/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?\][ \t]+|pod/[A-Za-z0-9_.-]+[ \t]+(?:[a-z0-9][a-z0-9-]*[ \t]+)?)?",
        r"(?:>[ \t]?)*",
        r"(?:[ \t]*[0-9]+[ \t]*[|│][ \t]?)?",
        r"(?:\[?[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?\]?[ \t]*(?:-[ \t]*)?)?",
        r"(?:\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|CRITICAL|FATAL)\]?(?:[ \t]*-[ \t]*|:[ \t]*|[ \t]+))?",
    ))
    .expect("the prefix pattern compiles")
});

/// Escape sequences written out as text: Windows consoles show ESC as `←`,
/// `cat -v` as `^[`, JSON and Python as `\u001b` and `\x1b`.
const LITERAL_ESCAPES: &[&str] = &["←[", "^[[", "\\u001b[", "\\u001B[", "\\x1b[", "\\x1B[", "\\033["];

/// Where a log's own prefix ends on `line`, when the line before it starts
/// with a prefix of the same shape (digits alike, spaces alike): pm2's
/// `0|app  | `, journald's `Mar 03 10:00:00 host app[123]: `, Heroku's
/// `app[web.1]: `, any logger's. A prefix repeated on consecutive lines is
/// the log's, not the error's; it ends at `| `, `: ` or `] ` and holds a
/// digit, a `|` or a `[`, so that words (`Error code: `) are never taken.
pub(crate) fn repeated_prefix(line: &str, previous: &str) -> usize {
    const MAX_PREFIX: usize = 120;
    // The first separator only: past it lies the logged text, which may
    // repeat too (a retried error).
    fn end(line: &str) -> Option<usize> {
        let bytes = line.as_bytes();
        (2..bytes.len().min(MAX_PREFIX))
            .find(|&i| bytes[i - 1] == b' ' && matches!(bytes[i - 2], b'|' | b':' | b']'))
            .filter(|&i| {
                bytes[..i]
                    .iter()
                    .any(|b| b.is_ascii_digit() || matches!(b, b'|' | b'['))
            })
            .filter(|&i| i < line.trim_end().len())
    }
    fn shape(prefix: &str) -> String {
        let mut out = String::with_capacity(prefix.len());
        for c in prefix.chars() {
            let c = if c.is_ascii_digit() { '0' } else { c };
            if !(c.is_ascii_whitespace() && out.ends_with(' ')) {
                out.push(if c.is_ascii_whitespace() { ' ' } else { c });
            }
        }
        out
    }
    match (end(line), end(previous)) {
        (Some(i), Some(j)) if shape(&line[..i]) == shape(&previous[..j]) => i,
        _ => 0,
    }
}

/// The line as it was logged; `None` for a markdown fence, which holds nothing.
pub(crate) fn clean_line(line: &str) -> Option<Cow<'_, str>> {
    let mut text: Cow<str> = Cow::Borrowed(line.strip_suffix('\r').unwrap_or(line));
    if text.contains('\x1b') || LITERAL_ESCAPES.iter().any(|e| text.contains(e)) {
        let mut real = text.into_owned();
        for literal in LITERAL_ESCAPES {
            real = real.replace(literal, "\x1b[");
        }
        text = Cow::Owned(strip_ansi_escapes::strip_str(&real));
    }
    if let Some(m) = PREFIX.find(&text).filter(|m| !m.is_empty()) {
        text = Cow::Owned(text[m.end()..].to_string());
    }
    if text.trim_start().starts_with("```") {
        return None;
    }
    // `&quot;`, `&#39;`, `&lt;`: what a web page or an issue's HTML made of
    // the quotes and brackets. A name outside XML's five leaves the line as
    // it is.
    if text.contains('&')
        && text.contains(';')
        && let Ok(decoded) = quick_xml::escape::unescape(&text)
    {
        text = Cow::Owned(decoded.into_owned());
    }
    Some(text)
}

/// A line that holds an error as a JSON string (a structured log's message:
/// `"msg":"…Error code: 401 - {\"error\": …}\n  at …"`) gives its lines
/// unescaped; any other line is given back as it is.
pub(crate) fn unescape_json_string(line: &str) -> Cow<'_, str> {
    if !line.contains("\\\"") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => {}
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(line: &str) -> String {
        clean_line(line).map(|c| c.into_owned()).unwrap_or_default()
    }

    #[test]
    fn prefixes_that_logs_add_are_removed() {
        let error = "openai.AuthenticationError: Error code: 401";
        for line in [
            format!("2026-11-24T10:11:12.1234567Z {error}"),
            format!("build\tRun tests\t2026-11-24T10:11:12.1234567Z {error}"),
            format!("litellm-1  | {error}"),
            format!("app_1 | 2026-11-24 10:11:12,123 - ERROR - {error}"),
            format!("> {error}"),
            format!("  12 | {error}"),
            format!("[2026-11-24 10:11:12] ERROR: {error}"),
            format!("\x1b[31m{error}\x1b[0m"),
            format!("←[31m{error}←[0m"),
            format!("^[[1;31m{error}^[[0m"),
        ] {
            assert_eq!(clean(&line), error, "{line:?}");
        }
        assert_eq!(clean("```text"), "");
        assert_eq!(clean_line("```"), None);
    }

    #[test]
    fn a_prefix_repeated_on_consecutive_lines_is_the_logs() {
        let strip = |line: &str, previous: &str| line[repeated_prefix(line, previous)..].to_string();
        for (previous, line) in [
            (
                "0|app      | at async main (/app/index.js:5:3)",
                "0|app      | Error: 401 Incorrect API key provided",
            ),
            (
                "Mar 03 10:00:00 host app[123]: Traceback (most recent call last):",
                "Mar 03 10:00:01 host app[123]: Error: 401 Incorrect API key provided",
            ),
            (
                "2024-03-03T10:00:00.000000+00:00 app[web.1]: Traceback (most recent call last):",
                "2024-03-03T10:00:00.000000+00:00 app[web.1]: Error: 401 Incorrect API key provided",
            ),
            ("[12] x", "[13] Error: 401 Incorrect API key provided"),
        ] {
            assert_eq!(
                strip(line, previous),
                "Error: 401 Incorrect API key provided",
                "{line}"
            );
        }
        // Words are not a log's prefix, nor is a prefix the line before lacks.
        for (previous, line) in [
            ("Error code: 429 - {}", "Error code: 401 - {}"),
            (
                "openai.RateLimitError: x",
                "openai.AuthenticationError: Error code: 401",
            ),
            ("plain text", "0|app  | Error: 401"),
            ("  status: 401,", "  status: 402,"),
            (
                "Error: 401 Incorrect API key provided: sk-abc***wxyz",
                "Error: 401 Incorrect API key provided: sk-abc***wxyz",
            ),
        ] {
            assert_eq!(strip(line, previous), line, "{line}");
        }
        assert_eq!(
            clean("[pod/api-7d9f/app] openai.AuthenticationError: Error code: 401"),
            "openai.AuthenticationError: Error code: 401"
        );
        assert_eq!(
            clean("pod/api-7d9f app Error: 401 Incorrect API key provided"),
            "Error: 401 Incorrect API key provided"
        );
    }

    #[test]
    fn words_and_status_lines_are_left_alone() {
        for line in [
            "HTTP/2 401",
            "429",
            "Error: 401 Incorrect API key provided",
            "  status: 401,",
            "| a | b |",
        ] {
            assert_eq!(clean(line), line);
        }
    }

    #[test]
    fn html_and_json_escapes_are_read() {
        assert_eq!(
            clean("{&quot;error&quot;: {&#39;code&#39;: 1}}"),
            "{\"error\": {'code': 1}}"
        );
        assert_eq!(
            unescape_json_string(r#"{"msg":"x {\"error\": 1}\n  at y"}"#),
            "{\"msg\":\"x {\"error\": 1}\n  at y\"}"
        );
        assert_eq!(unescape_json_string(r"b'Bearer sk-x\n'"), r"b'Bearer sk-x\n'");
    }
}
