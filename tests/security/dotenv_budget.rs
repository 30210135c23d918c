//! R7. A `.env` costs what its size says, expanded: a few KB that expand
//! `${VAR}` into gigabytes are refused by name, before anything is expanded.

use std::time::Instant;

use super::common::{Doctor, FORMATS, KEY, in_actions};

/// A value that fits in one environment string (Linux allows 128 KiB).
const BIG: usize = 100_000;

/// `A=xxxxxxxx`, then `count` lines that each double the one before, as
/// `line(previous)` writes the value.
fn doubling(count: usize, line: impl Fn(&str) -> String) -> String {
    let mut text = String::from("A=xxxxxxxx\n");
    let mut previous = "A".to_string();
    for i in 1..=count {
        let name = format!("V{i}");
        text.push_str(&format!("{name}={}\n", line(&previous)));
        previous = name;
    }
    text
}

/// The doctor on this `.env`, offline: a JSON report, soon, in which the
/// dotenv source is not used and says which variable, on which line, would
/// have crossed the budget. Returns that detail.
fn refused(text: &str, doctor: Doctor, format: &[&str]) -> String {
    let started = Instant::now();
    let run = doctor
        .key(KEY)
        .file(".env", text)
        .args(&["--offline"])
        .args(format)
        .run();
    let took = started.elapsed();
    crate::common::assert_bounded(took, crate::common::OFFLINE_BOUND, "an expanding .env");
    assert!(
        (0..=9).contains(&run.code),
        "exit {} (killed or aborted?):\n{}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("memory allocation"), "{}", run.stderr);
    if format != ["--format", "json"] {
        return String::new();
    }
    let json = run.json();
    let source = dotenv_source(&json);
    assert_eq!(source["state"], "invalid", "{json:#}");
    assert_eq!(source["used"], false, "{json:#}");
    let detail = source["detail"].as_str().unwrap().to_string();
    assert!(detail.starts_with("not used: "), "{detail}");
    assert!(detail.contains("1 MiB"), "{detail}");
    assert!(!detail.contains("xxxx"), "a value in the detail: {detail}");
    detail
}

/// The variable and line a detail names: "… at NAME (line N) …".
fn named(detail: &str) -> (String, usize) {
    let re = regex::Regex::new(r" at ([A-Za-z_][A-Za-z0-9_.]*) \(line ([0-9]+)\)").unwrap();
    let caps = re
        .captures(detail)
        .unwrap_or_else(|| panic!("no variable and line in: {detail}"));
    (caps[1].to_string(), caps[2].parse().unwrap())
}

/// The detail names a variable the file assigns on that very line.
fn names_its_line(detail: &str, text: &str) -> (String, usize) {
    let (name, line) = named(detail);
    let assigned = text.lines().nth(line - 1).unwrap_or_default();
    assert!(
        assigned.starts_with(&format!("{name}=")),
        "{detail}: line {line} is {assigned:?}"
    );
    (name, line)
}

#[test]
fn r7_an_expanding_dotenv_is_refused_by_name_and_stays_cheap() {
    // ${A}: 40 lines, a few hundred bytes, 8 TB expanded.
    let braced = doubling(40, |p| format!("${{{p}}}${{{p}}}"));
    assert!(braced.len() < 2048);
    let detail = refused(&braced, Doctor::new(), &["--format", "json"]);
    let (name, _) = names_its_line(&detail, &braced);
    assert_ne!(name, "V40", "the first variable past the budget: {detail}");
    for format in FORMATS {
        refused(&braced, in_actions(Doctor::new(), format), &[]);
    }

    // $A, unbraced.
    let unbraced = doubling(40, |p| format!("${p}${p}"));
    names_its_line(
        &refused(&unbraced, Doctor::new(), &["--format", "json"]),
        &unbraced,
    );

    // Inside double quotes, which expand too (single quotes do not).
    let quoted = doubling(40, |p| format!("\"${{{p}}} ${{{p}}}\""));
    names_its_line(&refused(&quoted, Doctor::new(), &["--format", "json"]), &quoted);

    // A large environment variable, referenced 300 times a line: 30 MB a
    // line from a 2 KB line. The first line already crosses the budget.
    let many = (1..=6)
        .map(|i| format!("OPENAI_X{i}={}\n", "${BIG}".repeat(300)))
        .collect::<String>();
    let detail = refused(
        &many,
        Doctor::new().env("BIG", &"x".repeat(BIG)),
        &["--format", "json"],
    );
    assert_eq!(names_its_line(&detail, &many), ("OPENAI_X1".to_string(), 1));

    // The same large value, doubled down a chain; a .env line of the same
    // name does not shrink it (the environment wins in dotenvy).
    let chain = format!("BIG=x\n{}", doubling(40, |p| format!("${{BIG}}${{{p}}}${{{p}}}")));
    names_its_line(
        &refused(
            &chain,
            Doctor::new().env("BIG", &"x".repeat(BIG)),
            &["--format", "json"],
        ),
        &chain,
    );

    // Multi-line quoted values: each entry spans two lines, and the line
    // named is where the entry starts.
    let mut multiline = String::from("A=\"xxxxxxxx\nxxxxxxxx\"\n");
    let mut previous = "A".to_string();
    for i in 1..=40 {
        multiline.push_str(&format!("V{i}=\"${{{previous}}}\n${{{previous}}}\"\n"));
        previous = format!("V{i}");
    }
    let detail = refused(&multiline, Doctor::new(), &["--format", "json"]);
    let (_, line) = names_its_line(&detail, &multiline);
    assert_eq!(line % 2, 1, "{detail}");
}

#[test]
fn r7_a_dotenv_that_expands_a_little_is_still_read() {
    let text = "HOST=api.example.com\nOPENAI_API_KEY=${KEYPART}\nKEYPART=x\nOPENAI_BASE_URL=\"https://${HOST}/v1\"\n";
    let run = Doctor::new()
        .key(KEY)
        .file(".env", text)
        .args(&["--offline"])
        .json()
        .run();
    let json = run.json();
    // Expanded as before: KEYPART is defined after its use, so the key is
    // empty, and the base URL takes HOST.
    assert_eq!(dotenv_source(&json)["state"], "empty", "{json:#}");
    assert_eq!(json["base_url"], "https://api.example.com/v1", "{json:#}");
}

fn dotenv_source(json: &serde_json::Value) -> &serde_json::Value {
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "dotenv")
        .unwrap_or_else(|| panic!("no dotenv source:\n{json:#}"))
}
