//! The edge: arguments in, a report out, an exit status back. Everything the
//! commands decide happens in the library; here are only the process's own
//! things — standard input, the terminal, colour, where the output goes.

use openai_keycheck::vocab::EnvVars;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;

use openai_keycheck::cli::{
    Cli, ClientArg, ColorChoice, Command, DoctorArgs, ExplainArgs, FailOn, Format, LintArgs, LintFormat,
    LintRuleArg,
};
use openai_keycheck::plan::PlanOptions;
use openai_keycheck::report::{self, Render, Report};
use openai_keycheck::resolve::files::{self, ReadError};
use openai_keycheck::resolve::{self, CiContext, EnvFileChoice, FlagKey, FlagVia, Inputs, SettingFlags};
use openai_keycheck::vocab::{ExitStatus, Secrets, Severity, pasted, text};
use openai_keycheck::{doctor, explain, generate, lint};

/// Far more than any key; stops `--api-key-stdin < big-file` from filling memory.
const MAX_STDIN_KEY_BYTES: u64 = 64 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Doctor(args) => Ok(run_doctor(&args)),
        Command::Explain(args) => run_explain(&args),
        Command::Lint(args) => Ok(run_lint(&args)),
        Command::Completions { shell } => {
            // Generated into a buffer: clap_complete panics on a closed pipe (`| head`).
            write_out(&String::from_utf8_lossy(&generate::completion(shell)));
            Ok(ExitStatus::Ok)
        }
        // For the repository's committed files, from a clone: a release
        // build leaves the man-page writer out (the 8 MiB budget).
        #[cfg(debug_assertions)]
        Command::Generate { out_dir } => generate::write_all(&out_dir)
            .with_context(|| format!("could not write under {}", out_dir.display()))
            .map(|paths| {
                for path in paths {
                    write_out(&format!("{}\n", path.display()));
                }
                ExitStatus::Ok
            }),
        #[cfg(not(debug_assertions))]
        Command::Generate { .. } => {
            write_err("openai-keycheck generate: only debug builds have it; run `cargo run -- generate`\n");
            Ok(ExitStatus::Usage)
        }
    };
    match status {
        Ok(status) => status.into(),
        Err(e) => {
            write_err(&format!("openai-keycheck: {e:#}\n"));
            ExitStatus::Fix.into()
        }
    }
}

/// How a run presents its report, decided once from the arguments and the
/// environment before anything runs; nothing below reads either again.
struct Presentation {
    format: Format,
    quiet: bool,
    verbose: bool,
    colour: bool,
    /// GitHub's workflow annotations after the report.
    annotations: bool,
    /// GitHub Actions' step summary, when it is to be written.
    step_summary: Option<std::path::PathBuf>,
    /// GitHub Actions' step outputs, when they are to be written.
    step_outputs: Option<std::path::PathBuf>,
}

impl Presentation {
    /// `annotate_in_actions`: doctor annotates its human report under
    /// Actions unasked; explain only with `--format github`.
    fn new(
        (format, color, quiet, verbose): (Format, ColorChoice, bool, bool),
        annotate_in_actions: bool,
        env: &resolve::Env,
        ci: &CiContext,
    ) -> Self {
        let annotations =
            format == Format::Github || (annotate_in_actions && ci.github_actions && format == Format::Human);
        Presentation {
            format,
            quiet,
            verbose,
            colour: use_colour(format, color, env),
            annotations,
            step_summary: ci
                .step_summary
                .clone()
                .filter(|_| annotations || ci.github_actions),
            step_outputs: ci.step_outputs.clone().filter(|_| ci.github_actions),
        }
    }
}

/// Everything a command prints or writes goes through here: every secret the
/// run knows is redacted from it (for a pasted text, whose secrets nobody
/// listed, every one found by context and shape, after all decoding), and
/// nothing in it can act as a CI runner's command — whatever runner this is
/// — except the annotations, which are built for it.
struct Output {
    secrets: Secrets,
    /// `explain`: the text is nobody's to vouch for.
    pasted: bool,
    presentation: Presentation,
}

impl Output {
    fn mask(&self, text: &str) -> String {
        let text = self.secrets.redact(text);
        if self.pasted { pasted::mask(&text) } else { text }
    }

