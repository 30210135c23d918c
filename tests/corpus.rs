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
    let mut by_group: BTreeMap<String, (u32, u32)> = BTreeMap::new();
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
        // A real paste may show its failure again (a retry, an app printing
        // it twice); every other fixture holds one.
        let pasted = file.starts_with("public/") || file.starts_with("other-services/");
        if counted > 1 && !pasted {
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
        let entry = by_group.entry(group(file)).or_default();
        entry.0 += u32::from(right);
        entry.1 += 1;
        if !right {
            wrong.push(format!("{file}: {got}, expected {expected}"));
        }
    }
    let total: u32 = by_client.values().map(|(_, n)| n).sum();
    let right: u32 = by_client.values().map(|(r, _)| r).sum();
    println!("recognition: {right}/{total} fixtures");
    let by_group: BTreeMap<&str, (u32, u32)> = by_group.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    for (title, table) in [
        (
            "by group (public/cN: the kind of real paste; other-services: negatives)",
            &by_group,
        ),
        ("by client", &by_client),
        ("by diagnosis", &by_id),
    ] {
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
    for group in [
        "public/c1",
        "public/c2",
        "public/c3",
        "public/c4",
        "public/c5",
        "public/c6",
        "public/c7",
        "public/c8",
        "public/c9",
        "other-services",
    ] {
        let n = by_group.get(group).map_or(0, |(_, n)| *n);
        assert!(
            n >= 3,
            "{group} holds {n} fixtures; each kind needs at least three"
        );
    }
}

/// `public/c2_…` → `public/c2`; `sdk/…` → `sdk`; a file at the top → `(top)`.
fn group(file: &str) -> String {
    match file.split_once('/') {
        Some(("public", name)) => format!("public/{}", name.split('_').next().unwrap_or(name)),
        Some((dir, _)) => dir.to_string(),
        None => "(top)".to_string(),
    }
}
