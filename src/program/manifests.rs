//! Which major version of the SDK a file is written for: the nearest
//! folder above it whose lock file or manifest names the SDK decides (a
//! lock says what is installed; a manifest what is asked for), or a
//! notebook's own `%pip install`. Legacy means openai-python below 1 or
//! openai-node below 4, whose APIs the rules must not call mistakes there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use toml::de::DeValue;

use super::facts::Language;
use super::walk::absolute;
use crate::resolve::toml_tree;

/// The SDK a file's language uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Sdk {
    Python,
    Node,
}

impl Sdk {
    pub(crate) fn of(language: Language) -> Sdk {
        match language {
            Language::Python | Language::Notebook => Sdk::Python,
            Language::JavaScript => Sdk::Node,
        }
    }
}

/// What each folder's manifests say, read once.
#[derive(Default)]
pub(crate) struct Manifests {
    /// By folder and SDK: `None` where no manifest there names the SDK.
    folders: HashMap<(PathBuf, Sdk), Option<bool>>,
    /// Folders the walk saw whole, and of those the ones with a manifest
    /// (absolute): the others are passed without a look.
    walked: HashSet<PathBuf>,
    with_manifests: HashSet<PathBuf>,
}

/// The files that say which SDK is installed or asked for.
pub(crate) fn is_manifest(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    matches!(
        name,
        "pyproject.toml"
            | "Pipfile"
            | "uv.lock"
            | "poetry.lock"
            | "package.json"
            | "package-lock.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
    ) || (name.contains("requirements") && name.ends_with(".txt"))
        || (name.ends_with(".txt")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d == "requirements"))
}

impl Manifests {
    /// Knowing which folders the walk saw, and the manifests in them.
    pub(crate) fn new(folders: &[PathBuf], manifests: &[PathBuf]) -> Manifests {
        let mut with_manifests = HashSet::new();
        for manifest in manifests {
            // requirements/base.txt counts for the folder above `requirements`.
            for folder in absolute(manifest).ancestors().skip(1).take(2) {
                with_manifests.insert(folder.to_path_buf());
            }
        }
        Manifests {
            folders: HashMap::new(),
            walked: folders.iter().map(|f| absolute(f)).collect(),
            with_manifests,
        }
    }

    /// The file is written for the legacy SDK (`openai<1`, `openai@3`).
    pub(crate) fn legacy(&mut self, file: &Path, sdk: Sdk) -> bool {
        let file = absolute(file);
        for folder in file.ancestors().skip(1) {
            if self.walked.contains(folder) && !self.with_manifests.contains(folder) {
                continue;
            }
            let key = (folder.to_path_buf(), sdk);
            let said = match self.folders.get(&key) {
                Some(said) => *said,
                None => {
                    let said = read_folder(folder, sdk);
                    self.folders.insert(key, said);
                    said
                }
            };
            if let Some(legacy) = said {
                return legacy;
            }
        }
        false
    }
}

/// The most a manifest or lock file may hold to be read.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

fn read_folder(folder: &Path, sdk: Sdk) -> Option<bool> {
    let read = |name: &str| crate::resolve::files::read_text(&folder.join(name), MAX_MANIFEST_BYTES).ok();
    match sdk {
        Sdk::Python => {
            // What is installed, then what is asked for.
            let locked = ["uv.lock", "poetry.lock"]
                .iter()
                .find_map(|name| read(name).and_then(|text| toml_lock_version(&text)))
                .map(|version| version.starts_with("0."));
            locked.or_else(|| {
                let mut said: Option<bool> = None;
                for text in python_manifests(folder).iter().filter_map(|p| {
                    crate::resolve::files::read_text(p, MAX_MANIFEST_BYTES)
                        .ok()
                        .map(|t| (p, t))
                }) {
                    let (path, text) = text;
                    let named = if path.extension().is_some_and(|e| e == "toml") || path.ends_with("Pipfile")
                    {
                        toml_requirements(&text)
                    } else {
                        requirement_lines(&text)
                    };
                    for spec in named {
                        said = Some(said.unwrap_or(false) || python_spec_is_legacy(&spec));
                    }
                }
                said
            })
        }
        Sdk::Node => {
            let locked = read("package-lock.json")
                .and_then(|t| npm_lock_version(&t))
                .or_else(|| read("yarn.lock").and_then(|t| yarn_lock_version(&t)))
                .or_else(|| read("pnpm-lock.yaml").and_then(|t| pnpm_lock_version(&t)));
            locked
                .or_else(|| read("package.json").and_then(|t| package_json_spec(&t)))
                .map(|range| npm_range_is_legacy(&range))
        }
    }
}

