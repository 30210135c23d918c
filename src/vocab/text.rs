//! Text from outside — a server's answer, a pasted log, a file name — made
//! safe to show, and the escapes of the places it is shown in. Each rule is
//! written once here: the formats call these, and the redaction of secrets
//! knows the same escapes so an escaped secret is still found.

/// C0 and C1 control characters (ESC, CR, BEL, …) shown as `\u{1b}`-style
/// escapes, so a server cannot move the cursor, retitle the terminal, hide
/// a line behind `\r` or start a new line of output. `keep_lines` leaves
/// `\n` and `\t` alone, for a body shown over several lines.
pub fn escape_controls(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Text that cannot act as a GitHub workflow command: the runner reads `::`
/// at the start of a line (after white space) and the legacy `##[` anywhere.
/// A zero-width space breaks both and shows nothing.
pub fn defuse_workflow_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(indent);
        out.push_str(lead);
        match rest.strip_prefix("::") {
            Some(after) => {
                out.push_str(":\u{200b}:");
                out.push_str(after);
            }
            None => out.push_str(rest),
        }
    }
    out.replace("##[", "#\u{200b}#[")
}

/// The same for JSON, where a value never starts a line: `##[` becomes
/// `#\u0023[`, which parses back to the same string.
pub fn defuse_workflow_commands_json(json: &str) -> String {
    json.replace("##[", "#\\u0023[")
}

/// The message part of a workflow command: `%`, CR and LF are encoded, and
/// a legacy `##[` command inside is defused.
pub fn workflow_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace("##[", "#\u{200b}#[")
}

/// A property value of a workflow command (`title=`): also `:` and `,`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Text for one line of Markdown: no HTML, link or image can come from it,
/// and a `|` does not end a table cell. Backticks stay: the checklists use
/// them for commands, and a stray one can only end a code span early.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '\\' | '[' | ']' | '(' | ')' | '!' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that holds `text` as it is, whatever backticks it
/// contains: the fence is one backtick longer than the longest run inside.
pub fn markdown_code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ").replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(
            escape_controls("a\u{1b}]0;title\u{7}b\rc\nd", false),
            "a\\u{1b}]0;title\\u{7}b\\rc\\nd"
        );
        assert_eq!(escape_controls("one\n\ttwo\u{9b}", true), "one\n\ttwo\\u{9b}");
        assert_eq!(escape_controls("plain", false), "plain");
    }

    proptest::proptest! {
        /// Whatever a server sends, nothing shown can steer a terminal, and
        /// nothing can start a workflow command.
        #[test]
        fn no_control_character_or_command_survives(text in "\\PC{0,80}|[\\x00-\\x7f\\u{80}-\\u{9f}]{0,80}|(\\s*(::|##\\[)[a-z-]{0,10}\\n?){0,4}") {
            let shown = escape_controls(&text, false);
            proptest::prop_assert!(!shown.chars().any(char::is_control), "{:?}", shown);
            let defused = defuse_workflow_commands(&escape_controls(&text, true));
            for line in defused.lines() {
                proptest::prop_assert!(!line.trim_start().starts_with("::"), "{:?}", line);
            }
            proptest::prop_assert!(!defused.contains("##["));
        }
    }

    #[test]
    fn workflow_commands_are_defused() {
        let text = "ok\n::error::x\n   ::stop-commands::tok\nid: r ##[set-output name=a;]b\n";
        let out = defuse_workflow_commands(text);
        assert!(!out.lines().any(|l| l.trim_start().starts_with("::")), "{out}");
        assert!(!out.contains("##["), "{out}");
        assert_eq!(out.replace('\u{200b}', ""), text);
        let json = r###"{"m": "x ##[set-output name=a;]b"}"###;
        let value: serde_json::Value = serde_json::from_str(&defuse_workflow_commands_json(json)).unwrap();
        assert_eq!(value["m"], "x ##[set-output name=a;]b");
    }

    #[test]
    fn escapes_as_the_workflow_command_rules_say() {
        assert_eq!(
            workflow_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        assert_eq!(workflow_property("a: b, 5%\nc"), "a%3A b%2C 5%25%0Ac");
    }

    #[test]
    fn markdown_renders_as_text() {
        assert_eq!(
            markdown_text("![x](https://e.x/a.png) <img src=x> a|b `c`"),
            "\\!\\[x\\]\\(https://e.x/a.png\\) &lt;img src=x&gt; a\\|b `c`"
        );
        assert_eq!(markdown_code("req_`1`"), "`` req_`1` ``");
        assert_eq!(markdown_code("plain"), "`plain`");
    }
}
