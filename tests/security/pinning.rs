//! R9. Everything that runs next to the key is pinned.
//!
//! The Action installs the release its own commit names (the wheel by the
//! sha256 in action/requirements.txt, or its own source with `cargo install
//! --locked`), never a name alone; every `uses:` is a full commit SHA with its
//! version in a comment; each workflow's token reads at the top and writes
//! only in the jobs listed here; the OIDC token lives in a job of pinned
//! actions only (and npm's `publish --ignore-scripts` of tarballs built
//! elsewhere); secrets appear only in the `env:` of the step that uploads,
//! where nothing is built; and the pin writer pins exactly the wheels it is
//! given. The files are read as text with a small block-YAML reader (no YAML
//! crate here), and each check is also run on a planted fault, so a reader
//! that sees nothing cannot pass.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// `.github/workflows/*.yml`, by name.
fn workflows() -> Vec<(String, String)> {
    let dir = root().join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 2, "the workflows are gone: {names:?}");
    names
        .into_iter()
        .map(|name| {
            let relative = format!(".github/workflows/{name}");
            let text = read(&relative);
            (relative, text)
        })
        .collect()
}

/// action.yml and the workflows: every file with `uses:` lines.
fn action_and_workflows() -> Vec<(String, String)> {
    let mut files = vec![("action.yml".to_owned(), read("action.yml"))];
    files.extend(workflows());
    files
}

// ---------------------------------------------------------------------------
// A block-YAML reader: enough for workflow files (block mappings and
// sequences, `- key: value` items, `|`/`>` scalars, quoted keys, comments).
// Each scalar comes out with its path (`jobs.pypi.steps.0.uses`), its text as
// written (a trailing comment included) and its line.

#[derive(Debug, Clone)]
struct Entry {
    path: Vec<String>,
    raw: String,
    line: usize,
}

impl Entry {
    fn key(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// The value without its comment and quotes.
    fn value(&self) -> String {
        unquote(strip_comment(&self.raw)).to_owned()
    }

    /// Whether the path is `pattern`, `*` matching any one part.
    fn at(&self, pattern: &[&str]) -> bool {
        self.path.len() == pattern.len() && self.path.iter().zip(pattern).all(|(p, q)| *q == "*" || p == q)
    }

    fn dotted(&self) -> String {
        self.path.join(".")
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn insignificant(content: &str) -> bool {
    let t = content.trim();
    t.is_empty() || t.starts_with('#')
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// Cuts a ` # comment` that is outside quotes.
fn strip_comment(s: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && previous == ' ' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return s[..i].trim(),
            None => {}
        }
        previous = c;
    }
    s.trim()
}

/// `key: value` → (key, value); none for a plain scalar or a flow collection.
fn split_key(content: &str) -> Option<(String, String)> {
    if content.starts_with(['{', '[']) {
        return None;
    }
    let bytes = content.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b'#' && i > 0 && bytes[i - 1] == b' ' => return None,
            None if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                return Some((
                    unquote(&content[..i]).to_owned(),
                    content[i + 1..].trim().to_owned(),
                ));
            }
            None => {}
        }
    }
    None
}

struct Reader<'a> {
    raw: Vec<&'a str>,
    lines: Vec<(usize, String)>,
    pos: usize,
    out: Vec<Entry>,
}

impl Reader<'_> {
    fn skip(&mut self) {
        while self.lines.get(self.pos).is_some_and(|(_, c)| insignificant(c)) {
            self.pos += 1;
        }
    }

    /// The nodes at exactly `indent`, all items or all keys.
    fn block(&mut self, indent: usize, path: &[String]) {
        let mut items = None;
        let mut index = 0;
        loop {
            self.skip();
            let Some((ind, content)) = self.lines.get(self.pos).cloned() else {
                return;
            };
            if ind < indent {
                return;
            }
            assert_eq!(
                ind,
                indent,
                "line {}: indentation the reader does not follow",
                self.pos + 1
            );
            let item = is_item(&content);
            if *items.get_or_insert(item) != item {
                return;
            }
            let line = self.pos + 1;
            if item {
                let mut here = path.to_vec();
                here.push(index.to_string());
                index += 1;
                let rest = content[1..].trim_start().to_owned();
                if rest.is_empty() {
                    self.pos += 1;
                    self.skip();
                    if let Some(&(next, _)) = self.lines.get(self.pos)
                        && next > ind
                    {
                        self.block(next, &here);
                    }
                } else {
                    // `- key: value`: the item's mapping starts where `key` does.
                    let column = ind + content.len() - rest.len();
                    self.lines[self.pos] = (column, rest);
                    self.block(column, &here);
                }
                continue;
            }
            self.pos += 1;
            let Some((key, value)) = split_key(&content) else {
                self.out.push(Entry {
                    path: path.to_vec(),
                    raw: content,
                    line,
                });
                continue;
            };
            let mut here = path.to_vec();
            here.push(key);
            if value.is_empty() {
                self.skip();
                match self.lines.get(self.pos).cloned() {
                    Some((next, c)) if next > ind || (next == ind && is_item(&c)) => self.block(next, &here),
                    _ => self.out.push(Entry {
                        path: here,
                        raw: value,
                        line,
                    }),
                }
            } else if value.starts_with('|') || value.starts_with('>') {
                let mut body = Vec::new();
                while let Some(l) = self.raw.get(self.pos) {
                    if !l.trim().is_empty() && indent_of(l) <= ind {
                        break;
                    }
                    body.push(l.trim());
                    self.pos += 1;
                }
                self.out.push(Entry {
                    path: here,
                    raw: body.join("\n").trim().to_owned(),
                    line,
                });
            } else {
                self.out.push(Entry {
                    path: here,
                    raw: value,
                    line,
                });
            }
        }
    }
}

