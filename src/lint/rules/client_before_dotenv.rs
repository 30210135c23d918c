//! The client is created before the `.env` is loaded.
//!
//! ## What it means
//! The SDKs read `OPENAI_API_KEY` (and the base URL, organization, project)
//! from the environment once, when the client is created. A client created
//! before `load_dotenv()` / `dotenv.config()` runs got nothing from the
//! `.env`: it raises `Missing credentials`, or keeps a stale exported key.
//!
//! ## Usual causes
//! `client = OpenAI()` at the top of a module, with `load_dotenv()` further
//! down; a tutorial's two halves pasted in the wrong order. Across modules:
//! the entry file imports a module of its own that creates the client when
//! it is imported (`llm.py`, `lib/openai.js`), and loads the `.env` only
//! after that import. In an ES module every `import` runs before the
//! module's own code, so a `dotenv.config()` call comes after all of them,
//! wherever the imports are written.
//!
//! ## Example
//! ```python
//! client = OpenAI()   # reads OPENAI_API_KEY now: unset
//! load_dotenv()
//! ```
//! ```js
//! import { client } from "./llm.js"; // llm.js runs now: `new OpenAI()`
//! import dotenv from "dotenv";
//! dotenv.config();                   // too late for llm.js
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::lint::fix::{self, Fix};
use crate::program::facts::{Fact, Kind, Language, Runs};
use crate::program::imports::{LocalImport, OnImport, in_running_order, reads_environment};
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::ClientBeforeDotenv,
    severity: Severity::Error,
    summary: "the client is created before the .env is loaded",
    why: "The SDK reads OPENAI_API_KEY when the client is created; a .env loaded later does not reach that client, whether it is created in this file or in a module imported before the load.",
    fix: "Load the .env first: call load_dotenv() (or dotenv.config()) before the client is created and before importing the module that creates it; in an ES module, make `import 'dotenv/config'` the first import.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, project: &Project) -> Vec<Spot> {
    let facts = &file.facts;
    let mut scopes: Vec<u32> = facts.facts.iter().map(|f| f.scope).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let mut spots = Vec::new();
    for scope in scopes {
        let mut in_scope: Vec<&Fact> = facts.facts.iter().filter(|f| f.scope == scope).collect();
        in_running_order(&mut in_scope);
        // What read the environment before the first load, in this scope.
        let mut early: Vec<(u32, Early)> = Vec::new();
        for fact in in_scope {
            let local = project.local_imports.get(&(file.path.clone(), fact.at));
            match (&fact.kind, local) {
                (Kind::DotenvLoaded { .. }, _)
                | (
                    Kind::Imported { .. },
                    Some(LocalImport {
                        on_import: OnImport::LoadsDotenv,
                        ..
                    }),
                ) => {
                    spots.extend(early.drain(..).map(|(at, what)| what.spot(at, fact, file)));
                    break;
                }
                (
                    Kind::Imported { .. },
                    Some(LocalImport {
                        target,
                        on_import: OnImport::MakesClient { path, line, class },
                    }),
                ) => early.push((
                    fact.at,
                    Early::Imports {
                        es_import: fact.runs == Runs::First,
                        target: target.display().to_string(),
                        // The module itself, or one it imports.
                        maker: if path == target {
                            format!("line {line}")
                        } else {
                            format!("{}:{line}", path.display())
                        },
                        class: class.clone(),
                    },
                )),
                _ => {
                    if let Some((class, at)) = reads_environment(facts, fact) {
                        early.push((at, Early::Here(class)));
                    }
                }
            }
        }
    }
    spots
}

/// What read the environment before the `.env` was loaded.
enum Early {
    /// A client created in this file.
    Here(String),
    /// An import of a module that creates one when imported.
    Imports {
        /// An ES module's `import`, which runs before the module's own code.
        es_import: bool,
        target: String,
        /// Where it is created (`line 3` in the module, or `path:line`).
        maker: String,
        class: String,
    },
}

impl Early {
    fn spot(self, at: u32, load: &Fact, file: &File) -> Spot {
        // The load moved above the client created here: safe where all it
        // names is bound there, as nothing else changes; else none is offered.
        let fix = match &self {
            Early::Here(_) if load.runs != Runs::First && bound_before(file, load, at) => {
                Fix::move_line_above(
                    &file.text,
                    load.at,
                    at,
                    true,
                    "load the .env before the client is created",
                )
            }
            _ => None,
        };
        let message = match self {
            Early::Here(class) => format!(
                "`{class}` is created here, before the .env is loaded further down: it read OPENAI_API_KEY then, and gets nothing from the .env"
            ),
            // The imports ran first; the `.env` is loaded by the module's own code.
            Early::Imports {
                es_import: true,
                target,
                maker,
                class,
            } if load.runs != Runs::First => format!(
                "this import runs `{target}`, where `{class}` is created ({maker}), before the .env is loaded: an ES module's imports all run before its own code, so the load below comes too late"
            ),
            Early::Imports {
                target, maker, class, ..
            } => format!(
                "this import runs `{target}`, where `{class}` is created ({maker}), before the .env is loaded further down: that client read OPENAI_API_KEY then, and gets nothing from the .env"
            ),
        };
        Spot {
            fix,
            at: At::Offset(at),
            message,
        }
    }
}

/// What the load calls is bound above `at`: `require('dotenv').config()`
/// binds itself; `import … from 'dotenv'` runs first; in Python, and for
/// `const dotenv = require('dotenv')`, the import is above `at`.
fn bound_before(file: &File, load: &Fact, at: u32) -> bool {
    let line = &file.text[fix::line_at(&file.text, load.at as usize)];
    let target = fix::line_at(&file.text, at as usize).start as u32;
    if !plain_arguments(line) {
        return false;
    }
    // The module's import, as a fact (a comment is none): an ES import runs
    // first; any other must be above the line the load moves to.
    let imported = file.facts.facts.iter().any(|f| {
        matches!(&f.kind, Kind::Imported { module } if module == "dotenv" || module.starts_with("dotenv."))
            && (f.runs == Runs::First || f.at < target)
    });
    match file.facts.language {
        Language::JavaScript => line.trim_start().starts_with("require(") || imported,
        Language::Python => imported,
        // A notebook's lines are its cells': no edit is offered there.
        Language::Notebook => false,
    }
}

/// The load's arguments name nothing the lines in between could define:
/// none, strings, numbers, booleans and the keywords the loaders take
/// (`load_dotenv(override=True)`, `dotenv.config({ path: ".env.local" })`).
fn plain_arguments(line: &str) -> bool {
    const WORDS: &[&str] = &[
        "load_dotenv",
        "dotenv",
        "config",
        "require",
        "override",
        "verbose",
        "path",
        "dotenv_path",
        "encoding",
        "quiet",
        "debug",
        "True",
        "False",
        "true",
        "false",
        "None",
        "null",
    ];
    let mut rest = line;
    let mut words = Vec::new();
    // Outside string literals, every name must be one of those.
    while let Some(start) = rest.find(['"', '\'']) {
        words.push(&rest[..start]);
        let quote = &rest[start..start + 1];
        let Some(end) = rest[start + 1..].find(quote) else {
            return false;
        };
        rest = &rest[start + 1 + end + 1..];
    }
    words.push(rest);
    words
        .iter()
        .flat_map(|part| part.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
        .all(|w| WORDS.contains(&w))
}
