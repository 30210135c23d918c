//! The recognition corpus: every fixture in `tests/fixtures/explain/corpus.tsv`
//! through `explain`, with the rate printed by client and by diagnosis (run
//! with `--nocapture` to see it; CI prints it). Every fixture must get its
//! diagnosis.

use std::collections::BTreeMap;
use std::path::Path;

use openai_keycheck::explain::explain_stream;
use openai_keycheck::report::Subject;

#[test]
fn every_fixture_in_the_corpus_gets_its_diagnosis() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain");
    let manifest = std::fs::read_to_string(dir.join("corpus.tsv")).unwrap();
    let mut by_client: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let [file, client, expected] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("corpus.tsv: {line:?} is not three columns");
        };
        let input = std::fs::File::open(dir.join(file)).unwrap();
        let report = explain_stream(input).unwrap();
        // Each fixture holds one failure, however many lines it prints.
        let counted: u64 = match report.as_ref().map(|r| &r.subject) {
            Some(Subject::Explain(x)) => x.explain.occurrences.iter().map(|o| o.count).sum(),
            _ => 0,
        };
        if counted > 1 {
            wrong.push(format!("{file}: one failure counted {counted} times"));
        }
        let got = report.map_or("(not recognised)".to_string(), |r| {
            r.diagnosis.id.name().to_string()
        });
        let right = got == expected;
        for (key, table) in [(client, &mut by_client), (expected, &mut by_id)] {
            let entry = table.entry(key).or_default();
            entry.0 += u32::from(right);
            entry.1 += 1;
        }
        if !right {
            wrong.push(format!("{file}: {got}, expected {expected}"));
        }
    }
    let total: u32 = by_client.values().map(|(_, n)| n).sum();
    let right: u32 = by_client.values().map(|(r, _)| r).sum();
    println!("recognition: {right}/{total} fixtures");
    for (title, table) in [("by client", &by_client), ("by diagnosis", &by_id)] {
        println!("{title}:");
        for (key, (r, n)) in table.iter() {
            println!("  {key:<24} {r}/{n}");
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {total} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(total >= 100, "the corpus shrank to {total}");
}