    fn report(&self, report: &Report) {
        let p = &self.presentation;
        let human = report::Human {
            verbose: p.verbose,
            colour: p.colour,
        };
        let (body, json) = match (p.format, p.quiet) {
            (Format::Json, _) => (report::Json.render(report), true),
            (_, true) => (report::Quiet.render(report), false),
            _ => (human.render(report), false),
        };
        let body = self.mask(&body);
        let mut out = if json {
            text::defuse_workflow_commands_json(&body)
        } else {
            text::defuse_workflow_commands(&body)
        };
        if p.annotations && !json && !p.quiet {
            out.push_str(&self.mask(&report::Github.render(report)));
        }
        write_out(&out);
    }

    fn error(&self, message: &str) {
        let message = text::defuse_workflow_commands(&self.mask(message));
        write_err(&format!("{message}\n"));
    }
}

fn run_doctor(args: &DoctorArgs) -> ExitStatus {
    if args.azure_ad_token_stdin
        && args
            .client
            .is_some_and(|c| !matches!(c, ClientArg::Azure | ClientArg::AzureNode))
    {
        write_err("openai-keycheck doctor: --azure-ad-token-stdin is Azure OpenAI's (--client azure)\n");
        return ExitStatus::Usage;
    }
    if let Some(Err(why)) = args.proxy.as_deref().map(resolve::check_proxy_flag) {
        write_err(&format!(
            "openai-keycheck doctor: {}\n",
            text::defuse_workflow_commands(&why)
        ));
        return ExitStatus::Usage;
    }
    // The program's code is read before anything else: a path that cannot
    // be read is a usage error, as it is for lint.
    let program = match args.program.as_slice() {
        [] => None,
        paths => match openai_keycheck::program::read::read(paths) {
            Ok(program) => Some(program),
            Err(openai_keycheck::program::Unreadable(why)) => {
                write_err(&format!(
                    "openai-keycheck doctor: {}\n",
                    text::defuse_workflow_commands(&text::escape_controls(&pasted::mask(&why), true))
                ));
                return ExitStatus::Usage;
            }
        },
    };
    let env = resolve::Env::from_process();
    let presentation = Presentation::new(
        (args.format, args.color, args.quiet, args.verbose),
        true,
        &env,
        &CiContext::from_env(&env),
    );
    // --pid, --unit: that place's environment and folder stand for this shell's.
    let runs_in = if let Some(pid) = args.pid {
        match resolve::process::read(pid) {
            Ok(process) => Some(resolve::RunsIn::Process(process)),
            Err(problem) => {
                write_err(&format!("openai-keycheck doctor: --pid {pid}: {problem}\n"));
                return ExitStatus::Usage;
            }
        }
    } else if let Some(service) = &args.compose {
        let here = std::env::current_dir().unwrap_or_else(|_| ".".into());
        match resolve::compose::read(&here, &env, Some(service.as_str())) {
            Ok(compose) => Some(resolve::RunsIn::Compose(compose)),
            Err(problem) => {
                let problem =
                    text::defuse_workflow_commands(&text::escape_controls(&problem.to_string(), false));
                write_err(&format!("openai-keycheck doctor: --compose: {problem}\n"));
                return ExitStatus::Usage;
            }
        }
    } else if let Some(name) = &args.unit {
        match resolve::unit::read(name, env.text(EnvVars::HOME).map(Path::new)) {
            Ok(unit) => Some(resolve::RunsIn::Unit(unit)),
            Err(problem) => {
                let problem =
                    text::defuse_workflow_commands(&text::escape_controls(&problem.to_string(), false));
                write_err(&format!("openai-keycheck doctor: --unit: {problem}\n"));
                return ExitStatus::Usage;
            }
        }
    } else {
        None
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    // Another user's process: its folder is unknown, so no .env is looked for.
    let folder_unknown = matches!(&runs_in, Some(resolve::RunsIn::Process(p)) if p.denied.is_some());
    let (env, cwd, elsewhere) = match runs_in {
        None => (env, cwd, None),
        Some(runs_in) => {
            let (there, folder) = match &runs_in {
                // Another user's process: its folder is `/proc/PID/cwd`, which this
                // user cannot enter, so nothing of the doctor's own folder is read for it.
                resolve::RunsIn::Process(p) if p.denied.is_some() => {
                    (p.env.clone(), PathBuf::from(format!("/proc/{}/cwd", p.pid)))
                }
                resolve::RunsIn::Process(p) => (p.env.clone(), p.cwd.clone().unwrap_or(cwd)),
                // A service starts in `/` unless told otherwise.
                resolve::RunsIn::Unit(u) => (
                    u.env.clone(),
                    u.working_directory.clone().unwrap_or_else(|| "/".into()),
                ),
                // The project's folder; no .env of it reaches the container.
                resolve::RunsIn::Compose(c) => (c.env.clone(), c.project.clone()),
            };
            (there, folder, Some(resolve::Elsewhere { runs_in, shell: env }))
        }
    };
    let inputs = Inputs {
        cwd,
        elsewhere,
        flag_key: flag_key(args),
        env_file: match (&args.env_file, args.no_env_file, args.compose.is_some()) {
            (_, true, _) => EnvFileChoice::Disabled,
            (Some(path), _, _) => EnvFileChoice::Path(path.clone()),
            (None, false, _) if folder_unknown => EnvFileChoice::NotLoaded(
                "the process's working folder cannot be read, so its .env is not known".into(),
            ),
            (None, false, true) => EnvFileChoice::NotLoaded(
                "a container has no .env of the host's: only what the compose file passes it".into(),
            ),
            (None, false, false) => EnvFileChoice::Search,
        },
        settings: SettingFlags {
            base_url: args.base_url.clone(),
            org: args.org.clone(),
            project: args.project.clone(),
            azure_endpoint: args.azure_endpoint.clone(),
            api_version: args.api_version.clone(),
            proxy: args.proxy.clone(),
        },
        ca_cert: args.ca_cert.clone(),
        source: args.source.map(Into::into),
        // A token is Azure's: --azure-ad-token-stdin implies --client azure.
        client: args
            .client
            .or(args.azure_ad_token_stdin.then_some(ClientArg::Azure))
            .map(Into::into),
        env,
        program,
    };
    let options = doctor::Options {
        plan: PlanOptions {
            model: args.model.as_deref(),
            model_in_code: false,
            offline: args.offline,
            timeout: Duration::from_secs(args.timeout),
            trust_env_file: args.trust_env_file,
        },
        strict: args.strict,
    };
    let doctor::Doctored { report, secrets } = doctor::doctor(&inputs, &options);
    let output = Output {
        secrets,
        pasted: false,
        presentation,
    };
    output.report(&report);
    to_actions(&report, &output);
    report.exit_code
}

/// Under GitHub Actions: the Markdown summary of the step, and the step's
/// outputs for a workflow to branch on (`steps.<id>.outputs.diagnosis`).
fn to_actions(report: &Report, output: &Output) {
    if let Some(path) = &output.presentation.step_summary {
        let summary = text::defuse_workflow_commands(&output.mask(&report::Markdown.render(report)));
        if let Err(e) = append(path, &summary, "the step summary") {
            output.error(&format!("openai-keycheck: {e:#}"));
        }
    }
    if let Some(path) = &output.presentation.step_outputs {
        let mut outputs = format!(
            "diagnosis={}\nexit-code={}\n",
            report.diagnosis.id,
            report.exit_code.code()
        );
        // What the server judged: the key, or what was sent instead of it.
        if let Some(c) = report.credential() {
            let role: &str = c.role.into();
            let origin: &str = c.origin.into();
            outputs.push_str(&format!(
                "credential={}\ncredential-role={role}\ncredential-origin={origin}\n",
                text::escape_controls(&c.masked, false)
            ));
        }
        if let Err(e) = append(path, &output.mask(&outputs), "the step outputs") {
            output.error(&format!("openai-keycheck: {e:#}"));
        }
    }
}

/// Appends to a file the runner reads, opened as files to read are: a
/// regular file only, without blocking, so that a FIFO or a device named
/// there is refused at once instead of holding the run.
fn append(path: &Path, text: &str, what: &str) -> anyhow::Result<()> {
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let mut file = options.open(path)?;
        if !file.metadata()?.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        file.write_all(text.as_bytes())
    };
    write().with_context(|| format!("could not write {what} to {}", path.display()))
}

