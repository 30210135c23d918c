//! Which local file an import runs, and what running it does first: the
//! trap across modules is a module that creates its client when imported,
//! imported before the program loads its `.env`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::facts::{Fact, FileFacts, Kind, Language, Runs};
use super::walk::normal;

/// What importing a module does first, of what matters to the `.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OnImport {
    /// It loads the `.env` before any client reads the environment.
    LoadsDotenv,
    /// It creates a client that reads the environment (itself, or in a
    /// module it imports), before any `.env` is loaded.
    MakesClient {
        /// The file that creates it, as walked, and the 1-based line.
        path: PathBuf,
        line: usize,
        class: String,
    },
}

/// A local import, resolved: the file it runs and what that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalImport {
    pub target: PathBuf,
    pub on_import: OnImport,
}

/// A file read, as the import graph needs it.
pub(crate) struct Module<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub facts: &'a FileFacts,
}

/// Finds the walked file an import names, each (folder, name) once.
pub(crate) struct Resolver<'w> {
    /// The walked files by their normal form (most are already), as text:
    /// hashed as bytes, not component by component.
    known: HashMap<Cow<'w, OsStr>, &'w PathBuf>,
    /// By the importing file's folder, whether it is Python, and the name.
    found: RefCell<HashMap<(PathBuf, bool, String), Option<PathBuf>>>,
}

impl<'w> Resolver<'w> {
    pub(crate) fn new(walked: &'w [PathBuf]) -> Resolver<'w> {
        Resolver {
            known: walked.iter().map(|p| (as_text(normal(p)), p)).collect(),
            found: RefCell::new(HashMap::new()),
        }
    }

    /// The walked files these modules import (as walked): those not read
    /// yet (no word of the screen in them) may import one that creates a client.
    pub(crate) fn imported_files(&self, modules: &[Module]) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = modules
            .iter()
            .flat_map(|m| imported(m).map(move |(_, module)| self.resolve(m, module)))
            .flatten()
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Every local import whose module, when imported, loads the `.env` or
    /// creates a client: by the importing file (as walked) and the import's offset.
    pub(crate) fn local_imports(&self, modules: &[Module]) -> HashMap<(PathBuf, u32), LocalImport> {
        let by_path: HashMap<Cow<Path>, &Module> = modules.iter().map(|m| (normal(m.path), m)).collect();
        let mut graph = Graph {
            resolver: self,
            by_path: &by_path,
            done: HashMap::new(),
            busy: HashSet::new(),
            tainted: false,
            steps: 0,
        };
        let mut found = HashMap::new();
        for module in modules {
            for (at, name) in imported(module) {
                let Some(target) = self.resolve(module, name) else {
                    continue;
                };
                graph.steps = 0;
                if let Some(on_import) = graph.on_import(&target) {
                    found
                        .entry((module.path.to_path_buf(), at))
                        .or_insert(LocalImport { target, on_import });
                }
            }
        }
        found
    }

    /// The walked file an import names, if it is local.
    pub(crate) fn resolve(&self, from: &Module, name: &str) -> Option<PathBuf> {
        let dir = from.path.parent().unwrap_or(Path::new(""));
        let python = from.facts.language != Language::JavaScript;
        let key = (dir.to_path_buf(), python, name.to_string());
        let cached = self.found.borrow().get(&key).cloned();
        let found = match cached {
            Some(found) => found,
            None => {
                let found = self.first_walked(dir, python, name, None);
                self.found.borrow_mut().insert(key, found.clone());
                found
            }
        };
        // A module never imports itself: `providers/openai.py` importing
        // the `openai` package.
        match found {
            Some(itself) if normal(&itself) == normal(from.path) => {
                self.first_walked(dir, python, name, Some(from.path))
            }
            found => found,
        }
    }

    fn first_walked(&self, dir: &Path, python: bool, name: &str, not: Option<&Path>) -> Option<PathBuf> {
        let candidates = if python {
            python_candidates(dir, name)
        } else {
            javascript_candidates(dir, name)
        };
        candidates.into_iter().find_map(|candidate| {
            let candidate = as_text(normal(&candidate));
            self.known
                .get::<OsStr>(&candidate)
                .filter(|p| not.is_none_or(|not| normal(p) != normal(not)))
                .map(|p| (*p).clone())
        })
    }
}

struct Graph<'g, 'a> {
    resolver: &'g Resolver<'g>,
    by_path: &'g HashMap<Cow<'g, Path>, &'g Module<'a>>,
    done: HashMap<PathBuf, Option<OnImport>>,
    /// Being imported now: importing one of these again runs nothing
    /// (Python hands back the module half made; Node its exports so far).
    busy: HashSet<PathBuf>,
    /// What was found met a module being imported: it holds for this
    /// entry's order of imports only, so it is not kept for the others.
    tainted: bool,
    /// Modules followed for this import: a tangle of cycles is given up on
    /// past a bound, rather than followed path by path.
    steps: usize,
}

/// The most modules followed for one import.
const MAX_STEPS: usize = 10_000;

impl Graph<'_, '_> {
    fn on_import(&mut self, path: &Path) -> Option<OnImport> {
        let key = normal(path).into_owned();
        if let Some(known) = self.done.get(&key) {
            return known.clone();
        }
        let module = *self.by_path.get(key.as_path())?;
        self.steps += 1;
        if self.steps > MAX_STEPS || !self.busy.insert(key.clone()) {
            self.tainted = true;
            return None;
        }
        let outer = std::mem::replace(&mut self.tainted, false);
        let mut effect = None;
        for fact in at_import(module.facts) {
            effect = match &fact.kind {
                Kind::DotenvLoaded { .. } => Some(OnImport::LoadsDotenv),
                Kind::Imported { module: name } => self
                    .resolver
                    .resolve(module, name)
                    .and_then(|target| self.on_import(&target)),
                _ => reads_environment(module.facts, fact).map(|(class, at)| OnImport::MakesClient {
                    path: module.path.to_path_buf(),
                    line: line_of(module.text, at),
                    class,
                }),
            };
            if effect.is_some() {
                break;
            }
        }
        self.busy.remove(&key);
        if !self.tainted {
            self.done.insert(key, effect.clone());
        }
        self.tainted |= outer;
        effect
    }
}

/// What runs when the module is imported, in the order it runs: its
/// top-level code, not what waits for `__main__` or a call.
fn at_import(facts: &FileFacts) -> Vec<&Fact> {
    let mut top: Vec<&Fact> = facts
        .facts
        .iter()
        .filter(|f| f.scope == 0 && f.runs != Runs::AsProgramOnly)
        .collect();
    in_running_order(&mut top);
    top
}

/// Sorts facts of one scope in the order they run.
pub(crate) fn in_running_order(facts: &mut [&Fact]) {
    facts.sort_by_key(|f| (f.runs != Runs::First, f.at));
}

/// A client created here reads the environment now: one made with no key
/// (`OpenAI()`), or given a key read from the environment
/// (`OpenAI(api_key=os.getenv(…))`). Its class, and where it is created.
pub(crate) fn reads_environment(facts: &FileFacts, fact: &Fact) -> Option<(String, u32)> {
    match &fact.kind {
        Kind::ClientMade {
            class,
            key_given: false,
            ..
        } => Some((class.clone(), fact.at)),
        // The client that this argument belongs to began just before it.
        Kind::KeyArgumentMayFallBack { .. } => facts
            .facts
            .iter()
            .filter(|f| f.scope == fact.scope && f.at <= fact.at)
            .filter_map(|f| match &f.kind {
                Kind::ClientMade { class, .. } => Some((f.at, class)),
                _ => None,
            })
            .max_by_key(|(at, _)| *at)
            .map(|(at, class)| (class.clone(), at)),
        _ => None,
    }
}

fn imported<'m>(module: &'m Module) -> impl Iterator<Item = (u32, &'m str)> {
    module.facts.facts.iter().filter_map(|f| match &f.kind {
        Kind::Imported { module } => Some((f.at, module.as_str())),
        _ => None,
    })
}

