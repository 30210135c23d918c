//! Fixes: text edits a rule offers where it fired. A safe fix changes
//! nothing but the trap, and `--fix` applies it; the others change more
//! (what the program reads, or when) and `--diff` shows them to apply by
//! hand, as Ruff tells its safe fixes from its unsafe ones.

use std::ops::Range;

/// One fix: its edits to the file's text, applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Changes nothing but the trap.
    pub safe: bool,
    /// What it does, in a few words.
    pub title: &'static str,
    edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    text: String,
}

impl Fix {
    /// Moves the statement alone on the line at `from` to just above the
    /// line at `to`: only when it is one whole statement (its brackets close
    /// on it, no `;` joins another), both lines are in the same block (the
    /// same indentation, and no line between them less indented: no `else:`,
    /// `}` or new `if` is crossed), and the file's line endings are kept.
    pub(crate) fn move_line_above(
        text: &str,
        from: u32,
        to: u32,
        safe: bool,
        title: &'static str,
    ) -> Option<Fix> {
        let moved = line_at(text, from as usize);
        let target = line_at(text, to as usize);
        if moved.start <= target.start {
            return None;
        }
        let line = &text[moved.clone()];
        let indent = |l: &str| l.len() - l.trim_start().len();
        let target_line = &text[target.clone()];
        let statement = line.trim();
        let starts_there = moved.start + indent(line) == from as usize;
        let whole = statement.matches('(').count() == statement.matches(')').count()
            && (statement.ends_with(')') || statement.ends_with(");"))
            && !statement.trim_end_matches(';').contains(';');
        let same_block = text[target.start..moved.start].lines().all(|between| {
            between.trim().is_empty()
                || between.trim_start().starts_with('#')
                || between.trim_start().starts_with("//")
                || indent(between) >= indent(line)
        });
        if !starts_there
            || !whole
            || !same_block
            || indent(line) != indent(target_line)
            || line[..indent(line)] != target_line[..indent(target_line)]
        {
            return None;
        }
        let end = (moved.end + 1).min(text.len());
        let mut moved_text = text[moved.start..end].to_string();
        if !moved_text.ends_with('\n') {
            // The last line, without its end: written with the file's own.
            let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
            moved_text = moved_text.trim_end_matches('\r').to_string() + ending;
        }
        Some(Fix {
            safe,
            title,
            edits: vec![
                Edit {
                    range: target.start..target.start,
                    text: moved_text,
                },
                Edit {
                    range: moved.start..end,
                    text: String::new(),
                },
            ],
        })
    }

    /// Replaces `range` with `with`.
    pub(crate) fn replace(range: Range<usize>, with: &str, safe: bool, title: &'static str) -> Fix {
        Fix {
            safe,
            title,
            edits: vec![Edit {
                range,
                text: with.to_string(),
            }],
        }
    }
}

/// The line holding `at`, without its newline.
pub(crate) fn line_at(text: &str, at: usize) -> Range<usize> {
    let at = text.floor_char_boundary(at.min(text.len()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

/// The text with these fixes applied, in order; a fix whose edits meet
/// one already applied is left out. With how many were applied.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, usize) {
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let meets = fix.edits.iter().any(|e| {
            e.range.end > text.len()
                || taken.iter().any(|t| {
                    e.range.start < t.end.max(t.start + 1) && t.start < e.range.end.max(e.range.start + 1)
                })
        });
        if meets {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.range.clone()));
        edits.extend(&fix.edits);
        applied += 1;
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// The hunks of a unified diff of a file before and after, as `git diff`
/// prints them (the `---`/`+++` header is the caller's).
pub fn unified_hunks(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_moves_only_as_a_whole_statement_at_the_same_indentation() {
        let text = "c = OpenAI()\nload_dotenv()\n";
        let fix = Fix::move_line_above(text, 13, 0, true, "t").unwrap();
        assert_eq!(apply(text, [&fix]).0, "load_dotenv()\nc = OpenAI()\n");
        // No newline at the end of the file.
        let last = "c = OpenAI()\nload_dotenv()";
        let fix = Fix::move_line_above(last, 13, 0, true, "t").unwrap();
        assert_eq!(apply(last, [&fix]).0, "load_dotenv()\nc = OpenAI()\n");
        // Part of a statement, another indentation, or a statement spread
        // over lines: no fix.
        assert!(Fix::move_line_above("c = OpenAI()\nx = load_dotenv()\n", 17, 0, true, "t").is_none());
        assert!(Fix::move_line_above("c = OpenAI()\n  load_dotenv()\n", 15, 0, true, "t").is_none());
        assert!(
            Fix::move_line_above("c = OpenAI()\nload_dotenv(\n  override=True)\n", 13, 0, true, "t")
                .is_none()
        );
        // Upwards only.
        assert!(Fix::move_line_above(text, 0, 13, true, "t").is_none());
    }

    #[test]
    fn fixes_that_meet_are_left_for_a_next_run() {
        let text = "a b c";
        let first = Fix::replace(0..1, "A", true, "t");
        let same = Fix::replace(0..1, "Z", true, "t");
        let other = Fix::replace(4..5, "C", true, "t");
        assert_eq!(apply(text, [&first, &same, &other]), ("A b C".to_string(), 2));
        let diff = unified_hunks("a\nb\n", "a\nB\n");
        assert!(
            diff.starts_with("@@ -1,2 +1,2 @@\n") && diff.contains("-b\n+B\n"),
            "{diff}"
        );
    }
}
