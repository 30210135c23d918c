//! A retry around an API call that retries a rejected key.
//!
//! ## What it means
//! A 401 (`AuthenticationError`) or 403 never heals by itself. A retry that
//! does not stop on them tries a bad key again and again: it burns time and
//! quota, and repeated failures can trip an IP rate limit. tenacity's
//! `@retry` with no `retry=` retries every exception; retrying
//! `Exception`, `openai.OpenAIError`, `openai.APIError` or
//! `openai.APIStatusError` includes `AuthenticationError`, their child;
//! `pRetry` without `shouldRetry` (or an `onFailedAttempt` that throws
//! `AbortError`) retries everything.
//!
//! ## Usual causes
//! A retry decorator copied from a rate-limit recipe; a predicate on a
//! parent class, chosen to catch "all API errors".
//!
//! ## Example
//! ```python
//! @retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))
//! def ask(q):
//!     return client.chat.completions.create(model='gpt-4o', messages=q)
//! ```

use super::{At, File, LintRule, Project, Spot};
use crate::program::facts::{AUTH_ERROR_AND_PARENTS, Kind};
use crate::vocab::{LintRuleId, Severity};

pub static RULE: LintRule = LintRule {
    id: LintRuleId::RetryOnAuthError,
    severity: Severity::Warning,
    summary: "a retry around an API call retries a rejected key",
    why: "A 401 or 403 does not heal: retrying it burns time and quota and can trip an IP rate limit.",
    fix: "Retry only what can pass: retry_if_exception_type((openai.RateLimitError, openai.APIConnectionError, openai.InternalServerError)), or a shouldRetry that returns false for 401 and 403.",
    check,
    check_project: super::nothing_more,
};

fn check(file: &File, _: &Project) -> Vec<Spot> {
    file.facts
        .facts
        .iter()
        .filter_map(|f| {
            let Kind::Retry { library, on } = &f.kind else { return None };
            let message = match on {
                None => format!("{library} retries every error here, a rejected key (401) included"),
                Some(names) => {
                    let broad = names
                        .iter()
                        .find(|n| AUTH_ERROR_AND_PARENTS.contains(&n.as_str()))?;
                    format!("{library} retries {broad} here, which includes AuthenticationError (401): a rejected key is tried again and again")
                }
            };
            Some(Spot {
                fix: None,
                at: At::Offset(f.at),
                message,
            })
        })
        .collect()
}
