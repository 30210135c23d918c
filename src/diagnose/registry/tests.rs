//! Every ordering of the registry that matters, named: for each, an error
//! both rules would claim, and the one that must win. When a new rule
//! claims evidence another already does, add its test here.

use strum::IntoEnumIterator;

use super::{RULES, rule_for};
use crate::diagnose::Evidence;
use crate::vocab::{Answer, ApiError, Body, DiagnosisId, DiagnosisId::*, NotSent, Observed, ResponseHeaders};

/// An error text's answer: a status, a body of this kind, an error.
fn answer(status: u16, body: Body, code: &str, message: &str) -> Observed {
    let error = (!code.is_empty() || !message.is_empty()).then(|| ApiError {
        code: (!code.is_empty()).then(|| code.to_string()),
        message: (!message.is_empty()).then(|| message.to_string()),
        ..ApiError::default()
    });
    Observed::Answer(Box::new(Answer {
        status: Some(status),
        body,
        error,
        headers: ResponseHeaders::default(),
    }))
}

fn json(status: u16, code: &str, message: &str) -> Observed {
    answer(status, Body::Json, code, message)
}

fn position(id: DiagnosisId) -> usize {
    RULES
        .iter()
        .position(|r| r.id == id)
        .expect("every id has a rule")
}

/// Both rules claim this evidence, `first` is listed before `then`, and
/// `first` decides.
fn wins(first: DiagnosisId, then: DiagnosisId, observed: Observed) {
    let e = Evidence {
        observed: &observed,
        sdk: None,
        other_service: None,
        client: None,
        sent_word: None,
        doctor: None,
    };
    let claims = |id: DiagnosisId| (RULES[position(id)].when)(&e);
    assert!(claims(first), "{first} does not claim {observed:?}");
    assert!(
        claims(then),
        "{then} does not claim {observed:?}: the order is not what decides"
    );
    assert!(
        position(first) < position(then),
        "{first} must come before {then}"
    );
    assert_eq!(rule_for(&e).id, first);
}

#[test]
fn every_id_has_exactly_one_rule_and_the_last_catches_all() {
    for id in DiagnosisId::iter() {
        assert_eq!(RULES.iter().filter(|r| r.id == id).count(), 1, "{id}");
    }
    assert_eq!(RULES.len(), DiagnosisId::iter().count());
    assert_eq!(RULES.last().map(|r| r.id), Some(UnexpectedResponse));
}

#[test]
fn an_error_text_saying_no_key_arrived_is_an_empty_key_not_a_bad_one() {
    let message =
        "You didn't provide an API key. You need to provide your API key in an Authorization header";
    wins(KeyEmpty, InvalidApiKey, json(401, "", message));
}

#[test]
fn an_azure_key_echoed_by_openai_is_the_wrong_service_not_a_bad_key() {
    let message =
        "Incorrect API key provided: 3f9a1c0e********************0e2c. You can find your API key at …";
    wins(
        ClientMismatch,
        InvalidApiKey,
        json(401, "invalid_api_key", message),
    );
}

#[test]
fn the_six_401_messages_come_before_a_bad_key() {
    for (id, code, message) in [
        (
            RestrictedKey,
            "",
            "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
        ),
        (
            RoleMissing,
            "PermissionDenied",
            "Principal does not have access to API/Operation.",
        ),
        (IpNotAllowed, "", "IP not authorized for this project."),
        (
            AccountDisabled,
            "account_deactivated",
            "This key is associated with a deactivated account.",
        ),
        (
            OrganizationMismatch,
            "mismatched_organization",
            "OpenAI-Organization header should match organization for API key",
        ),
        (
            ProjectMismatch,
            "mismatched_project",
            "OpenAI-Project header should match project for API key",
        ),
    ] {
        wins(id, InvalidApiKey, json(401, code, message));
    }
}