fn parse_yaml(text: &str) -> Vec<Entry> {
    let raw: Vec<&str> = text.lines().collect();
    let lines = raw
        .iter()
        .map(|l| (indent_of(l), l.trim_start().to_owned()))
        .collect();
    let mut reader = Reader {
        raw,
        lines,
        pos: 0,
        out: Vec::new(),
    };
    reader.skip();
    if let Some(&(indent, _)) = reader.lines.get(reader.pos) {
        reader.block(indent, &[]);
    }
    reader.skip();
    assert_eq!(
        reader.pos,
        reader.lines.len(),
        "line {}: not read",
        reader.pos + 1
    );
    reader.out
}

/// (job, step index) → that step's entries.
fn steps(entries: &[Entry]) -> BTreeMap<(String, usize), Vec<&Entry>> {
    let mut steps: BTreeMap<(String, usize), Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        if e.path.len() >= 5 && e.path[0] == "jobs" && e.path[2] == "steps" {
            let index = e.path[3].parse().expect("a step index");
            steps.entry((e.path[1].clone(), index)).or_default().push(e);
        }
    }
    steps
}

fn step_value(step: &[&Entry], key: &str) -> Option<String> {
    step.iter()
        .find(|e| e.path.len() == 5 && e.key() == key)
        .map(|e| e.value())
}

// ---------------------------------------------------------------------------
// The checks, each returning what is wrong in one file.

fn unpinned_uses(file: &str, text: &str) -> Vec<String> {
    let pinned = Regex::new(
        r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?)@(?P<sha>[0-9a-f]{40})\s+#\s*(?P<version>v\d+(?:\.\d+)*\S*)$",
    )
    .unwrap();
    let entries = parse_yaml(text);
    let uses: Vec<&Entry> = entries.iter().filter(|e| e.key() == "uses").collect();
    let mut problems = Vec::new();
    // Every `uses:` line is one the reader saw (none hides in a flow mapping).
    let line = Regex::new(r"^\s*(-\s+)?uses\s*:|\{\s*uses\s*:").unwrap();
    let digest = Regex::new(r"@sha256:[0-9a-f]{64}$").unwrap();
    let lines = text.lines().filter(|l| line.is_match(l)).count();
    if lines != uses.len() {
        problems.push(format!(
            "{file}: {lines} `uses:` lines, {} read as steps",
            uses.len()
        ));
    }
    for e in uses {
        let raw = e.raw.trim();
        let (reference, comment) = match raw.find(" #") {
            Some(i) => (unquote(&raw[..i]), &raw[i..]),
            None => (unquote(raw), ""),
        };
        if reference.starts_with("./") {
            continue;
        }
        if reference.starts_with("docker://") && digest.is_match(reference) {
            continue;
        }
        let joined = format!("{reference}{comment}");
        if !pinned.is_match(&joined) {
            problems.push(format!(
                "{file}:{}: `uses: {raw}` is not owner/repo@<40-hex commit> # v<version>",
                e.line
            ));
        }
    }
    problems
}

/// Every pinned action, as (action, sha, version comment), with where.
fn pins(file: &str, text: &str) -> Vec<(String, String, String, String)> {
    let pinned =
        Regex::new(r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?)@(?P<sha>[0-9a-f]{40})\s+#\s*(?P<version>\S+)")
            .unwrap();
    parse_yaml(text)
        .iter()
        .filter(|e| e.key() == "uses")
        .filter_map(|e| {
            let c = pinned.captures(e.raw.trim())?;
            Some((
                c["action"].to_owned(),
                c["sha"].to_owned(),
                c["version"].to_owned(),
                format!("{file}:{}", e.line),
            ))
        })
        .collect()
}

/// The top-level `permissions:` of a workflow: read or none, with `contents: read`.
fn top_permission_problems(file: &str, text: &str) -> Vec<String> {
    let entries = parse_yaml(text);
    let top: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.path.first().is_some_and(|p| p == "permissions"))
        .collect();
    let mut problems = Vec::new();
    if top.is_empty() {
        problems.push(format!("{file}: no top-level `permissions:`"));
    }
    for e in &top {
        if e.path.len() != 2 {
            problems.push(format!(
                "{file}:{}: top-level `permissions: {}` is not a map of read/none",
                e.line,
                e.value()
            ));
        } else if !matches!(e.value().as_str(), "read" | "none") {
            problems.push(format!(
                "{file}:{}: top-level `{}: {}`",
                e.line,
                e.key(),
                e.value()
            ));
        }
    }
    if !top
        .iter()
        .any(|e| e.at(&["permissions", "contents"]) && e.value() == "read")
    {
        problems.push(format!("{file}: the top-level permissions lack `contents: read`"));
    }
    problems
}

/// Every job-level write: (job, permission).
fn job_writes(text: &str) -> Vec<(String, String)> {
    let mut writes = Vec::new();
    for e in parse_yaml(text) {
        if e.at(&["jobs", "*", "permissions", "*"]) && e.value() != "read" && e.value() != "none" {
            writes.push((e.path[1].clone(), e.path[3].clone()));
        } else if e.at(&["jobs", "*", "permissions"]) && !e.value().is_empty() {
            // `permissions: write-all` and the like.
            writes.push((e.path[1].clone(), e.value()));
        }
    }
    writes
}

