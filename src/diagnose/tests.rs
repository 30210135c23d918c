use super::{RULES, seconds_in_message};

#[test]
fn reads_the_wait_from_the_message() {
    let m = "Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit …";
    assert_eq!(seconds_in_message(m), Some(20.0));
    assert_eq!(seconds_in_message("Please try again in 120ms."), Some(0.12));
    assert_eq!(seconds_in_message("Please try again in 6m0s."), Some(360.0));
    assert_eq!(seconds_in_message("Please try again later."), None);
    assert_eq!(seconds_in_message("no hint"), None);
}

#[test]
fn every_id_is_unique_and_the_last_row_catches_all() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    assert_eq!(RULES.last().map(|r| r.id), Some("unexpected_response"));
}

#[test]
fn the_published_schema_lists_exactly_these_diagnoses() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/report-v1.json")).expect("schema is JSON");
    let mut published: Vec<&str> = schema["$defs"]["diagnosis_id"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let mut table: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    published.sort_unstable();
    table.sort_unstable();
    assert_eq!(published, table);
}

#[test]
fn exit_codes_follow_the_contract() {
    for rule in RULES {
        let expected = match rule.id {
            "ok" | "offline" | "restricted_key" => 0,
            "rate_limited" | "server_error" => 3,
            "network_error" => 4,
            _ => 1,
        };
        assert_eq!(rule.verdict.exit_code(), expected, "{}", rule.id);
    }
}
