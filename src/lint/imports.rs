//! Which local file an import runs, and what running it does first: the
//! trap across modules is a module that creates its client when imported,
//! imported before the program loads its `.env`.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::facts::{Fact, FileFacts, Kind, Language, Runs};

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

/// The files these modules import that were walked but not read (no word
/// of the screen in them): they may import one that creates a client.
pub(crate) fn unread_imports(modules: &[Module], walked: &[PathBuf]) -> Vec<PathBuf> {
    let known = &by_normal_path(walked.iter().map(PathBuf::as_path));
    let read: HashSet<PathBuf> = modules.iter().map(|m| normal(m.path)).collect();
    let mut unread: Vec<PathBuf> = modules
        .iter()
        .flat_map(|m| imported(m).map(move |(_, module)| resolve(m, module, known)))
        .flatten()
        .filter(|p| !read.contains(&normal(p)))
        .collect();
    unread.sort();
    unread.dedup();
    unread
}

/// Every local import whose module, when imported, loads the `.env` or
/// creates a client: by the importing file (as walked) and the import's offset.
pub(crate) fn local_imports(modules: &[Module]) -> HashMap<(PathBuf, u32), LocalImport> {
    let known = by_normal_path(modules.iter().map(|m| m.path));
    let by_path: HashMap<PathBuf, &Module> = modules.iter().map(|m| (normal(m.path), m)).collect();
    let mut graph = Graph {
        known: &known,
        by_path: &by_path,
        done: HashMap::new(),
        busy: HashSet::new(),
        cycle: false,
    };
    let mut found = HashMap::new();
    for module in modules {
        for (at, name) in imported(module) {
            let Some(target) = resolve(module, name, &known) else {
                continue;
            };
            graph.cycle = false;
            if let Some(on_import) = graph.on_import(&target) {
                found
                    .entry((module.path.to_path_buf(), at))
                    .or_insert(LocalImport { target, on_import });
            }
        }
    }
    found
}

struct Graph<'g, 'a> {
    known: &'g HashMap<PathBuf, PathBuf>,
    by_path: &'g HashMap<PathBuf, &'g Module<'a>>,
    done: HashMap<PathBuf, Option<OnImport>>,
    /// Being followed now.
    busy: HashSet<PathBuf>,
    /// The modules being followed import each other: what runs first then
    /// depends on which one is the program, so none of them is judged.
    cycle: bool,
}

impl Graph<'_, '_> {
    fn on_import(&mut self, path: &Path) -> Option<OnImport> {
        let key = normal(path);
        if let Some(known) = self.done.get(&key) {
            return known.clone();
        }
        let module = *self.by_path.get(&key)?;
        if !self.busy.insert(key.clone()) {
            self.cycle = true;
            return None;
        }
        let mut effect = None;
        for fact in at_import(module.facts) {
            if self.cycle {
                effect = None;
                break;
            }
            effect = match &fact.kind {
                Kind::DotenvLoaded => Some(OnImport::LoadsDotenv),
                Kind::Imported { module: name } => {
                    resolve(module, name, self.known).and_then(|target| self.on_import(&target))
                }
                _ => reads_environment(module.facts, fact).map(|(class, at)| OnImport::MakesClient {
                    path: module.path.to_path_buf(),
                    line: line_of(module.text, at),
                    class,
                }),
            };
            if effect.is_some() || self.cycle {
                break;
            }
        }
        if self.cycle {
            effect = None;
        }
        self.busy.remove(&key);
        self.done.insert(key, effect.clone());
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

/// The walked file an import names, if it is local.
fn resolve(from: &Module, name: &str, known: &HashMap<PathBuf, PathBuf>) -> Option<PathBuf> {
    let dir = from.path.parent().unwrap_or(Path::new(""));
    let candidates = match from.facts.language {
        Language::Python | Language::Notebook => python_candidates(dir, name),
        Language::JavaScript => javascript_candidates(dir, name),
    };
    candidates
        .into_iter()
        .find_map(|candidate| known.get(&normal(&candidate)).cloned())
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

/// The walked paths by their normal form.
fn by_normal_path<'p>(paths: impl Iterator<Item = &'p Path>) -> HashMap<PathBuf, PathBuf> {
    paths.map(|p| (normal(p), p.to_path_buf())).collect()
}

/// `./a/../b/./c.py` as `b/c.py`: paths compared as written, without
/// asking the file system (a link is not followed).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn line_of(text: &str, at: u32) -> usize {
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
    let known = by_normal_path(walked.iter().map(Path::new));
    resolve(&module, name, &known)
}
