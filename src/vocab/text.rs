//! Text from outside — a server's answer, a pasted log, a file name — made
//! safe to show, and the escapes of the places it is shown in. Each rule is
//! written once here: the formats call these, and the redaction of secrets
//! knows the same escapes so an escaped secret is still found.

/// C0 and C1 control characters (ESC, CR, BEL, …) and the invisible format
/// characters (bidi overrides and isolates, U+2028/2029, soft hyphen,
/// zero-width characters, BOM) shown as `\u{1b}`-style escapes, so a server
/// or a pasted log cannot move the cursor, retitle the terminal, hide a line
/// behind `\r`, start a new line of output or reorder one. `keep_lines`
/// leaves `\n` and `\t` alone, for a body shown over several lines.
pub fn escape_controls(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A character that does something other than show itself.
fn is_hidden(c: char) -> bool {
    c.is_control() || is_format(c)
}

/// Unicode's format characters (category Cf) and the line and paragraph
/// separators: invisible, and some of them reorder or break the text
/// around them.
pub(crate) fn is_format(c: char) -> bool {
    matches!(c,
        '\u{ad}'
        | '\u{600}'..='\u{605}'
        | '\u{61c}'
        | '\u{6dd}'
        | '\u{70f}'
        | '\u{890}'..='\u{891}'
        | '\u{8e2}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}'
    )
}

/// A character that shows as nothing, or as blank, though it is no format
/// character: a combining grapheme joiner, variation selectors, Hangul
/// fillers, the braille blank. Inside a pasted key it hides a break.
pub(crate) fn is_invisible(c: char) -> bool {
    is_format(c)
        || matches!(c,
            '\u{34f}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{ffa0}'
            | '\u{e0100}'..='\u{e01ef}'
        )
}

/// Breaks a command a CI runner would act on, in text shown as it is
/// (human, quiet, annotations' messages), whatever runner this is: GitHub's
/// `::cmd::` at the start of a line and the legacy `##[cmd]` anywhere, Azure
/// Pipelines' `##vso[` anywhere, TeamCity's `##teamcity[` anywhere,
/// Buildkite's `--- `, `+++ `, `~~~ ` and `^^^ +++` group lines, Travis'
/// `travis_fold:` and `travis_time:`, GitLab's `section_start:` and
/// `section_end:`. A zero-width space breaks each and shows nothing.
pub fn defuse_workflow_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(indent);
        out.push_str(lead);
        match LINE_COMMANDS.iter().find(|c| rest.starts_with(**c)) {
            Some(command) => {
                let (first, after) = command.split_at(1);
                out.push_str(first);
                out.push('\u{200b}');
                out.push_str(after);
                out.push_str(&rest[command.len()..]);
            }
            None => out.push_str(rest),
        }
    }
    defuse_anywhere(&out, "\u{200b}")
}

/// What starts a runner's command at the start of a line.
const LINE_COMMANDS: &[&str] = &["::", "--- ", "+++ ", "~~~ ", "^^^ +++"];

/// What starts a runner's command anywhere in a line, matched without
/// regard to case (the agents match so): the break goes after its first
/// character.
const ANYWHERE_COMMANDS: &[&str] = &[
    "##[",
    "##vso[",
    "##teamcity[",
    "travis_fold:",
    "travis_time:",
    "section_start:",
    "section_end:",
];

fn defuse_anywhere(text: &str, breaker: &str) -> String {
    break_anywhere(text, |out, rest| {
        out.push_str(breaker);
        out.push_str(rest);
    })
}

/// The same for JSON, where a value never starts a line: the character
/// after the break is written as a `\u` escape (`#\u0023[`,
/// `travis\u005ffold:`), which parses back to the same string.
pub fn defuse_workflow_commands_json(json: &str) -> String {
    break_anywhere(json, |out, rest| {
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
        out.push_str(chars.as_str());
    })
}

