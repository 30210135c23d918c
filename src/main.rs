//! openai-keycheck: resolve → inspect → plan → probe → diagnose → report.

mod cli;
mod diagnose;
mod explain;
mod finding;
mod generate;
mod inspect;
mod plan;
mod probe;
mod report;
mod resolve;
mod secret;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use cli::{Cli, ColorChoice, Command, DoctorArgs, ExplainArgs, Format};
use diagnose::{Evidence, Stage};
use plan::PlanOptions;
use report::{Render, Report};
use resolve::{EnvFileChoice, FlagKey, FlagVia, Inputs};

/// Far more than any key; stops `--api-key-stdin < big-file` from filling memory.
const MAX_STDIN_BYTES: u64 = 64 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Doctor(args) => doctor(&args),
        Command::Explain(args) => explain(&args),
        Command::Completions { shell } => {
            // Generated into a buffer: clap_complete panics on a closed pipe (`| head`).
            print(&String::from_utf8_lossy(&generate::completion(shell)));
            ExitCode::SUCCESS
        }
        Command::Generate { out_dir } => match generate::write_all(&out_dir) {
            Ok(paths) => {
                for path in paths {
                    println!("{}", path.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "openai-keycheck: could not write under {}: {e}",
                    out_dir.display()
                );
                ExitCode::from(1)
            }
        },
    }
}

fn doctor(args: &DoctorArgs) -> ExitCode {
    let env = resolve::Env::from_process();
    colored::control::set_override(use_colour(args.format, args.color, &env));

    let inputs = Inputs {
        cwd: std::env::current_dir().unwrap_or_else(|_| ".".into()),
        flag_key: flag_key(args),
        env_file: match (&args.env_file, args.no_env_file) {
            (_, true) => EnvFileChoice::Disabled,
            (Some(path), _) => EnvFileChoice::Path(path.clone()),
            (None, false) => EnvFileChoice::Search,
        },
        base_url_flag: args.base_url.clone(),
        org_flag: args.org.clone(),
        project_flag: args.project.clone(),
        ca_cert: args.ca_cert.clone(),
        env,
    };
    let resolution = resolve::resolve(&inputs);
    let inspection = resolution
        .used()
        .and_then(|s| s.value.as_ref())
        .map(|key| inspect::inspect(key.expose(), resolution.settings.is_openai()));
    let options = PlanOptions {
        model: args.model.as_deref(),
        offline: args.offline,
        timeout: Duration::from_secs(args.timeout),
    };
    let stage = match plan::plan(&resolution, inspection.as_ref(), &options) {
        Ok(request) => Stage::Probed(Box::new(probe::probe(&request))),
        Err(skip) => Stage::Skipped(skip),
    };
    let diagnosis = diagnose::diagnose(&Evidence {
        resolution: &resolution,
        inspection: inspection.as_ref(),
        stage: &stage,
        model: args.model.as_deref(),
        offline: args.offline,
        timeout_seconds: args.timeout,
        strict: args.strict,
    });
    let report = Report::new(&resolution, inspection.as_ref(), &stage, diagnosis, args.strict);

    let ci = &resolution.ci;
    let github = args.format == Format::Github || (ci.github_actions && args.format == Format::Human);
    let text = render(&report, args.format, args.quiet, args.verbose, github);
    print(&text);

    if let Some(path) = ci.step_summary.as_ref().filter(|_| github || ci.github_actions)
        && let Err(e) = append(path, &report::Markdown.render(&report))
    {
        eprintln!(
            "openai-keycheck: could not write the step summary to {}: {e}",
            path.display()
        );
    }
    ExitCode::from(u8::try_from(report.exit_code).unwrap_or(1))
}

fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(text.as_bytes())
}

fn explain(args: &ExplainArgs) -> ExitCode {
    let env = resolve::Env::from_process();
    colored::control::set_override(use_colour(args.format, args.color, &env));
    let text = match explain_input(args.input.as_deref()) {
        Ok(text) => text,
        Err(why) => {
            eprintln!("openai-keycheck explain: {why}");
            return ExitCode::from(2);
        }
    };
    // Whatever is printed from here on comes from the masked text.
    let text = explain::mask_keys(&text);
    let Some(recognised) = explain::recognise(&text) else {
        let out = match args.format {
            Format::Json => explain::unrecognised_json(),
            _ => format!(
                "could not recognise an OpenAI error in the input.\n{}\n",
                explain::LOOKED_FOR
            ),
        };
        print(&out);
        return ExitCode::from(explain::EXIT_UNRECOGNISED as u8);
    };
    let report = explain::report(&recognised);
    print(&render(
        &report,
        args.format,
        args.quiet,
        false,
        args.format == Format::Github,
    ));
    ExitCode::from(u8::try_from(report.exit_code).unwrap_or(1))
}

fn render(report: &Report, format: Format, quiet: bool, verbose: bool, github: bool) -> String {
    let human = report::Human { verbose };
    match (format, quiet) {
        (Format::Json, _) => report::Json.render(report),
        (_, true) => report::Quiet.render(report),
        _ if github => human.render(report) + &report::Github.render(report),
        _ => human.render(report),
    }
}

fn print(text: &str) {
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A file, `-` for standard input, or the text itself; at most 8 MiB read.
fn explain_input(input: Option<&str>) -> Result<String, String> {
    const MAX: u64 = 8 * 1024 * 1024;
    let read = |reader: &mut dyn Read, what: &str| -> Result<String, String> {
        let mut bytes = Vec::new();
        reader
            .take(MAX)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{what} could not be read: {e}"))?;
        // Logs mix encodings; what is not UTF-8 cannot be an OpenAI message anyway.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    match input {
        Some("-") => read(&mut std::io::stdin().lock(), "standard input"),
        Some(path) if std::path::Path::new(path).is_file() => {
            let mut file = std::fs::File::open(path).map_err(|e| format!("{path} could not be read: {e}"))?;
            read(&mut file, path)
        }
        Some(text) => Ok(text.to_string()),
        None if std::io::stdin().is_terminal() => {
            Err("give the error text, a file holding it, or pipe it in (see --help)".to_string())
        }
        None => read(&mut std::io::stdin().lock(), "standard input"),
    }
}

fn flag_key(args: &DoctorArgs) -> Option<FlagKey> {
    if args.api_key_stdin {
        return Some(FlagKey {
            via: FlagVia::Stdin,
            value: read_stdin_key(),
        });
    }
    args.api_key.clone().map(|v| FlagKey {
        via: FlagVia::Argv,
        value: Ok(v),
    })
}

fn read_stdin_key() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Reading the key from standard input; end with Ctrl-D.");
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_STDIN_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input could not be read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| "standard input is not valid UTF-8".to_string())?;
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
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") && env.text("CLICOLOR_FORCE") != Some("0") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}