/// The jobs holding `id-token: write` run pinned actions only: no `run:`.
fn id_token_problems(file: &str, text: &str) -> Vec<String> {
    let entries = parse_yaml(text);
    let mut problems = Vec::new();
    let holders: BTreeSet<String> = entries
        .iter()
        .filter(|e| e.at(&["jobs", "*", "permissions", "id-token"]) && e.value() == "write")
        .map(|e| e.path[1].clone())
        .collect();
    let all_steps = steps(&entries);
    for job in &holders {
        if entries.iter().any(|e| e.at(&["jobs", job, "uses"])) {
            problems.push(format!(
                "{file}: job {job} holds id-token: write and calls a workflow"
            ));
        }
        let mine: Vec<_> = all_steps.iter().filter(|((j, _), _)| j == job).collect();
        if mine.is_empty() {
            problems.push(format!(
                "{file}: job {job} holds id-token: write and has no steps read"
            ));
        }
        let checks_out = mine
            .iter()
            .any(|(_, step)| step_value(step, "uses").is_some_and(|u| u.starts_with("actions/checkout@")));
        for ((_, index), step) in mine {
            match step_value(step, "run") {
                None if step_value(step, "uses").is_none() => problems.push(format!(
                    "{file}: job {job} step {index} holds id-token: write and is not an action"
                )),
                None => {}
                // npm's upload of tarballs built in another job, in a job
                // that checks nothing out: what npm-publishing actions run.
                Some(run) if !checks_out && is_npm_upload(&run) => {}
                Some(_) => problems.push(format!(
                    "{file}: job {job} step {index} runs a script beside id-token: write"
                )),
            }
        }
    }
    problems
}

/// Every line is `npm publish … --ignore-scripts` of a tarball, perhaps
/// after a look whether the registry has that version already
/// (`test -n "$(npm view "PKG@$VERSION" version 2>/dev/null)" || …`): no
/// install, no package's lifecycle script, nothing from the repository.
fn is_npm_upload(run: &str) -> bool {
    let look =
        Regex::new(r#"^test -n "\$\(npm view "[@a-z0-9/._-]+@\$VERSION" version 2>/dev/null\)"$"#).unwrap();
    let publish = |line: &str| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.starts_with(&["npm", "publish"])
            && words.contains(&"--ignore-scripts")
            && words
                .iter()
                .skip(2)
                .all(|w| w.starts_with("--") || w.ends_with(".tgz"))
    };
    let lines: Vec<&str> = run.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    !lines.is_empty()
        && lines.iter().all(|line| match line.split_once(" || ") {
            Some((first, then)) => look.is_match(first) && publish(then),
            None => publish(line),
        })
}

/// A secret (or the workflow token) appears only in a step's `env:`.
fn secret_problems(file: &str, text: &str) -> Vec<String> {
    let secret = Regex::new(r"\bsecrets\s*\.|\bsecrets\s*\[|\bgithub\s*\.\s*token\b").unwrap();
    let mut problems = Vec::new();
    for e in parse_yaml(text) {
        if e.key() == "secrets" {
            problems.push(format!(
                "{file}:{}: `secrets: {}` hands secrets on wholesale",
                e.line,
                e.value()
            ));
        }
        if secret.is_match(&e.raw) && !e.at(&["jobs", "*", "steps", "*", "env", "*"]) {
            problems.push(format!(
                "{file}:{}: a secret at {} (only a step's env: may hold one)",
                e.line,
                e.dotted()
            ));
        }
    }
    problems
}

/// The step that holds a secret builds nothing; `cargo publish` there is
/// `--no-verify`, after a `cargo package` step without the token.
fn token_step_problems(file: &str, text: &str) -> Vec<String> {
    let secret = Regex::new(r"\bsecrets\s*\.").unwrap();
    let builds = Regex::new(
        r"\bcargo\s+(build|test|check|clippy|run|install|package)\b|\bmaturin\b|\bpip3?\s+install\b|\bnpm\s+(install|ci|run|exec)\b|\bnpx\b|\bmake\b|\bpython3?\b|\buvx?\b",
    )
    .unwrap();
    let entries = parse_yaml(text);
    let all_steps = steps(&entries);
    let mut problems = Vec::new();
    for ((job, index), step) in &all_steps {
        let holds = step
            .iter()
            .any(|e| e.path.get(4).is_some_and(|k| k == "env") && secret.is_match(&e.raw));
        if !holds {
            continue;
        }
        let Some(run) = step_value(step, "run") else {
            continue;
        };
        if let Some(m) = builds.find(&run) {
            problems.push(format!(
                "{file}: job {job} step {index} holds a secret and runs `{}`",
                m.as_str()
            ));
        }
        if run.contains("cargo publish") {
            if !run.contains("--no-verify") {
                problems.push(format!(
                    "{file}: job {job} step {index}: `cargo publish` without --no-verify builds beside the token"
                ));
            }
            let packaged = all_steps.iter().any(|((j, i), s)| {
                j == job && i < index && step_value(s, "run").is_some_and(|r| r.contains("cargo package"))
            });
            if !packaged {
                problems.push(format!(
                    "{file}: job {job}: no `cargo package` step before the upload builds the crate"
                ));
            }
        }
    }
    problems
}

