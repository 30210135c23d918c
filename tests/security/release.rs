//! One tag publishes everything, in order: every build before any upload,
//! every upload before the GitHub release, and what points at the release's
//! files (the Homebrew formula) after it — and nothing waits for an event
//! the workflow token makes. GitHub starts no workflow for what
//! `GITHUB_TOKEN` does (a release it creates, a tag it pushes), so a publish
//! job reachable only through `on: release` or `on: workflow_run` would
//! never run. The workflows are read with a YAML parser; each rule is also
//! run on a planted fault, which must fail it for the reason it names.

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
    /// Its `if:`, as written.
    condition: String,
    /// `uses: ./.github/workflows/x.yml`: a reusable workflow it calls.
    calls: Option<String>,
    /// It uploads somewhere: a credential beside it (the OIDC token, or a
    /// secret other than the workflow token anywhere in the job).
    publishes: bool,
    /// What it publishes points at the GitHub release's files (a Homebrew
    /// formula, committed to a `homebrew-` tap).
    points_at_release: bool,
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

/// Every string under `yaml`, keys and values.
fn strings(yaml: &Yaml, out: &mut Vec<String>) {
    match yaml {
        Yaml::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Yaml::Hash(map) => map.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        other => out.push(text(other)),
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
            let mut all_text = Vec::new();
            strings(job, &mut all_text);
            let registry_secret = all_text
                .iter()
                .any(|t| secret.captures_iter(t).any(|c| &c[1] != "GITHUB_TOKEN"));
            jobs.insert(
                text(name),
                Job {
                    needs: list(&job["needs"]),
                    condition: text(&job["if"]),
                    calls: Some(text(&job["uses"])).filter(|u| u.starts_with("./")),
                    publishes: text(&job["permissions"]["id-token"]) == "write" || registry_secret,
                    points_at_release: steps
                        .iter()
                        .any(|s| text(&s["with"]["repository"]).contains("/homebrew-")),
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

/// The events only the workflow token's acts (or another workflow) make here.
const TOKEN_EVENTS: &[&str] = &[
    "github.event_name",
    "github.event.release",
    "github.event.workflow_run",
];

fn problems(all: &[Workflow]) -> Vec<String> {
    let mut problems = Vec::new();
    for workflow in all {
        let file = &workflow.file;
        let names = |keep: &dyn Fn(&Job) -> bool| -> Vec<&String> {
            workflow
                .jobs
                .iter()
                .filter(|(_, j)| keep(j))
                .map(|(name, _)| name)
                .collect()
        };
        // A job run whatever its needs ended as checks each of their results.
        for (name, job) in &workflow.jobs {
            if job.condition.contains("always()") {
                for need in job
                    .needs
                    .iter()
                    .filter(|n| !job.condition.contains(&format!("needs.{n}.result")))
                {
                    problems.push(format!(
                        "{file}: {name} runs always() and checks not the result of {need}"
                    ));
                }
            }
        }
        let publishing = names(&|j| j.publishes || j.releases);
        if publishing.is_empty() {
            continue;
        }
        if !started_by_a_person(workflow, all, 0) {
            problems.push(format!(
                "{file}: {publishing:?} publish, and only an event the workflow token may make starts it ({:?})",
                workflow.triggers
            ));
        }
        for job in &publishing {
            let condition = &workflow.jobs[*job].condition;
            if let Some(event) = TOKEN_EVENTS.iter().find(|e| condition.contains(**e)) {
                problems.push(format!(
                    "{file}: {job} runs only on an event its `if:` names ({event}), which the workflow token may make"
                ));
            }
        }
        let builds = names(&|j| j.builds);
        for job in &publishing {
            let before = waits_for(workflow, job);
            for build in builds.iter().filter(|b| *b != job) {
                if !before.contains(*build) {
                    problems.push(format!("{file}: {job} may publish before {build} is built"));
                }
            }
        }
        for release in names(&|j| j.releases) {
            let before = waits_for(workflow, release);
            for upload in names(&|j| j.publishes && !j.releases && !j.points_at_release) {
                if !before.contains(upload) {
                    problems.push(format!(
                        "{file}: the GitHub release ({release}) may come before {upload} has uploaded"
                    ));
                }
            }
            for pointer in names(&|j| j.points_at_release) {
                if !waits_for(workflow, pointer).contains(release) {
                    problems.push(format!(
                        "{file}: {pointer} points at the GitHub release's files before {release} makes it"
                    ));
                }
            }
        }
    }
    problems
}

fn workflows_with(replaced: Option<(&str, &str, &str)>) -> Vec<Workflow> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let mut names = crate::common::names_in(&dir);
    names.retain(|n| n.ends_with(".yml") || n.ends_with(".yaml"));
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
    assert!(release.jobs["publish-homebrew-formula"].points_at_release);
    assert!(release.pushes_tags);
}

#[test]
fn each_release_rule_fails_on_a_planted_fault() {
    let prerelease = "${{ !fromJson(needs.plan.outputs.val).announcement_is_prerelease || fromJson(needs.plan.outputs.val).publish_prereleases }}";
    for (from, to, said) in [
        (
            "  push:\n    tags:\n".to_string(),
            "  release:\n    types: [published]\n  push:\n    branches:\n".to_string(),
            "only an event the workflow token may make starts it",
        ),
        (
            "      - crates-io\n      - npm\n    # use".to_string(),
            "      - crates-io\n    # use".to_string(),
            "the GitHub release (announce) may come before npm has uploaded",
        ),
        (
            "      - sdist\n      - npm-packages\n".to_string(),
            "      - sdist\n".to_string(),
            "crates-io may publish before npm-packages is built",
        ),
        (
            "      - plan\n      - announce\n    if: ".to_string(),
            "      - plan\n      - host\n    if: ".to_string(),
            "publish-homebrew-formula points at the GitHub release's files before announce makes it",
        ),
        (
            " && (needs.npm.result == 'skipped' || needs.npm.result == 'success')".to_string(),
            String::new(),
            "announce runs always() and checks not the result of npm",
        ),
        (
            format!("    if: {prerelease}\n    runs-on: ubuntu-latest\n    environment: pypi\n"),
            "    if: github.event_name == 'release'\n    runs-on: ubuntu-latest\n    environment: pypi\n"
                .to_string(),
            "pypi runs only on an event its `if:` names (github.event_name)",
        ),
    ] {
        let planted = workflows_with(Some(("release.yml", &from, &to)));
        let found = problems(&planted);
        assert!(
            found.iter().any(|p| p.contains(said)),
            "{said:?} not among {found:#?}"
        );
    }
    // A secret handed to an action (`with:`) or set for the whole job
    // publishes as one in a step's env does.
    for job in [
        "    steps:\n      - uses: some/push@x\n        with:\n          token: ${{ secrets.TAP_TOKEN }}\n",
        "    env:\n      TOKEN: ${{ secrets.TAP_TOKEN }}\n    steps:\n      - run: git push\n",
    ] {
        let workflow = read(
            "tap.yml",
            &format!(
                "on:\n  push:\n    tags: ['v*']\njobs:\n  build:\n    steps:\n      - uses: actions/upload-artifact@x\n  push:\n{job}"
            ),
        );
        let found = problems(&[workflow]);
        assert!(
            found
                .iter()
                .any(|p| p.contains("push may publish before build is built")),
            "{job}: {found:#?}"
        );
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
    let by_release = problems(&[called(), caller("  release:\n    types: [published]\n")]);
    assert!(
        by_release
            .iter()
            .any(|p| p.contains("only an event the workflow token may make starts it")),
        "{by_release:#?}"
    );
    assert!(problems(&[called(), caller("  push:\n    tags: ['v*']\n")]).is_empty());
}
