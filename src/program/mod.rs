//! The program: its code read into what it does, in order. Each language's
//! parser (`python.rs`, `javascript.rs`) turns syntax into facts
//! (`facts.rs`); the walk picks the files (`walk.rs`), the local modules
//! they import are followed (`imports.rs`) and the manifests say which SDK
//! they are written for (`manifests.rs`). `lint` runs its rules over these
//! facts; `doctor PROGRAM` reads from them what the program will do
//! (`read.rs`).

pub(crate) mod facts;
pub(crate) mod imports;
pub(crate) mod javascript;
pub(crate) mod manifests;
pub(crate) mod python;
pub mod read;
pub(crate) mod walk;

use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;

use facts::{FileFacts, Language};

/// A path that cannot be read: a usage error, not a finding.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// A source file, as the rules and the doctor see it.
pub(crate) struct File {
    /// As walked.
    pub path: PathBuf,
    /// As parsed (a notebook's code cells, joined).
    pub text: String,
    pub facts: FileFacts,
    /// Written for openai-python below 1 or openai-node below 4, as the
    /// nearest manifest (or the notebook's `%pip install`) says.
    pub legacy_sdk: bool,
}

/// Words without which a file cannot hold a trap (compared without case):
/// a client or a key variable (`openai`, `OpenAI`, `OPENAI_…`), a `.env`
/// loader, a key. Files without any are not parsed.
pub(crate) const SCREEN: &[&str] = &["openai", "dotenv", crate::vocab::keys::OPENAI_PREFIX];

/// A file read and parsed.
pub(crate) struct Parsed {
    pub path: PathBuf,
    pub file: File,
}

pub(crate) fn modules(parsed: &[Parsed]) -> Vec<imports::Module<'_>> {
    parsed
        .iter()
        .map(|p| imports::Module {
            path: &p.path,
            text: &p.file.text,
            facts: &p.file.facts,
        })
        .collect()
}

/// Read, screen (unless no screen is given) and parse each file, on every core.
pub(crate) fn parse_in_parallel(paths: &[PathBuf], screen: Option<&AhoCorasick>) -> Vec<Parsed> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = paths.get(i) else { break };
            if let Some(p) = parse_one(path, screen) {
                mine.push(p);
            }
        }
        mine
    };
    let mut parsed: Vec<Parsed> = std::thread::scope(|scope| {
        // The parsers and the walk over their trees recurse as deep as the
        // code nests: a stack to match the largest file parsed (only the
        // pages used are ever committed).
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(PARSER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    parsed
}

/// The most a source file may hold to be parsed: generated bundles and
/// minified files larger than this hold no program of one's own. A larger
/// one that mentions OpenAI is said to be skipped.
const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// The stack of a parsing thread: code nested (or chained, `1+1+…`) as deep
/// as a 1 MiB file allows fits in it (`tests/lint.rs` parses such files).
pub(crate) const PARSER_STACK: usize = 512 * 1024 * 1024;

fn parse_one(path: &Path, screen: Option<&AhoCorasick>) -> Option<Parsed> {
    use crate::resolve::files::{ReadError, read_file};
    let language = walk::language(path)?;
    let (bytes, too_large) = match read_file(path, MAX_SOURCE_BYTES) {
        Ok(bytes) => (bytes, false),
        Err(ReadError::TooLarge { .. }) => (read_file(path, 16 * MAX_SOURCE_BYTES).ok()?, true),
        Err(_) => return None,
    };
    if screen.is_some_and(|screen| !screen.is_match(&bytes)) {
        return None;
    }
    // A file in another encoding (a `coding: latin-1` line) is read as far
    // as it is UTF-8: the code's own names are ASCII.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let facts: FileFacts = if too_large {
        FileFacts {
            language,
            parse_error: Some((
                0,
                format!(
                    "is larger than {} MiB, so it was not parsed (generated or minified code?)",
                    MAX_SOURCE_BYTES / (1024 * 1024)
                ),
            )),
            ..FileFacts::default()
        }
    } else {
        match language {
            Language::Python => python::facts(&text),
            Language::JavaScript => javascript::facts(&text, path),
            // Lines are shown from the cells' code, not the JSON.
            Language::Notebook => {
                let (code, facts) = python::notebook(&text)?;
                return Some(Parsed {
                    path: path.to_path_buf(),
                    file: File {
                        path: path.to_path_buf(),
                        text: code,
                        facts,
                        legacy_sdk: false,
                    },
                });
            }
        }
    };
    Some(Parsed {
        path: path.to_path_buf(),
        file: File {
            path: path.to_path_buf(),
            text,
            facts,
            legacy_sdk: false,
        },
    })
}

#[cfg(test)]
mod tests;