/// `requirements*.txt`, `*-requirements.txt`, `requirements/*.txt`,
/// `pyproject.toml`, `Pipfile`.
fn python_manifests(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    for path in list(folder) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "pyproject.toml"
            || name == "Pipfile"
            || (name.contains("requirements") && name.ends_with(".txt"))
        {
            found.push(path);
        } else if name == "requirements" && path.is_dir() {
            found.extend(
                list(&path)
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "txt")),
            );
        }
    }
    found.sort();
    found
}

/// The version spec of each `openai` requirement in a requirements file
/// (`openai==0.28.1`, `openai[datalib]<1`), or a `pip install` line.
fn requirement_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        // `-r other.txt`, `--index-url …`: options, not requirements.
        .filter(|line| !line.starts_with('-'))
        .map(|line| line.split_whitespace().collect::<String>())
        .filter_map(|line| openai_spec(&line))
        .collect()
}

/// `openai==0.28`, `openai[x] >=0.27,<1`, `"openai<1"`: the spec after the
/// name, for the package `openai` only (not `openai-agents`).
fn openai_spec(requirement: &str) -> Option<String> {
    let requirement = requirement.trim().trim_matches(|c| c == '"' || c == '\'');
    let rest = requirement
        .get(..6)
        .filter(|name| name.eq_ignore_ascii_case("openai"))
        .map(|_| &requirement[6..])?;
    let rest = match rest.strip_prefix('[') {
        Some(extras) => extras.split_once(']')?.1,
        None => rest,
    };
    let rest = rest.split(';').next().unwrap_or_default().trim();
    // PEP 508's older form, as Poetry writes it: `openai (>=0.28.1,<0.29.0)`.
    let rest = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest)
        .trim();
    // The next character ends the name: a spec, or nothing at all.
    match rest.chars().next() {
        None => Some(String::new()),
        Some(c) if "=<>~!^".contains(c) => Some(rest.to_string()),
        _ => None,
    }
}

/// `==0.28.1`, `<1`, `>=0.27,<1.0`, `~=0.27`, Poetry's `^0.27` and `0.28.1`:
/// every version it allows is below 1.
fn python_spec_is_legacy(spec: &str) -> bool {
    spec.split(',').map(str::trim).any(|clause| {
        let (op, version) = split_operator(clause);
        let parts = version_parts(version);
        let major = parts.first().copied();
        match op {
            "==" | "===" | "~=" | "^" | "~" | "" => major == Some(0),
            // Below 1, or below 1.0.0: compared as numbers (`<10` is not).
            "<" => major == Some(0) || (major == Some(1) && parts[1..].iter().all(|&p| p == 0)),
            "<=" => major == Some(0),
            _ => false,
        }
    })
}

