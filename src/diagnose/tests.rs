use super::evidence::seconds_in_message;
use super::{RULES, Retry};
use crate::vocab::ExitStatus;

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
fn exit_codes_follow_the_contract() {
    for rule in RULES {
        let expected = match rule.id.name() {
            "ok" | "offline" | "restricted_key" => 0,
            "rate_limited" | "server_error" => 3,
            "network_error" => 4,
            "other_service" => 5,
            _ => 1,
        };
        assert_eq!(ExitStatus::from(rule.verdict).code(), expected, "{}", rule.id);
    }
}

#[test]
fn retries_are_spelt_alike_everywhere() {
    crate::vocab::ids::tests::names_agree::<Retry>();
}
