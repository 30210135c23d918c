//! One tag publishes everything, in order: every build before any upload,
//! every upload before the GitHub release — and nothing waits for an event
//! the workflow token makes. GitHub starts no workflow for what
//! `GITHUB_TOKEN` does (a release it creates, a tag it pushes), so a publish
//! job reachable only through `on: release` or `on: workflow_run` would
//! never run. The workflows are read with a YAML parser; each rule is also
//! run on a planted fault.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

/// A workflow as far as these rules need it.
struct Workflow {
    file: String,
    /// The events that start it (`push`, `workflow_call`, …), and whether a
    /// `push` is of tags.
    triggers: BTreeSet<String>,
    pushes_tags: bool,
    jobs: BTreeMap<String, Job>,
}

#[derive(Default)]
struct Job {
    needs: Vec<String>,
    /// `uses: ./.github/workflows/x.yml`: a reusable workflow it calls.
    calls: Option<String>,
    /// It uploads to a registry: a credential beside it (the OIDC token, or
    /// a secret other than the workflow token in a step's env).
    publishes: bool,
    /// It makes the GitHub release (`gh release create`).
    releases: bool,
    /// It builds something a later job takes (`actions/upload-artifact`).
    builds: bool,
}

fn text(yaml: &Yaml) -> String {
    match yaml {
        Yaml::String(s) => s.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Integer(i) => i.to_string(),
        _ => String::new(),
    }
}

fn list(yaml: &Yaml) -> Vec<String> {
    match yaml {
        Yaml::Array(items) => items.iter().map(text).collect(),
        Yaml::BadValue => vec![],
        other => vec![text(other)],
    }
}

fn read(file: &str, source: &str) -> Workflow {
    let docs = YamlLoader::load_from_str(source).unwrap_or_else(|e| panic!("{file}: {e}"));
    let doc = &docs[0];
    let on = &doc["on"];
    let (triggers, pushes_tags) = match on {
        Yaml::Hash(events) => (
            events.keys().map(text).collect(),
            !on["push"]["tags"].is_badvalue(),
        ),
        other => (list(other).into_iter().collect(), false),
    };
    let secret = regex::Regex::new(r"secrets\.([A-Za-z0-9_]+)").unwrap();
    let mut jobs = BTreeMap::new();
    if let Yaml::Hash(all) = &doc["jobs"] {
        for (name, job) in all {
            let steps = match &job["steps"] {
                Yaml::Array(steps) => steps.as_slice(),
                _ => &[],
            };
            let uses = |prefix: &str| steps.iter().any(|s| text(&s["uses"]).starts_with(prefix));
            let registry_secret = steps.iter().any(|s| match &s["env"] {
                Yaml::Hash(env) => env
                    .values()
                    .any(|v| secret.captures_iter(&text(v)).any(|c| &c[1] != "GITHUB_TOKEN")),
                _ => false,
            });
            jobs.insert(
                text(name),
                Job {
                    needs: list(&job["needs"]),
                    calls: Some(text(&job["uses"])).filter(|u| u.starts_with("./")),
                    publishes: text(&job["permissions"]["id-token"]) == "write" || registry_secret,
                    releases: steps
                        .iter()
                        .any(|s| text(&s["run"]).contains("gh release create")),
                    builds: uses("actions/upload-artifact@"),
                },
            );
        }
    }
    Workflow {
        file: file.to_string(),
        triggers,
        pushes_tags,
        jobs,
    }
}

/// Every job `job` waits for, directly or through others.
fn waits_for(workflow: &Workflow, job: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![job.to_string()];
    while let Some(next) = todo.pop() {
        for need in workflow.jobs.get(&next).map_or(&[][..], |j| j.needs.as_slice()) {
            if seen.insert(need.clone()) {
                todo.push(need.clone());
            }
        }
    }
    seen
}

/// Whether a person's act starts it: a pushed tag or a manual run, or a call
/// from a workflow so started.
fn started_by_a_person(workflow: &Workflow, all: &[Workflow], depth: usize) -> bool {
    if workflow.pushes_tags || workflow.triggers.contains("workflow_dispatch") {
        return true;
    }
    depth < 8
        && workflow.triggers.contains("workflow_call")
        && all.iter().any(|caller| {
            caller.jobs.values().any(|j| {
                j.calls
                    .as_deref()
                    .is_some_and(|c| Path::new(c).file_name() == Path::new(&workflow.file).file_name())
            }) && started_by_a_person(caller, all, depth + 1)
        })
}

