//! Completion scripts and man pages, generated from the clap definition so
//! they never drift from it (a test compares them with the committed copies).

use std::io;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::vocab::ExitStatus;

const NAME: &str = "openai-keycheck";
const SHELLS: &[Shell] = &[
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

pub fn completion(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), NAME, &mut out);
    if shell == Shell::Bash {
        // clap_complete 4.6 spells the case labels of a hyphenated bin
        // (`openai__subcmd__keycheck__…`) unlike its dispatch loop
        // (`openai__keycheck__…`), so no subcommand option ever completes
        // (clap-rs/clap#6421). Once fixed upstream this replaces nothing.
        let script = String::from_utf8_lossy(&out).replace("openai__subcmd__keycheck", "openai__keycheck");
        out = script.into_bytes();
    }
    out
}

/// `openai-keycheck.1` and one page per visible subcommand, each with the exit codes.
pub(crate) fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut commands = vec![root.clone()];
    commands.extend(root.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    commands
        .into_iter()
        .map(|cmd| {
            let has_subcommands = cmd.has_subcommands();
            let is_explain = cmd.get_name() == "explain";
            let man = clap_mangen::Man::new(cmd);
            let mut page = Vec::new();
            man.render_title(&mut page)?;
            man.render_name_section(&mut page)?;
            man.render_synopsis_section(&mut page)?;
            man.render_description_section(&mut page)?;
            man.render_options_section(&mut page)?;
            if has_subcommands {
                man.render_subcommands_section(&mut page)?;
            }
            // In place of the help's plain-text "Exit codes:" block.
            page.extend(exit_status(is_explain).render().into_bytes());
            man.render_version_section(&mut page)?;
            Ok((man.get_filename(), page))
        })
        .collect()
}

fn exit_status(explain: bool) -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for status in ExitStatus::ALL.iter().filter(|s| explain || s.used_by_doctor()) {
        roff.control("TP", []);
        roff.text([bold(status.code().to_string())]);
        roff.text([roman(status.meaning())]);
    }
    roff
}

/// Every generated file, with its path relative to the repository.
pub(crate) fn files() -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = SHELLS
        .iter()
        .map(|shell| {
            (
                Path::new("completions").join(shell.file_name(NAME)),
                completion(*shell),
            )
        })
        .collect();
    for (name, page) in man_pages()? {
        files.push((Path::new("doc").join(name), page));
    }
    Ok(files)
}

pub fn write_all(out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (relative, content) in files()? {
        let path = out_dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
        written.push(path);
    }
    Ok(written)
}
