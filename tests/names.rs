//! Names spelt once: an environment variable's name only in
//! `src/vocab/env_vars.rs`, a key prefix or the key marker only in
//! `src/vocab/keys.rs`. Anywhere else in `src`, code refers to the constant,
//! so a new client or source cannot misspell one.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The quoted literals `names` in `src`, outside the file that owns them
/// and outside test code (a `tests.rs`, or after `#[cfg(test)]`).
fn quoted_elsewhere(owner: &str, names: &[String]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if relative == owner || relative.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            // A flag's placeholder is no variable.
            if line.contains("value_name") {
                continue;
            }
            for name in names {
                let quoted = format!("\"{name}\"");
                let escaped = format!("\\\"{name}\\\"");
                if line.contains(&quoted) && !line.contains(&escaped) {
                    found.push(format!("{relative}:{}: {name}", number + 1));
                }
            }
        }
    }
    found
}

#[test]
fn every_environment_variable_is_spelt_once() {
    let owner = "src/vocab/env_vars.rs";
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(owner)).unwrap();
    let names: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect();
    assert!(names.len() > 30, "{names:?}");
    let found = quoted_elsewhere(owner, &names);
    assert!(found.is_empty(), "use EnvVars::… instead:\n{}", found.join("\n"));
}

#[test]
fn every_key_prefix_is_spelt_once() {
    use openai_keycheck::vocab::keys;
    let mut names: Vec<String> = keys::prefixes().map(str::to_string).collect();
    names.push(keys::KEY_MARKER.to_string());
    let found = quoted_elsewhere("src/vocab/keys.rs", &names);
    assert!(found.is_empty(), "use vocab::keys instead:\n{}", found.join("\n"));
}
