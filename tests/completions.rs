//! Completion scripts and man pages: generated from the CLI, committed, and
//! checked in real shells.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_files_match_what_the_cli_generates() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::cargo_bin("openai-keycheck")
        .unwrap()
        .args(["generate", "--out-dir"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut checked = 0;
    for dir in ["completions", "doc"] {
        let mut fresh: Vec<_> = std::fs::read_dir(out.path().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut committed: Vec<_> = std::fs::read_dir(repo().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        fresh.sort();
        committed.sort();
        assert_eq!(fresh, committed, "{dir}/ has other files than the CLI generates");
        for name in fresh {
            let want = std::fs::read(out.path().join(dir).join(&name)).unwrap();
            let have = std::fs::read(repo().join(dir).join(&name)).unwrap();
            assert!(
                want == have,
                "{dir}/{} is stale: run `cargo run -- generate` and commit the result",
                name.to_string_lossy()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "five completion scripts and five man pages");
}

#[test]
fn completions_subcommand_prints_each_script() {
    for (shell, file) in [
        ("bash", "openai-keycheck.bash"),
        ("zsh", "_openai-keycheck"),
        ("fish", "openai-keycheck.fish"),
        ("powershell", "_openai-keycheck.ps1"),
        ("elvish", "openai-keycheck.elv"),
    ] {
        let out = Command::cargo_bin("openai-keycheck")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            out.stdout,
            std::fs::read(repo().join("completions").join(file)).unwrap(),
            "{shell}"
        );
    }
}

#[test]
fn the_man_page_has_the_exit_codes() {
    let page = std::fs::read_to_string(repo().join("doc/openai-keycheck-doctor.1")).unwrap();
    assert!(page.contains(".SH \"EXIT STATUS\""));
    assert!(page.contains("retry: rate limited or an OpenAI server error"));
    assert!(page.contains("api\\-key\\-stdin"));
}

/// The shell a test needs, which must be installed: the tests that need
/// fish or zsh are ignored where it is not on PATH (`build.rs`; a fresh
/// machine has neither), and `.ci/run` installs both and requires them.
fn needs_shell(shell: &str) {
    let available = Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        available,
        "{shell} is not installed: install it (`apt-get install {shell}`; .ci/run does)"
    );
}

/// Completes `line` in a real bash with the committed script loaded.
fn bash_complete(words: &[&str]) -> Vec<String> {
    bash_complete_in(&std::env::temp_dir(), words)
}

/// The same, with `dir` as the working directory (for file completion).
fn bash_complete_in(dir: &Path, words: &[&str]) -> Vec<String> {
    let script = repo().join("completions/openai-keycheck.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
func=$(complete -p openai-keycheck | sed -E 's/.*-F ([^ ]+).*/\1/')
COMP_WORDS=({})
COMP_CWORD={}
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
"$func" openai-keycheck "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = Command::new("bash")
        .current_dir(dir)
        .arg("--norc")
        .arg("-c")
        .arg(program)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_flags_and_values() {
    needs_shell("bash");
    assert_eq!(
        bash_complete(&["openai-keycheck", "doctor", "--fo"]),
        ["--format"]
    );
    assert_eq!(
        bash_complete(&["openai-keycheck", "doctor", "--format", ""]),
        ["human", "json", "github"]
    );
    assert_eq!(
        bash_complete(&["openai-keycheck", "doctor", "--color", ""]),
        ["auto", "always", "never"]
    );
    assert_eq!(
        bash_complete(&["openai-keycheck", "doctor", "--source", ""]),
        ["flag", "env", "dotenv", "openai_auth_json", "codex_auth_json"]
    );
    let shells = bash_complete(&["openai-keycheck", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
    let subcommands = bash_complete(&["openai-keycheck", "d"]);
    assert_eq!(subcommands, ["doctor"]);
}

#[test]
fn bash_completes_file_paths_for_env_file() {
    needs_shell("bash");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("prod.env"), "").unwrap();
    assert_eq!(
        bash_complete_in(dir.path(), &["openai-keycheck", "doctor", "--env-file", "pro"]),
        ["prod.env"]
    );
}

#[test]
#[cfg_attr(
    not(has_fish),
    ignore = "needs fish, which is not on PATH (.ci/run installs it)"
)]
fn fish_completes_flags_and_values() {
    needs_shell("fish");
    let complete = |line: &str| -> Vec<String> {
        let script = repo().join("completions/openai-keycheck.fish");
        let out = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source '{}'; complete -C '{line}'", script.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(complete("openai-keycheck doctor --fo"), ["--format"]);
    // fish sorts what it offers.
    assert_eq!(
        complete("openai-keycheck doctor --format "),
        ["github", "human", "json"]
    );
    assert!(complete("openai-keycheck ").contains(&"doctor".to_string()));
}

#[test]
#[cfg_attr(
    not(has_zsh),
    ignore = "needs zsh, which is not on PATH (.ci/run installs it)"
)]
fn zsh_loads_the_script() {
    needs_shell("zsh");
    // Completing in zsh needs a terminal (zpty); this checks the script parses,
    // loads under compinit and registers its function for the command.
    let dump = tempfile::tempdir().unwrap();
    let script = repo().join("completions/_openai-keycheck");
    let out = Command::new("zsh")
        .arg("-f")
        .arg("-c")
        .arg(format!(
            "autoload -U compinit && compinit -u -d '{}/zcompdump' && source '{}' && print -r -- $_comps[openai-keycheck] && (( $+functions[_openai-keycheck] )) && echo defined",
            dump.path().display(),
            script.display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "_openai-keycheck\ndefined\n"
    );
}