fn problems(all: &[Workflow]) -> Vec<String> {
    let mut problems = Vec::new();
    for workflow in all {
        let file = &workflow.file;
        let publishing: Vec<&String> = workflow
            .jobs
            .iter()
            .filter(|(_, j)| j.publishes || j.releases)
            .map(|(name, _)| name)
            .collect();
        if publishing.is_empty() {
            continue;
        }
        if !started_by_a_person(workflow, all, 0) {
            problems.push(format!(
                "{file}: {publishing:?} publish, and only an event the workflow token may make starts it ({:?})",
                workflow.triggers
            ));
        }
        let builds: Vec<&String> = workflow
            .jobs
            .iter()
            .filter(|(_, j)| j.builds)
            .map(|(name, _)| name)
            .collect();
        for job in &publishing {
            let before = waits_for(workflow, job);
            for build in builds.iter().filter(|b| *b != job) {
                if !before.contains(*build) {
                    problems.push(format!("{file}: {job} may publish before {build} is built"));
                }
            }
        }
        for (release, _) in workflow.jobs.iter().filter(|(_, j)| j.releases) {
            let before = waits_for(workflow, release);
            for (upload, _) in workflow.jobs.iter().filter(|(_, j)| j.publishes && !j.releases) {
                if !before.contains(upload) {
                    problems.push(format!(
                        "{file}: the GitHub release ({release}) may come before {upload} has uploaded"
                    ));
                }
            }
        }
    }
    problems
}

fn workflows_with(replaced: Option<(&str, &str, &str)>) -> Vec<Workflow> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let mut source = std::fs::read_to_string(dir.join(name)).unwrap();
            if let Some((_, from, to)) = replaced.filter(|(file, ..)| file == name) {
                assert_eq!(source.matches(from).count(), 1, "{from:?}: where to plant?");
                source = source.replacen(from, to, 1);
            }
            read(name, &source)
        })
        .collect()
}

#[test]
fn one_tag_builds_then_publishes_then_releases() {
    let all = workflows_with(None);
    let problems = problems(&all);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The reader saw what is there: the four registries and the release.
    let release = all.iter().find(|w| w.file == "release.yml").unwrap();
    let publishing: BTreeSet<&str> = release
        .jobs
        .iter()
        .filter(|(_, j)| j.publishes)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        publishing,
        BTreeSet::from(["crates-io", "npm", "publish-homebrew-formula", "pypi"]),
        "the publish jobs changed"
    );
    assert!(release.jobs["announce"].releases);
    assert!(release.pushes_tags);
}

#[test]
fn each_release_rule_fails_on_a_planted_fault() {
    for (from, to, what) in [
        (
            "  push:\n    tags:\n",
            "  release:\n    types: [published]\n  push:\n    branches:\n",
            "started only by a release the workflow token made",
        ),
        (
            "      - npm\n      - publish-homebrew-formula\n",
            "      - publish-homebrew-formula\n",
            "the GitHub release before npm",
        ),
        (
            "      - sdist\n      - npm-packages\n",
            "      - sdist\n",
            "a publish before the npm packages are built",
        ),
    ] {
        let planted = workflows_with(Some(("release.yml", from, to)));
        assert!(!problems(&planted).is_empty(), "{what}: passed");
    }
    // A reusable workflow is as reachable as its callers.
    let called = || {
        read(
            "publish.yml",
            "on:\n  workflow_call:\njobs:\n  up:\n    permissions:\n      id-token: write\n    steps:\n      - uses: pypa/gh-action-pypi-publish@x\n",
        )
    };
    let caller = |on: &str| {
        read(
            "caller.yml",
            &format!("on:\n{on}jobs:\n  go:\n    uses: ./.github/workflows/publish.yml\n"),
        )
    };
    let by_release = caller("  release:\n    types: [published]\n");
    let by_tag = caller("  push:\n    tags: ['v*']\n");
    assert!(!problems(&[called(), by_release]).is_empty());
    assert!(problems(&[called(), by_tag]).is_empty());
}