/// `1.0.2` as [1, 0, 2]; `0.*` as [0].
fn version_parts(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map_while(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// An npm range allows only openai-node below 4: every `||` alternative
/// is bounded below 4 (`^3.2.1`, `~3.1`, `3.x`, `<4`, `>=3 <4`); one with no
/// upper bound (`>=3.0.0`, `*`) installs the newest.
fn npm_range_is_legacy(range: &str) -> bool {
    range.split("||").all(|alternative| {
        let clauses: Vec<&str> = alternative.split_whitespace().collect();
        if let Some(upper) = clauses.iter().find(|c| c.starts_with('<')) {
            let inclusive = upper.starts_with("<=");
            let parts = version_parts(upper.trim_start_matches(['<', '=', ' ']));
            return match parts.first() {
                Some(&major) if inclusive => major < 4,
                Some(&major) => major < 4 || (major == 4 && parts[1..].iter().all(|&p| p == 0)),
                None => false,
            };
        }
        if clauses.iter().any(|c| c.starts_with('>')) {
            return false;
        }
        first_number(alternative).is_some_and(|major| major < 4)
    })
}

fn split_operator(clause: &str) -> (&str, &str) {
    let at = clause
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(clause.len());
    (clause[..at].trim(), clause[at..].trim())
}

/// The `openai` specs of a `pyproject.toml` (PEP 621's `dependencies` and
/// `optional-dependencies`, Poetry's `[tool.poetry.dependencies]`) or a
/// `Pipfile` (`[packages]`, `[dev-packages]`).
fn toml_requirements(text: &str) -> Vec<String> {
    let Ok(document) = toml_tree::parse(text) else {
        return Vec::new();
    };
    let document = document.get_ref();
    let mut specs = Vec::new();
    if let Some(project) = toml_tree::table(document, "project") {
        let optional = toml_tree::table(project, "optional-dependencies");
        let lists = project
            .get("dependencies")
            .into_iter()
            .chain(optional.into_iter().flat_map(|t| t.values()));
        for list in lists.filter_map(|l| toml_tree::strings(l.get_ref())) {
            specs.extend(list.into_iter().filter_map(|(r, _)| openai_spec(r)));
        }
    }
    let poetry = toml_tree::table(document, "tool")
        .and_then(|t| toml_tree::table(t, "poetry"))
        .and_then(|p| toml_tree::table(p, "dependencies"));
    let pipfile = ["packages", "dev-packages"].map(|name| toml_tree::table(document, name));
    for table in std::iter::once(poetry).chain(pipfile).flatten() {
        // `openai = "^0.27"`, `openai = { version = "==0.28.1", extras = […] }`.
        let Some(dependency) = table.get("openai").map(|d| d.get_ref()) else {
            continue;
        };
        let spec = match dependency {
            DeValue::Table(t) => t.get("version").and_then(|v| toml_tree::string(v.get_ref())),
            other => toml_tree::string(other),
        };
        specs.extend(spec.map(str::to_string));
    }
    specs
}

/// The `openai` version a `uv.lock` or `poetry.lock` installs.
fn toml_lock_version(text: &str) -> Option<String> {
    let document = toml_tree::parse(text).ok()?;
    let DeValue::Array(packages) = document.get_ref().get("package")?.get_ref() else {
        return None;
    };
    packages.iter().find_map(|package| {
        let DeValue::Table(package) = package.get_ref() else {
            return None;
        };
        let name = package.get("name").and_then(|n| toml_tree::string(n.get_ref()));
        let version = package
            .get("version")
            .and_then(|v| toml_tree::string(v.get_ref()));
        (name == Some("openai")).then(|| version.map(str::to_string))?
    })
}

fn npm_lock_version(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let package = value
        .pointer("/packages/node_modules~1openai")
        .or_else(|| value.pointer("/dependencies/openai"))?;
    package.get("version")?.as_str().map(str::to_string)
}

/// `openai@^3.2.1:` (or `"openai@npm:^3"`) followed by `  version "3.3.0"`.
fn yarn_lock_version(text: &str) -> Option<String> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start_matches('"').starts_with("openai@") {
            let version = lines.find(|l| l.trim_start().starts_with("version"))?;
            return Some(
                version
                    .trim()
                    .trim_start_matches("version")
                    .trim_matches([' ', ':', '"'])
                    .to_string(),
            );
        }
    }
    None
}

/// `/openai@3.3.0:` or `openai@4.20.1:` as a key of `pnpm-lock.yaml`.
fn pnpm_lock_version(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let key = line.trim().trim_start_matches(['/', '\'']);
        let version = key.strip_prefix("openai@")?;
        Some(version.trim_end_matches([':', '\'']).to_string())
    })
}

fn package_json_spec(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .find_map(|table| value.get(table)?.get("openai")?.as_str().map(str::to_string))
}

