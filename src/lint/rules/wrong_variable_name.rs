//! A near miss of `OPENAI_API_KEY`.
//!
//! ## What it means
//! The SDKs read exactly `OPENAI_API_KEY`. A key kept under another name
//! (`OPENAI_KEY`, `OPEN_AI_API_KEY`, `OPENAI_APIKEY`) reaches the client only
//! if the code reads that name and passes it on; a name the code reads that
//! the `.env` does not define gives `None`.
//!
//! ## Usual causes
//! A `.env` written from memory; a variable renamed on one side only.
//!
//! ## Example
//! `.env` holds `OPENAI_KEY=sk-…`, and the code makes `OpenAI()` without an
//! `api_key`: the client finds no key.

use super::{At, File, LintRule, Project, Spot};
use crate::lint::fix::Fix;
use crate::program::facts::Kind;
use crate::vocab::{EnvVars, LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::WrongVariableName,
    severity: Severity::Error,
    summary: "a near miss of OPENAI_API_KEY",
    why: "The SDKs read only OPENAI_API_KEY: a key under another name reaches the client only if the code passes it on.",
    fix: "Use the name OPENAI_API_KEY in the .env, the environment and the code alike.",
    check,
    check_project: in_dotenv,
};

pub(crate) use crate::vocab::near_miss::is_misspelt as is_near_miss;

fn check(file: &File, project: &Project) -> Vec<Spot> {
    let mut spots = Vec::new();
    let key_in_dotenv = project.dotenv.get(EnvVars::OPENAI_API_KEY);
    for fact in &file.facts.facts {
        match &fact.kind {
            // Read under a name no .env defines, while the .env holds the real
            // one — unless a missing value lets the client read that one itself.
            Kind::EnvRead { name, .. }
                if is_near_miss(name)
                    && !project.dotenv.contains_key(name)
                    && !falls_back(file, fact.at, name) =>
            {
                if let Some((path, line)) = key_in_dotenv.and_then(|at| at.first()) {
                    spots.push(Spot {
                        fix: rename(file, fact.at, name),
                        at: At::Offset(fact.at),
                        message: format!(
                            "reads {name}, but the .env defines {} ({}:{line}), not {name}",
                            EnvVars::OPENAI_API_KEY,
                            path.display()
                        ),
                    });
                }
            }
            // Set under a name nothing reads, for a client that reads its own.
            Kind::EnvSet { name }
                if is_near_miss(name)
                    && !project.read_in_code.contains(name)
                    && project.client_reads_environment =>
            {
                spots.push(Spot {
                    fix: None,
                    at: At::Offset(fact.at),
                    message: format!(
                        "sets {name}, which no code here reads: the client reads only {}",
                        EnvVars::OPENAI_API_KEY
                    ),
                })
            }
            _ => {}
        }
    }
    spots
}

/// The name read, as `OPENAI_API_KEY`: unsafe, as a deployment may set
/// only the old one.
fn rename(file: &File, at: u32, name: &str) -> Option<Fix> {
    let line = crate::lint::fix::line_at(&file.text, at as usize);
    let from = (at as usize).clamp(line.start, line.end);
    let found = file.text[from..line.end].find(name)? + from;
    Some(Fix::replace(
        found..found + name.len(),
        EnvVars::OPENAI_API_KEY,
        false,
        "read the variable the .env defines",
    ))
}

fn falls_back(file: &File, at: u32, name: &str) -> bool {
    file.facts
        .facts
        .iter()
        .any(|f| f.at == at && matches!(&f.kind, Kind::KeyArgumentMayFallBack { name: n } if n == name))
}

/// The `.env` side: a near-miss name defined there that no code reads, in
/// a project whose client takes its key from the environment.
pub(crate) fn in_dotenv(project: &Project) -> Vec<Spot> {
    if !project.client_reads_environment {
        return Vec::new();
    }
    project
        .dotenv
        .iter()
        .filter(|(name, _)| is_near_miss(name) && !project.read_in_code.contains(*name))
        .filter(|_| !project.dotenv.contains_key(EnvVars::OPENAI_API_KEY))
        .flat_map(|(name, places)| {
            places.iter().map(move |(path, line)| Spot {
                fix: None,
                at: At::Line(path.clone(), *line),
                message: format!(
                    "defines {name}, which no code here reads: the client reads only {}",
                    EnvVars::OPENAI_API_KEY
                ),
            })
        })
        .collect()
}
