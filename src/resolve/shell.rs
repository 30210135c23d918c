//! The shell's startup files: where an exported OPENAI_API_KEY — a stale one,
//! or an empty one — usually comes from. Only where it is set is kept,
//! never the value.

use std::path::{Path, PathBuf};

use super::files::read_text;
use crate::vocab::EnvVars;

/// Read from HOME, in the order shells read them.
const STARTUP_FILES: &[&str] = &[
    ".profile",
    ".bash_profile",
    ".bashrc",
    ".zshenv",
    ".zprofile",
    ".zshrc",
    ".config/fish/config.fish",
];

/// Startup files are small; a larger one is not read.
const MAX_STARTUP_FILE_BYTES: u64 = 256 * 1024;

/// A line of a startup file that sets OPENAI_API_KEY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// It sets the variable to nothing.
    pub empty: bool,
    /// It sets the value the environment holds now.
    pub matches_environment: bool,
}

impl Export {
    /// `~/.zshrc:12`.
    pub(crate) fn place(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// Every line of the startup files under `home` that sets OPENAI_API_KEY,
/// compared with the value the environment holds.
pub(crate) fn exports(home: &Path, environment: Option<&str>) -> Vec<Export> {
    let mut found = Vec::new();
    for name in STARTUP_FILES {
        let file = home.join(name);
        let Ok(text) = read_text(&file, MAX_STARTUP_FILE_BYTES) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            if let Some(value) = assigned_value(line) {
                found.push(Export {
                    file: file.clone(),
                    line: index + 1,
                    empty: value.is_empty(),
                    matches_environment: environment == Some(value),
                });
            }
        }
    }
    found
}

/// The value a line gives OPENAI_API_KEY: `export OPENAI_API_KEY=…`,
/// `OPENAI_API_KEY=…` (sh, bash, zsh) or `set -gx OPENAI_API_KEY …` (fish);
/// quotes taken off. `None` for any other line.
fn assigned_value(line: &str) -> Option<&str> {
    let line = line.trim();
    let value = if let Some(rest) = line.strip_prefix("set ") {
        let mut words = rest.split_whitespace().skip_while(|w| w.starts_with('-'));
        if words.next()? != EnvVars::OPENAI_API_KEY {
            return None;
        }
        let name_end = rest.find(EnvVars::OPENAI_API_KEY)? + EnvVars::OPENAI_API_KEY.len();
        rest[name_end..].trim()
    } else {
        let rest = line.strip_prefix("export ").map_or(line, str::trim_start);
        rest.strip_prefix("OPENAI_API_KEY=")?
    };
    let value = value.split(" #").next().unwrap_or(value).trim();
    Some(value.trim_matches(|c| c == '"' || c == '\''))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_that_set_the_key() {
        for (line, value) in [
            ("export OPENAI_API_KEY=sk-abc", Some("sk-abc")),
            ("  OPENAI_API_KEY=\"sk-abc\"  # work", Some("sk-abc")),
            ("export OPENAI_API_KEY=", Some("")),
            ("export OPENAI_API_KEY=''", Some("")),
            ("set -gx OPENAI_API_KEY sk-abc", Some("sk-abc")),
            ("set -x OPENAI_API_KEY", Some("")),
            ("export OPENAI_API_KEY_PATH=x", None),
            ("# export OPENAI_API_KEY=sk-abc", None),
            ("echo $OPENAI_API_KEY", None),
        ] {
            assert_eq!(assigned_value(line), value, "{line}");
        }
    }

    #[test]
    fn exports_are_found_and_compared() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".zshrc"),
            "alias ll='ls -l'\nexport OPENAI_API_KEY=sk-old\n",
        )
        .unwrap();
        std::fs::write(home.path().join(".profile"), "export OPENAI_API_KEY=\n").unwrap();
        let found = exports(home.path(), Some("sk-old"));
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].line, found[0].empty, found[0].matches_environment),
            (1, true, false)
        );
        assert_eq!(
            (found[1].line, found[1].empty, found[1].matches_environment),
            (2, false, true)
        );
        assert!(found[1].place().ends_with(".zshrc:2"));
    }
}
