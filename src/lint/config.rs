//! lint's settings, kept in the project: `[tool.openai-keycheck.lint]` in
//! a `pyproject.toml`, or `[lint]` in an `.openai-keycheck.toml` (which
//! wins beside it). The nearest one above the first path linted applies,
//! as Ruff finds its own; flags given on the command line win over it.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use strum::IntoEnumIterator;

use super::Unreadable;
use super::walk::absolute;
use crate::resolve::toml_tree;
use crate::vocab::{LintRuleId, Severity};

/// The file of its own.
pub const CONFIG_FILE: &str = ".openai-keycheck.toml";

/// The table of `[tool]` in a `pyproject.toml`.
const TOOL_TABLE: &str = "openai-keycheck";

/// The settings, as written.
#[derive(Debug, Default)]
struct Written {
    select: Option<Vec<LintRuleId>>,
    ignore: Vec<LintRuleId>,
    fail_on: Option<Severity>,
    /// Paths not linted, as `.gitignore` lines, from the file's folder.
    exclude: Vec<String>,
    /// Rules not applied to some paths (`"tests/**" = ["hardcoded_key"]`).
    per_file_ignores: Vec<(String, Vec<LintRuleId>)>,
}

/// The settings' names, as written.
const SETTINGS: &[&str] = &["select", "ignore", "fail-on", "exclude", "per-file-ignores"];

/// The settings that apply, ready to use.
#[derive(Debug)]
pub struct Config {
    /// Where they were read.
    pub file: PathBuf,
    pub select: Option<Vec<LintRuleId>>,
    pub ignore: Vec<LintRuleId>,
    /// `error` or `warning`.
    pub fail_on: Option<Severity>,
    exclude: Gitignore,
    per_file_ignores: Vec<(Gitignore, Vec<LintRuleId>)>,
}

impl Config {
    /// The nearest settings file at or above where the first path is (the
    /// folder linted, or the file's folder); none when there is none.
    pub fn find(paths: &[PathBuf]) -> Result<Option<Config>, Unreadable> {
        let first = paths.first().map_or(Path::new("."), PathBuf::as_path);
        let start = absolute(first);
        let start = if start.is_dir() {
            start.as_path()
        } else {
            start.parent().unwrap_or(Path::new("/"))
        };
        for dir in start.ancestors() {
            let own = dir.join(CONFIG_FILE);
            if own.is_file() {
                return Config::read(&own).map(Some);
            }
            let pyproject = dir.join("pyproject.toml");
            // Only a pyproject that speaks of the tool is parsed: a broken
            // one about other things is not lint's to judge.
            let mentions = crate::resolve::files::read_text(&pyproject, MAX_CONFIG_BYTES)
                .is_ok_and(|text| text.contains(TOOL_TABLE));
            if mentions && let Some(written) = written(&pyproject)? {
                return Config::new(&pyproject, written).map(Some);
            }
        }
        Ok(None)
    }

    /// The settings in this file (`.openai-keycheck.toml` or `pyproject.toml`).
    pub fn read(file: &Path) -> Result<Config, Unreadable> {
        Config::new(file, written(file)?.unwrap_or_default())
    }

    fn new(file: &Path, written: Written) -> Result<Config, Unreadable> {
        let folder = file.parent().filter(|p| !p.as_os_str().is_empty());
        let root = absolute(folder.unwrap_or(Path::new(".")));
        let globs = |lines: &[String]| -> Result<Gitignore, Unreadable> {
            let mut builder = GitignoreBuilder::new(&root);
            for line in lines {
                builder
                    .add_line(None, line)
                    .map_err(|e| Unreadable(format!("{}: `{line}`: {e}", file.display())))?;
            }
            builder
                .build()
                .map_err(|e| Unreadable(format!("{}: {e}", file.display())))
        };
        let per_file_ignores = written
            .per_file_ignores
            .into_iter()
            .map(|(pattern, rules)| Ok((globs(std::slice::from_ref(&pattern))?, rules)))
            .collect::<Result<_, Unreadable>>()?;
        Ok(Config {
            file: file.to_path_buf(),
            select: written.select,
            ignore: written.ignore,
            fail_on: written.fail_on,
            exclude: globs(&written.exclude)?,
            per_file_ignores,
        })
    }

    /// This path is not to be linted.
    pub(crate) fn excludes(&self, path: &Path) -> bool {
        matches(&self.exclude, path)
    }

