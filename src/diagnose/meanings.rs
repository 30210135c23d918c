//! What a status can mean when nothing else is known about the answer (an
//! error text that gives `429` and no body), and how to tell the meanings
//! apart. The first id is the one the table picks without more to go on.

use crate::vocab::DiagnosisId::{self, *};

const MEANINGS: &[(u16, &[DiagnosisId], &str)] = &[
    (
        401,
        &[
            InvalidApiKey,
            RestrictedKey,
            OrganizationMismatch,
            ProjectMismatch,
            IpNotAllowed,
            AccountDisabled,
        ],
        "401 has several meanings; the error's code and message tell them apart: invalid_api_key (a wrong or revoked key), mismatched_organization / mismatched_project (a header from OPENAI_ORG_ID or OPENAI_PROJECT_ID), \"Missing scopes\" (a restricted key that is valid), \"IP not authorized\" (an allowlist).",
    ),
    (
        403,
        &[PermissionDenied, UnsupportedRegion, ModelNotFound, RestrictedKey],
        "403 has several meanings: unsupported_country_region_territory (where the request comes from), model_not_found (the project may not use the model), \"Missing scopes\" (a restricted key), or another permission.",
    ),
    (
        404,
        &[WrongBaseUrl, ModelNotFound],
        "404 has two meanings: an OpenAI body with code model_not_found is about the model; an HTML page or a 404 on /models means the base URL is wrong (often a missing /v1).",
    ),
    (
        429,
        &[RateLimited, QuotaExceeded],
        "429 has two meanings: code or type insufficient_quota means billing (no credit or a spend limit; retrying never helps), rate_limit_exceeded means too many requests (wait retry-after). Look at the error's code.",
    ),
];

/// The diagnoses a status alone can mean, and the sentence that tells them
/// apart; `None` for a status with one meaning.
pub(crate) fn meanings_of_status(status: u16) -> Option<(&'static [DiagnosisId], &'static str)> {
    MEANINGS
        .iter()
        .find(|(s, ..)| *s == status)
        .map(|(_, ids, words)| (*ids, *words))
}