fn run_explain(args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let env = resolve::Env::from_process();
    let presentation = Presentation::new(
        (args.format, args.color, args.quiet, false),
        false,
        &env,
        &CiContext::from_env(&env),
    );
    // No secret is known in advance: the output edge finds them.
    let output = Output {
        secrets: Secrets::default(),
        pasted: true,
        presentation,
    };
    let report = match explain_input(args.input.as_deref()) {
        Ok(report) => report,
        Err(e) => {
            output.error(&format!("openai-keycheck explain: {e:#}"));
            return Ok(ExitStatus::Usage);
        }
    };
    let Some(report) = report else {
        write_out(&report::unrecognised(args.format == Format::Json));
        return Ok(ExitStatus::Unrecognised);
    };
    output.report(&report);
    to_actions(&report, &output);
    Ok(report.exit_code)
}

fn run_lint(args: &LintArgs) -> ExitStatus {
    // A settings file's words reach this message: shown as any text from
    // outside is, anything shaped like a secret masked.
    let unreadable = |lint::Unreadable(why)| {
        write_err(&format!(
            "openai-keycheck lint: {}\n",
            text::defuse_workflow_commands(&text::escape_controls(&pasted::mask(&why), true))
        ));
        ExitStatus::Usage
    };
    let config = match (&args.config, args.no_config) {
        (_, true) => Ok(None),
        (Some(file), false) => lint::config::Config::read(file).map(Some),
        (None, false) => lint::config::Config::find(&args.paths),
    };
    let config = match config {
        Ok(config) => config,
        Err(e) => return unreadable(e),
    };
    // A flag given wins over the settings file.
    let flagged = |rules: &[LintRuleArg]| rules.iter().map(|&r| r.into()).collect::<Vec<_>>();
    let select = match (&config, args.select.is_empty()) {
        (Some(config), true) => config.select.clone().unwrap_or_default(),
        _ => flagged(&args.select),
    };
    let ignore = match (&config, args.ignore.is_empty()) {
        (Some(config), true) => config.ignore.clone(),
        _ => flagged(&args.ignore),
    };
    let errors_only = match (args.fail_on, &config) {
        (Some(fail_on), _) => fail_on == FailOn::Error,
        (None, Some(config)) => config.fail_on == Some(Severity::Error),
        (None, None) => false,
    };
    let options = lint::Options {
        paths: args.paths.clone(),
        no_ignore: args.no_ignore,
        select,
        ignore,
        config,
    };
    let linted = match lint::lint(&options) {
        Ok(linted) => linted,
        Err(e) => return unreadable(e),
    };
    if args.diff {
        return lint_diff(&linted);
    }
    let linted = if args.fix {
        let (mut count, mut files) = (0, 0);
        let mut written = std::collections::HashSet::new();
        for file in linted.fixed(true) {
            let shown = text::defuse_workflow_commands(&file.path.display().to_string());
            // One file reached by two paths is fixed once.
            let real = std::fs::canonicalize(&file.path).unwrap_or_else(|_| file.path.clone());
            if !written.insert(real) {
                continue;
            }
            // A file is written back only as it was read: UTF-8, unchanged since.
            match std::fs::read(&file.path).map(String::from_utf8) {
                Ok(Ok(now)) if now == file.before => {}
                Ok(Err(_)) => {
                    write_err(&format!("{shown} is not UTF-8: not fixed.\n"));
                    continue;
                }
                _ => {
                    write_err(&format!("{shown} changed while it was linted: not fixed.\n"));
                    continue;
                }
            }
            if let Err(e) = std::fs::write(&file.path, &file.after) {
                return unreadable(lint::Unreadable(format!("{}: {e}", file.path.display())));
            }
            count += file.applied;
            files += 1;
        }
        if count > 0 {
            write_err(&format!(
                "Fixed {count} problem{} in {files} file{}.\n",
                if count == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" }
            ));
        }
        // What is left, as the files now are.
        match lint::lint(&options) {
            Ok(linted) => linted,
            Err(e) => return unreadable(e),
        }
    } else {
        linted
    };
    let env = resolve::Env::from_process();
    let format = args
        .format
        .unwrap_or(if CiContext::from_env(&env).github_actions {
            LintFormat::Github
        } else {
            LintFormat::Human
        });
    // Every key met in the code or a `.env` is masked wherever it shows.
    let body = match format {
        LintFormat::Human => lint::render::human(&linted),
        LintFormat::Json => lint::render::json(&linted),
        LintFormat::Github => lint::render::github(&linted),
        LintFormat::Sarif => lint::render::sarif(&linted),
        LintFormat::Junit => lint::render::junit(&linted),
    };
    let body = linted.secrets.redact(&body);
    write_out(&match format {
        // Its commands are built for the runner, escaped as it requires.
        LintFormat::Github => body,
        LintFormat::Json | LintFormat::Sarif => text::defuse_workflow_commands_json(&body),
        LintFormat::Human | LintFormat::Junit => text::defuse_workflow_commands(&body),
    });
    linted.exit_status(errors_only)
}