    /// This rule does not apply to this path.
    pub(crate) fn ignores(&self, path: &Path, rule: LintRuleId) -> bool {
        self.per_file_ignores
            .iter()
            .any(|(globs, rules)| rules.contains(&rule) && matches(globs, path))
    }
}

/// The settings a file holds: none in a `pyproject.toml` without the table.
fn written(file: &Path) -> Result<Option<Written>, Unreadable> {
    let text = crate::resolve::files::read_text(file, MAX_CONFIG_BYTES)
        .map_err(|e| Unreadable(format!("{}: {e}", file.display())))?;
    let bad = |why: String| Unreadable(format!("{}: {why}", file.display()));
    let document = toml_tree::parse(&text).map_err(bad)?;
    let document = document.get_ref();
    let own = if file.file_name().is_some_and(|n| n == "pyproject.toml") {
        let Some(own) = toml_tree::table(document, "tool").and_then(|t| toml_tree::table(t, TOOL_TABLE))
        else {
            return Ok(None);
        };
        own
    } else {
        document
    };
    // Settings go under `lint`: anything else there is a mistake to say.
    if let Some((other, _)) = own.iter().find(|(k, _)| k.get_ref() != "lint") {
        let (line, _) = toml_tree::line_and_column(&text, other.span().start);
        return Err(bad(format!(
            "line {line}: `{}` is not a table of these settings (they go under `lint`: [lint], or [tool.{TOOL_TABLE}.lint] in pyproject.toml)",
            other.get_ref()
        )));
    }
    let lint = own.get("lint");
    let Some(lint) = lint else {
        return Ok(Some(Written::default()));
    };
    let at = |span: std::ops::Range<usize>| {
        let (line, column) = toml_tree::line_and_column(&text, span.start);
        format!("line {line}, column {column}")
    };
    let toml::de::DeValue::Table(lint) = lint.get_ref() else {
        return Err(bad(format!("{}: `lint` is a table of settings", at(lint.span()))));
    };
    let rules = |value: &toml_tree::Spanned<toml::de::DeValue>| -> Result<Vec<LintRuleId>, Unreadable> {
        let ids = toml_tree::strings(value.get_ref()).ok_or_else(|| {
            bad(format!(
                "{}: a list of rule ids, as [\"hardcoded_key\"]",
                at(value.span())
            ))
        })?;
        ids.into_iter()
            .map(|(id, span)| {
                LintRuleId::iter().find(|r| r.name() == id).ok_or_else(|| {
                    let known: Vec<&str> = LintRuleId::iter().map(LintRuleId::name).collect();
                    bad(format!(
                        "{}: `{id}` is not a rule (the rules: {})",
                        at(span),
                        known.join(", ")
                    ))
                })
            })
            .collect()
    };
    let mut written = Written::default();
    for (key, value) in lint.iter() {
        match key.get_ref().as_ref() {
            "select" => written.select = Some(rules(value)?),
            "ignore" => written.ignore = rules(value)?,
            "fail-on" => {
                written.fail_on = match toml_tree::string(value.get_ref()) {
                    Some("error") => Some(Severity::Error),
                    Some("warning") => Some(Severity::Warning),
                    _ => {
                        return Err(bad(format!(
                            "{}: fail-on is \"error\" or \"warning\"",
                            at(value.span())
                        )));
                    }
                }
            }
            "exclude" => {
                let globs = toml_tree::strings(value.get_ref()).ok_or_else(|| {
                    bad(format!(
                        "{}: exclude is a list of paths, as [\"legacy/\"]",
                        at(value.span())
                    ))
                })?;
                written.exclude = globs.into_iter().map(|(g, _)| g.to_string()).collect();
            }
            "per-file-ignores" => {
                let toml::de::DeValue::Table(paths) = value.get_ref() else {
                    return Err(bad(format!(
                        "{}: per-file-ignores is a table of paths and rule ids",
                        at(value.span())
                    )));
                };
                for (glob, ids) in paths.iter() {
                    written
                        .per_file_ignores
                        .push((glob.get_ref().to_string(), rules(ids)?));
                }
            }
            other => {
                return Err(bad(format!(
                    "{}: `{other}` is not a setting (the settings: {})",
                    at(key.span()),
                    SETTINGS.join(", ")
                )));
            }
        }
    }
    Ok(Some(written))
}

/// A settings file is small; a larger one is not read whole.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

fn matches(globs: &Gitignore, path: &Path) -> bool {
    let path = absolute(path);
    // A path outside the settings' folder is not theirs to exclude.
    path.starts_with(globs.path())
        && globs
            .matched_path_or_any_parents(&path, path.is_dir())
            .is_ignore()
}
