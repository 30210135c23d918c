//! The layout is the pipeline: `src/lib.rs` lists the top-level modules in
//! the order they may use each other, and no module reaches one below it in
//! that list (so the vocabulary stays at the bottom and no cycle comes back).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `pub mod` lines of lib.rs, in order.
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

/// Every file of a top-level module: `src/m.rs` and everything under `src/m/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let single = src().join(format!("{module}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The top-level modules a file names through `crate::`.
fn uses(text: &str) -> BTreeSet<String> {
    let word = regex::Regex::new(r"crate::(\w+)").unwrap();
    let group = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let mut found: BTreeSet<String> = word.captures_iter(text).map(|c| c[1].to_string()).collect();
    for c in group.captures_iter(text) {
        for item in c[1].split(',') {
            let name = item.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                found.insert(name.to_string());
            }
        }
    }
    found
}

#[test]
fn each_module_uses_only_the_modules_above_it() {
    let layers = layers();
    assert!(
        layers.len() > 8 && layers[0] == "vocab",
        "lib.rs lists the modules, vocab first: {layers:?}"
    );
    let mut wrong = Vec::new();
    for (rank, module) in layers.iter().enumerate() {
        let files = files_of(module);
        assert!(!files.is_empty(), "no source for the module {module}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in uses(&text) {
                match layers.iter().position(|l| *l == used) {
                    Some(r) if r < rank => {}
                    Some(r) if r == rank => {}
                    Some(_) => wrong.push(format!("{} uses {used}", file.display())),
                    None => wrong.push(format!("{} uses crate::{used}, not in lib.rs", file.display())),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_import_from_below() {
    // The parser this test relies on, on the shapes imports take here.
    let text = "use crate::vocab::{A, B};\nuse crate::{inspect, probe};\nlet x = crate::report::wire(1);";
    let found: Vec<String> = uses(text).into_iter().collect();
    assert_eq!(found, ["inspect", "probe", "report", "vocab"]);
}