/// Every fix as a diff, no file changed: 1 when there is one to show.
fn lint_diff(linted: &lint::Linted) -> ExitStatus {
    let all = linted.fixed(false);
    let safe: usize = linted.fixed(true).iter().map(|f| f.applied).sum();
    let shown: usize = all.iter().map(|f| f.applied).sum();
    // A line shown may hold a key: the ones met and any with a key's
    // prefix are masked, as everywhere; and a runner's command in the code
    // is broken (such a hunk will not apply), but not the diff's own header.
    let diff: String = all
        .iter()
        .map(|f| {
            // Relative to this folder, as `git apply` run here wants it.
            let relative = std::env::current_dir()
                .ok()
                .and_then(|here| f.path.strip_prefix(here).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| f.path.clone());
            let path = text::defuse_workflow_commands(&relative.display().to_string());
            let hunks = lint::fix::unified_hunks(&f.before, &f.after);
            format!(
                "--- a/{path}\n+++ b/{path}\n{}",
                text::defuse_workflow_commands(&pasted::mask_key_shapes(&linted.secrets.redact(&hunks)))
            )
        })
        .collect();
    write_out(&diff);
    if shown == 0 {
        write_err("No fixes to show.\n");
        return ExitStatus::Ok;
    }
    write_err(&format!(
        "{shown} fix{} shown; {safe} safe (--fix applies {}), the others change more than the trap: read them before applying.\n",
        if shown == 1 { "" } else { "es" },
        if safe == 1 { "it" } else { "them" },
    ));
    ExitStatus::Fix
}

