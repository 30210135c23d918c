//! `lint`: the credential traps in a program's code, found before it runs.
//!
//! walk (which files, as ripgrep picks them) → read and screen (one
//! multi-pattern search: only files that can matter are parsed) → facts
//! (each file parsed, in parallel, into what it does in order) → the
//! project (`.env` names, what the code reads) → rules (one file each) →
//! suppressions → hits, sorted.

pub mod config;
pub mod fix;
pub mod render;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;

pub use crate::program::Unreadable;
use crate::program::facts::{Kind, Language};
use crate::program::{PARSER_STACK, Parsed, SCREEN, imports, manifests, modules, parse_in_parallel, walk};
use rules::{At, Project, RULES, Spot};

use crate::vocab::{ExitStatus, LintRuleId, Secrets, Severity};

/// What to lint, and which rules.
#[derive(Debug, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// Also hidden, ignored and vendored files (`--no-ignore`).
    pub no_ignore: bool,
    /// Only these rules (`--select`); none means all.
    pub select: Vec<LintRuleId>,
    /// Not these (`--ignore`).
    pub ignore: Vec<LintRuleId>,
    /// The project's settings file, for what it excludes and the rules it
    /// turns off for some paths (its rules and `fail-on` are merged above).
    pub config: Option<config::Config>,
}

/// One trap found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: LintRuleId,
    pub severity: Severity,
    /// As the walk found it (relative when the path given was).
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// A notebook's code cell (1-based, counting code cells); `line` is
    /// then the line within it.
    pub cell: Option<usize>,
    pub message: String,
    /// The line itself, for a code frame (redacted at the output edge).
    pub source_line: String,
    /// The edit that removes the trap, where the rule can write one (never
    /// in a notebook, whose lines are its cells').
    pub fix: Option<fix::Fix>,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Linted {
    pub hits: Vec<Hit>,
    /// Files walked, and of those parsed (the others cannot hold a trap).
    pub files_walked: usize,
    pub files_parsed: usize,
    /// Every key literal met: nothing printed may hold one.
    pub secrets: Secrets,
    /// The text of each file a hit offers a fix for, as it was linted.
    pub fixable: BTreeMap<PathBuf, String>,
}

/// A file with fixes applied.
#[derive(Debug)]
pub struct Fixed {
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    /// How many fixes it took (one that met another is left for a next run).
    pub applied: usize,
}

impl Linted {
    /// Each fixable file with its fixes applied: the safe ones only, or all.
    pub fn fixed(&self, safe_only: bool) -> Vec<Fixed> {
        self.fixable
            .iter()
            .filter_map(|(path, before)| {
                let fixes = self
                    .hits
                    .iter()
                    .filter(|h| &h.path == path)
                    .filter_map(|h| h.fix.as_ref())
                    .filter(|f| f.safe || !safe_only);
                let (after, applied) = fix::apply(before, fixes);
                (applied > 0).then(|| Fixed {
                    path: path.clone(),
                    before: before.clone(),
                    after,
                    applied,
                })
            })
            .collect()
    }
}

impl Linted {
    /// 1 when a hit is at or above `--fail-on` (warnings, unless only errors
    /// count), else 0.
    pub fn exit_status(&self, errors_only: bool) -> ExitStatus {
        let fails = |s: Severity| s == Severity::Error || (!errors_only && s == Severity::Warning);
        if self.hits.iter().any(|h| fails(h.severity)) {
            ExitStatus::Fix
        } else {
            ExitStatus::Ok
        }
    }
}

pub fn lint(options: &Options) -> Result<Linted, Unreadable> {
    let mut walked = walk::files(&options.paths, options.no_ignore)?;
    if let Some(config) = &options.config {
        walked.sources.retain(|p| !config.excludes(p));
        walked.dotenv_files.retain(|p| !config.excludes(p));
    }
    let screen = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(SCREEN)
        .expect("fixed patterns build");
    let mut parsed = parse_in_parallel(&walked.sources, Some(&screen));
    // A local module imported by one read is read too, whatever its words:
    // it may import the one that creates a client.
    let resolver = imports::Resolver::new(&walked.sources);
    // Each round reads what the last one's files import: each file once.
    let mut tried: BTreeSet<PathBuf> = parsed.iter().map(|p| p.path.clone()).collect();
    let mut fresh = 0;
    loop {
        let mut unread = resolver.imported_files(&modules(&parsed[fresh..]));
        unread.retain(|p| tried.insert(p.clone()));
        if unread.is_empty() {
            break;
        }
        fresh = parsed.len();
        parsed.extend(parse_in_parallel(&unread, None));
    }
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    let mut project = project(&parsed, &walked.dotenv_files);
    // What each import does is followed as deep as imports chain: on the
    // parsers' stack.
    project.local_imports = std::thread::scope(|scope| {
        let modules = modules(&parsed);
        std::thread::Builder::new()
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, move || resolver.local_imports(&modules))
            .ok()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    });
    let mut manifests = manifests::Manifests::new(&walked.folders, &walked.manifests);
    for source in &mut parsed {
        let sdk = manifests::Sdk::of(source.file.facts.language);
        let own = match source.file.facts.language {
            Language::Notebook => manifests::notebook_installs_legacy(&source.file.text),
            _ => None,
        };
        source.file.legacy_sdk = own.unwrap_or_else(|| manifests.legacy(&source.path, sdk));
    }

    let wanted = |id: LintRuleId| {
        (options.select.is_empty() || options.select.contains(&id)) && !options.ignore.contains(&id)
    };
    let mut linted = Linted {
        files_walked: walked.sources.len() + walked.dotenv_files.len(),
        files_parsed: parsed.len(),
        ..Linted::default()
    };
    let texts: BTreeMap<PathBuf, String> = walked
        .dotenv_files
        .iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect();
    for rule in RULES.iter().filter(|r| wanted(r.id)) {
        for spot in (rule.check_project)(&project) {
            linted.hits.extend(hit(rule, None, spot, &texts));
        }
    }
    for source in &parsed {
        for fact in &source.file.facts.facts {
            if let Kind::Literal { value } = &fact.kind
                && rules::hardcoded_key::is_key(value)
            {
                linted.secrets.add(value.trim());
            }
        }
        let mut lines = None;
        for rule in RULES.iter().filter(|r| wanted(r.id)) {
            for spot in (rule.check)(&source.file, &project) {
                let lines = lines.get_or_insert_with(|| Lines::new(&source.file.text));
                let at = (source.path.as_path(), &*lines, source.file.facts.cells.as_slice());
                let found = hit(rule, Some(at), spot, &texts);
                if found.as_ref().is_some_and(|h| h.fix.is_some()) {
                    linted
                        .fixable
                        .entry(source.path.clone())
                        .or_insert_with(|| source.file.text.clone());
                }
                linted.hits.extend(found);
            }
        }
    }
    // A `.env` line may be shown: every value there that is a key, or is
    // named as a credential is (`…_KEY`, `…_TOKEN`, `…_SECRET`), is masked.
    for text in texts.values() {
        for (name, value) in dotenvy::from_read_iter(text.as_bytes()).flatten() {
            if rules::hardcoded_key::is_key(&value) || crate::vocab::urls::is_credential_parameter(&name) {
                linted.secrets.add(&value);
            }
        }
    }
    if let Some(config) = &options.config {
        linted.hits.retain(|h| !config.ignores(&h.path, h.rule));
    }
    linted
        .hits
        .sort_by(|a, b| (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule)));
    linted
        .hits
        .dedup_by(|a, b| (&a.path, a.line, a.column, a.rule) == (&b.path, b.line, b.column, b.rule));
    Ok(linted)
}

