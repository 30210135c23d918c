//! `doctor PROGRAM`: what the program will do with its credential, read
//! from its code — the client it makes, where that client's key and
//! settings come from, whether it loads a `.env` before it makes the
//! client, and the models it calls.
//!
//! The entry (a file given, or for a folder the files that make a client)
//! is read with the local modules it imports, through any depth; a name
//! given to a client (`api_key=settings.openai_api_key`, `model=MODEL`) is
//! followed to where it is assigned in those files, and a pydantic-settings
//! field to the variable it reads.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;

use super::facts::{Argument, Fact, KEY_ARGUMENTS, Kind, Language, Runs, Value};
use super::imports::{self, Resolver};
use super::{Parsed, SCREEN, Unreadable, modules, parse_in_parallel, walk};
use crate::vocab::program::{
    ClientInCode, DotenvInCode, KeyInCode, ModelInCode, Program, SettingInCode, SettingRole,
};
use crate::vocab::{ApiKey, Client};

/// How deep a name is followed (`a = b`, `b = c`, …) before it is given up.
const MAX_NAME_HOPS: usize = 8;

pub fn read(paths: &[PathBuf]) -> Result<Program, Unreadable> {
    for path in paths {
        if let Err(e) = std::fs::metadata(path) {
            return Err(Unreadable(format!("{}: {e}", path.display())));
        }
    }
    let entries: Vec<PathBuf> = paths.iter().filter(|p| p.is_file()).cloned().collect();
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    for entry in &entries {
        if walk::language(entry).is_none() {
            return Err(Unreadable(format!(
                "{}: not a program this can read (Python, a notebook, JavaScript or TypeScript)",
                entry.display()
            )));
        }
    }
    // The local modules an entry may import are looked for in its folder
    // and below; only those it imports are read.
    let mut roots = folders.clone();
    for entry in &entries {
        let parent = entry.parent().filter(|p| !p.as_os_str().is_empty());
        roots.push(parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf));
    }
    let walked = walk::files(&roots, false)?;
    let mut known = walked.sources.clone();
    known.extend(entries.iter().cloned());
    let screen = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(SCREEN)
        .expect("fixed patterns build");
    let mut parsed = parse_in_parallel(&entries, None);
    // The walk's roots are the folders given and the entries' folders:
    // only files under a folder given are read unasked.
    let in_folders: Vec<PathBuf> = if entries.is_empty() {
        walked.sources.clone()
    } else {
        let folders: Vec<PathBuf> = folders.iter().map(|f| walk::absolute(f)).collect();
        walked
            .sources
            .iter()
            .filter(|p| {
                let p = walk::absolute(p);
                folders.iter().any(|f| p.starts_with(f))
            })
            .cloned()
            .collect()
    };
    parsed.extend(parse_in_parallel(&in_folders, Some(&screen)));
    let resolver = Resolver::new(&known);
    let mut tried: HashSet<PathBuf> = parsed
        .iter()
        .map(|p| walk::normal(&p.path).into_owned())
        .collect();
    let mut fresh = 0;
    loop {
        let mut unread = resolver.imported_files(&modules(&parsed[fresh..]));
        unread.retain(|p| tried.insert(walk::normal(p).into_owned()));
        if unread.is_empty() {
            break;
        }
        fresh = parsed.len();
        parsed.extend(parse_in_parallel(&unread, None));
    }
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    let makes_client = |p: &&Parsed| {
        p.file
            .facts
            .facts
            .iter()
            .any(|f| matches!(f.kind, Kind::ClientMade { .. }))
    };
    let entry_paths: Vec<PathBuf> = if entries.is_empty() {
        // A folder: the first file that makes a client is where the
        // program followed starts; the others' clients are listed.
        parsed
            .iter()
            .find(makes_client)
            .map(|p| p.path.clone())
            .into_iter()
            .collect()
    } else {
        entries
    };
    let by_path = parsed
        .iter()
        .enumerate()
        .map(|(i, p)| (walk::normal(&p.path).into_owned(), i))
        .collect();
    Ok(Reading {
        parsed: &parsed,
        by_path,
        resolver: &resolver,
    }
    .program(&entry_paths))
}