/// A closed pipe (`| head`, a closed stderr) is not worth a panic.
fn write_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn write_err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A file, `-` for standard input, or the text itself, read as a stream:
/// any size, in bounded memory.
fn explain_input(input: Option<&str>) -> anyhow::Result<Option<Report>> {
    let stdin =
        || explain::explain_stream(std::io::stdin().lock()).context("standard input could not be read");
    match input {
        Some("-") => stdin(),
        Some(path) if Path::new(path).exists() => {
            let file =
                files::open_regular(Path::new(path)).with_context(|| format!("{path} could not be read"))?;
            explain::explain_stream(file).with_context(|| format!("{path} could not be read"))
        }
        Some(text) => Ok(explain::explain(text)),
        None if std::io::stdin().is_terminal() => {
            anyhow::bail!("give the error text, a file holding it, or pipe it in (see --help)")
        }
        None => stdin(),
    }
}

fn flag_key(args: &DoctorArgs) -> Option<FlagKey> {
    if args.api_key_stdin || args.azure_ad_token_stdin {
        return Some(FlagKey {
            via: if args.azure_ad_token_stdin {
                FlagVia::TokenStdin
            } else {
                FlagVia::Stdin
            },
            value: read_stdin_key(),
        });
    }
    args.api_key.clone().map(|v| FlagKey {
        via: FlagVia::Argv,
        value: Ok(v),
    })
}

fn read_stdin_key() -> Result<String, ReadError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        write_err("Reading the key from standard input; end with Ctrl-D.\n");
    }
    let text = files::utf8(files::read_stream(stdin.lock(), MAX_STDIN_KEY_BYTES)?)?;
    // `echo "$KEY" |` adds one newline: that one is ours to drop, any other is the key's.
    let text = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    Ok(text.to_string())
}

fn use_colour(format: Format, color: ColorChoice, env: &resolve::Env) -> bool {
    if format == Format::Json {
        return false;
    }
    match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name| env.text(name).is_some_and(|v| !v.is_empty());
            if set(EnvVars::NO_COLOR) {
                false
            } else if set(EnvVars::CLICOLOR_FORCE) && env.text(EnvVars::CLICOLOR_FORCE) != Some("0") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}
