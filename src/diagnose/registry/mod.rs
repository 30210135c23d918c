//! The diagnoses, in the order they are tried: the first whose `when`
//! holds decides. Each line's rule is `rules/<id>.rs`; the tests below name
//! every ordering that matters, and why.

use super::rules::*;
use super::{Evidence, Rule};

pub const RULES: &[&Rule] = &[
    // Not OpenAI's error at all: no OpenAI advice.
    &other_service::RULE,
    // Nothing was sent: what stopped the request.
    &process_unreadable::RULE,
    &key_missing::RULE,
    &key_empty::RULE,
    &setting_missing::RULE,
    &client_mismatch::RULE,
    &key_malformed::RULE,
    &insecure_base_url::RULE,
    &untrusted_base_url::RULE,
    &key_only_in_file::RULE,
    &offline::RULE,
    // No answer.
    &network_error::RULE,
    // An answer: the specific readings of a status before the general one.
    // (`ok` yields a 2xx to `model_not_found` when a model the program's
    // code names is missing from the list it answered with.)
    &ok::RULE,
    &restricted_key::RULE,
    &network_access_denied::RULE,
    &role_missing::RULE,
    &ip_not_allowed::RULE,
    &account_disabled::RULE,
    &organization_mismatch::RULE,
    &project_mismatch::RULE,
    &unsupported_region::RULE,
    &deployment_not_found::RULE,
    &api_version_unsupported::RULE,
    &model_not_found::RULE,
    &quota_exceeded::RULE,
    &bad_request::RULE,
    &invalid_api_key::RULE,
    &permission_denied::RULE,
    &rate_limited::RULE,
    &server_error::RULE,
    &wrong_base_url::RULE,
    // Whatever is left.
    &unexpected_response::RULE,
];

/// The rule that decides: the first that applies (the last applies to all).
pub(crate) fn rule_for(evidence: &Evidence) -> &'static Rule {
    RULES
        .iter()
        .find(|r| (r.when)(evidence))
        .copied()
        .unwrap_or_else(|| RULES.last().expect("the registry is not empty"))
}

#[cfg(test)]
mod tests;
