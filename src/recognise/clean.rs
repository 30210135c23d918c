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