/// What action.yml and action/install.sh may run to install the tool.
fn install_problems(action: &str, install: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = parse_yaml(action);
    for input in ["version", "args", "client", "strict", "working-directory"] {
        if !entries.iter().any(|e| e.at(&["inputs", input, "default"])) {
            problems.push(format!("action.yml: the input {input} is gone"));
        }
    }
    let outputs: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.at(&["outputs", "*", "value"]))
        .map(|e| e.path[1].as_str())
        .collect();
    // The contract: these stay (more may be added).
    if !["diagnosis", "exit-code"].iter().all(|o| outputs.contains(o)) {
        problems.push(format!("action.yml: the outputs are {outputs:?}"));
    }
    let runs: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.at(&["runs", "steps", "*", "run"]))
        .collect();
    if !runs.iter().any(|e| e.raw.contains("action/install.sh")) {
        problems.push("action.yml: no step runs action/install.sh".to_owned());
    }
    for e in &runs {
        if e.raw.contains("${{") {
            problems.push(format!(
                "action.yml:{}: an expression inside run: (inputs go through env:)",
                e.line
            ));
        }
    }
    // Everything the Action runs, with continued lines joined and comments dropped.
    let mut scripts: Vec<(String, String)> = runs
        .iter()
        .map(|e| (format!("action.yml:{}", e.line), e.raw.clone()))
        .collect();
    scripts.push(("action/install.sh".to_owned(), install.to_owned()));
    let pip = Regex::new(r"\bpip3?\s+install\b").unwrap();
    let cargo = Regex::new(r"\bcargo\s+install\b").unwrap();
    let floating = Regex::new(
        r"\buvx\b|\buv\s+(tool|pip|run|add)\b|\bpipx\b|\bcurl\b|\bwget\b|\bInvoke-WebRequest\b|\bnpx\b|setup-uv",
    )
    .unwrap();
    for (name, script) in &scripts {
        let joined = script.replace("\\\n", " ");
        for line in joined.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
            if let Some(m) = floating.find(line) {
                problems.push(format!(
                    "{name}: `{}` installs or fetches by name: {line}",
                    m.as_str()
                ));
            }
            if pip.is_match(line) {
                for flag in [
                    "--require-hashes",
                    "--no-deps",
                    "--only-binary :all:",
                    "--requirement \"$pin\"",
                ] {
                    if !line.contains(flag) {
                        problems.push(format!("{name}: a pip install without {flag}: {line}"));
                    }
                }
            }
            if cargo.is_match(line) {
                for flag in ["--locked", "--path \"$root\""] {
                    if !line.contains(flag) {
                        problems.push(format!("{name}: a cargo install without {flag}: {line}"));
                    }
                }
            }
        }
    }
    for way in ["--require-hashes", "cargo install --locked"] {
        if !install.contains(way) {
            problems.push(format!("action/install.sh: no `{way}`"));
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// The tests on the files as they are.

/// The job-level writes there may be, each where it is needed.
const WRITES: [(&str, &str, &str); 5] = [
    // gh release create, last
    (".github/workflows/release.yml", "announce", "contents"),
    // trusted publishing (and npm's provenance statement)
    (".github/workflows/release.yml", "pypi", "id-token"),
    (".github/workflows/release.yml", "npm", "id-token"),
    // the Action's pin: push a branch, open a pull request
    (".github/workflows/release.yml", "action-pin", "contents"),
    (".github/workflows/release.yml", "action-pin", "pull-requests"),
];

#[test]
fn r9_every_uses_is_a_full_commit_sha_with_its_version() {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut count = 0;
    for (file, text) in action_and_workflows() {
        problems.extend(unpinned_uses(&file, &text));
        for (action, sha, version, _) in pins(&file, &text) {
            count += 1;
            seen.entry(action).or_default().insert((sha, version));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        count >= 20,
        "only {count} pinned actions read: is the reader broken?"
    );
    // One commit per action, and one version comment per commit.
    for (action, versions) in &seen {
        assert_eq!(
            versions.len(),
            1,
            "{action} is pinned to more than one commit: {versions:?}"
        );
    }
}

#[test]
fn r9_the_action_runs_no_third_party_action() {
    let entries = parse_yaml(&read("action.yml"));
    let uses: Vec<String> = entries
        .iter()
        .filter(|e| e.key() == "uses")
        .map(|e| e.raw.clone())
        .collect();
    assert!(uses.is_empty(), "the Action runs other actions: {uses:?}");
    assert!(
        entries
            .iter()
            .any(|e| e.at(&["runs", "using"]) && e.value() == "composite")
    );
}

#[test]
fn r9_every_workflow_reads_at_the_top_and_writes_only_where_needed() {
    let mut problems = Vec::new();
    let mut writes = BTreeSet::new();
    for (file, text) in workflows() {
        problems.extend(top_permission_problems(&file, &text));
        for (job, permission) in job_writes(&text) {
            writes.insert((file.clone(), job, permission));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let allowed: BTreeSet<(String, String, String)> = WRITES
        .iter()
        .map(|(f, j, p)| (f.to_string(), j.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        writes, allowed,
        "the job-level writes changed: each must be needed where it is"
    );
}

#[test]
fn r9_id_token_only_in_a_job_of_pinned_actions() {
    let mut problems = Vec::new();
    let mut holders = 0;
    for (file, text) in workflows() {
        problems.extend(id_token_problems(&file, &text));
        holders += job_writes(&text).iter().filter(|(_, p)| p == "id-token").count();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        holders, 2,
        "id-token: write belongs to the PyPI and npm jobs alone"
    );
}

#[test]
fn r9_secrets_only_in_the_env_of_the_step_that_uploads() {
    let mut problems = secret_problems("action.yml", &read("action.yml"));
    let mut holders = 0;
    for (file, text) in workflows() {
        problems.extend(secret_problems(&file, &text));
        problems.extend(token_step_problems(&file, &text));
        holders += text.matches("secrets.").count();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // CARGO_REGISTRY_TOKEN, NPM_TOKEN, HOMEBREW_TAP_TOKEN, and the workflow
    // token for the release and the pin's pull request.
    assert_eq!(holders, 5, "a secret came or went: check where it lives");
}

#[test]
fn r9_the_action_installs_only_what_its_commit_pins() {
    let problems = install_problems(&read("action.yml"), &read("action/install.sh"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The pin file is one pip reads, and either pins nothing yet or one version
    // with a sha256 for each wheel.
    let pin = read("action/requirements.txt");
    let requirement: Vec<&str> = pin
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    if !requirement.is_empty() {
        let joined = requirement.join("\n").replace("\\\n", " ");
        let form =
            Regex::new(r"^openai-keycheck==[0-9][0-9A-Za-z.]*(\s+--hash=sha256:[0-9a-f]{64})+\s*$").unwrap();
        assert!(
            form.is_match(&joined),
            "action/requirements.txt is not one pinned requirement:\n{pin}"
        );
    }
}

#[test]
fn r9_dist_is_installed_checked_and_its_ci_file_is_hand_kept() {
    let release = read(".github/workflows/release.yml");
    let config = read("dist-workspace.toml");
    let version = Regex::new(r#"(?m)^cargo-dist-version = "([^"]+)""#)
        .unwrap()
        .captures(&config)
        .unwrap()[1]
        .to_owned();
    let installs: Vec<&str> = release.lines().filter(|l| l.contains("Install dist")).collect();
    assert_eq!(installs.len(), 2, "{installs:?}");
    assert_eq!(
        release
            .matches(&format!("run: cargo install --locked cargo-dist@{version}"))
            .count(),
        2,
        "dist comes from crates.io, locked, at the version dist-workspace.toml names"
    );
    let piped = Regex::new(r"\|\s*(sh|bash|iex)\b").unwrap();
    for e in parse_yaml(&release) {
        if e.key() == "run" {
            // rustup's installer runs only in a container job, which this release has none of.
            assert!(
                !piped.is_match(&e.raw) || e.raw.contains("sh.rustup.rs"),
                "release.yml:{}: a download piped into a shell",
                e.line
            );
            assert!(
                !e.raw.contains("install_dist"),
                "release.yml:{}: the matrix's dist installer",
                e.line
            );
        }
    }
    assert!(
        Regex::new(r#"(?m)^allow-dirty = \["ci"\]"#)
            .unwrap()
            .is_match(&config),
        "release.yml is edited by hand: dist-workspace.toml must say allow-dirty = [\"ci\"]"
    );
}

// ---------------------------------------------------------------------------
// Each check fails on a planted fault.

fn planted(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} is not in the file once: where to plant?"
    );
    text.replacen(from, to, 1)
}

#[test]
fn r9_each_check_fails_on_a_planted_fault() {
    let ci = read(".github/workflows/ci.yml");
    let release = read(".github/workflows/release.yml");
    let action = read("action.yml");
    let install = read("action/install.sh");
    let checkout = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";

    // A movable tag, a SHA without its version, a short SHA, a branch.
    for fault in [
        "actions/checkout@v7",
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
        "actions/checkout@3d3c42e # v7.0.1",
        "actions/checkout@main # v7.0.1",
    ] {
        let text = planted(&ci, checkout, fault);
        assert!(!unpinned_uses("ci.yml", &text).is_empty(), "{fault} passed");
    }
    let text = planted(
        &release,
        "      - uses: pypa/",
        "      - { uses: x/y@v1 }\n      - uses: pypa/",
    );
    assert!(
        !unpinned_uses("release.yml", &text).is_empty(),
        "a flow-mapping uses passed"
    );
    let text = planted(
        &action,
        "  steps:\n",
        "  steps:\n    - uses: astral-sh/setup-uv@v6\n",
    );
    assert!(!unpinned_uses("action.yml", &text).is_empty());

    // Permissions: a write at the top, no contents: read, none at all.
    let text = planted(
        &ci,
        "permissions:\n  contents: read",
        "permissions:\n  contents: write",
    );
    assert!(!top_permission_problems("ci.yml", &text).is_empty());
    let text = planted(&release, "  \"contents\": \"read\"", "  \"contents\": \"write\"");
    assert!(!top_permission_problems("release.yml", &text).is_empty());
    let text = planted(&ci, "permissions:\n  contents: read", "permissions: write-all");
    assert!(!top_permission_problems("ci.yml", &text).is_empty());
    let text = planted(&ci, "permissions:\n  contents: read\n", "");
    assert!(!top_permission_problems("ci.yml", &text).is_empty());
    let text = planted(
        &release,
        "  sdist:\n",
        "  sdist:\n    permissions:\n      contents: write\n",
    );
    assert!(job_writes(&text).contains(&("sdist".to_owned(), "contents".to_owned())));

    // id-token beside a script, or on a job that calls a workflow.
    let text = planted(
        &release,
        "      - uses: pypa/gh-action-pypi-publish@",
        "      - run: ls dist\n      - uses: pypa/gh-action-pypi-publish@",
    );
    assert!(!id_token_problems("release.yml", &text).is_empty());
    let text = planted(
        &release,
        "    permissions:\n      id-token: write\n",
        "    permissions:\n      id-token: write\n    uses: ./.github/workflows/x.yml\n",
    );
    assert!(!id_token_problems("release.yml", &text).is_empty());

    // npm's upload: only `npm publish --ignore-scripts` of tarballs, in a job
    // that checks nothing out.
    for (from, to) in [
        (
            "--ignore-scripts npm-tarballs/openai-keycheck-[0-9]*.tgz\n",
            "npm-tarballs/openai-keycheck-[0-9]*.tgz\n",
        ),
        (
            "--ignore-scripts npm-tarballs/openai-keycheck-[0-9]*.tgz\n",
            "--ignore-scripts npm-tarballs/openai-keycheck-[0-9]*.tgz\n          npm install\n",
        ),
        (
            "--ignore-scripts npm-tarballs/openai-keycheck-[0-9]*.tgz\n",
            "--ignore-scripts .\n",
        ),
        (
            "test -n \"$(npm view \"openai-keycheck@$VERSION\" version 2>/dev/null)\" || ",
            "npm install openai-keycheck || ",
        ),
        (
            "          name: npm-packages\n          path: npm-tarballs\n",
            "          name: npm-packages\n          path: npm-tarballs\n      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n",
        ),
    ] {
        let text = planted(&release, from, to);
        assert!(!id_token_problems("release.yml", &text).is_empty(), "{to}");
    }

    // A secret at the job or workflow level, in a with:, in a script.
    let text = planted(
        &release,
        "    environment: crates-io\n",
        "    environment: crates-io\n    env:\n      CARGO_REGISTRY_TOKEN: ${{ secrets.CARGO_REGISTRY_TOKEN }}\n",
    );
    assert!(!secret_problems("release.yml", &text).is_empty());
    let text = planted(
        &ci,
        "jobs:\n",
        "env:\n  GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\njobs:\n",
    );
    assert!(!secret_problems("ci.yml", &text).is_empty());
    let text = planted(
        &release,
        "    runs-on: \"ubuntu-22.04\"\n    # The one job",
        "    runs-on: \"ubuntu-22.04\"\n    env:\n      GH_TOKEN: ${{ github.token }}\n    # The one job",
    );
    assert!(!secret_problems("release.yml", &text).is_empty());
    let text = planted(
        &release,
        "        with:\n          pattern: \"{wheel-*,sdist}\"",
        "        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n          pattern: \"{wheel-*,sdist}\"",
    );
    assert!(!secret_problems("release.yml", &text).is_empty());
    let text = planted(
        &release,
        "run: cargo package --locked",
        "run: cargo package --locked --token \"${{ secrets.CARGO_REGISTRY_TOKEN }}\"",
    );
    assert!(!secret_problems("release.yml", &text).is_empty());

    // The token step that builds.
    let text = planted(
        &release,
        "run: cargo publish --locked --no-verify",
        "run: cargo publish --locked",
    );
    assert!(!token_step_problems("release.yml", &text).is_empty());
    let text = planted(
        &release,
        "run: cargo package --locked",
        "run: cargo fetch --locked",
    );
    assert!(!token_step_problems("release.yml", &text).is_empty());
    let text = planted(
        &release,
        "          gh auth setup-git\n",
        "          gh auth setup-git\n          python3 .ci/write-action-pin dist\n",
    );
    assert!(!token_step_problems("release.yml", &text).is_empty());

    // An install by name, an unhashed pip, an unlocked cargo, an expression in run:.
    for (from, to) in [
        (
            "--require-hashes --no-deps --only-binary :all: --requirement",
            "--no-deps --only-binary :all: --requirement",
        ),
        ("cargo install --locked --path", "cargo install --path"),
        ("--requirement \"$pin\"", "openai-keycheck"),
    ] {
        let text = planted(&install, from, to);
        assert!(!install_problems(&action, &text).is_empty(), "{to} passed");
    }
    let text = planted(
        &install,
        "set -euo pipefail\n",
        "set -euo pipefail\nuvx --from openai-keycheck openai-keycheck --version\n",
    );
    assert!(!install_problems(&action, &text).is_empty());
    let text = planted(
        &action,
        "run: bash \"$GITHUB_ACTION_PATH/action/install.sh\"",
        "run: bash \"$GITHUB_ACTION_PATH/action/install.sh\" ${{ inputs.version }}",
    );
    assert!(!install_problems(&text, &install).is_empty());
    let text = planted(
        &action,
        "run: bash \"$GITHUB_ACTION_PATH/action/install.sh\"",
        "run: pip install openai-keycheck",
    );
    assert!(!install_problems(&text, &install).is_empty());
}

// ---------------------------------------------------------------------------
// The pin writer and the install script, run.

static SCRATCH: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let n = SCRATCH.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("r9-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python3() -> &'static str {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "python3 is needed to run .ci/write-action-pin (CI has it): install Python 3.8 or newer"
    );
    "python3"
}

fn write_pin(wheels: &Path, output: &Path) -> Output {
    Command::new(python3())
        .arg(root().join(".ci/write-action-pin"))
        .arg(wheels)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap()
}

fn text_of(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// (version, hashes) of a pin file.
fn read_pin(text: &str) -> (String, BTreeSet<String>) {
    let version = Regex::new(r"(?m)^openai-keycheck==(\S+) \\$")
        .unwrap()
        .captures(text)
        .expect(text)[1]
        .to_owned();
    let hashes = Regex::new(r"--hash=sha256:([0-9a-f]{64})")
        .unwrap()
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect();
    (version, hashes)
}

#[test]
fn r9_the_pin_writer_pins_every_wheel_by_sha256() {
    let dir = Scratch::new("pin");
    // Known answers: sha256 of each file's bytes.
    let wheels = [
        (
            "openai_keycheck-0.3.1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "linux wheel\n",
            "0caf38927a810d437421f5a806842b02e69bc9918fd2025d824541560a5d9999",
        ),
        (
            "openai_keycheck-0.3.1-py3-none-macosx_11_0_arm64.whl",
            "macos wheel\n",
            "05e0eefdc0aaeaa37c74ba182f520041f7c2a9a7fd925f0cbf4eb5e80225701b",
        ),
        (
            "openai_keycheck-0.3.1-py3-none-win_amd64.whl",
            "windows wheel\n",
            "4f9127ae66d668ff4d5d63f46d62c851348fc8235ec82ac6b0dcc57fdd6849cb",
        ),
    ];
    for (name, body, _) in wheels {
        dir.write(&format!("dist/{name}"), body);
    }
    // Not wheels: left out.
    dir.write("dist/openai_keycheck-0.3.1.tar.gz", "sdist");
    dir.write("dist/README", "notes");
    let out = dir.path("requirements.txt");
    let run = write_pin(&dir.path("dist"), &out);
    assert!(run.status.success(), "{}", text_of(&run));
    let pin = std::fs::read_to_string(&out).unwrap();
    let (version, hashes) = read_pin(&pin);
    assert_eq!(version, "0.3.1");
    assert_eq!(
        hashes,
        wheels
            .iter()
            .map(|(_, _, h)| h.to_string())
            .collect::<BTreeSet<_>>(),
        "{pin}"
    );
    assert!(!pin.contains("tar.gz"), "the sdist is pinned:\n{pin}");
    // The form the Action's install script reads.
    assert_eq!(
        pin.lines().filter(|l| l.starts_with("openai-keycheck==")).count(),
        1,
        "{pin}"
    );

    // Refused: wheels of two versions, of another project, none at all.
    let mixed = Scratch::new("pin-mixed");
    mixed.write("dist/openai_keycheck-0.3.1-py3-none-any.whl", "a");
    mixed.write("dist/openai_keycheck-0.3.2-py3-none-any.whl", "b");
    let foreign = Scratch::new("pin-foreign");
    foreign.write("dist/openai_keycheck-0.3.1-py3-none-any.whl", "a");
    foreign.write("dist/requests-2.0.0-py3-none-any.whl", "b");
    let empty = Scratch::new("pin-empty");
    empty.write("dist/openai_keycheck-0.3.1.tar.gz", "sdist");
    for (case, says) in [
        (&mixed, "more than one version"),
        (&foreign, "another distribution"),
        (&empty, "no openai_keycheck wheel"),
    ] {
        let out = case.path("requirements.txt");
        let run = write_pin(&case.path("dist"), &out);
        assert!(!run.status.success(), "{says}: accepted");
        assert!(text_of(&run).contains(says), "{}", text_of(&run));
        assert!(!out.exists(), "{says}: a pin was written");
    }
}

/// A real wheel made with Python's zipfile: pip installs it only by the pin.
#[test]
fn r9_pip_installs_the_pinned_wheel_and_refuses_any_other_bytes() {
    let dir = Scratch::new("pip");
    let make_wheel = r#"
import base64, hashlib, sys, zipfile
path, marker = sys.argv[1], sys.argv[2]
info = "openai_keycheck-0.3.1.dist-info"
files = {
    info + "/METADATA": "Metadata-Version: 2.1\nName: openai-keycheck\nVersion: 0.3.1\n",
    info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: r9\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    "openai_keycheck_r9.txt": marker,
}
record = []
with zipfile.ZipFile(path, "w") as z:
    for name, text in files.items():
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(info + "/RECORD,,")
    z.writestr(info + "/RECORD", "\n".join(record) + "\n")
"#;
    let wheel = dir.path("dist/openai_keycheck-0.3.1-py3-none-any.whl");
    std::fs::create_dir_all(wheel.parent().unwrap()).unwrap();
    let make = |marker: &str| {
        let run = Command::new(python3())
            .args(["-c", make_wheel])
            .arg(&wheel)
            .arg(marker)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", text_of(&run));
    };
    make("the release");
    dir.write(
        "dist/openai_keycheck-0.3.1-py3-none-win_amd64.whl",
        "another platform's wheel",
    );
    let pin = dir.path("requirements.txt");
    let run = write_pin(&dir.path("dist"), &pin);
    assert!(run.status.success(), "{}", text_of(&run));

    let venv = dir.path("venv");
    let run = Command::new(python3())
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text_of(&run));
    let install = || {
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--isolated",
                "--disable-pip-version-check",
                "--no-cache-dir",
            ])
            .args(["--no-index", "--find-links"])
            .arg(dir.path("dist"))
            .args([
                "--require-hashes",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--requirement",
            ])
            .arg(&pin)
            .output()
            .unwrap()
    };
    let run = install();
    assert!(
        run.status.success(),
        "pip refused the pinned wheel: {}",
        text_of(&run)
    );

    // Same name, other bytes: refused.
    make("something else");
    let run = Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "uninstall", "--yes", "--isolated", "openai-keycheck"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text_of(&run));
    let run = install();
    assert!(
        !run.status.success(),
        "pip installed a wheel the pin does not name"
    );
    assert!(text_of(&run).to_lowercase().contains("hash"), "{}", text_of(&run));
}

/// The Action's install script in a copy of the Action, with `python3` and
/// `cargo` stubs that record how they were called and what they could see.
struct ActionCopy {
    dir: Scratch,
}

const STUB: &str = r#"#!/bin/sh
{
  printf '%s' "$(basename "$0")"
  for a in "$@"; do printf ' [%s]' "$a"; done
  printf '\n'
  env | grep -E '^(OPENAI_API_KEY|DEPLOY_TOKEN|my_secret|AZURE_OPENAI_API_KEY)=' | sed 's/^/  saw /'
} >>"$STUB_LOG"
binary() { mkdir -p "$1"; printf '#!/bin/sh\necho "%s"\n' "$STUB_VERSION" >"$1/openai-keycheck"; chmod +x "$1/openai-keycheck"; }
case "$(basename "$0")" in
  cargo)
    root=
    while [ $# -gt 0 ]; do [ "$1" = --root ] && root=$2; shift; done
    binary "$root/bin" ;;
  *)
    case "$1 $2" in
      "-m venv") mkdir -p "$3/bin"; cp "$0" "$3/bin/python" ;;
      "-m pip") binary "$(dirname "$0")" ;;
    esac ;;
esac
"#;

impl ActionCopy {
    fn new(cargo_version: &str, pin: Option<&str>) -> ActionCopy {
        let dir = Scratch::new("action");
        dir.write(
            "action/Cargo.toml",
            format!("[package]\nname = \"openai-keycheck\"\nversion = \"{cargo_version}\"\nrust-version = \"1.88\"\n\n[dependencies]\nserde = {{ version = \"1\" }}\n"),
        );
        dir.write("action/action/install.sh", read("action/install.sh"));
        dir.write(
            "action/action/requirements.txt",
            pin.unwrap_or("# No release yet.\n"),
        );
        for stub in ["python3", "cargo"] {
            let path = dir.write(&format!("bin/{stub}"), STUB);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::create_dir_all(dir.path("runner-temp")).unwrap();
        ActionCopy { dir }
    }

    /// Runs the script as the Action does: (succeeded, its output, the stubs' log, $GITHUB_OUTPUT).
    fn install(&self, version: &str, binary_says: &str) -> (bool, String, String, String) {
        let output_file = self.dir.write("github-output", "");
        let log = self.dir.write("stub.log", "");
        let run = Command::new("bash")
            .arg(self.dir.path("action/action/install.sh"))
            .env_clear()
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", self.dir.path("bin").display()),
            )
            .env("HOME", self.dir.path("."))
            .env("RUNNER_TEMP", self.dir.path("runner-temp"))
            .env("GITHUB_OUTPUT", &output_file)
            .env("STUB_LOG", &log)
            .env("STUB_VERSION", binary_says)
            .env("VERSION", version)
            // What a job's env may hold: none of it may reach pip or cargo.
            .env("OPENAI_API_KEY", "sk-proj-r9-never-seen-by-an-installer")
            .env("AZURE_OPENAI_API_KEY", "azure-r9")
            .env("DEPLOY_TOKEN", "token-r9")
            .env("my_secret", "secret-r9")
            .output()
            .unwrap();
        (
            run.status.success(),
            text_of(&run),
            std::fs::read_to_string(&log).unwrap(),
            std::fs::read_to_string(&output_file).unwrap(),
        )
    }
}

fn pin_for(version: &str) -> String {
    let dir = Scratch::new("pin-for");
    let name = format!("openai_keycheck-{version}-py3-none-manylinux_2_17_x86_64.whl");
    dir.write(&format!("dist/{name}"), "wheel");
    let out = dir.path("requirements.txt");
    let run = write_pin(&dir.path("dist"), &out);
    assert!(run.status.success(), "{}", text_of(&run));
    std::fs::read_to_string(out).unwrap()
}

fn installed_path(github_output: &str) -> PathBuf {
    let line = github_output
        .lines()
        .find_map(|l| l.strip_prefix("path="))
        .expect(github_output);
    PathBuf::from(line)
}

#[test]
fn r9_the_action_installs_the_pinned_wheel_by_hash_with_no_credential_in_sight() {
    for (cargo, wheel) in [("7.8.9", "7.8.9"), ("2.0.0-rc.1", "2.0.0rc1")] {
        let action = ActionCopy::new(cargo, Some(&pin_for(wheel)));
        for version in ["", cargo, wheel] {
            let (ok, said, log, output) = action.install(version, &format!("openai-keycheck {cargo}"));
            assert!(ok, "version {version:?}: {said}\n{log}");
            let pip = log
                .lines()
                .find(|l| l.starts_with("python [-m] [pip] [install]"))
                .expect(&log);
            for flag in [
                "[--require-hashes]",
                "[--no-deps]",
                "[--only-binary] [:all:]",
                "[--requirement]",
            ] {
                assert!(pip.contains(flag), "{pip}");
            }
            assert!(pip.contains("action/requirements.txt]"), "{pip}");
            assert!(!log.contains("cargo"), "cargo ran beside a pin:\n{log}");
            assert!(!log.contains("saw"), "an installer saw a credential:\n{log}");
            assert!(installed_path(&output).is_file(), "{output}");
            assert!(output.contains(&format!("version={cargo}\n")), "{output}");
        }
    }
}

#[test]
fn r9_the_action_builds_its_own_source_locked_while_nothing_is_pinned() {
    // Before the first release, and between a version bump and its release.
    let stale = pin_for("7.8.8");
    for pin in [None, Some(stale.as_str())] {
        let action = ActionCopy::new("7.8.9", pin);
        let (ok, said, log, output) = action.install("", "openai-keycheck 7.8.9");
        assert!(ok, "{said}\n{log}");
        let cargo = log
            .lines()
            .find(|l| l.starts_with("cargo [install]"))
            .expect(&log);
        assert!(cargo.contains("[--locked]"), "{cargo}");
        assert!(
            cargo.contains(&format!("[--path] [{}]", action.dir.path("action").display())),
            "{cargo}"
        );
        assert!(!log.contains("[pip]"), "pip ran with nothing pinned:\n{log}");
        assert!(!log.contains("saw"), "the build saw a credential:\n{log}");
        assert!(installed_path(&output).is_file(), "{output}");
    }
}

#[test]
fn r9_the_action_refuses_any_other_version_rather_than_install_it_unchecked() {
    for pin in [Some(pin_for("7.8.9")), None] {
        let action = ActionCopy::new("7.8.9", pin.as_deref());
        for version in [
            "7.8.8",
            "7.9.0",
            ">=7",
            "latest",
            "7.8.9; curl evil",
            "7.8.9\n::warning::planted",
        ] {
            let (ok, said, log, output) = action.install(version, "openai-keycheck 7.8.9");
            assert!(!ok, "version {version:?} was installed: {said}");
            assert!(said.contains("::error"), "{said}");
            assert!(log.is_empty(), "version {version:?}: an installer ran:\n{log}");
            assert!(output.is_empty(), "{output}");
            assert!(
                !said.contains("planted") && !said.contains("evil"),
                "the input reached the log: {said}"
            );
        }
        // A binary that is not the version it should be is refused too.
        let (ok, said, _, output) = action.install("", "openai-keycheck 6.6.6");
        assert!(!ok && said.contains("6.6.6") && output.is_empty(), "{said}");
    }
}