/// What the tree says as a whole.
fn project(parsed: &[Parsed], dotenv_files: &[PathBuf]) -> Project {
    let mut project = Project::default();
    for path in dotenv_files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for (name, _) in dotenvy::from_read_iter(text.as_bytes()).flatten() {
            let line = text
                .lines()
                .position(|l| crate::resolve::files::assigns(l, &name))
                .map_or(1, |i| i + 1);
            project.dotenv.entry(name).or_default().push((path.clone(), line));
        }
    }
    let mut read = BTreeSet::new();
    for fact in parsed.iter().flat_map(|p| &p.file.facts.facts) {
        match &fact.kind {
            Kind::EnvRead { name, .. } => {
                read.insert(name.clone());
            }
            Kind::ClientMade { key_given: false, .. } => project.client_reads_environment = true,
            _ => {}
        }
    }
    project.read_in_code = read;
    project
}

/// A spot as a hit: its file, line and column (in a notebook, its cell
/// and the line in it) — or none, where a comment silences the rule.
fn hit(
    rule: &rules::LintRule,
    source: Option<(&Path, &Lines, &[u32])>,
    spot: Spot,
    texts: &BTreeMap<PathBuf, String>,
) -> Option<Hit> {
    let source_is_file = matches!(spot.at, At::Offset(_));
    let other;
    let (path, lines, offset, cells) = match (spot.at, source) {
        (At::Offset(at), Some((path, lines, cells))) => (path.to_path_buf(), lines, at as usize, cells),
        (At::Line(path, line), _) => {
            other = Lines::new(texts.get(&path).map_or("", String::as_str));
            let offset = other.start(line - 1);
            (path, &other, offset, &[][..])
        }
        (At::Offset(_), None) => return None,
    };
    let text = lines.text;
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let line = lines.line_of(offset) + 1;
    let column = text[lines.start(line - 1)..offset].chars().count() + 1;
    // `# keycheck: ignore[rule]` on the line or the one above.
    let silenced = [line.checked_sub(1), line.checked_sub(2)]
        .into_iter()
        .flatten()
        .filter_map(|i| lines.get(i))
        .any(|l| ignores(l, rule.id));
    if silenced {
        return None;
    }
    // In a notebook: the code cell, and the line within it.
    let cell = cells.iter().rposition(|&start| start as usize <= offset);
    let line_in_place = match cell {
        Some(c) => line - lines.line_of(cells[c] as usize),
        None => line,
    };
    let fix = spot.fix.filter(|_| cells.is_empty() && source_is_file);
    Some(Hit {
        fix,
        rule: rule.id,
        severity: rule.severity,
        // The code shown: a secret of a form the key rules do not know (a
        // gateway's token) is masked as a pasted one is.
        source_line: crate::vocab::pasted::mask_key_shapes(lines.get(line - 1).unwrap_or_default()),
        path,
        line: line_in_place,
        column,
        cell: cell.map(|c| c + 1),
        message: spot.message,
    })
}

/// A text's lines, found once: a file with many hits is not read again
/// for each.
struct Lines<'t> {
    text: &'t str,
    /// Where each line starts.
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 0-based line holding this offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The 0-based line's text, as `str::lines` gives it.
    fn get(&self, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        if start > end || (start == self.text.len() && line > 0) {
            return None;
        }
        Some(
            self.text[start..end]
                .strip_suffix('\r')
                .unwrap_or(&self.text[start..end]),
        )
    }
}

fn ignores(line: &str, rule: LintRuleId) -> bool {
    line.match_indices("keycheck: ignore[").any(|(at, marker)| {
        let rest = &line[at + marker.len()..];
        rest.split(']')
            .next()
            .is_some_and(|ids| ids.split(',').any(|id| id.trim() == rule.name()))
    })
}

#[cfg(test)]
mod tests;
