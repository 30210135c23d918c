//! lint's settings, kept in the project: `[tool.openai-keycheck.lint]` in
//! a `pyproject.toml`, or `[lint]` in an `.openai-keycheck.toml` (which
//! wins beside it). The nearest one above the first path linted applies,
//! as Ruff finds its own; flags given on the command line win over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use super::Unreadable;
use crate::vocab::{LintRuleId, Severity};

/// The file of its own.
pub const CONFIG_FILE: &str = ".openai-keycheck.toml";

/// The settings, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Written {
    select: Option<Vec<LintRuleId>>,
    #[serde(default)]
    ignore: Vec<LintRuleId>,
    fail_on: Option<Severity>,
    /// Paths not linted, as `.gitignore` lines, from the file's folder.
    #[serde(default)]
    exclude: Vec<String>,
    /// Rules not applied to some paths (`"tests/**" = ["hardcoded_key"]`).
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<LintRuleId>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnFile {
    #[serde(default)]
    lint: Written,
}

#[derive(Debug, Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Debug, Deserialize)]
struct Tool {
    #[serde(rename = "openai-keycheck")]
    openai_keycheck: Option<OwnFile>,
}

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
                .is_ok_and(|text| text.contains("openai-keycheck"));
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
        if written.fail_on == Some(Severity::Info) {
            return Err(Unreadable(format!(
                "{}: fail-on is `error` or `warning`",
                file.display()
            )));
        }
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
            .iter()
            .map(|(pattern, rules)| Ok((globs(std::slice::from_ref(pattern))?, rules.clone())))
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
    let bad = |e: toml::de::Error| Unreadable(format!("{}: {}", file.display(), e.to_string().trim_end()));
    if file.file_name().is_some_and(|n| n == "pyproject.toml") {
        let pyproject: Pyproject = toml::from_str(&text).map_err(bad)?;
        Ok(pyproject.tool.and_then(|t| t.openai_keycheck).map(|own| own.lint))
    } else {
        Ok(Some(toml::from_str::<OwnFile>(&text).map_err(bad)?.lint))
    }
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

/// The path from the root, without `.` and `..` (no link followed).
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
