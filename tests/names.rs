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

/// The binary's `regex` is built without Unicode tables (for size), but the
/// tests get them through their own dependencies: a pattern in `src` that
/// needs one (`\s`, `\w`, `\d`, `\b`, `(?i)` outside ASCII mode) would pass
/// every test and panic in the release build. So none may be written.
#[test]
fn patterns_in_src_need_no_unicode_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let raw = regex::Regex::new(r##"r#"(.*?)"#|r"([^"]*)""##).unwrap();
    let ascii_group = regex::Regex::new(r"\(\?[a-z]*-u:[^)]*\)").unwrap();
    let needs_tables = regex::Regex::new(r"\\[swdbSWDB]|\(\?[a-z]*i[a-z]*[:)]").unwrap();
    let mut found = Vec::new();
    let mut patterns = 0;
    for file in files {
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if relative.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, _) in code.match_indices("Regex::new(") {
            let rest = &code[at..];
            let call = &rest[..rest.find(".expect(").unwrap_or(rest.len().min(4000))];
            let pattern: String = raw
                .captures_iter(call)
                .filter_map(|c| c.get(1).or(c.get(2)))
                .map(|m| m.as_str())
                .collect();
            patterns += 1;
            // A pattern that starts in ASCII mode as a whole (`(?i-u:…`).
            let whole_ascii =
                pattern.starts_with("(?") && pattern[..pattern.find([':', ')']).unwrap_or(0)].contains("-u");
            if !whole_ascii && needs_tables.is_match(&ascii_group.replace_all(&pattern, "")) {
                let line = code[..at].lines().count();
                found.push(format!("{relative}:{line}: {pattern}"));
            }
        }
    }
    assert!(patterns >= 6, "the patterns were not found: {patterns}");
    assert!(
        found.is_empty(),
        "use [ \\t], [0-9], (?-u:\\b), explicit case: {found:#?}"
    );
}