/// `llm`, `app.llm`, `.llm`, `..config`: the module's file, then (for
/// `from pkg import name`) the package's. An absolute name is looked for
/// beside the file and in each folder above, as `sys.path` may start at
/// any of them.
fn python_candidates(dir: &Path, name: &str) -> Vec<PathBuf> {
    let dotted = name.trim_start_matches('.');
    let level = name.len() - dotted.len();
    let parts: Vec<&str> = dotted.split('.').filter(|p| !p.is_empty()).collect();
    let bases: Vec<&Path> = if level > 0 {
        dir.ancestors().nth(level - 1).into_iter().collect()
    } else {
        dir.ancestors().collect()
    };
    let mut candidates = Vec::new();
    for base in bases {
        for n in (1..=parts.len()).rev() {
            let module: PathBuf = parts[..n].iter().collect();
            let module = base.join(module);
            candidates.push(module.with_extension("py"));
            candidates.push(module.join("__init__.py"));
        }
    }
    candidates
}

const JAVASCRIPT_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// `./llm`, `../lib/llm.js`: the file, with an extension added, or
/// TypeScript's `.ts` for a written `.js`, or the folder's `index`. A
/// package's name is never local.
fn javascript_candidates(dir: &Path, specifier: &str) -> Vec<PathBuf> {
    if !(specifier.starts_with("./") || specifier.starts_with("../")) {
        return Vec::new();
    }
    let base = dir.join(specifier);
    let mut candidates = vec![base.clone()];
    for extension in JAVASCRIPT_EXTENSIONS {
        let mut with = base.clone().into_os_string();
        with.push(".");
        with.push(extension);
        candidates.push(with.into());
    }
    let written = base.extension().and_then(|e| e.to_str());
    if let Some(typescript) = match written {
        Some("js") => Some(["ts", "tsx"].as_slice()),
        Some("mjs") => Some(["mts"].as_slice()),
        Some("cjs") => Some(["cts"].as_slice()),
        Some("jsx") => Some(["tsx"].as_slice()),
        _ => None,
    } {
        candidates.extend(typescript.iter().map(|e| base.with_extension(e)));
    }
    candidates.extend(
        JAVASCRIPT_EXTENSIONS
            .iter()
            .map(|e| base.join("index").with_extension(e)),
    );
    candidates
}

fn as_text(path: Cow<'_, Path>) -> Cow<'_, OsStr> {
    match path {
        Cow::Borrowed(p) => Cow::Borrowed(p.as_os_str()),
        Cow::Owned(p) => Cow::Owned(p.into_os_string()),
    }
}

pub(crate) fn line_of(text: &str, at: u32) -> usize {
    let at = text.floor_char_boundary((at as usize).min(text.len()));
    text[..at].matches('\n').count() + 1
}

/// Where an import leads among the walked paths, for tests.
#[cfg(test)]
pub(crate) fn resolve_for_test(
    from: &Path,
    language: Language,
    name: &str,
    walked: &[&str],
) -> Option<PathBuf> {
    let facts = FileFacts {
        language,
        ..FileFacts::default()
    };
    let module = Module {
        path: from,
        text: "",
        facts: &facts,
    };
    let walked: Vec<PathBuf> = walked.iter().map(PathBuf::from).collect();
    Resolver::new(&walked).resolve(&module, name)
}