#[test]
fn a_specific_403_comes_before_permission_denied() {
    for (id, code, message) in [
        (RestrictedKey, "", "Missing scopes: api.model.read."),
        (
            NetworkAccessDenied,
            "403",
            "Traffic is not from an approved private endpoint.",
        ),
        (
            RoleMissing,
            "PermissionDenied",
            "Principal does not have access to API/Operation.",
        ),
        (
            UnsupportedRegion,
            "unsupported_country_region_territory",
            "Country, region, or territory not supported",
        ),
        (
            ModelNotFound,
            "model_not_found",
            "Project `proj_abc` does not have access to model `gpt-x`",
        ),
    ] {
        wins(id, PermissionDenied, json(403, code, message));
    }
}

#[test]
fn a_known_404_comes_before_a_wrong_base_url() {
    wins(
        DeploymentNotFound,
        WrongBaseUrl,
        json(
            404,
            "DeploymentNotFound",
            "The API deployment for this resource does not exist.",
        ),
    );
    wins(
        ApiVersionUnsupported,
        WrongBaseUrl,
        json(404, "404", "API version not supported"),
    );
    wins(
        ModelNotFound,
        WrongBaseUrl,
        json(
            404,
            "model_not_found",
            "The model `gpt-x` does not exist or you do not have access to it.",
        ),
    );
}

#[test]
fn a_known_400_comes_before_a_bad_request() {
    wins(
        ApiVersionUnsupported,
        BadRequest,
        json(400, "", "API version not supported"),
    );
    wins(
        ModelNotFound,
        BadRequest,
        json(400, "model_not_found", "The model `gpt-x` does not exist"),
    );
}

#[test]
fn another_services_error_is_never_read_as_openais() {
    let observed = json(401, "authentication_error", "invalid x-api-key");
    let e = Evidence {
        observed: &observed,
        sdk: None,
        other_service: Some(("Anthropic", "https://console.anthropic.com/settings/keys")),
        client: None,
        sent_word: None,
        doctor: None,
    };
    assert!((RULES[position(InvalidApiKey)].when)(&e));
    assert!(position(OtherService) < position(InvalidApiKey));
    assert_eq!(rule_for(&e).id, OtherService);
}

#[test]
fn billing_comes_before_a_rate_limit() {
    wins(
        QuotaExceeded,
        RateLimited,
        json(429, "insufficient_quota", "You exceeded your current quota"),
    );
}

#[test]
fn a_5xx_page_is_a_server_error_not_a_wrong_base_url() {
    wins(ServerError, WrongBaseUrl, answer(502, Body::NotJson, "", ""));
}

#[test]
fn nothing_sent_is_decided_by_why() {
    // Rules about an answer never claim a run that sent nothing.
    for reason in [
        NotSent::NoKey,
        NotSent::EmptyKey,
        NotSent::Offline,
        NotSent::ClientMismatch,
        NotSent::AzureEndpointIsOpenai,
    ] {
        let observed = Observed::NotSent(reason.clone());
        let e = Evidence {
            observed: &observed,
            sdk: None,
            other_service: None,
            client: None,
            sent_word: None,
            doctor: None,
        };
        let claimed: Vec<DiagnosisId> = RULES.iter().filter(|r| (r.when)(&e)).map(|r| r.id).collect();
        assert_eq!(claimed.len(), 2, "{reason:?}: {claimed:?}");
        assert_eq!(claimed[1], UnexpectedResponse, "{reason:?}: {claimed:?}");
    }
}

#[test]
fn a_billing_limit_sent_with_400_is_billing_not_a_bad_request() {
    wins(
        QuotaExceeded,
        BadRequest,
        json(
            400,
            "billing_hard_limit_reached",
            "Billing hard limit has been reached",
        ),
    );
}

#[test]
fn a_model_that_does_not_exist_is_not_a_base_url_without_v1() {
    wins(
        ModelNotFound,
        WrongBaseUrl,
        json(404, "", "That model does not exist"),
    );
    wins(
        DeploymentNotFound,
        WrongBaseUrl,
        json(
            404,
            "",
            "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
        ),
    );
}