/// The major version in `^3.3.0`, `~3.2`, `>=3 <4`, `3.x`.
fn first_number(version: &str) -> Option<u64> {
    let start = version.find(|c: char| c.is_ascii_digit())?;
    let digits: String = version[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A notebook that installs the SDK itself (`%pip install openai==0.28`,
/// `!pip install -q openai<1`): what it installs, legacy or not.
pub(crate) fn notebook_installs_legacy(code: &str) -> Option<bool> {
    let mut said = None;
    for line in code.lines() {
        let line = line.trim_start().trim_start_matches(['%', '!']);
        let Some(rest) = line
            .strip_prefix("pip install")
            .or_else(|| line.strip_prefix("pip3 install"))
        else {
            continue;
        };
        for spec in rest.split_whitespace().filter_map(openai_spec) {
            said = Some(said.unwrap_or(false) || python_spec_is_legacy(&spec));
        }
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_specs() {
        for legacy in [
            "openai==0.28.1",
            "openai<1",
            "openai <1.0.0",
            "openai[datalib]~=0.27",
            "openai>=0.27,<1.0",
            "\"openai<=0.28\"",
        ] {
            let spec = openai_spec(legacy).unwrap_or_else(|| panic!("{legacy}"));
            assert!(python_spec_is_legacy(&spec), "{legacy}");
        }
        for current in [
            "openai",
            "openai>=1",
            "openai==1.3.0",
            "openai>=0.27",
            "openai<2",
            "openai~=1.0",
        ] {
            let spec = openai_spec(current).unwrap_or_else(|| panic!("{current}"));
            assert!(!python_spec_is_legacy(&spec), "{current}");
        }
        // Other packages are not the SDK.
        assert_eq!(openai_spec("openai-agents==0.1"), None);
        assert_eq!(openai_spec("openaiext"), None);
        assert_eq!(
            requirement_lines("# openai==0.28\nopenai==1.2 # not 0.28\n"),
            ["==1.2"]
        );
        // Spaces, parentheses, numbers compared as numbers.
        assert_eq!(requirement_lines("openai == 0.28.1\n"), ["==0.28.1"]);
        assert!(python_spec_is_legacy(
            &requirement_lines("openai >=0.27, <1\n")[0]
        ));
        assert!(python_spec_is_legacy(
            &openai_spec("openai (>=0.28.1,<0.29.0)").unwrap()
        ));
        assert!(!python_spec_is_legacy(&openai_spec("openai<10").unwrap()));
        assert!(python_spec_is_legacy(&openai_spec("openai<1.0.0").unwrap()));
        // npm: the upper bound decides; none means the newest.
        for legacy in [
            "^3.3.0", "~3.1", "3.x", "3.2.1", "<4", ">=3 <4", "<=3.9", "^3 || ^2",
        ] {
            assert!(npm_range_is_legacy(legacy), "{legacy}");
        }
        for current in ["^4.0.0", ">=3.0.0", "*", "latest", "3.x || 4.x", "<5", "4.104.0"] {
            assert!(!npm_range_is_legacy(current), "{current}");
        }
    }

    #[test]
    fn pyproject_pipfile_and_locks() {
        let pep621 = "[project]\ndependencies = [\"openai<1\", \"httpx\"]\n";
        assert_eq!(toml_requirements(pep621), ["<1"]);
        let poetry = "[tool.poetry.dependencies]\npython = \"^3.11\"\nopenai = \"^0.27\"\n";
        assert!(python_spec_is_legacy(&toml_requirements(poetry)[0]));
        let pipfile = "[packages]\nopenai = {version = \"==0.28.1\"}\n";
        assert_eq!(toml_requirements(pipfile), ["==0.28.1"]);
        let uv = "version = 1\n[[package]]\nname = \"httpx\"\nversion = \"0.27.0\"\n[[package]]\nname = \"openai\"\nversion = \"0.28.1\"\n";
        assert_eq!(toml_lock_version(uv).as_deref(), Some("0.28.1"));
        let npm = r#"{"packages": {"": {}, "node_modules/openai": {"version": "3.3.0"}}}"#;
        assert_eq!(npm_lock_version(npm).as_deref(), Some("3.3.0"));
        let yarn = "\"@types/node@*\":\n  version \"20.1.0\"\n\nopenai@^3.2.1:\n  version \"3.3.0\"\n";
        assert_eq!(yarn_lock_version(yarn).as_deref(), Some("3.3.0"));
        let pnpm = "packages:\n\n  /openai@4.20.1:\n    resolution: {}\n";
        assert_eq!(pnpm_lock_version(pnpm).as_deref(), Some("4.20.1"));
        assert_eq!(
            package_json_spec(r#"{"dependencies": {"openai": "^3.3.0"}}"#).as_deref(),
            Some("^3.3.0")
        );
        assert_eq!(first_number("^3.3.0"), Some(3));
        assert_eq!(
            notebook_installs_legacy("%pip install -q openai==0.28 tiktoken\n"),
            Some(true)
        );
        assert_eq!(
            notebook_installs_legacy("!pip install --upgrade openai\n"),
            Some(false)
        );
        assert_eq!(notebook_installs_legacy("import openai\n"), None);
    }

    #[test]
    fn the_nearest_folder_that_names_the_sdk_decides() {
        let root = tempfile::tempdir().unwrap();
        let app = root.path().join("app");
        std::fs::create_dir_all(app.join("requirements")).unwrap();
        std::fs::write(root.path().join("requirements.txt"), "openai==0.28.1\n").unwrap();
        std::fs::write(app.join("requirements").join("base.txt"), "httpx\n").unwrap();
        let mut manifests = Manifests::default();
        // app/ names no openai: the folder above decides.
        assert!(manifests.legacy(&app.join("main.py"), Sdk::Python));
        std::fs::write(root.path().join("sub.txt"), "").unwrap();
        let web = root.path().join("web");
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(
            web.join("package.json"),
            r#"{"dependencies": {"openai": "^4.0.0"}}"#,
        )
        .unwrap();
        assert!(!manifests.legacy(&web.join("a.js"), Sdk::Node));
        let mut fresh = Manifests::default();
        std::fs::write(app.join("requirements").join("base.txt"), "openai>=1\n").unwrap();
        assert!(!fresh.legacy(&app.join("main.py"), Sdk::Python));
    }
}