struct Reading<'r> {
    parsed: &'r [Parsed],
    /// Each file read, by its path's normal form.
    by_path: HashMap<PathBuf, usize>,
    resolver: &'r Resolver<'r>,
}

/// A fact and the file it is in.
#[derive(Clone, Copy)]
struct At<'r> {
    file: &'r Parsed,
    fact: &'r Fact,
}

impl At<'_> {
    fn place(&self) -> String {
        place(self.file, self.fact.at)
    }
}

fn place(file: &Parsed, at: u32) -> String {
    let line = imports::line_of(&file.file.text, at);
    // A notebook's line is counted in its cells' code, joined.
    format!("{}:{line}", file.path.display())
}

impl<'r> Reading<'r> {
    fn file(&self, path: &Path) -> Option<&'r Parsed> {
        let i = *self.by_path.get(walk::normal(path).as_ref())?;
        self.parsed.get(i)
    }

    fn program(&self, entries: &[PathBuf]) -> Program {
        let mut program = Program {
            files: self.parsed.iter().map(|p| p.path.display().to_string()).collect(),
            streamlit: self.parsed.iter().any(|p| {
                p.file.facts.facts.iter().any(|f| {
                    matches!(&f.kind, Kind::Imported { module } if module == "streamlit" || module.starts_with("streamlit."))
                })
            }),
            ..Program::default()
        };
        let entry_files: Vec<&Parsed> = entries.iter().filter_map(|e| self.file(e)).collect();
        // What runs, in order, when each entry runs as the program: its
        // top-level code, with each local module's run where it is imported.
        let mut made: Vec<(At, usize)> = Vec::new();
        let mut loads: Vec<(At, usize)> = Vec::new();
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        for entry in &entry_files {
            self.run(entry, true, &mut seen, &mut order);
        }
        for (i, at) in order.iter().enumerate() {
            match &at.fact.kind {
                Kind::ClientMade { .. } => made.push((*at, i)),
                Kind::DotenvLoaded { .. } => loads.push((*at, i)),
                _ => {}
            }
        }
        // Clients made in a function run when it is called: after the top
        // level, unless a load in the same function comes later. The files
        // the entry runs come first; a client anywhere else is listed.
        let mut in_run: Vec<&'r Parsed> = entry_files.clone();
        for at in &order {
            if in_run.last().is_none_or(|last| !std::ptr::eq(*last, at.file))
                && !in_run.iter().any(|f| std::ptr::eq(*f, at.file))
            {
                in_run.push(at.file);
            }
        }
        for file in &in_run {
            for fact in file.file.facts.facts.iter().filter(|f| f.scope != 0) {
                let at = At { file, fact };
                match &fact.kind {
                    Kind::ClientMade { .. } => made.push((at, usize::MAX)),
                    Kind::DotenvLoaded { .. } => loads.push((at, usize::MAX)),
                    _ => {}
                }
            }
        }
        for file in self
            .parsed
            .iter()
            .filter(|f| !in_run.iter().any(|r| std::ptr::eq(*r, *f)))
        {
            for fact in &file.file.facts.facts {
                if matches!(fact.kind, Kind::ClientMade { .. }) {
                    made.push((At { file, fact }, usize::MAX));
                }
            }
        }
        let mut listed = HashSet::new();
        for (at, _) in &made {
            if !listed.insert((at.file.path.as_path(), at.fact.at)) {
                continue;
            }
            if let Kind::ClientMade { class, langchain, .. } = &at.fact.kind {
                let entry = ClientInCode {
                    class: class.clone(),
                    client: client_of(class, *langchain, at.file.file.facts.language),
                    at: at.place(),
                    language: match at.file.file.facts.language {
                        Language::JavaScript => "javascript",
                        Language::Python | Language::Notebook => "python",
                    },
                };
                program.clients.push(entry);
            }
        }
        let Some(&(followed, position)) = made.first() else {
            return program;
        };
        program.followed = Some(0);
        let Kind::ClientMade { arguments, .. } = &followed.fact.kind else {
            unreachable!("made holds clients")
        };
        self.key(&mut program, followed, arguments);
        self.settings(&mut program, followed, arguments);
        // The .env loaded before the client, and one loaded only after it.
        // Both in functions: in one function, their order; in two, the
        // order they are called in, which reading does not tell — the load
        // is then taken to come first, and that is said.
        let same_function =
            |load: &At| load.file.path == followed.file.path && load.fact.scope == followed.fact.scope;
        let before = |(load, at): &(At, usize)| {
            if position == usize::MAX && *at == usize::MAX {
                !same_function(load) || load.fact.runs_before(followed.fact)
            } else {
                *at < position || (position == usize::MAX && *at != usize::MAX)
            }
        };
        let describe = |load: &At| {
            let Kind::DotenvLoaded { path, overrides } = &load.fact.kind else {
                unreachable!("loads hold loads")
            };
            let path = path.as_ref().map(|p| self.text_of(load.file, p));
            DotenvInCode {
                at: load.place(),
                path: path.clone().flatten(),
                overrides: *overrides,
            }
        };
        match loads.iter().find(|l| before(l)) {
            Some((load, load_at)) => {
                let Kind::DotenvLoaded { path, .. } = &load.fact.kind else {
                    unreachable!("loads hold loads")
                };
                if let Some(path) = path
                    && self.text_of(load.file, path).is_none()
                {
                    program.not_followed.push(format!(
                        "{}: the .env file the program loads is computed when it runs; this run read the one the loader would find by itself (give it with --env-file)",
                        load.place()
                    ));
                }
                if position == usize::MAX && *load_at == usize::MAX && !same_function(load) {
                    program.not_followed.push(format!(
                        "{} loads the .env in one function and {} makes the client in another: this run takes the load to come first, as the order they are called in decides",
                        load.place(),
                        followed.place()
                    ));
                }
                program.dotenv = Some(describe(load));
                if load.file.file.facts.language != Language::JavaScript {
                    program.dotenv_search_from = load.file.path.parent().map(|p| {
                        if p.as_os_str().is_empty() {
                            PathBuf::from(".")
                        } else {
                            p.to_path_buf()
                        }
                    });
                }
            }
            None => program.dotenv_too_late = loads.first().map(|(load, _)| describe(load)),
        }
        if program.dotenv.is_none() {
            program.dotenv_by_launcher = self.launcher_loads_dotenv(&entry_files);
            if let Some(launcher) = &program.dotenv_by_launcher {
                program.not_followed.push(format!(
                    "{launcher}: whether the program is started that way is not known here, so the .env is taken as loaded"
                ));
            }
        }
        self.models(&mut program);
        program
    }

    /// What loads the `.env` for the program without its code: a Flask app's
    /// `flask run`; Node's `--env-file` or dotenv-cli in a `package.json`
    /// script; a framework that loads `.env*` itself (Next.js, Vite, Nuxt,
    /// Astro, Remix, SvelteKit).
    fn launcher_loads_dotenv(&self, entries: &[&Parsed]) -> Option<String> {
        let imports = |name: &str| {
            self.parsed.iter().any(|p| {
                p.file.facts.facts.iter().any(|f| {
                    matches!(&f.kind, Kind::Imported { module } if module == name || module.starts_with(&format!("{name}.")))
                })
            })
        };
        if imports("flask") {
            return Some("Flask's `flask run` loads .env itself (with python-dotenv installed)".into());
        }
        let entry = entries.first()?;
        if entry.file.facts.language != Language::JavaScript {
            return None;
        }
        let folder = std::fs::canonicalize(&entry.path).ok()?.parent()?.to_path_buf();
        let manifest = folder
            .ancestors()
            .map(|d| d.join("package.json"))
            .find(|p| p.is_file())?;
        let text = crate::resolve::files::read_text(&manifest, 1024 * 1024).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let scripts = json["scripts"].as_object().into_iter().flatten();
        for (name, script) in scripts {
            let script = script.as_str().unwrap_or_default();
            if script.contains("--env-file")
                || script
                    .split_whitespace()
                    .any(|w| w == "dotenv" || w == "dotenv-cli")
            {
                // The script's text is not shown: it may hold a key itself.
                return Some(format!("{}'s script `{name}` loads .env", manifest.display()));
            }
        }
        const FRAMEWORKS: &[&str] = &["next", "vite", "nuxt", "astro", "@remix-run/dev", "@sveltejs/kit"];
        ["dependencies", "devDependencies"]
            .iter()
            .filter_map(|d| json[d].as_object())
            .flat_map(|deps| deps.keys())
            .find(|dep| FRAMEWORKS.contains(&dep.as_str()))
            .map(|dep| format!("{} uses {dep}, which loads .env itself", manifest.display()))
    }

    /// The facts that run when `file` runs (as the program, or imported),
    /// in order, with each local import's own run in its place.
    fn run(&self, file: &'r Parsed, as_program: bool, seen: &mut BTreeSet<PathBuf>, out: &mut Vec<At<'r>>) {
        if !seen.insert(walk::normal(&file.path).into_owned()) {
            return;
        }
        let mut top: Vec<&Fact> = file
            .file
            .facts
            .facts
            .iter()
            .filter(|f| f.scope == 0 && (as_program || f.runs != Runs::AsProgramOnly))
            .collect();
        imports::in_running_order(&mut top);
        let module = imports::Module {
            path: &file.path,
            text: &file.file.text,
            facts: &file.file.facts,
        };
        for fact in top {
            if let Kind::Imported { module: name } = &fact.kind
                && let Some(target) = self.resolver.resolve(&module, name)
                && let Some(imported) = self.file(&target)
            {
                self.run(imported, false, seen, out);
            }
            out.push(At { file, fact });
        }
    }

    /// What a value holds, following names to where they are assigned.
    fn follow(&self, file: &'r Parsed, value: &Value) -> (Value, Option<String>) {
        let mut value = value.clone();
        let mut from = None;
        for _ in 0..MAX_NAME_HOPS {
            let Value::Name(name) = &value else { break };
            let Some(assigned) = self.assigned(file, name) else {
                return (Value::Other, from);
            };
            from = Some(assigned.place());
            let Kind::Assigned { value: next, .. } = &assigned.fact.kind else {
                unreachable!("assigned holds assignments")
            };
            value = next.clone();
        }
        match value {
            Value::Name(_) => (Value::Other, from),
            value => (value, from),
        }
    }

    /// Where a name is assigned: in the same file first, then in the
    /// other files read.
    fn assigned(&self, file: &'r Parsed, name: &str) -> Option<At<'r>> {
        let in_file = |f: &'r Parsed| {
            f.file.facts.facts.iter().rev().find_map(|fact| match &fact.kind {
                Kind::Assigned { name: n, .. } if n == name => Some(At { file: f, fact }),
                _ => None,
            })
        };
        in_file(file).or_else(|| {
            self.parsed
                .iter()
                .filter(|f| f.path != file.path)
                .find_map(in_file)
        })
    }

    /// A value's text, where the code writes it (or names a constant that does).
    fn text_of(&self, file: &'r Parsed, value: &Value) -> Option<String> {
        match self.follow(file, value).0 {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    fn key(&self, program: &mut Program, client: At<'r>, arguments: &[Argument]) {
        let given = arguments
            .iter()
            .find(|a| KEY_ARGUMENTS.contains(&a.name.as_str()));
        let Some(given) = given else {
            if let Some(spread) = arguments.iter().find(|a| matches!(a.name.as_str(), "**" | "...")) {
                program.key = KeyInCode::NotFollowed {
                    at: place(client.file, spread.at),
                    argument: spread.name.clone(),
                    token: false,
                };
            }
            return;
        };
        let at = place(client.file, given.at);
        let token = given.name.to_ascii_lowercase().contains("token");
        let (value, _) = self.follow(client.file, &given.value);
        program.key = match value {
            Value::Text(text) => KeyInCode::Literal {
                at,
                token,
                value: ApiKey::new(text),
            },
            Value::Returns(returned) => match self.follow(client.file, &returned).0 {
                Value::Text(text) => KeyInCode::Literal {
                    at,
                    token: true,
                    value: ApiKey::new(text),
                },
                _ => KeyInCode::NotFollowed {
                    at,
                    argument: given.name.clone(),
                    token: true,
                },
            },
            Value::Env {
                name,
                default,
                env_file,
                required,
            } => KeyInCode::Variable {
                variable: name,
                at,
                // os.getenv("X") gives None, process.env.X undefined: the
                // client then reads its own variable.
                falls_back: default.is_none() && !required,
                env_file,
            },
            Value::Name(_) | Value::Other => KeyInCode::NotFollowed {
                at,
                argument: given.name.clone(),
                token,
            },
        };
    }

    fn settings(&self, program: &mut Program, client: At<'r>, arguments: &[Argument]) {
        for argument in arguments {
            let Some(role) = role_of(&argument.name) else {
                continue;
            };
            let at = place(client.file, argument.at);
            let (value, variable) = match self.follow(client.file, &argument.value).0 {
                Value::Text(text) if role != SettingRole::Transport => (Some(text), None),
                Value::Env { name, default, .. } => (default, Some(name)),
                _ => (None, None),
            };
            if value.is_none() && variable.is_none() {
                program.not_followed.push(match role {
                    SettingRole::Transport => format!(
                        "{at}: {} is given in code; what it sends or where it connects is not followed",
                        argument.name
                    ),
                    _ => format!(
                        "{at}: {} is computed when the program runs; this run used the variables instead",
                        argument.name
                    ),
                });
            }
            program.settings.push(SettingInCode {
                argument: argument.name.clone(),
                role,
                at,
                value,
                variable,
            });
        }
    }

    fn models(&self, program: &mut Program) {
        let followed = program.followed().map(|c| c.class.clone());
        for file in self.parsed {
            // A file that makes only clients of another kind names their
            // models, not the followed client's.
            let made: Vec<&str> = file
                .file
                .facts
                .facts
                .iter()
                .filter_map(|f| match &f.kind {
                    Kind::ClientMade { class, .. } => Some(class.as_str()),
                    _ => None,
                })
                .collect();
            if !made.is_empty() && followed.as_deref().is_some_and(|c| !made.contains(&c)) {
                continue;
            }
            for fact in &file.file.facts.facts {
                let Kind::ModelNamed { value, deployment } = &fact.kind else {
                    continue;
                };
                let (id, variable) = match self.follow(file, value).0 {
                    Value::Text(text) => (Some(text), None),
                    Value::Env { default, name, .. } => (default, Some(name)),
                    _ => (None, None),
                };
                if let Some(id) = id.filter(|id| !id.is_empty())
                    && !program.models.iter().any(|m| m.id == id)
                {
                    program.models.push(ModelInCode {
                        id,
                        at: place(file, fact.at),
                        deployment: *deployment,
                        variable,
                    });
                }
            }
        }
    }
}

/// Whose rules a class follows, in the language it is written in.
fn client_of(class: &str, langchain: bool, language: Language) -> Client {
    let azure = class.contains("Azure");
    match (language, azure, langchain) {
        // openai-node, @langchain/openai (built on openai-node).
        (Language::JavaScript, false, _) => Client::Node,
        (Language::JavaScript, true, _) => Client::AzureNode,
        (_, true, _) => Client::Azure,
        (_, false, true) => Client::Langchain,
        (_, false, false) => Client::Python,
    }
}

/// The settings a client's arguments decide, by their names in each SDK.
fn role_of(argument: &str) -> Option<SettingRole> {
    Some(match argument {
        "base_url" | "baseURL" | "openai_api_base" | "configuration.baseURL" => SettingRole::BaseUrl,
        "azure_endpoint" | "endpoint" | "azureOpenAIEndpoint" => SettingRole::AzureEndpoint,
        "api_version" | "apiVersion" | "openai_api_version" | "azureOpenAIApiVersion" => {
            SettingRole::ApiVersion
        }
        "organization" | "openai_organization" => SettingRole::Organization,
        "project" => SettingRole::Project,
        "default_headers" | "defaultHeaders" | "http_client" | "http_async_client" | "httpAgent"
        | "fetchOptions" | "fetch" | "openai_proxy" => SettingRole::Transport,
        _ => return None,
    })
}
