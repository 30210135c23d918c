//! Which files: as ripgrep picks them (the `ignore` crate: `.gitignore`,
//! `.ignore`, hidden and vendored folders skipped), the source files by
//! their extension, and the `.env` files beside them.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use super::Unreadable;
use super::facts::Language;

/// The language a path's extension says, if it is one lint reads.
pub(crate) fn language(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "py" | "pyi" => Some(Language::Python),
        "ipynb" => Some(Language::Notebook),
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" => Some(Language::JavaScript),
        _ => None,
    }
}

/// `.env`, `.env.local`, `.env.production`, … (not `.envrc`, a shell script).
fn is_dotenv(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == ".env" || n.starts_with(".env."))
}

/// Folders of other people's code, skipped unless `--no-ignore`.
const VENDORED: &[&str] = &[
    "node_modules",
    "site-packages",
    "__pycache__",
    "venv",
    "bower_components",
];

pub(crate) struct Walked {
    pub sources: Vec<PathBuf>,
    pub dotenv_files: Vec<PathBuf>,
    /// Every folder the walk entered, and the lock files and manifests it
    /// met (`manifests.rs` reads them): folders without one need no look.
    pub folders: Vec<PathBuf>,
    pub manifests: Vec<PathBuf>,
}

pub(crate) fn files(paths: &[PathBuf], no_ignore: bool) -> Result<Walked, Unreadable> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    for path in paths {
        if let Err(e) = std::fs::metadata(path) {
            return Err(Unreadable(format!("{}: {e}", path.display())));
        }
    }
    let mut builder = ignore::WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    // Hidden files are read (`.env` is one), hidden folders are not.
    builder
        .standard_filters(!no_ignore)
        .hidden(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let name = entry.file_name().to_string_lossy();
            no_ignore
                || entry.depth() == 0
                || !is_dir
                || !(name.starts_with('.') || VENDORED.contains(&name.as_ref()))
        });
    let mut walked = Walked {
        sources: Vec::new(),
        dotenv_files: Vec::new(),
        folders: Vec::new(),
        manifests: Vec::new(),
    };
    for entry in builder.build().flatten() {
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            walked.folders.push(entry.into_path());
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if super::manifests::is_manifest(entry.path()) {
            walked.manifests.push(entry.path().to_path_buf());
        }
        // `./app.py` as `app.py`, as ripgrep and ruff show it.
        let path = match entry.path().strip_prefix("./") {
            Ok(short) => short.to_path_buf(),
            Err(_) => entry.into_path(),
        };
        if language(&path).is_some() {
            walked.sources.push(path);
        }
    }
    walked.sources.sort();
    // A `.env` is most often ignored by git, and still what the program
    // loads: looked for beside the code and in the folders given, whatever
    // the ignore files say.
    let mut folders: Vec<&Path> = paths
        .iter()
        .map(PathBuf::as_path)
        .filter(|p| p.is_dir())
        .collect();
    folders.extend(walked.sources.iter().filter_map(|p| p.parent()));
    let here = Path::new(".");
    for folder in folders.iter_mut().filter(|f| f.as_os_str().is_empty()) {
        *folder = here;
    }
    folders.sort();
    folders.dedup();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let path = path.strip_prefix("./").map_or(path.clone(), Path::to_path_buf);
            if is_dotenv(&path) && entry.file_type().is_ok_and(|t| t.is_file()) {
                walked.dotenv_files.push(path);
            }
        }
    }
    walked.dotenv_files.sort();
    walked.dotenv_files.dedup();
    Ok(walked)
}

/// `./a/../b/./c.py` as `b/c.py`: paths compared as written, without
/// asking the file system (a link is not followed).
pub(crate) fn normal(path: &Path) -> Cow<'_, Path> {
    // Compared as text: written as its components would write it, or rebuilt.
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut segments = bytes.split(|&b| std::path::is_separator(b as char));
    let clean = bytes.len() <= 1 || segments.all(|s| !s.is_empty() && s != b"." && s != b"..") || {
        // An absolute path's first segment is empty; nothing else may be.
        let mut rest = bytes[1..].split(|&b| std::path::is_separator(b as char));
        std::path::is_separator(bytes[0] as char) && rest.all(|s| !s.is_empty() && s != b"." && s != b"..")
    };
    if clean {
        return Cow::Borrowed(path);
    }
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
    Cow::Owned(out)
}

/// The path from the root, as written (no link followed): where settings
/// and manifests are looked for above a file.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    match std::path::absolute(path) {
        Ok(joined) => normal(&joined).into_owned(),
        Err(_) => normal(path).into_owned(),
    }
}