/// Each command of [`ANYWHERE_COMMANDS`] in `text`, cut after its first
/// character (`#`) or before its `_`, with `write` writing the rest of it.
fn break_anywhere(text: &str, write: impl Fn(&mut String, &str)) -> String {
    let lower = text.to_ascii_lowercase();
    if !ANYWHERE_COMMANDS.iter().any(|c| lower.contains(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    while at < text.len() {
        if let Some(command) = ANYWHERE_COMMANDS.iter().find(|c| lower[at..].starts_with(**c)) {
            // A break inside the word, where the runners look for it whole.
            let cut = if command.starts_with("##") {
                1
            } else {
                command.find('_').unwrap_or(1)
            };
            out.push_str(&text[at..at + cut]);
            write(&mut out, &text[at + cut..at + command.len()]);
            at += command.len();
        } else {
            let c = text[at..].chars().next().expect("inside the text");
            out.push(c);
            at += c.len_utf8();
        }
    }
    out
}

/// The message part of a workflow command: `%`, CR and LF are encoded, and
/// a legacy `##[` command inside is defused.
pub(crate) fn workflow_data(text: &str) -> String {
    defuse_anywhere(
        &text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A"),
        "\u{200b}",
    )
}

/// A property value of a workflow command (`title=`): also `:` and `,`.
pub(crate) fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Text for one line of Markdown: no HTML, link or image can come from it,
/// and a `|` does not end a table cell. Backticks stay: the checklists use
/// them for commands, and a stray one can only end a code span early. A word
/// GitHub would turn into a link by itself — `https://…`, `www.…`, an e-mail
/// address — goes in a code span, where nothing links.
pub(crate) fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for word in text.split_inclusive(char::is_whitespace) {
        let bare = word.trim_end_matches(char::is_whitespace);
        if autolinks(bare) {
            out.push_str(&markdown_code(bare));
            out.push_str(&word[bare.len()..].replace(['\r', '\n'], " "));
            continue;
        }
        for c in word.chars() {
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
    }
    out
}

/// Whether GitHub's extended autolinks would make a link of the word: a
/// scheme's `://`, `www.`, or an address's `@` before a dot.
fn autolinks(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://")
        || lower.contains("www.")
        || lower
            .split_once('@')
            .is_some_and(|(_, domain)| domain.contains('.'))
}

/// A Markdown code span that holds `text` as it is, whatever backticks it
/// contains: the fence is one backtick longer than the longest run inside.
pub(crate) fn markdown_code(text: &str) -> String {
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

    proptest::proptest! {
        /// Any runner's command, in any case, anywhere in any text: none
        /// survives defusing, in text or in JSON, and nothing else changes.
        #[test]
        fn no_runner_command_survives(
            parts in proptest::collection::vec(
                (
                    "[ a-z:#\\[\\]\n-]{0,6}",
                    proptest::sample::select(vec![
                        "::", "##[", "##vso[", "##teamcity[", "--- ", "+++ ", "~~~ ", "^^^ +++",
                        "travis_fold:", "travis_time:", "section_start:", "section_end:",
                    ]),
                    proptest::bool::ANY,
                ),
                1..6,
            ),
        ) {
            let text: String = parts
                .iter()
                .map(|(glue, command, upper)| {
                    let command = if *upper { command.to_ascii_uppercase() } else { command.to_string() };
                    format!("{glue}{command}")
                })
                .collect();
            let out = defuse_workflow_commands(&text);
            let lower = out.to_ascii_lowercase();
            for command in ANYWHERE_COMMANDS {
                proptest::prop_assert!(!lower.contains(command), "{:?} -> {:?}", text, out);
            }
            for line in out.lines() {
                proptest::prop_assert!(!LINE_COMMANDS.iter().any(|c| line.trim_start().starts_with(c)), "{:?}", line);
            }
            proptest::prop_assert_eq!(out.replace('\u{200b}', ""), text.clone());
            let json = serde_json::to_string(&text).unwrap();
            let defused = defuse_workflow_commands_json(&json);
            let lower = defused.to_ascii_lowercase();
            for command in ANYWHERE_COMMANDS {
                proptest::prop_assert!(!lower.contains(command), "{:?}", defused);
            }
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&defused).unwrap(), text);
        }
    }

    #[test]
    fn every_runners_commands_are_defused() {
        let text = "x ##vso[task.setvariable variable=PATH;]/tmp/evil\n##TeamCity[setParameter name='a']\n--- :boom: group\n  +++ open\n^^^ +++\ntravis_fold:start:x\nsection_start:1:x\n##VSO[task.complete]";
        let out = defuse_workflow_commands(text);
        let lower = out.to_ascii_lowercase();
        for command in ANYWHERE_COMMANDS {
            assert!(!lower.contains(command), "{command}: {out}");
        }
        for line in out.lines() {
            assert!(
                !LINE_COMMANDS.iter().any(|c| line.trim_start().starts_with(c)),
                "{line}"
            );
        }
        assert_eq!(out.replace('\u{200b}', ""), text);
        let json = serde_json::to_string(text).unwrap();
        let defused = defuse_workflow_commands_json(&json);
        assert!(!defused.to_ascii_lowercase().contains("##vso["), "{defused}");
        assert_eq!(serde_json::from_str::<String>(&defused).unwrap(), text);
    }

    #[test]
    fn format_characters_are_shown_escaped() {
        assert_eq!(
            escape_controls("a\u{202e}b\u{2066}c\u{2028}d\u{ad}e\u{feff}f", false),
            "a\\u{202e}b\\u{2066}c\\u{2028}d\\u{ad}e\\u{feff}f"
        );
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
            markdown_text("![x](e.x/a.png) <img src=x> a|b `c`"),
            "\\!\\[x\\]\\(e.x/a.png\\) &lt;img src=x&gt; a\\|b `c`"
        );
        assert_eq!(
            markdown_text("see https://evil.example/login, www.evil.example or ops@evil.example\nnow"),
            "see `https://evil.example/login,` `www.evil.example` or `ops@evil.example` now"
        );
        assert_eq!(markdown_code("req_`1`"), "`` req_`1` ``");
        assert_eq!(markdown_code("plain"), "`plain`");
    }
}
