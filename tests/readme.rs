//! The README's exit-code table says what the code does: read from
//! README.md and compared with the one list in the code it describes. (The
//! diagnoses and findings are listed in generated pages: `tests/docs.rs`.)

use std::collections::{BTreeMap, BTreeSet};

use openai_keycheck::diagnose::RULES;
use openai_keycheck::vocab::{DiagnosisId, ExitStatus};
use strum::IntoEnumIterator;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The rows of the Markdown table whose header line is `header`, as cells.
fn table(header: &str) -> Vec<Vec<String>> {
    let text = readme();
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip_while(|l| l.trim() != header)
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "README.md has no table `{header}`");
    rows
}

/// The `id`s in backticks in a cell.
fn ids(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(String::from).collect()
}

#[test]
fn the_exit_code_table() {
    let rows = table("| code | meaning | diagnoses |");
    let codes: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let ours: Vec<String> = ExitStatus::ALL.iter().map(|s| s.code().to_string()).collect();
    assert_eq!(codes, ours);

    let mut by_code: BTreeMap<u8, BTreeSet<String>> = BTreeMap::new();
    for rule in RULES {
        let code = ExitStatus::from(rule.verdict).code();
        by_code
            .entry(code)
            .or_default()
            .insert(rule.id.name().to_string());
    }
    let mut listed = BTreeSet::new();
    let mut rest_code = None;
    for row in &rows {
        let code: u8 = row[0].parse().unwrap();
        if row[2] == "every other diagnosis" {
            rest_code = Some(code);
            continue;
        }
        let named: BTreeSet<String> = ids(&row[2]).into_iter().filter(|i| i != "explain").collect();
        assert_eq!(named, by_code.remove(&code).unwrap_or_default(), "exit {code}");
        listed.extend(named);
    }
    let rest = rest_code.expect("a row for every other diagnosis");
    assert_eq!(
        by_code.remove(&rest).unwrap_or_default(),
        DiagnosisId::iter()
            .map(|id| id.name().to_string())
            .filter(|id| !listed.contains(id))
            .collect::<BTreeSet<_>>()
    );
    assert!(by_code.is_empty(), "codes the table does not list: {by_code:?}");
}
